package initiative

import (
	"context"
	"errors"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/ssa"
	"github.com/momentum-dev/momentum/internal/stages"
)

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
	// Nothing scheduled now or before: no lookups. status.reminders and
	// status.reviewReminder are only cleared by a reconcile whose deletions
	// all succeeded (decideAndApply records them only then), so no owned
	// CronJob can be left behind by skipping.
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

// lookupReminderNames reads, from the API server, each reminder CronJob
// name that is not among the initiative's own in the cache: an object there
// that the initiative controls (unlabelled, or not cached yet) is its own;
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
