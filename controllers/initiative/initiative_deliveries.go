package initiative

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
	"github.com/momentum-dev/momentum/internal/celebrate"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/record"
)

// deliveryPlan is what planDeliveries decides about the celebrations
// already under way.
type deliveryPlan struct {
	// retries are new attempts of wins whose last attempt failed clearly.
	retries []*batchv1.Job
	// delivered are the wins to add to the ledger.
	delivered []string
	// retryAt is when the next attempt waits for its backoff.
	retryAt time.Time
	// failing names the wins given up whose Jobs are still there.
	failing []string
	// gaveUp says, by win, why its delivery was given up.
	gaveUp map[string]string
	// celebrated are the Celebrated Events of the wins delivered, emitted
	// once the ledger records them.
	celebrated []record.Event
}

// celebrationKey is a win's idempotency key: the same for every attempt.
func celebrationKey(obj *v1alpha1.Initiative, win string) string {
	return "celebration/" + obj.Namespace + "/" + obj.Name + "/" + win
}

// attemptOf is the attempt number a celebration Job carries (1 when absent).
func attemptOf(j *batchv1.Job) int {
	if n, err := strconv.Atoi(j.Annotations[cronjobs.AnnotationAttempt]); err == nil && n > 0 {
		return n
	}
	return 1
}

// attemptBuilder builds attempt n of a win's Job as the first attempt is
// built: a retry never copies a live Job, which a tenant can forge.
type attemptBuilder func(w celebrate.Win, n int) *batchv1.Job

// planDeliveries follows each win's attempts: a success goes to the ledger,
// a clear failure gets a new attempt after its backoff, and a win given up
// is recorded in status.celebrations.failed (with a Warning Event the first
// time, by recordGivenUp). It reads no API and no clock.
func planDeliveries(obj *v1alpha1.Initiative, jobs []batchv1.Job, delivered []string, p delivery.Policy, build attemptBuilder, now time.Time) deliveryPlan {
	var plan deliveryPlan
	byWin := map[string][]*batchv1.Job{}
	for i := range jobs {
		j := &jobs[i]
		if win := j.Annotations[cronjobs.AnnotationWin]; win != "" && metav1.IsControlledBy(j, obj) {
			byWin[win] = append(byWin[win], j)
		}
	}
	for _, win := range slices.Sorted(maps.Keys(byWin)) {
		if slices.Contains(delivered, win) {
			continue
		}
		attempts := make([]delivery.Attempt, 0, len(byWin[win]))
		for _, j := range byWin[win] {
			phase, at := delivery.PhaseOf(j)
			attempts = append(attempts, delivery.Attempt{N: attemptOf(j), Phase: phase, At: at})
		}
		next := delivery.Next(p, attempts, now)
		switch {
		case next.Delivered:
			plan.delivered = append(plan.delivered, win)
			plan.celebrated = append(plan.celebrated, record.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.EventReasonCelebrated, Note: titleOf(byWin[win][0], win)})
		case next.Create > 0:
			newest := slices.MaxFunc(byWin[win], func(a, b *batchv1.Job) int { return attemptOf(a) - attemptOf(b) })
			plan.retries = append(plan.retries, build(retryWin(newest, win), next.Create))
		case !next.RetryAt.IsZero():
			plan.retryAt = due.Earliest(plan.retryAt, next.RetryAt)
		case next.GaveUp != "":
			plan.failing = append(plan.failing, win)
			if plan.gaveUp == nil {
				plan.gaveUp = map[string]string{}
			}
			plan.gaveUp[win] = next.GaveUp
		}
	}
	return plan
}

// recordGivenUp is status.celebrations with each win given up recorded in
// failed, and a Warning for each recorded the first time.
func recordGivenUp(obj *v1alpha1.Initiative, c *v1alpha1.CelebrationStatus, gaveUp map[string]string) (*v1alpha1.CelebrationStatus, []record.Event) {
	if c == nil || len(gaveUp) == 0 {
		return c, nil
	}
	c = c.DeepCopy()
	var events []record.Event
	for _, win := range slices.Sorted(maps.Keys(gaveUp)) {
		if slices.Contains(c.Failed, win) {
			continue
		}
		c.Failed = append(bound.Newest(c.Failed, maxFailed-1), win)
		events = append(events, record.Event{Type: corev1.EventTypeWarning, Reason: v1alpha1.ReasonCelebrationFailed,
			Note: fmt.Sprintf("Celebration %s %s: see `kubectl logs job/%s -n %s` and the Channel's status", win, gaveUp[win], celebrationName(obj.Name, win), obj.Namespace)})
	}
	return c, events
}

// maxFailed bounds status.celebrations.failed (its CRD MaxItems).
const maxFailed = 10

// retryWin is the win a retry posts: what the earlier attempt posted (its
// title and message, strings the Channel's owner could post anyway),
// bounded; the pod itself is always built anew.
func retryWin(newest *batchv1.Job, win string) celebrate.Win {
	return celebrate.Win{Key: win, Title: bound.Text(titleOf(newest, win), maxRetryText), Text: bound.Text(envOf(newest, "MOMENTUM_MESSAGE"), maxRetryText)}
}

// maxRetryText bounds the title and message a retry copies.
const maxRetryText = 4000

// fetchLedger reads the initiative's ledger from the cache; nil when absent.
func (r *Reconciler) fetchLedger(ctx context.Context, obj *v1alpha1.Initiative) (*corev1.ConfigMap, error) {
	cm := &corev1.ConfigMap{}
	err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: ledger.Name(initiativeKind.Kind, obj.Name)}, cm)
	switch {
	case apierrors.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading the delivery ledger: %w", err)
	}
	return cm, nil
}

// titleOf is the title a celebration Job posts; the win's key without one.
func titleOf(j *batchv1.Job, win string) string {
	if t := envOf(j, "MOMENTUM_TITLE"); t != "" {
		return t
	}
	return win
}

// envOf is the value of a Job's environment variable; "" without one.
func envOf(j *batchv1.Job, name string) string {
	for _, c := range j.Spec.Template.Spec.Containers {
		for _, e := range c.Env {
			if e.Name == name && e.Value != "" {
				return e.Value
			}
		}
	}
	return ""
}

// recordDelivered writes change to the initiative's ledger (see
// ledger.Record).
func (r *Reconciler) recordDelivered(ctx context.Context, obj *v1alpha1.Initiative, cm *corev1.ConfigMap, change ledger.Change) (bool, error) {
	target := ledger.Target{Namespace: obj.Namespace, Name: ledger.Name(initiativeKind.Kind, obj.Name), What: "celebrations",
		Labels: map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelInitiative: obj.Name}}
	return ledger.Record(ctx, r.Client, r.reader(), cm, target, change)
}
