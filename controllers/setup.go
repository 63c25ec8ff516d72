// Package controllers wires Momentum's reconcilers and cache indexes into a
// controller-runtime manager. The manager binary and the integration tests
// use the same wiring.
package controllers

import (
	"context"
	"fmt"

	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/controllers/initiative"
	"github.com/momentum-dev/momentum/controllers/leadingindicator"
	"github.com/momentum-dev/momentum/internal/index"
)

// Options configure the reconcilers.
type Options struct {
	// Clock is the time source of every decision; tests inject a fake one.
	Clock clock.PassiveClock
	// MaxConcurrentReconciles per controller.
	MaxConcurrentReconciles int
}

// Setup registers the indexes and every reconciler with mgr.
func Setup(ctx context.Context, mgr manager.Manager, opts Options) error {
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	if err := index.Register(ctx, mgr.GetFieldIndexer()); err != nil {
		return fmt.Errorf("registering cache indexes: %w", err)
	}
	ctrlOpts := controller.Options{MaxConcurrentReconciles: opts.MaxConcurrentReconciles}
	if err := (&initiative.Reconciler{
		Client:   mgr.GetClient(),
		Clock:    opts.Clock,
		Recorder: mgr.GetEventRecorder("momentum-initiative"),
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the Initiative controller: %w", err)
	}
	if err := (&leadingindicator.Reconciler{
		Client:   mgr.GetClient(),
		Clock:    opts.Clock,
		Recorder: mgr.GetEventRecorder("momentum-leadingindicator"),
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the LeadingIndicator controller: %w", err)
	}
	return nil
}
