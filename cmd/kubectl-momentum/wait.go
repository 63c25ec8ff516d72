package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/watch"
	watchtools "k8s.io/client-go/tools/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/plugin/waitfor"
)

func newWait(a *app) *cobra.Command {
	var forFlag string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "wait INITIATIVE --for ready|stage=NAME|gate=NAME",
		Short: "Wait until an initiative is Ready, enters a stage or meets a gate (for CI)",
		Long: `Wait watches the initiative until it reaches the target and exits 0. It exits 1,
naming the blocking gates, when the timeout passes or when the initiative is
Stalled (nothing will change until its spec does).`,
		Example: `  kubectl momentum wait customer-first -n culture --for stage=Embedding --timeout 10m
  kubectl momentum wait customer-first -n culture --for gate=publish-why`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target, err := waitfor.Parse(forFlag)
			if err != nil {
				return err
			}
			c, ns, err := a.connect()
			if err != nil {
				return err
			}
			return a.wait(cmd.Context(), c, ns, args[0], target, timeout)
		},
	}
	cmd.Flags().StringVar(&forFlag, "for", "ready", "What to wait for: ready, stage=NAME or gate=NAME")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Minute, "How long to wait before giving up")
	return cmd
}

var errWaitFailed = errors.New("wait failed")

// wait watches one initiative (UntilWithSync: list, then watch, relisting
// on expiry) until waitfor.Evaluate decides.
func (a *app) wait(ctx context.Context, c client.WithWatch, ns, name string, target waitfor.Target, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	lw := listWatch(c, ns, func() client.ObjectList { return &v1alpha1.InitiativeList{} }, "metadata.name="+name)
	var last *v1alpha1.Initiative
	_, err := watchtools.UntilWithSync(ctx, lw, &v1alpha1.Initiative{}, nil, func(e watch.Event) (bool, error) {
		it, ok := e.Object.(*v1alpha1.Initiative)
		if !ok || e.Type == watch.Deleted {
			return false, nil
		}
		last = it
		out := waitfor.Evaluate(it, target)
		if out.Failed {
			return false, fmt.Errorf("%w: %s", errWaitFailed, out.Message)
		}
		if out.Reached {
			fmt.Fprintln(a.streams.Out, out.Message)
		}
		return out.Reached, nil
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errWaitFailed):
		return &exitError{code: 1, err: fmt.Errorf("%s%s", strings.TrimPrefix(err.Error(), errWaitFailed.Error()+": "), blocking(last))}
	case errors.Is(err, watchtools.ErrWatchClosed), ctx.Err() != nil:
		if last == nil {
			return &exitError{code: 1, err: fmt.Errorf("timed out after %s: initiative %s/%s was not found", timeout, ns, name)}
		}
		return &exitError{code: 1, err: fmt.Errorf("timed out after %s waiting for %s of initiative %s/%s (in stage %s)%s", timeout, target, ns, name, last.Status.Stage, blocking(last))}
	}
	return err
}

func blocking(it *v1alpha1.Initiative) string {
	if it == nil {
		return ""
	}
	gates := waitfor.Blocking(it)
	if len(gates) == 0 {
		return ""
	}
	return "\nblocking gates of stage " + it.Status.Stage + ":\n  " + strings.Join(gates, "\n  ")
}
