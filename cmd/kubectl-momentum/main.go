// Command kubectl-momentum is the kubectl plugin of Momentum: `kubectl
// momentum status|list|why|wait|lint|approve`. Its commands are thin: they
// fetch objects and hand them to the pure renderers and checks of
// internal/plugin.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func main() {
	streams := genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, newApp(streams, time.Now), os.Args[1:])
	stop()
	os.Exit(code)
}

// exitError carries a process exit code other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

// run executes the command line and returns the exit code: 0 on success, 1
// on failure (an error, a problem found, a wait that failed or timed out).
func run(ctx context.Context, a *app, args []string) int {
	cmd := newRoot(a)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(a.streams.ErrOut, "Error:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(a.streams.ErrOut, "Error:", err)
	return 1
}
