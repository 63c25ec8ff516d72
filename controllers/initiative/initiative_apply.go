package initiative

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/types"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/ssa"
)

// applyChildren writes the reminder CronJobs decided on, records in the
// ledger the wins delivered or held and a claim on each win about to be
// posted, then creates the celebration Jobs. A crash between the claim and
// the Job leaves a claim of this initiative: its next reconcile creates the
// same Job. A celebration Job whose name is taken is not posted: it is
// returned, for applied to report.
func (r *Reconciler) applyChildren(ctx context.Context, obj *v1alpha1.Initiative, ch inputs, d decision) ([]string, error) {
	if err := r.applyReminders(ctx, ch, d.reminders); err != nil {
		return nil, err
	}
	recorded, err := r.recordDelivered(ctx, obj, ch.ledger, celebrationLedger(obj, d.wins))
	if t := (*ssa.NameTaken)(nil); errors.As(err, &t) {
		return []string{"celebrations' ledger: " + t.Error()}, nil // nothing is posted without its ledger
	}
	if err != nil {
		return nil, err
	}
	if recorded { // a win is Celebrated once its Job delivered it
		record.Emit(r.Recorder, obj, append(slices.Clone(d.wins.deliveries.celebrated), winsUnknown(obj, d.wins.unknown)...))
	}
	return r.createCelebrations(ctx, obj, append(slices.Clone(d.wins.jobs), d.wins.deliveries.retries...))
}

// applied is the decision once the apply succeeded. Wins whose Jobs'
// names are taken are not recorded as posted (they are retried), and they
// and any reminder CronJob whose name is taken are reported as
// NameConflict.
func applied(obj *v1alpha1.Initiative, d decision, winsTaken []string, now time.Time) decision {
	if len(winsTaken) > 0 {
		d.recorded.celebrations = obj.Status.Celebrations
	}
	if taken := append(slices.Clone(d.reminders.conflicts), winsTaken...); len(taken) > 0 {
		return nameConflicts(obj, d, taken, now)
	}
	return d
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
		created, err := ssa.CreateJob(ctx, r.Client, r.reader(), obj, job)
		var t *ssa.NameTaken
		switch {
		case errors.As(err, &t):
			taken = append(taken, fmt.Sprintf("celebration %s: %s", job.Annotations[cronjobs.AnnotationWin], t.Error()))
			continue
		case err != nil:
			return nil, fmt.Errorf("creating celebration Job %s: %w", job.Name, err)
		case !created:
			continue
		}
		logf.FromContext(ctx).Info("Created celebration Job", "job", job.Name, "win", job.Annotations[cronjobs.AnnotationWin])
	}
	return taken, nil
}
