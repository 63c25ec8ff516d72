// Package controllers wires Momentum's reconcilers and cache indexes into a
// controller-runtime manager. The manager binary and the integration tests
// use the same wiring.
package controllers

import (
	"context"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/controllers/channel"
	"github.com/momentum-dev/momentum/controllers/initiative"
	"github.com/momentum-dev/momentum/controllers/leadingindicator"
	"github.com/momentum-dev/momentum/controllers/recognitioncampaign"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/metrics"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/sources"
)

// Options configure the reconcilers.
type Options struct {
	// Clock is the time source of every decision; tests inject a fake one.
	Clock clock.PassiveClock
	// MaxConcurrentReconciles per controller.
	MaxConcurrentReconciles int
	// Jobs configures the pods that deliver messages.
	Jobs cronjobs.Options
	// Policy is the outbound policy for user-supplied addresses.
	Policy outbound.Policy
}

// ManagerOptions sets what the manager's cache holds: only the CronJobs and
// Jobs Momentum created (by label), and never Secrets, which are read one by
// one from the API server.
func ManagerOptions(o *manager.Options) {
	managed := labels.SelectorFromSet(labels.Set{cronjobs.LabelManagedBy: cronjobs.ManagedBy})
	if o.Cache.ByObject == nil {
		o.Cache.ByObject = map[client.Object]cache.ByObject{}
	}
	o.Cache.ByObject[&batchv1.CronJob{}] = cache.ByObject{Label: managed}
	o.Cache.ByObject[&batchv1.Job{}] = cache.ByObject{Label: managed}
	if o.Client.Cache == nil {
		o.Client.Cache = &client.CacheOptions{}
	}
	o.Client.Cache.DisableFor = append(o.Client.Cache.DisableFor, &corev1.Secret{})
}

// Setup registers the indexes and every reconciler with mgr.
func Setup(ctx context.Context, mgr manager.Manager, opts Options) error {
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	if err := index.Register(ctx, mgr.GetFieldIndexer()); err != nil {
		return fmt.Errorf("registering cache indexes: %w", err)
	}
	if err := index.RegisterSuccess(ctx, mgr.GetFieldIndexer()); err != nil {
		return fmt.Errorf("registering cache indexes: %w", err)
	}
	ctrlOpts := controller.Options{MaxConcurrentReconciles: opts.MaxConcurrentReconciles}
	if err := (&initiative.Reconciler{
		Client:   mgr.GetClient(),
		Clock:    opts.Clock,
		Recorder: mgr.GetEventRecorder("momentum-initiative"),
		Jobs:     opts.Jobs,
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the Initiative controller: %w", err)
	}
	if err := (&leadingindicator.Reconciler{
		Client:   mgr.GetClient(),
		Clock:    opts.Clock,
		Recorder: mgr.GetEventRecorder("momentum-leadingindicator"),
		Secrets:  mgr.GetAPIReader(),
		Measurer: sources.Measurer{Policy: opts.Policy},
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the LeadingIndicator controller: %w", err)
	}
	if err := (&channel.Reconciler{
		Client:   mgr.GetClient(),
		Secrets:  mgr.GetAPIReader(),
		Clock:    opts.Clock,
		Recorder: mgr.GetEventRecorder("momentum-channel"),
		Policy:   opts.Policy,
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the Channel controller: %w", err)
	}
	if err := (&recognitioncampaign.Reconciler{
		Client:   mgr.GetClient(),
		Clock:    opts.Clock,
		Recorder: mgr.GetEventRecorder("momentum-recognitioncampaign"),
		Jobs:     opts.Jobs,
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the RecognitionCampaign controller: %w", err)
	}
	if err := setupSuccess(mgr, opts, ctrlOpts); err != nil {
		return err
	}
	if err := metrics.Register(mgr); err != nil {
		return fmt.Errorf("registering Momentum's metrics: %w", err)
	}
	return nil
}
