package leadingindicator

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/health"
	"github.com/momentum-dev/momentum/internal/sources"
)

// measurement is the outcome of asking a live source, or of finding that it
// is not due yet.
type measurement struct {
	// attempted is true when the source was asked.
	attempted bool
	// fromRunner is true when the Runner asked it.
	fromRunner bool
	value      v1alpha1.Decimal
	err        error
	// at is when the source was asked.
	at time.Time
	// next is when the source is next due.
	next time.Time
	// withheld is true when the namespace does not get the manager's
	// outbound exceptions (read only for a Refused error).
	withheld bool
}

// measureIfDue asks the indicator's live source for a value when its
// interval has passed since the last attempt; otherwise it only says when.
// With a Runner, http and prometheus sources are asked off this worker:
// inFlight is true until the result is there to record.
func (r *Reconciler) measureIfDue(ctx context.Context, obj *v1alpha1.LeadingIndicator, now time.Time) (m measurement, inFlight bool) {
	interval := sources.Interval(obj.Spec.Source)
	key := obj.Namespace + "/" + obj.Name
	if r.Runner != nil && asksOut(obj.Spec.Source) {
		nn := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}
		if res, ok := r.Runner.Result(nn, obj.Generation); ok {
			return measurement{attempted: true, fromRunner: true, value: res.Value, err: res.Err, at: res.At,
				next: health.NextMeasurement(key, res.At, interval, now)}, false
		}
		if r.Runner.Busy(nn) {
			return measurement{}, true
		}
	}
	var last time.Time
	if obj.Status.LastAttemptTime != nil {
		last = obj.Status.LastAttemptTime.Time
	}
	due := measurementDue(obj, meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady), last, now)
	if now.Before(due) && !r.recognitionChanged(ctx, obj, now) {
		return measurement{next: due}, false
	}
	if r.Runner != nil && asksOut(obj.Spec.Source) {
		ind := obj.DeepCopy()
		r.Runner.Submit(types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}, obj.Generation,
			func(ctx context.Context) (v1alpha1.Decimal, time.Time, error) {
				at := r.Clock.Now()
				v, err := r.measure(ctx, ind, at)
				return v, at, err
			})
		return measurement{}, true
	}
	m = measurement{attempted: true, at: now}
	m.value, m.err = r.measure(ctx, obj, now)
	m.next = health.NextMeasurement(key, now, interval, now)
	return m, false
}

func (r *Reconciler) measure(ctx context.Context, obj *v1alpha1.LeadingIndicator, now time.Time) (v1alpha1.Decimal, error) {
	secrets := func(ctx context.Context, name string) (*corev1.Secret, error) {
		s := &corev1.Secret{}
		return s, r.Secrets.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, s)
	}
	src := obj.Spec.Source
	m := r.Measurer
	m.Policy = r.Exceptions.Policy(ctx, obj.Namespace, m.Policy)
	switch {
	case src.HTTP != nil:
		return m.HTTP(ctx, src.HTTP, secrets)
	case src.Prometheus != nil:
		return m.Prometheus(ctx, src.Prometheus, secrets)
	case src.Recognition != nil:
		c := &v1alpha1.RecognitionCampaign{}
		if err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: src.Recognition.CampaignRef.Name}, c); err != nil {
			return "", fmt.Errorf("reading RecognitionCampaign %s: %w", src.Recognition.CampaignRef.Name, err)
		}
		return sources.Recognition(c, src.Recognition.Measure, now)
	case src.Commitments != nil, src.Assessment != nil:
		return r.measureSuccess(ctx, obj, now)
	}
	return "", fmt.Errorf("spec.source sets no source")
}

// asksOut reports whether a source makes a request (http, prometheus), so
// that it is asked off the reconcile workers; the derived sources
// (recognition, commitments, assessment) only read the cache.
func asksOut(src *v1alpha1.IndicatorSource) bool {
	return src.HTTP != nil || src.Prometheus != nil
}

// recognitionChanged reports whether a recognition source, which is derived
// from the cache without any request, now yields a value other than the
// newest recorded one: the campaign changed, so measure now.
func (r *Reconciler) recognitionChanged(ctx context.Context, obj *v1alpha1.LeadingIndicator, now time.Time) bool {
	if src := obj.Spec.Source; src.Recognition == nil && src.Commitments == nil && src.Assessment == nil {
		return false
	}
	v, err := r.measure(ctx, obj, now)
	if err != nil {
		return false
	}
	// The newest value at or before now: a Git sample dated in the future
	// must not make every reconcile look like a change.
	for i := len(obj.Status.History) - 1; i >= 0; i-- {
		if m := obj.Status.History[i]; !m.At.After(now) {
			return m.Value.Rat().Cmp(v.Rat()) != 0
		}
	}
	return true
}
