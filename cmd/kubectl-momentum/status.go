package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/internal/plugin/view"
)

func newStatus(a *app) *cobra.Command {
	var watch bool
	cmd := &cobra.Command{
		Use:   "status INITIATIVE",
		Short: "Show a program at a glance: stages, gates, indicators, funnel, risk, reminders, recognition",
		Example: `  kubectl momentum status customer-first -n culture
  kubectl momentum status customer-first -n culture --watch`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, ns, err := a.connect()
			if err != nil {
				return err
			}
			if watch {
				return a.watchStatus(cmd.Context(), c, ns, args[0])
			}
			p, err := program(cmd.Context(), c, ns, args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.streams.Out, view.Status(p, a.now(), a.style(a.streams.Out)))
			return err
		},
	}
	cmd.Flags().BoolVarP(&watch, "watch", "w", false, "Redraw whenever the initiative, its indicators or campaigns change (through a watch)")
	return cmd
}

// connect returns a client and the namespace of the flags.
func (a *app) connect() (client.WithWatch, string, error) {
	ns, err := a.namespace()
	if err != nil {
		return nil, "", err
	}
	c, err := a.client()
	return c, ns, err
}

// watchStatus redraws the status screen on every change the watches see,
// until ctx ends (Ctrl-C).
func (a *app) watchStatus(ctx context.Context, c client.WithWatch, ns, name string) error {
	w, err := startWatch(ctx, c, ns, name)
	if err != nil {
		return err
	}
	s := a.style(a.streams.Out)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-w.changed:
		}
		p, ok := w.program()
		clear := "\n"
		if s.Fancy {
			clear = "\x1b[H\x1b[2J"
		}
		text := fmt.Sprintf("initiative %s/%s not found (waiting for it)\n", ns, name)
		if ok {
			text = view.Status(p, a.now(), s)
		}
		if _, err := fmt.Fprint(a.streams.Out, clear+text); err != nil {
			return err
		}
	}
}
