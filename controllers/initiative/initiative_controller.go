// Package initiative reconciles Initiatives: it moves each through its stages
// when the exit criteria of the current stage are met, and reports where the
// program stands and what holds it back.
package initiative

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

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
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/ssa"
	"github.com/momentum-dev/momentum/internal/stages"
	"github.com/momentum-dev/momentum/internal/tenancy"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// Reconciler reconciles Initiatives.
type Reconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Jobs configures the pods of reminder CronJobs.
	Jobs cronjobs.Options
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
	// Own, when set, holds back a reconcile that reads a version its own
	// status write already replaced (the cache has not caught up yet).
	Own *conditions.OwnWrites
	// Exceptions narrows the Jobs' outbound exceptions to selected namespaces.
	Exceptions tenancy.Exceptions
	// Reader reads from the API server, past the cache (which holds only
	// objects labelled as Momentum's), whether a child's name is taken.
	// Without it, Client is used.
	Reader client.Reader
	// Deliveries bounds the attempts of each celebration.
	Deliveries delivery.Policy
}

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives/finalizers,verbs=update
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=leadingindicators,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=channels,verbs=get;list;watch
// +kubebuilder:rbac:groups=batch,resources=cronjobs,verbs=get;list;watch;create;patch;delete
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile fetches the initiative and the indicators it depends on, decides
// its status, writes it once if it changed, and asks to be called again when
// the next time-based gate is due.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	log := logf.FromContext(ctx)
	obj := &v1alpha1.Initiative{}
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if r.Own.Stale(obj) {
		return reconcile.Result{RequeueAfter: conditions.StaleRetry}, nil
	}
	before := obj.DeepCopy()
	now := r.Clock.Now()
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, "Initiative", before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, now)
	}

	var d decision
	gateInds, ownInds, err := r.fetchIndicators(ctx, obj)
	if until, hold := holdFirstWrite(obj, gateInds, ownInds, now); hold && err == nil {
		return reconcile.Result{RequeueAfter: until.Sub(now)}, nil // the indicators' events wake it sooner
	}
	if err == nil {
		d, err = r.decideAndApply(ctx, obj, gateInds, ownInds, now)
	}
	if err != nil {
		// What the children stand for is recorded only once they exist (or
		// are gone): a win only with its Job, a removed reminder only after
		// its CronJob was deleted. Retry them all.
		obj.Status.Celebrations = before.Status.Celebrations
		obj.Status.Reminders = before.Status.Reminders
	}
	evs := d.events
	if err == nil {
		evs = append(evs, d.celebrated...)
	}
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, conditions.Outcome{
		Result: conditions.Result{Ready: d.ready, Stalled: d.stalled, Err: err}, Events: evs, RecheckAt: d.recheckAt, Own: r.Own,
		Stored: func(wrote bool) {
			if wrote && d.entered != nil {
				log.Info("Entered stage", "stage", d.entered.To, "from", d.entered.From)
			}
		},
	}, now)
}

// decideAndApply reads the initiative's children, decides its status and
// applies the children the decision asks for: reminder CronJobs, celebration
// Jobs, and quick wins held for quiet hours that may now go out.
func (r *Reconciler) decideAndApply(ctx context.Context, obj *v1alpha1.Initiative, gateInds map[string]*v1alpha1.LeadingIndicator,
	ownInds []v1alpha1.LeadingIndicator, now time.Time) (decision, error) {
	ch, err := r.fetchInputs(ctx, obj)
	if err == nil {
		ch.success, err = r.fetchSuccess(ctx, obj)
	}
	if err != nil {
		return decision{}, err
	}
	d := decide(obj, gateInds, ownInds, ch, r.Exceptions.Jobs(ctx, obj.Namespace, r.Jobs), now)
	flagQuietHoursConflicts(obj, &d, now)
	if err := r.applyChildren(ctx, obj, ch, &d, now); err != nil {
		return d, err
	}
	wait, err := r.releaseHeld(ctx, obj, ch.jobs, now)
	d.recheckAt = due.Earliest(d.recheckAt, wait)
	return d, err
}

// fetchIndicators reads, from the cache, the indicators that gates name and
// the indicators that belong to the initiative. A gate indicator that does
// not exist is simply absent from the map.
func (r *Reconciler) fetchIndicators(ctx context.Context, obj *v1alpha1.Initiative) (map[string]*v1alpha1.LeadingIndicator, []v1alpha1.LeadingIndicator, error) {
	gate := map[string]*v1alpha1.LeadingIndicator{}
	for _, name := range stages.IndicatorNames(obj.Spec) {
		ind := &v1alpha1.LeadingIndicator{}
		err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, ind)
		switch {
		case apierrors.IsNotFound(err):
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("reading LeadingIndicator %s: %w", name, err)
		}
		gate[name] = ind
	}
	own := &v1alpha1.LeadingIndicatorList{}
	if err := r.Client.List(ctx, own, client.InNamespace(obj.Namespace), client.MatchingFields{index.IndicatorByInitiative: obj.Name}); err != nil {
		return nil, nil, fmt.Errorf("listing LeadingIndicators of the initiative: %w", err)
	}
	return gate, own.Items, nil
}

// fetchInputs reads, from the cache, the Channels reminders name and the
// CronJobs and Jobs the initiative owns.
func (r *Reconciler) fetchInputs(ctx context.Context, obj *v1alpha1.Initiative) (inputs, error) {
	ch := inputs{channels: map[string]*v1alpha1.Channel{}, notReady: map[string]bool{}, cronJobs: map[string]*batchv1.CronJob{}}
	// Nothing scheduled now or before: no lookups. status.reminders is only
	// cleared by a reconcile whose deletions all succeeded (a failed one
	// restores it), so no owned CronJob can be left behind by skipping.
	if len(obj.Spec.Reminders) == 0 && obj.Status.Reminders == nil && obj.Spec.Celebrations == nil &&
		obj.Spec.ReviewReminder == nil && obj.Status.ReviewReminder == nil {
		return ch, nil
	}
	names := make([]string, 0, len(obj.Spec.Reminders)+1)
	for _, rem := range obj.Spec.Reminders {
		names = append(names, rem.Channel)
	}
	if obj.Spec.Celebrations != nil {
		names = append(names, obj.Spec.Celebrations.Channel)
	}
	if obj.Spec.ReviewReminder != nil {
		names = append(names, obj.Spec.ReviewReminder.Channel)
	}
	for _, name := range names {
		c := &v1alpha1.Channel{}
		err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, c)
		switch {
		case apierrors.IsNotFound(err):
			continue
		case err != nil:
			return ch, fmt.Errorf("reading Channel %s: %w", name, err)
		}
		ch.channels[name] = c
		readiness := conditions.ChannelReadiness(c)
		ch.notReady[name] = readiness != conditions.IsReady
		if readiness == conditions.Pending {
			ch.pending = true // not checked yet: wait quietly, it is no fault
		}
	}
	owned := client.MatchingLabels{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelInitiative: obj.Name}
	cjs := &batchv1.CronJobList{}
	if err := r.Client.List(ctx, cjs, client.InNamespace(obj.Namespace), owned); err != nil {
		return ch, fmt.Errorf("listing CronJobs of the initiative: %w", err)
	}
	for i := range cjs.Items {
		if metav1.IsControlledBy(&cjs.Items[i], obj) {
			ch.cronJobs[cjs.Items[i].Name] = &cjs.Items[i]
		}
	}
	if err := r.lookupReminderNames(ctx, obj, &ch); err != nil {
		return ch, err
	}
	jobs := &batchv1.JobList{}
	if err := r.Client.List(ctx, jobs, client.InNamespace(obj.Namespace), owned); err != nil {
		return ch, fmt.Errorf("listing Jobs of the initiative: %w", err)
	}
	ch.jobs = jobs.Items
	ch.deliveries = r.Deliveries
	var err error
	ch.ledger, err = r.fetchLedger(ctx, obj)
	return ch, err
}

// lookupReminderNames reads, from the API server, each reminder CronJob
// name that is not among the initiative's own in the cache: an object there
// that the initiative controls (unlabelled, or not cached yet) is its own;
// childCronJobNames are the names of the CronJobs the initiative's spec asks
// for: one per reminder, and the review digest's.
func childCronJobNames(obj *v1alpha1.Initiative) []string {
	var out []string
	for _, rem := range obj.Spec.Reminders {
		out = append(out, reminderName(obj.Name, rem.Name))
	}
	if obj.Spec.ReviewReminder != nil {
		out = append(out, reminderName(obj.Name, digestName))
	}
	return out
}

// any other holds the name, and is recorded as taken.
func (r *Reconciler) lookupReminderNames(ctx context.Context, obj *v1alpha1.Initiative, ch *inputs) error {
	ch.taken = map[string]string{}
	for _, name := range childCronJobNames(obj) {
		if ch.cronJobs[name] != nil {
			continue
		}
		cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Namespace: obj.Namespace, Name: name}}
		found, err := ssa.Lookup(ctx, r.reader(), obj, "CronJob", cj)
		var taken *ssa.NameTaken
		switch {
		case errors.As(err, &taken):
			ch.taken[name] = taken.Error()
		case err != nil:
			return fmt.Errorf("reading CronJob %s: %w", name, err)
		case found:
			ch.cronJobs[name] = cj
		}
	}
	return nil
}

func (r *Reconciler) reader() client.Reader {
	if r.Reader != nil {
		return r.Reader
	}
	return r.Client
}

// applyChildren writes the reminder CronJobs and celebration Jobs decided
// on. A celebration Job whose name is taken is not posted; that and any
// reminder CronJob whose name is taken are reported as NameConflict.
func (r *Reconciler) applyChildren(ctx context.Context, obj *v1alpha1.Initiative, ch inputs, d *decision, now time.Time) error {
	if err := r.applyReminders(ctx, ch, d.reminders); err != nil {
		return err
	}
	taken, err := r.createCelebrations(ctx, obj, append(slices.Clone(d.celebrations), d.deliveries.retries...))
	if err != nil {
		return err
	}
	if err := r.recordDelivered(ctx, obj, ch.ledger, d.deliveries.delivered); err != nil {
		return err
	}
	if len(taken) > 0 {
		obj.Status.Celebrations = d.celebrationsBefore // the wins are not posted: retry them
	}
	if taken = append(slices.Clone(d.reminders.conflicts), taken...); len(taken) > 0 {
		nameConflicts(obj, d, taken, now)
	}
	return nil
}

// applyReminders writes the CronJobs that changed, with server-side apply
// and one field owner, and removes the CronJobs the initiative controls
// that no reminder wants.
func (r *Reconciler) applyReminders(ctx context.Context, ch inputs, plan reminderPlan) error {
	log := logf.FromContext(ctx)
	for _, cj := range plan.apply {
		var uid types.UID
		if own := ch.cronJobs[cj.Name]; own != nil {
			uid = own.UID
		}
		if err := ssa.Apply(ctx, r.Client, cj, uid); err != nil {
			return fmt.Errorf("applying CronJob %s: %w", cj.Name, err)
		}
		log.Info("Applied CronJob", "cronjob", cj.Name, "suspended", *cj.Spec.Suspend)
	}
	for name, cj := range ch.cronJobs {
		if plan.keep[name] {
			continue
		}
		if err := ssa.Delete(ctx, r.Client, cj); err != nil {
			return fmt.Errorf("deleting CronJob %s no reminder wants: %w", name, err)
		}
		log.Info("Deleted CronJob no reminder wants", "cronjob", name)
	}
	return nil
}

// createCelebrations creates the one-off Jobs of new quick wins. Their names
// are deterministic: a Job the initiative controls that already exists was
// created by an earlier attempt whose status write did not land, so it
// counts as posted. A Job of that name it does not control is left alone and
// returned as taken.
func (r *Reconciler) createCelebrations(ctx context.Context, obj *v1alpha1.Initiative, jobs []*batchv1.Job) ([]string, error) {
	var taken []string
	for _, job := range jobs {
		err := r.Client.Create(ctx, job)
		if apierrors.IsAlreadyExists(err) {
			_, err = ssa.Lookup(ctx, r.reader(), obj, "Job", &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Namespace: job.Namespace, Name: job.Name}})
			var t *ssa.NameTaken
			if errors.As(err, &t) {
				taken = append(taken, fmt.Sprintf("celebration %s: %s", job.Annotations[cronjobs.AnnotationWin], t.Error()))
				continue
			}
		}
		if err != nil {
			return nil, fmt.Errorf("creating celebration Job %s: %w", job.Name, err)
		}
		logf.FromContext(ctx).Info("Created celebration Job", "job", job.Name, "win", job.Annotations[cronjobs.AnnotationWin])
	}
	return taken, nil
}

// SetupWithManager watches Initiatives and, through the indexes, the
// LeadingIndicators they reference or own.
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	return builder.ControllerManagedBy(mgr).
		For(&v1alpha1.Initiative{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Owns(&batchv1.CronJob{}).
		Watches(&batchv1.Job{}, handler.EnqueueRequestsFromMapFunc(initiativeOfJob)).
		Watches(&v1alpha1.Channel{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newInitiativeList, index.InitiativeByChannel))).
		Watches(&v1alpha1.LeadingIndicator{}, handler.EnqueueRequestsFromMapFunc(r.initiativesOf)).
		Watches(&v1alpha1.Commitment{}, handler.EnqueueRequestsFromMapFunc(initiativeOfSuccess)).
		Watches(&v1alpha1.CultureAssessment{}, handler.EnqueueRequestsFromMapFunc(initiativeOfSuccess)).
		WithOptions(opts).
		Named("initiative").
		Complete(r.Watchdog.Wrap("initiative", r))
}

// initiativesOf maps an indicator to the initiative it belongs to and to
// every initiative whose gates name it.
func (r *Reconciler) initiativesOf(ctx context.Context, o client.Object) []reconcile.Request {
	ind := o.(*v1alpha1.LeadingIndicator)
	reqs := []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: ind.Namespace, Name: ind.Spec.InitiativeRef.Name}}}
	list := &v1alpha1.InitiativeList{}
	if err := r.Client.List(ctx, list, client.InNamespace(ind.Namespace), client.MatchingFields{index.InitiativeByGateIndicator: ind.Name}); err != nil {
		logf.FromContext(ctx).Error(err, "Failed to list initiatives gated on indicator", "indicator", ind.Name)
		return reqs
	}
	for _, it := range list.Items {
		if it.Name != ind.Spec.InitiativeRef.Name {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: it.Namespace, Name: it.Name}})
		}
	}
	return reqs
}

// initiativeOfJob maps a delivery Job to its initiative through its labels.
func initiativeOfJob(_ context.Context, o client.Object) []reconcile.Request {
	name := o.GetLabels()[cronjobs.LabelInitiative]
	if name == "" || (o.GetLabels()[cronjobs.LabelReminder] == "" && o.GetLabels()[cronjobs.LabelCelebration] == "") {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: name}}}
}

func newInitiativeList() *v1alpha1.InitiativeList { return &v1alpha1.InitiativeList{} }
