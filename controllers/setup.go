// Package controllers wires Momentum's reconcilers and cache indexes into a
// controller-runtime manager. The manager binary and the integration tests
// use the same wiring.
package controllers

import (
	"context"
	"crypto/sha256"
	"fmt"
	"reflect"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/channel"
	"github.com/momentum-dev/momentum/controllers/initiative"
	"github.com/momentum-dev/momentum/controllers/leadingindicator"
	"github.com/momentum-dev/momentum/controllers/recognitioncampaign"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/measure"
	"github.com/momentum-dev/momentum/internal/metrics"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/sources"
	"github.com/momentum-dev/momentum/internal/tenancy"
	"github.com/momentum-dev/momentum/internal/watchdog"
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
	// Watchdog, when set, sees every reconcile, so the liveness probe can
	// notice a stuck worker.
	Watchdog *watchdog.Watchdog
	// Measurements bounds how many live-source measurements run at once in
	// all, and PerNamespaceMeasurements for one namespace (0: defaults).
	Measurements, PerNamespaceMeasurements int
	// AllowNamespaceSelector picks the namespaces where Policy's and Jobs'
	// exceptions (AllowCIDRs, AllowHTTPHosts) apply; nil: every namespace.
	AllowNamespaceSelector labels.Selector
	// ChannelRecheck is how often a Ready Channel re-reads its Secret (0:
	// channel.ReadyRecheck).
	ChannelRecheck time.Duration
	// Deliveries bounds the attempts of each celebration (zero: defaults).
	Deliveries delivery.Policy
}

// GracefulShutdownTimeout is how long the manager waits for running
// reconciles when it stops; the Pod's terminationGracePeriodSeconds must
// exceed it.
const GracefulShutdownTimeout = 25 * time.Second

// ManagerOptions sets what the manager's cache holds: only the CronJobs and
// Jobs Momentum created (by label), and never Secrets, which are read one by
// one from the API server. On a graceful stop, the manager waits for running
// reconciles, then releases its leader lease at once so a standby takes over
// without waiting for the lease to expire.
func ManagerOptions(o *manager.Options) {
	o.GracefulShutdownTimeout = ptr.To(GracefulShutdownTimeout)
	o.LeaderElectionReleaseOnCancel = true
	managed := labels.SelectorFromSet(labels.Set{cronjobs.LabelManagedBy: cronjobs.ManagedBy})
	if o.Cache.ByObject == nil {
		o.Cache.ByObject = map[client.Object]cache.ByObject{}
	}
	// Every kind is stored without its managedFields and last-applied
	// annotation, except that CronJobs keep their managedFields:
	// internal/cronjobs compares the desired CronJob with the fields
	// Momentum's field owner manages.
	o.Cache.DefaultTransform = StripForCache(false)
	o.Cache.ByObject[&batchv1.CronJob{}] = cache.ByObject{Label: managed, Transform: StripForCache(true)}
	// Anyone with edit in a namespace can label a Job or ConfigMap as
	// Momentum's: what only Momentum's own would need is not kept.
	o.Cache.ByObject[&batchv1.Job{}] = cache.ByObject{Label: managed, Transform: StripJobForCache}
	o.Cache.ByObject[&corev1.ConfigMap{}] = cache.ByObject{Label: managed, Transform: StripConfigMapForCache} // the delivery ledgers
	if o.Client.Cache == nil {
		o.Client.Cache = &client.CacheOptions{}
	}
	o.Client.Cache.DisableFor = append(o.Client.Cache.DisableFor, &corev1.Secret{})
}

// ownKinds are the kinds Momentum reconciles.
func ownKinds() []client.Object {
	return []client.Object{&v1alpha1.Initiative{}, &v1alpha1.LeadingIndicator{}, &v1alpha1.Channel{}, &v1alpha1.RecognitionCampaign{}, &v1alpha1.Commitment{}, &v1alpha1.CultureAssessment{}}
}

// WatchLabelSelector restricts the cache of Momentum's own kinds, and so
// what this manager reconciles, to the objects the selector matches: Flux's
// sharding, with one manager per shard (a nil or empty selector: all).
// Children (CronJobs, Jobs) are not filtered by it: an event on a child
// whose owner is outside the shard finds no owner in the cache and is
// dropped.
func WatchLabelSelector(o *manager.Options, selector labels.Selector) {
	if selector == nil || selector.Empty() {
		return
	}
	if o.Cache.ByObject == nil {
		o.Cache.ByObject = map[client.Object]cache.ByObject{}
	}
	for _, obj := range ownKinds() {
		key := sameKind(o.Cache.ByObject, obj)
		by := o.Cache.ByObject[key]
		by.Label = selector
		o.Cache.ByObject[key] = by
	}
}

// LeaderElectionID is base for the manager that serves every object, and
// base with a hash of the selector appended for a shard (what Flux's
// leaderelection.GenerateID does), so that each shard elects its own leader.
func LeaderElectionID(base, watchLabelSelector string) string {
	if watchLabelSelector == "" {
		return base
	}
	return fmt.Sprintf("%s-%x", base, sha256.Sum256([]byte(watchLabelSelector)))[:len(base)+9]
}

// sameKind returns the key of byObject that is of obj's type (its
// settings are kept), or obj itself.
func sameKind(byObject map[client.Object]cache.ByObject, obj client.Object) client.Object {
	for key := range byObject {
		if reflect.TypeOf(key) == reflect.TypeOf(obj) {
			return key
		}
	}
	return obj
}

// WatchNamespaces restricts the manager's cache, and so every watch and
// read of namespaced objects, to the given namespaces (blank entries are
// ignored; none left means every namespace). With it the manager needs only
// Roles in those namespaces (config/namespaced).
func WatchNamespaces(o *manager.Options, namespaces []string) {
	for _, ns := range namespaces {
		if ns = strings.TrimSpace(ns); ns == "" {
			continue
		}
		if o.Cache.DefaultNamespaces == nil {
			o.Cache.DefaultNamespaces = map[string]cache.Config{}
		}
		o.Cache.DefaultNamespaces[ns] = cache.Config{}
	}
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
	exceptions := tenancy.Exceptions{Selector: opts.AllowNamespaceSelector, Namespaces: mgr.GetClient()}
	if err := setupProgram(mgr, opts, ctrlOpts, exceptions); err != nil {
		return err
	}
	if err := setupDelivery(mgr, opts, ctrlOpts, exceptions); err != nil {
		return err
	}
	if err := setupSuccess(mgr, opts, ctrlOpts); err != nil {
		return err
	}
	if err := metrics.Register(mgr); err != nil {
		return fmt.Errorf("registering Momentum's metrics: %w", err)
	}
	return nil
}

// setupProgram registers the Initiative and LeadingIndicator reconcilers and
// the runner of live measurements.
func setupProgram(mgr manager.Manager, opts Options, ctrlOpts controller.Options, exceptions tenancy.Exceptions) error {
	if err := (&initiative.Reconciler{
		Client:     mgr.GetClient(),
		Clock:      opts.Clock,
		Recorder:   mgr.GetEventRecorder("momentum-initiative"),
		Jobs:       opts.Jobs,
		Reader:     mgr.GetAPIReader(),
		Exceptions: exceptions,
		Watchdog:   opts.Watchdog,
		Deliveries: opts.Deliveries,
		Own:        &conditions.OwnWrites{},
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the Initiative controller: %w", err)
	}
	runner := measure.NewRunner(opts.Measurements, opts.PerNamespaceMeasurements, func() client.Object { return &v1alpha1.LeadingIndicator{} })
	if err := mgr.Add(runner); err != nil {
		return fmt.Errorf("adding the measurement runner: %w", err)
	}
	if err := (&leadingindicator.Reconciler{
		Client:     mgr.GetClient(),
		Clock:      opts.Clock,
		Recorder:   mgr.GetEventRecorder("momentum-leadingindicator"),
		Secrets:    mgr.GetAPIReader(),
		Measurer:   sources.Measurer{Policy: opts.Policy},
		Runner:     runner,
		Exceptions: exceptions,
		Watchdog:   opts.Watchdog,
		Own:        &conditions.OwnWrites{},
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the LeadingIndicator controller: %w", err)
	}
	return nil
}

// setupDelivery registers the Channel and RecognitionCampaign reconcilers.
func setupDelivery(mgr manager.Manager, opts Options, ctrlOpts controller.Options, exceptions tenancy.Exceptions) error {
	if err := (&channel.Reconciler{
		Client:     mgr.GetClient(),
		Secrets:    mgr.GetAPIReader(),
		Clock:      opts.Clock,
		Recorder:   mgr.GetEventRecorder("momentum-channel"),
		Policy:     opts.Policy,
		Recheck:    opts.ChannelRecheck,
		Exceptions: exceptions,
		Watchdog:   opts.Watchdog,
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the Channel controller: %w", err)
	}
	if err := (&recognitioncampaign.Reconciler{
		Client:     mgr.GetClient(),
		Clock:      opts.Clock,
		Recorder:   mgr.GetEventRecorder("momentum-recognitioncampaign"),
		Jobs:       opts.Jobs,
		Deliveries: opts.Deliveries,
		Reader:     mgr.GetAPIReader(),
		Exceptions: exceptions,
		Watchdog:   opts.Watchdog,
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the RecognitionCampaign controller: %w", err)
	}
	return nil
}
