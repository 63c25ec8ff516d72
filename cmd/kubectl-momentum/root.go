package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/plugin/view"
)

// version is stamped by `make plugin-dist` (-X main.version=...).
var version = "dev"

// scheme knows Momentum's kinds, all the plugin reads.
var scheme = runtime.NewScheme()

func init() { utilruntime.Must(v1alpha1.AddToScheme(scheme)) }

// app is what every command shares: streams, kubeconfig flags and the clock.
type app struct {
	streams genericiooptions.IOStreams
	flags   *genericclioptions.ConfigFlags
	now     func() time.Time
	noColor bool
}

func newApp(streams genericiooptions.IOStreams, now func() time.Time) *app {
	return &app{streams: streams, flags: genericclioptions.NewConfigFlags(true), now: now}
}

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "kubectl-momentum",
		Short:         "Read, wait for, lint and approve Momentum culture-change programs",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Annotations:   map[string]string{cobra.CommandDisplayNameAnnotation: "kubectl momentum"},
	}
	a.flags.AddFlags(root.PersistentFlags())
	root.PersistentFlags().BoolVar(&a.noColor, "no-color", false, "Plain ASCII output without colour (also when NO_COLOR is set or the output is not a terminal)")
	root.SetIn(a.streams.In)
	root.SetOut(a.streams.Out)
	root.SetErr(a.streams.ErrOut)
	root.AddCommand(newStatus(a), newList(a), newWhy(a), newWait(a), newLint(a), newApprove(a), newVersion(a))
	return root
}

// style is colour and Unicode only on a terminal, unless disabled.
func (a *app) style(w io.Writer) view.Style {
	f, ok := w.(*os.File)
	tty := ok && term.IsTerminal(int(f.Fd()))
	return view.Style{Fancy: fancy(a.noColor, os.Getenv("NO_COLOR"), tty)}
}

// fancy decides colour and Unicode: only on a terminal, and neither with
// --no-color nor with NO_COLOR set to anything (https://no-color.org).
func fancy(noColorFlag bool, noColorEnv string, terminal bool) bool {
	return terminal && !noColorFlag && noColorEnv == ""
}

// client talks to the cluster of the kubeconfig flags.
func (a *app) client() (client.WithWatch, error) {
	cfg, err := a.flags.ToRESTConfig()
	if err != nil {
		return nil, err
	}
	return client.NewWithWatch(cfg, client.Options{Scheme: scheme})
}

// namespace is -n, else the kubeconfig context's namespace.
func (a *app) namespace() (string, error) {
	ns, _, err := a.flags.ToRawKubeConfigLoader().Namespace()
	return ns, err
}

// program fetches an initiative with its indicators and campaigns.
func program(ctx context.Context, c client.Client, ns, name string) (view.Program, error) {
	it := &v1alpha1.Initiative{}
	if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, it); err != nil {
		return view.Program{}, err
	}
	inds := &v1alpha1.LeadingIndicatorList{}
	sel := fields.OneTermEqualSelector("spec.initiativeRef.name", name)
	if err := c.List(ctx, inds, client.InNamespace(ns), client.MatchingFieldsSelector{Selector: sel}); err != nil {
		return view.Program{}, err
	}
	camps := &v1alpha1.RecognitionCampaignList{}
	if err := c.List(ctx, camps, client.InNamespace(ns)); err != nil {
		return view.Program{}, err
	}
	return view.NewProgram(*it, inds.Items, camps.Items), nil
}

func newVersion(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the plugin's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(a.streams.Out, "kubectl-momentum %s\n", version)
			return err
		},
	}
}
