package metrics

import (
	"slices"
	"unicode/utf8"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/stages"
)

// celebrationJobs picks the celebration Jobs to export, with the initiative
// each belongs to: only Jobs whose controller is an initiative in the cache,
// in the same namespace (a Job labelled by anyone else is not Momentum's),
// named after that initiative (not the name written in the owner
// reference), with a win key of bounded length, and at most one per
// initiative and win, since one duplicate series would fail the whole scrape.
func celebrationJobs(jobs []batchv1.Job, initiatives []v1alpha1.Initiative) map[*batchv1.Job]string {
	owners := make(map[types.UID]*v1alpha1.Initiative, len(initiatives))
	for i := range initiatives {
		owners[initiatives[i].UID] = &initiatives[i]
	}
	out := map[*batchv1.Job]string{}
	seen := map[[3]string]bool{}
	for i := range jobs {
		j := &jobs[i]
		ref := metav1.GetControllerOf(j)
		if j.Labels[cronjobs.LabelCelebration] != "true" || ref == nil || ref.Kind != "Initiative" || ref.APIVersion != v1alpha1.GroupVersion.String() {
			continue
		}
		owner, win := owners[ref.UID], j.Annotations[cronjobs.AnnotationWin]
		if owner == nil || owner.Namespace != j.Namespace || !exportableWin(win) || givenUp(owner, win) {
			continue
		}
		key := [3]string{j.Namespace, owner.Name, win}
		if !seen[key] {
			seen[key] = true
			out[j] = owner.Name
		}
	}
	return out
}

// maxWinLength bounds the win key a celebration series is labelled with.
const maxWinLength = 253

// exportableWin says whether a Job's win key may label a series: not empty,
// bounded, and valid UTF-8 (a Job written over protobuf can carry any
// bytes, and one invalid label value makes Prometheus drop the whole scrape).
func exportableWin(win string) bool {
	return win != "" && len(win) <= maxWinLength && utf8.ValidString(win)
}

// givenUp says whether the initiative gave the win up: its status reports
// it (failing), so its Jobs add no second series with the same labels.
func givenUp(owner *v1alpha1.Initiative, win string) bool {
	return owner.Status.Celebrations != nil && slices.Contains(owner.Status.Celebrations.Failed, win)
}

// collectCelebration exports the outcome of a celebration Job (kind
// "celebration", name the win it posts). Finished Jobs are removed after a
// week, and their series with them.
func collectCelebration(ch *sink, j *batchv1.Job, initiative string) {
	labels := []string{j.Namespace, initiative, "celebration", j.Annotations[cronjobs.AnnotationWin]}
	failed := false
	for _, c := range j.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			ch.gauge(deliveryLastSuccess, unix(c.LastTransitionTime), labels...)
		case batchv1.JobFailed:
			failed = true
			ch.gauge(deliveryLastFailure, unix(c.LastTransitionTime), labels...)
		}
	}
	ch.gauge(deliveryFailing, boolValue(failed), labels...)
}

func collectIndicator(ch *sink, li *v1alpha1.LeadingIndicator) {
	lv := []string{li.Namespace, li.Spec.InitiativeRef.Name, li.Name, string(li.Spec.Category)}
	st := li.Status
	if st.Value != nil {
		ch.gauge(indicatorValue, st.Value.Float64(), lv...)
	}
	ch.gauge(indicatorTarget, li.Spec.Target.Value.Float64(), lv...)
	health := st.Health
	if health == "" {
		health = v1alpha1.HealthUnknown
	}
	for _, h := range healths {
		ch.gaugeWith(indicatorHealth, boolValue(h == health), lv, string(h))
	}
	trend := st.Trend
	if trend == "" {
		trend = v1alpha1.TrendUnknown
	}
	for _, t := range trends {
		ch.gaugeWith(indicatorTrend, boolValue(t == trend), lv, string(t))
	}
	ch.gauge(indicatorStale, boolValue(st.Freshness == v1alpha1.Stale), lv...)
	ch.gauge(indicatorSourceFailures, float64(st.ConsecutiveFailures), lv...)
	if st.MeasuredAt != nil {
		ch.gauge(indicatorMeasured, unix(*st.MeasuredAt), lv...)
	}
}

func collectInitiative(ch *sink, in *v1alpha1.Initiative) {
	lv := []string{in.Namespace, in.Name}
	st := in.Status
	if st.Progress != nil {
		ch.gauge(initiativeProgress, float64(*st.Progress), lv...)
	}

	if ch.wants(initiativeStage, initiativeStageIndex) {
		collectStage(ch, lv, in)
	}
	if ch.wants(initiativeStageEntered, initiativeStageExited) {
		collectHistory(ch, lv, st.History)
	}
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionMomentumAtRisk); c != nil {
		ch.gaugeWith(initiativeAtRisk, boolValue(c.Status == metav1.ConditionTrue), lv, c.Reason)
	}
	ch.gauge(initiativeReady, boolValue(meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionReady)), lv...)
	if ch.wants(deliveryLastSuccess, deliveryLastFailure, deliveryFailing) {
		collectReminders(ch, in)
	}
}

// collectStage exports where the initiative is among its stages.
func collectStage(ch *sink, lv []string, in *v1alpha1.Initiative) {
	st := in.Status
	all := stages.Resolve(in.Spec)
	current := -1
	for i, s := range all {
		if s.Name == st.Stage {
			current = i
		}
		ch.gaugeWith(initiativeStage, boolValue(i == current), lv, s.Name)
	}
	switch {
	case current >= 0:
		ch.gauge(initiativeStageIndex, float64(current), lv...)
	case st.Stage != "":
		// A stage removed from spec.stages is still where the initiative is.
		ch.gaugeWith(initiativeStage, 1, lv, st.Stage)
	}
}

// collectHistory exports when the initiative entered and left its stages.
// A stage entered more than once appears once, with its latest visit;
// history is oldest first.
func collectHistory(ch *sink, lv []string, history []v1alpha1.StageRecord) {
	latest := map[string]v1alpha1.StageRecord{}
	for _, r := range history {
		latest[r.Name] = r
	}
	for name, r := range latest {
		ch.gaugeWith(initiativeStageEntered, unix(r.EnteredAt), lv, name)
		if r.ExitedAt != nil {
			ch.gaugeWith(initiativeStageExited, unix(*r.ExitedAt), lv, name)
		}
	}
}

// collectReminders exports the outcome of the initiative's reminders and
// its given-up celebrations.
func collectReminders(ch *sink, in *v1alpha1.Initiative) {
	st := in.Status
	for _, r := range st.Reminders {
		dv := []string{in.Namespace, in.Name, "reminder", r.Name}
		if r.LastSuccessfulTime != nil {
			ch.gauge(deliveryLastSuccess, unix(*r.LastSuccessfulTime), dv...)
		}
		if r.LastFailureTime != nil {
			ch.gauge(deliveryLastFailure, unix(*r.LastFailureTime), dv...)
		}
		// The same rule as the DeliveryFailing condition.
		failing := delivery.Failing(r)
		ch.gauge(deliveryFailing, boolValue(failing), dv...)
	}
	if st.Celebrations != nil {
		// A celebration given up (bounded: the newest 10) stays failing.
		for _, win := range st.Celebrations.Failed {
			ch.gauge(deliveryFailing, 1, in.Namespace, in.Name, "celebration", win)
		}
	}
}

func collectCampaign(ch *sink, rc *v1alpha1.RecognitionCampaign) {
	lv := []string{rc.Namespace, rc.Name, rc.Spec.InitiativeRef.Name}
	st := rc.Status
	// Counts are written together once the campaign's initiative is found;
	// before that there is nothing to count.
	if st.Spotlighted != nil && st.Pending != nil {
		ch.gaugeWith(campaignNominations, float64(*st.Spotlighted), lv, "spotlighted")
		ch.gaugeWith(campaignNominations, float64(*st.Pending), lv, "pending")
		ch.gaugeWith(campaignNominations, float64(len(st.Rejected)), lv, "rejected")
	}
	if st.LeadershipShare != nil {
		ch.gauge(campaignLeadershipShare, float64(*st.LeadershipShare), lv...)
	}
	dv := []string{rc.Namespace, rc.Spec.InitiativeRef.Name, "spotlight", rc.Name}
	if st.LastPublicationTime != nil {
		ch.gauge(deliveryLastSuccess, unix(*st.LastPublicationTime), dv...)
	}
	// A spotlight given up reports its time; it is failing until a later
	// one is published (the same rule as the DeliveryFailing condition).
	if st.LastFailureTime != nil {
		ch.gauge(deliveryLastFailure, unix(*st.LastFailureTime), dv...)
		ch.gauge(deliveryFailing, boolValue(st.LastPublicationTime == nil || st.LastPublicationTime.Before(st.LastFailureTime)), dv...)
	}
}
