package recognitioncampaign

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/ssa"
)

// apply records in the ledger the finished deliveries (and then tells of
// them in Events) and a claim on what the digest Jobs decided on carry,
// then creates those Jobs, and removes the spotlight CronJobs of earlier
// versions. It returns the Jobs whose name an object the campaign does not
// control holds. A crash between the claim and the Job leaves a claim of
// this campaign: its next reconcile creates the same Job.
func (r *Reconciler) apply(ctx context.Context, obj *v1alpha1.RecognitionCampaign, in inputs, d decision) ([]string, error) {
	recorded, err := r.recordLedger(ctx, obj, in.ledger, ledgerChange(obj, d))
	if t := (*ssa.NameTaken)(nil); errors.As(err, &t) {
		return []string{t.Error()}, nil // nothing is posted without its ledger
	}
	if err != nil {
		return nil, err
	}
	if recorded {
		record.Emit(r.Recorder, obj, d.delivered)
	}
	taken, err := r.createJobs(ctx, obj, d.create)
	if err != nil {
		return nil, err
	}
	for _, cj := range in.cronJobs {
		if err := ssa.Delete(ctx, r.Client, cj); err != nil {
			return nil, fmt.Errorf("deleting the earlier spotlight CronJob %s: %w", cj.Name, err)
		}
		logf.FromContext(ctx).Info("Deleted the earlier spotlight CronJob", "cronjob", cj.Name)
	}
	return taken, nil
}

// createJobs creates digest Jobs. Their names are deterministic: a Job the
// campaign controls that already exists was created by an earlier
// reconcile whose status write did not land, so it counts as created. A Job
// of that name it does not control is left alone and returned as taken.
func (r *Reconciler) createJobs(ctx context.Context, obj *v1alpha1.RecognitionCampaign, jobs []*batchv1.Job) ([]string, error) {
	var taken []string
	for _, job := range jobs {
		created, err := ssa.CreateJob(ctx, r.Client, r.reader(), obj, job)
		var t *ssa.NameTaken
		switch {
		case errors.As(err, &t):
			taken = append(taken, t.Error())
			continue
		case err != nil:
			return nil, fmt.Errorf("creating spotlight Job %s: %w", job.Name, err)
		case !created:
			continue
		}
		logf.FromContext(ctx).Info("Created spotlight Job", "job", job.Name, "digest", job.Annotations[cronjobs.AnnotationDigest],
			"attempt", job.Annotations[cronjobs.AnnotationAttempt], "nominations", job.Annotations[cronjobs.AnnotationNominations])
	}
	return taken, nil
}

// recordLedger writes change to the campaign's ledger (see ledger.Record).
// The ledger has no owner: it outlives the campaign.
func (r *Reconciler) recordLedger(ctx context.Context, obj *v1alpha1.RecognitionCampaign, cm *corev1.ConfigMap, change ledger.Change) (bool, error) {
	target := ledger.Target{Namespace: obj.Namespace, Name: ledgerName(obj), What: "spotlights",
		Labels: map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelCampaign: obj.Name}}
	return ledger.Record(ctx, r.Client, r.reader(), cm, target, change)
}

func (r *Reconciler) reader() client.Reader {
	if r.Reader != nil {
		return r.Reader
	}
	return r.Client
}

// nameConflict makes Ready False with NameConflict, naming the digest Job
// whose name an object the campaign does not control holds, and looks again
// in a minute. A stalled campaign keeps saying what to fix first.
func nameConflict(obj *v1alpha1.RecognitionCampaign, d *decision, taken []string, now time.Time) {
	d.nextAt = earliest(d.nextAt, now.Add(nameConflictRecheck))
	if d.stalled != "" {
		return
	}
	prev := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
	d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonNameConflict, fmt.Sprintf(
		"The spotlight's %s: Momentum never changes or deletes an object it does not control; delete or rename that object, or rename the campaign (checked again every minute)",
		strings.Join(taken, "; ")))
	d.events = append(d.events, conditions.Warning(prev, d.ready)...)
}
