// Package recognitioncampaign reconciles RecognitionCampaigns: it judges
// their nominations against the initiative's behaviors and, when a
// spotlight is due, posts the pending ones in a one-off digest Job named
// after the scheduled time. What each digest delivered goes to a ledger
// ConfigMap the namespace keeps, so no nomination is published twice, even
// after the campaign is re-created.
package recognitioncampaign

import (
	"context"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/refs"
	"github.com/momentum-dev/momentum/internal/tenancy"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// Reconciler reconciles RecognitionCampaigns.
type Reconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Jobs configures the pods of digest Jobs.
	Jobs cronjobs.Options
	// Deliveries bounds the attempts of each digest (zero: defaults).
	Deliveries delivery.Policy
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
	// Exceptions narrows the Jobs' outbound exceptions to selected namespaces.
	Exceptions tenancy.Exceptions
	// Reader reads from the API server, past the cache (which holds only
	// objects labelled as Momentum's), whom a digest Job's name belongs
	// to. Without it, Client is used.
	Reader client.Reader
}

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=recognitioncampaigns,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=recognitioncampaigns/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=recognitioncampaigns/finalizers,verbs=update
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=channels,verbs=get;list;watch
// +kubebuilder:rbac:groups=batch,resources=cronjobs,verbs=get;list;watch;delete
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile fetches the campaign and what it depends on, decides its
// status and digest Jobs, creates the Jobs and records finished deliveries
// in the ledger, writes status once if it changed, and asks to be called
// again when the next spotlight or retry is due.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	obj := &v1alpha1.RecognitionCampaign{}
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopy()
	now := r.Clock.Now()
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, "RecognitionCampaign", before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, now)
	}
	d, err := r.decideAndApply(ctx, obj, now)
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, conditions.Outcome{
		Result: conditions.Result{Ready: d.ready, Stalled: d.stalled, Err: err}, Events: d.events, RecheckAt: d.nextAt,
		Stored: func(wrote bool) {
			if wrote && len(d.published) > 0 {
				logf.FromContext(ctx).Info("Marked nominations spotlighted", "nominations", d.published)
			}
		},
	}, now)
}

// decideAndApply fetches, decides and applies, and leaves in obj.Status
// what to write: on an error, without the spotlight it could not create.
func (r *Reconciler) decideAndApply(ctx context.Context, obj *v1alpha1.RecognitionCampaign, now time.Time) (decision, error) {
	in, err := r.fetch(ctx, obj)
	if err != nil {
		return decision{}, err
	}
	in.jobOpts = r.Exceptions.Jobs(ctx, obj.Namespace, r.Jobs)
	d := decide(obj, in, now)
	scheduled := obj.Status.LastScheduleTime
	obj.Status = d.status
	taken, err := r.apply(ctx, obj, in, d)
	if err != nil || len(taken) > 0 {
		obj.Status.LastScheduleTime = scheduled // not created: try again
	}
	if len(taken) > 0 {
		nameConflict(obj, &d, taken, now)
	}
	return d, err
}

// fetch reads, from the cache, the initiative and channel the campaign
// names (nil when missing), the CronJobs and Jobs it owns, and its ledger.
func (r *Reconciler) fetch(ctx context.Context, obj *v1alpha1.RecognitionCampaign) (inputs, error) {
	in := inputs{policy: r.Deliveries}
	var err error
	if in.initiative, err = refs.Initiative(ctx, r.Client, obj.Namespace, obj.Spec.InitiativeRef.Name); err != nil {
		return in, err
	}
	ch := &v1alpha1.Channel{}
	switch err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.Channel}, ch); {
	case err == nil:
		in.channel = ch
	case !apierrors.IsNotFound(err):
		return in, fmt.Errorf("reading Channel %s: %w", obj.Spec.Channel, err)
	}
	owned := client.MatchingLabels{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelCampaign: obj.Name}
	cjs := &batchv1.CronJobList{}
	if err := r.Client.List(ctx, cjs, client.InNamespace(obj.Namespace), owned); err != nil {
		return in, fmt.Errorf("listing CronJobs of the campaign: %w", err)
	}
	for i := range cjs.Items {
		if metav1.IsControlledBy(&cjs.Items[i], obj) {
			in.cronJobs = append(in.cronJobs, &cjs.Items[i])
		}
	}
	jobs := &batchv1.JobList{}
	if err := r.Client.List(ctx, jobs, client.InNamespace(obj.Namespace), owned); err != nil {
		return in, fmt.Errorf("listing Jobs of the campaign: %w", err)
	}
	in.jobs = jobs.Items
	cm := &corev1.ConfigMap{}
	switch err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: ledgerName(obj)}, cm); {
	case err == nil:
		in.ledger = cm
	case !apierrors.IsNotFound(err):
		return in, fmt.Errorf("reading the spotlight ledger: %w", err)
	}
	return in, nil
}

// SetupWithManager watches RecognitionCampaigns, their CronJobs and Jobs,
// and, through the indexes, the Initiatives and Channels they name, so a
// missing one heals as soon as it appears.
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	return builder.ControllerManagedBy(mgr).
		For(&v1alpha1.RecognitionCampaign{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Owns(&batchv1.CronJob{}).
		Watches(&batchv1.Job{}, handler.EnqueueRequestsFromMapFunc(campaignOfJob)).
		Watches(&v1alpha1.Initiative{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newList, index.CampaignByInitiative)),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		// Every Channel change, status included: a Channel turning Ready
		// lets the spotlight run.
		Watches(&v1alpha1.Channel{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newList, index.CampaignByChannel))).
		WithOptions(opts).
		Named("recognitioncampaign").
		Complete(r.Watchdog.Wrap("recognitioncampaign", r))
}

// campaignOfJob maps a spotlight Job to its campaign through its label.
func campaignOfJob(_ context.Context, o client.Object) []reconcile.Request {
	name := o.GetLabels()[cronjobs.LabelCampaign]
	if name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: name}}}
}

func newList() *v1alpha1.RecognitionCampaignList { return &v1alpha1.RecognitionCampaignList{} }
