package main

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/plugin/view"
)

func newList(a *app) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List initiatives with stage, progress, risk and weakest link",
		Example: "  kubectl momentum list -A",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, ns, err := a.connect()
			if err != nil {
				return err
			}
			opts := []client.ListOption{}
			if !all {
				opts = append(opts, client.InNamespace(ns))
			}
			list := &v1alpha1.InitiativeList{}
			if err := c.List(cmd.Context(), list, opts...); err != nil {
				return err
			}
			sort.Slice(list.Items, func(i, j int) bool {
				x, y := list.Items[i], list.Items[j]
				return x.Namespace < y.Namespace || x.Namespace == y.Namespace && x.Name < y.Name
			})
			_, err = fmt.Fprint(a.streams.Out, view.List(list.Items, all, a.style(a.streams.Out)))
			return err
		},
	}
	cmd.Flags().BoolVarP(&all, "all-namespaces", "A", false, "List initiatives of every namespace")
	return cmd
}

func newWhy(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "why INITIATIVE",
		Short:   "Say what holds a program back, most important first",
		Example: "  kubectl momentum why customer-first -n culture",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, ns, err := a.connect()
			if err != nil {
				return err
			}
			p, err := program(cmd.Context(), c, ns, args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.streams.Out, view.WhyText(p, a.style(a.streams.Out)))
			return err
		},
	}
}
