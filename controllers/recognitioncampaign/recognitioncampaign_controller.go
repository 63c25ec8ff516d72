// Package recognitioncampaign reconciles RecognitionCampaigns: it judges
// their nominations against the initiative's behaviors, publishes the
// pending ones in a scheduled spotlight CronJob, and remembers what each
// finished delivery published so no nomination is published twice.
package recognitioncampaign

import (
	"context"
	"errors"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
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
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/refs"
	"github.com/momentum-dev/momentum/internal/ssa"
	"github.com/momentum-dev/momentum/internal/tenancy"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// Reconciler reconciles RecognitionCampaigns.
type Reconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Jobs configures the pods of spotlight CronJobs.
	Jobs cronjobs.Options
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
	// Exceptions narrows the Jobs' outbound exceptions to selected namespaces.
	Exceptions tenancy.Exceptions
	// Reader reads from the API server, past the cache (which holds only
	// objects labelled as Momentum's), whether the spotlight's name is
	// taken. Without it, Client is used.
	Reader client.Reader
}

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=recognitioncampaigns,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=recognitioncampaigns/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=recognitioncampaigns/finalizers,verbs=update
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=channels,verbs=get;list;watch
// +kubebuilder:rbac:groups=batch,resources=cronjobs,verbs=get;list;watch;create;patch;delete
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile fetches the campaign and what it depends on, decides its status
// and spotlight CronJob, applies the CronJob if it changed, writes status
// once if it changed, and asks to be called again at the next spotlight.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	log := logf.FromContext(ctx)
	obj := &v1alpha1.RecognitionCampaign{}
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopy()
	now := r.Clock.Now()
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, "RecognitionCampaign", before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, now)
	}

	var d decision
	in, err := r.fetch(ctx, obj)
	if err == nil {
		d = decide(obj, in, r.Exceptions.Jobs(ctx, obj.Namespace, r.Jobs), now)
		followQuietHours(obj, in, &d, now)
		err = r.apply(ctx, in, d)
	}
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, conditions.Outcome{
		Result: conditions.Result{Ready: d.ready, Stalled: d.stalled, Err: err}, Events: d.events, RecheckAt: d.nextAt,
		Stored: func(wrote bool) {
			if wrote && len(d.published) > 0 {
				log.Info("Marked nominations spotlighted", "nominations", d.published)
			}
		},
	}, now)
}

// fetch reads, from the cache, the initiative and channel the campaign
// names (nil when missing) and the CronJobs and Jobs it owns.
func (r *Reconciler) fetch(ctx context.Context, obj *v1alpha1.RecognitionCampaign) (inputs, error) {
	in := inputs{}
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
		cj := &cjs.Items[i]
		switch {
		case !metav1.IsControlledBy(cj, obj):
			continue
		case cj.Name == spotlightName(obj):
			in.cronJob = cj
		default:
			in.stale = append(in.stale, cj)
		}
	}
	if in.cronJob == nil {
		if err := r.lookupSpotlightName(ctx, obj, &in); err != nil {
			return in, err
		}
	}
	jobs := &batchv1.JobList{}
	if err := r.Client.List(ctx, jobs, client.InNamespace(obj.Namespace), owned); err != nil {
		return in, fmt.Errorf("listing Jobs of the campaign: %w", err)
	}
	in.jobs = jobs.Items
	return in, nil
}

// lookupSpotlightName reads the spotlight CronJob's name from the API
// server: an object there that the campaign controls (unlabelled, or not
// cached yet) is its own; any other holds the name, and is recorded as taken.
func (r *Reconciler) lookupSpotlightName(ctx context.Context, obj *v1alpha1.RecognitionCampaign, in *inputs) error {
	reader := r.Reader
	if reader == nil {
		reader = r.Client
	}
	cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Namespace: obj.Namespace, Name: spotlightName(obj)}}
	found, err := ssa.Lookup(ctx, reader, obj, "CronJob", cj)
	var taken *ssa.NameTaken
	switch {
	case errors.As(err, &taken):
		in.taken = taken.Error()
	case err != nil:
		return fmt.Errorf("reading CronJob %s: %w", cj.Name, err)
	case found:
		in.cronJob = cj
	}
	return nil
}

// apply writes the spotlight CronJob if it changed, with server-side apply
// and one field owner, and removes the CronJobs the campaign controls under
// any other name, but the one standing in for it (see decision.keep).
func (r *Reconciler) apply(ctx context.Context, in inputs, d decision) error {
	log := logf.FromContext(ctx)
	if cj := d.apply; cj != nil {
		var uid types.UID
		for _, own := range append([]*batchv1.CronJob{in.cronJob}, in.stale...) {
			if own != nil && own.Name == cj.Name {
				uid = own.UID
			}
		}
		if err := ssa.Apply(ctx, r.Client, cj, uid); err != nil {
			return fmt.Errorf("applying CronJob %s: %w", cj.Name, err)
		}
		log.Info("Applied CronJob", "cronjob", cj.Name, "suspended", *cj.Spec.Suspend,
			"nominations", cj.Spec.JobTemplate.Annotations[cronjobs.AnnotationNominations])
	}
	for _, cj := range in.stale {
		if cj.Name == d.keep {
			continue
		}
		if err := ssa.Delete(ctx, r.Client, cj); err != nil {
			return fmt.Errorf("deleting stale CronJob %s: %w", cj.Name, err)
		}
		log.Info("Deleted stale CronJob", "cronjob", cj.Name)
	}
	return nil
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
