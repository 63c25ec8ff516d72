package metrics

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestCollectIndicators(t *testing.T) {
	want := `
# HELP momentum_indicator_value Newest measured value of a LeadingIndicator (status.value); absent before the first measurement.
# TYPE momentum_indicator_value gauge
momentum_indicator_value{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 80.5
# HELP momentum_indicator_target Target of a LeadingIndicator (spec.target.value).
# TYPE momentum_indicator_target gauge
momentum_indicator_target{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 75
momentum_indicator_target{category="EmployeeBelief",indicator="belief",initiative="customer-first",namespace="culture"} 4.3
# HELP momentum_indicator_health 1 for the LeadingIndicator's current health (status.health), 0 for the other healths; not yet measured counts as Unknown.
# TYPE momentum_indicator_health gauge
momentum_indicator_health{category="Awareness",health="AtRisk",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 0
momentum_indicator_health{category="Awareness",health="OffTarget",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 0
momentum_indicator_health{category="Awareness",health="OnTarget",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 1
momentum_indicator_health{category="Awareness",health="Unknown",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 0
momentum_indicator_health{category="EmployeeBelief",health="AtRisk",indicator="belief",initiative="customer-first",namespace="culture"} 0
momentum_indicator_health{category="EmployeeBelief",health="OffTarget",indicator="belief",initiative="customer-first",namespace="culture"} 0
momentum_indicator_health{category="EmployeeBelief",health="OnTarget",indicator="belief",initiative="customer-first",namespace="culture"} 0
momentum_indicator_health{category="EmployeeBelief",health="Unknown",indicator="belief",initiative="customer-first",namespace="culture"} 1
# HELP momentum_indicator_trend 1 for the LeadingIndicator's current trend (status.trend), 0 for the other trends; not yet measured counts as Unknown.
# TYPE momentum_indicator_trend gauge
momentum_indicator_trend{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture",trend="Declining"} 0
momentum_indicator_trend{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture",trend="Improving"} 1
momentum_indicator_trend{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture",trend="Steady"} 0
momentum_indicator_trend{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture",trend="Unknown"} 0
momentum_indicator_trend{category="EmployeeBelief",indicator="belief",initiative="customer-first",namespace="culture",trend="Declining"} 0
momentum_indicator_trend{category="EmployeeBelief",indicator="belief",initiative="customer-first",namespace="culture",trend="Improving"} 0
momentum_indicator_trend{category="EmployeeBelief",indicator="belief",initiative="customer-first",namespace="culture",trend="Steady"} 0
momentum_indicator_trend{category="EmployeeBelief",indicator="belief",initiative="customer-first",namespace="culture",trend="Unknown"} 1
# HELP momentum_indicator_stale 1 when the LeadingIndicator's newest sample is older than spec.freshness (status.freshness is Stale), else 0.
# TYPE momentum_indicator_stale gauge
momentum_indicator_stale{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 0
momentum_indicator_stale{category="EmployeeBelief",indicator="belief",initiative="customer-first",namespace="culture"} 0
# HELP momentum_indicator_source_failures Failed measurements of the LeadingIndicator's live source since its last success (status.consecutiveFailures).
# TYPE momentum_indicator_source_failures gauge
momentum_indicator_source_failures{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 0
momentum_indicator_source_failures{category="EmployeeBelief",indicator="belief",initiative="customer-first",namespace="culture"} 4
# HELP momentum_indicator_measured_timestamp_seconds When the LeadingIndicator's newest value was measured (status.measuredAt), as a Unix time.
# TYPE momentum_indicator_measured_timestamp_seconds gauge
momentum_indicator_measured_timestamp_seconds{category="Awareness",indicator="employee-awareness",initiative="customer-first",namespace="culture"} 1.7935272e+09
`
	if err := testutil.CollectAndCompare(NewCollector(program()), strings.NewReader(want),
		"momentum_indicator_value", "momentum_indicator_target", "momentum_indicator_health", "momentum_indicator_trend",
		"momentum_indicator_stale", "momentum_indicator_source_failures", "momentum_indicator_measured_timestamp_seconds"); err != nil {
		t.Error(err)
	}
}

func TestCollectInitiatives(t *testing.T) {
	want := `
# HELP momentum_initiative_progress Share (0-100) of all stages' exit criteria that are met (status.progress).
# TYPE momentum_initiative_progress gauge
momentum_initiative_progress{initiative="customer-first",namespace="culture"} 40
# HELP momentum_initiative_stage 1 for the Initiative's current stage (status.stage), 0 for its other stages (spec.stages or the four defaults).
# TYPE momentum_initiative_stage gauge
momentum_initiative_stage{initiative="customer-first",namespace="culture",stage="Embedding"} 0
momentum_initiative_stage{initiative="customer-first",namespace="culture",stage="Implementation"} 1
momentum_initiative_stage{initiative="customer-first",namespace="culture",stage="Initiation"} 0
momentum_initiative_stage{initiative="customer-first",namespace="culture",stage="Reinforcement"} 0
momentum_initiative_stage{initiative="pilot",namespace="culture",stage="Pilot"} 0
momentum_initiative_stage{initiative="pilot",namespace="culture",stage="Rollout"} 0
# HELP momentum_initiative_stage_index 0-based position of the current stage in spec.stages (or the four default stages); absent when the stage is not among them.
# TYPE momentum_initiative_stage_index gauge
momentum_initiative_stage_index{initiative="customer-first",namespace="culture"} 1
# HELP momentum_initiative_stage_entered_timestamp_seconds When the Initiative last entered each stage of status.history, as a Unix time.
# TYPE momentum_initiative_stage_entered_timestamp_seconds gauge
momentum_initiative_stage_entered_timestamp_seconds{initiative="customer-first",namespace="culture",stage="Implementation"} 1.7936100e+09
momentum_initiative_stage_entered_timestamp_seconds{initiative="customer-first",namespace="culture",stage="Initiation"} 1.7935236e+09
# HELP momentum_initiative_stage_exited_timestamp_seconds When the Initiative left each stage of status.history, as a Unix time; absent for the current stage.
# TYPE momentum_initiative_stage_exited_timestamp_seconds gauge
momentum_initiative_stage_exited_timestamp_seconds{initiative="customer-first",namespace="culture",stage="Initiation"} 1.7936100e+09
# HELP momentum_initiative_at_risk 1 when the MomentumAtRisk condition is True, else 0; reason is the condition's reason (OnTrack when not at risk).
# TYPE momentum_initiative_at_risk gauge
momentum_initiative_at_risk{initiative="customer-first",namespace="culture",reason="IndicatorOffTarget"} 1
# HELP momentum_initiative_ready 1 when the Initiative's Ready condition is True, else 0.
# TYPE momentum_initiative_ready gauge
momentum_initiative_ready{initiative="customer-first",namespace="culture"} 1
momentum_initiative_ready{initiative="pilot",namespace="culture"} 0
`
	if err := testutil.CollectAndCompare(NewCollector(program()), strings.NewReader(want),
		"momentum_initiative_progress", "momentum_initiative_stage", "momentum_initiative_stage_index",
		"momentum_initiative_stage_entered_timestamp_seconds", "momentum_initiative_stage_exited_timestamp_seconds",
		"momentum_initiative_at_risk", "momentum_initiative_ready"); err != nil {
		t.Error(err)
	}
}

func TestCollectDeliveriesAndCampaigns(t *testing.T) {
	want := `
# HELP momentum_delivery_last_success_timestamp_seconds When a delivery last succeeded, as a Unix time: kind=reminder for an Initiative's reminders, kind=spotlight for a RecognitionCampaign's spotlights, kind=celebration for a quick win's one-off Job.
# TYPE momentum_delivery_last_success_timestamp_seconds gauge
momentum_delivery_last_success_timestamp_seconds{initiative="customer-first",kind="reminder",name="monthly",namespace="culture"} 1.7938692e+09
momentum_delivery_last_success_timestamp_seconds{initiative="customer-first",kind="reminder",name="weekly-why",namespace="culture"} 1.7936964e+09
momentum_delivery_last_success_timestamp_seconds{initiative="customer-first",kind="spotlight",name="kudos",namespace="culture"} 1.7939556e+09
# HELP momentum_delivery_last_failure_timestamp_seconds When a delivery last failed, as a Unix time.
# TYPE momentum_delivery_last_failure_timestamp_seconds gauge
momentum_delivery_last_failure_timestamp_seconds{initiative="customer-first",kind="reminder",name="weekly-why",namespace="culture"} 1.7937828e+09
# HELP momentum_delivery_failing 1 when the newest finished delivery failed (for reminders, the last failure is after the last success), else 0.
# TYPE momentum_delivery_failing gauge
momentum_delivery_failing{initiative="customer-first",kind="reminder",name="monthly",namespace="culture"} 0
momentum_delivery_failing{initiative="customer-first",kind="reminder",name="weekly-why",namespace="culture"} 1
# HELP momentum_campaign_nominations Nominations of a RecognitionCampaign by state: spotlighted (published), pending (due in the next spotlight) or rejected (not qualifying).
# TYPE momentum_campaign_nominations gauge
momentum_campaign_nominations{campaign="kudos",initiative="customer-first",namespace="culture",state="pending"} 1
momentum_campaign_nominations{campaign="kudos",initiative="customer-first",namespace="culture",state="rejected"} 1
momentum_campaign_nominations{campaign="kudos",initiative="customer-first",namespace="culture",state="spotlighted"} 3
# HELP momentum_campaign_leadership_share Share (0-100) of qualifying nominations made by a sponsor or council member (status.leadershipShare); absent without qualifying nominations.
# TYPE momentum_campaign_leadership_share gauge
momentum_campaign_leadership_share{campaign="kudos",initiative="customer-first",namespace="culture"} 25
# HELP momentum_metrics_list_failed 1 when listing objects of kind from the cache failed during this scrape (their metrics are missing), else 0.
# TYPE momentum_metrics_list_failed gauge
momentum_metrics_list_failed{kind="CultureAssessment"} 0
momentum_metrics_list_failed{kind="Initiative"} 0
momentum_metrics_list_failed{kind="Job"} 0
momentum_metrics_list_failed{kind="LeadingIndicator"} 0
momentum_metrics_list_failed{kind="RecognitionCampaign"} 0
`
	if err := testutil.CollectAndCompare(NewCollector(program()), strings.NewReader(want),
		"momentum_delivery_last_success_timestamp_seconds", "momentum_delivery_last_failure_timestamp_seconds", "momentum_delivery_failing",
		"momentum_campaign_nominations", "momentum_campaign_leadership_share", "momentum_metrics_list_failed"); err != nil {
		t.Error(err)
	}
}

// Status after a spec edit: the current stage was removed from spec.stages
// and a stage was entered twice. Every series stays unique, and the
// MomentumAtRisk reason changes with the condition rather than adding series.
func TestCollectEditedInitiative(t *testing.T) {
	r := fakeReader{initiatives: []v1alpha1.Initiative{{
		ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "customer-first"},
		Spec:       v1alpha1.InitiativeSpec{Stages: []v1alpha1.Stage{{Name: "Pilot"}, {Name: "Rollout"}}},
		Status: v1alpha1.InitiativeStatus{
			Stage: "Legacy",
			History: []v1alpha1.StageRecord{
				{Name: "Pilot", EnteredAt: *at(0), ExitedAt: at(1)},
				{Name: "Legacy", EnteredAt: *at(1), ExitedAt: at(2)},
				{Name: "Pilot", EnteredAt: *at(2), ExitedAt: at(3)},
				{Name: "Legacy", EnteredAt: *at(3)},
			},
			Conditions: []metav1.Condition{cond(v1alpha1.ConditionMomentumAtRisk, metav1.ConditionFalse, v1alpha1.ReasonOnTrack)},
		},
	}}}
	want := `
# HELP momentum_initiative_stage 1 for the Initiative's current stage (status.stage), 0 for its other stages (spec.stages or the four defaults).
# TYPE momentum_initiative_stage gauge
momentum_initiative_stage{initiative="customer-first",namespace="culture",stage="Legacy"} 1
momentum_initiative_stage{initiative="customer-first",namespace="culture",stage="Pilot"} 0
momentum_initiative_stage{initiative="customer-first",namespace="culture",stage="Rollout"} 0
# HELP momentum_initiative_stage_entered_timestamp_seconds When the Initiative last entered each stage of status.history, as a Unix time.
# TYPE momentum_initiative_stage_entered_timestamp_seconds gauge
momentum_initiative_stage_entered_timestamp_seconds{initiative="customer-first",namespace="culture",stage="Legacy"} 1.7935344e+09
momentum_initiative_stage_entered_timestamp_seconds{initiative="customer-first",namespace="culture",stage="Pilot"} 1.7935308e+09
# HELP momentum_initiative_stage_exited_timestamp_seconds When the Initiative left each stage of status.history, as a Unix time; absent for the current stage.
# TYPE momentum_initiative_stage_exited_timestamp_seconds gauge
momentum_initiative_stage_exited_timestamp_seconds{initiative="customer-first",namespace="culture",stage="Pilot"} 1.7935344e+09
# HELP momentum_initiative_at_risk 1 when the MomentumAtRisk condition is True, else 0; reason is the condition's reason (OnTrack when not at risk).
# TYPE momentum_initiative_at_risk gauge
momentum_initiative_at_risk{initiative="customer-first",namespace="culture",reason="OnTrack"} 0
`
	if err := testutil.CollectAndCompare(NewCollector(r), strings.NewReader(want),
		"momentum_initiative_stage", "momentum_initiative_stage_index", "momentum_initiative_stage_entered_timestamp_seconds",
		"momentum_initiative_stage_exited_timestamp_seconds", "momentum_initiative_at_risk"); err != nil {
		t.Error(err)
	}
}

// Two managers may cache the same namespace; a removed source stops
// counting; a failing source is reported while the others' objects stay.
func TestCollectSources(t *testing.T) {
	c := NewCollector(program())
	removeTwin := c.AddSource(program())
	// A registry rejects duplicate series, so this proves they were merged.
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	if n, err := testutil.GatherAndCount(reg, "momentum_indicator_target"); err != nil || n != 2 {
		t.Errorf("with two sources of one namespace: %d series, %v; want 2, no error", n, err)
	}

	removeTwin()
	removeBroken := c.AddSource(fakeReader{err: errors.New("cache not synced")})
	want := `
# HELP momentum_metrics_list_failed 1 when listing objects of kind from the cache failed during this scrape (their metrics are missing), else 0.
# TYPE momentum_metrics_list_failed gauge
momentum_metrics_list_failed{kind="CultureAssessment"} 1
momentum_metrics_list_failed{kind="Initiative"} 1
momentum_metrics_list_failed{kind="Job"} 1
momentum_metrics_list_failed{kind="LeadingIndicator"} 1
momentum_metrics_list_failed{kind="RecognitionCampaign"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "momentum_metrics_list_failed"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(reg, "momentum_indicator_target"); err != nil || n != 2 {
		t.Errorf("beside a failing source: %d series, %v; want 2, no error", n, err)
	}

	removeBroken()
	c.mu.Lock()
	left := len(c.sources)
	c.mu.Unlock()
	if left != 1 {
		t.Errorf("%d sources left, want 1", left)
	}
}

// A celebration Job's outcome is a delivery of kind celebration; other Jobs
// (reminders' runs) are covered by their CronJob's status instead. Only Jobs
// an initiative controls count: anyone who may create Jobs can copy the
// labels, and one duplicate series would fail the whole scrape.
func TestCelebrationOutcomes(t *testing.T) {
	owner := v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "customer-first", UID: "uid-1"}}
	controlledByNamed := func(name string, uid types.UID) []metav1.OwnerReference {
		return []metav1.OwnerReference{{APIVersion: v1alpha1.GroupVersion.String(), Kind: "Initiative", Name: name, UID: uid, Controller: ptr.To(true)}}
	}
	controlledBy := func(uid types.UID) []metav1.OwnerReference { return controlledByNamed("customer-first", uid) }
	job := func(name, win string, cond batchv1.JobConditionType, hours int, owners []metav1.OwnerReference) batchv1.Job {
		return batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: name, OwnerReferences: owners,
				Labels:      map[string]string{"culture.momentum.dev/celebration": "true", "culture.momentum.dev/initiative": "customer-first"},
				Annotations: map[string]string{"culture.momentum.dev/win": win}},
			Status: batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, LastTransitionTime: *at(hours)}}},
		}
	}
	reminderRun := job("run", "x", batchv1.JobComplete, 1, controlledBy("uid-1"))
	delete(reminderRun.Labels, "culture.momentum.dev/celebration")
	r := fakeReader{initiatives: []v1alpha1.Initiative{owner}, jobs: []batchv1.Job{
		job("a", "stage-initiation", batchv1.JobComplete, 2, controlledBy("uid-1")),
		job("b", "target-nps-1", batchv1.JobFailed, 3, controlledBy("uid-1")),
		reminderRun,
		job("forged-1", "forged", batchv1.JobFailed, 3, nil),
		job("forged-2", "forged", batchv1.JobFailed, 3, nil),
		job("forged-3", "stolen", batchv1.JobFailed, 3, controlledBy("uid-of-nothing")),
		job("copy-of-b", "target-nps-1", batchv1.JobComplete, 4, controlledBy("uid-1")),
		job("renamed", "stage-x", batchv1.JobComplete, 2, controlledByNamed("someone-elses-initiative", "uid-1")),
		job("long-win", strings.Repeat("w", 254), batchv1.JobFailed, 3, controlledBy("uid-1")),
	}}
	elsewhere := job("elsewhere", "stage-y", batchv1.JobFailed, 3, controlledBy("uid-1"))
	elsewhere.Namespace = "other-team"
	r.jobs = append(r.jobs, elsewhere)
	want := `
# HELP momentum_delivery_failing 1 when the newest finished delivery failed (for reminders, the last failure is after the last success), else 0.
# TYPE momentum_delivery_failing gauge
momentum_delivery_failing{initiative="customer-first",kind="celebration",name="stage-initiation",namespace="culture"} 0
momentum_delivery_failing{initiative="customer-first",kind="celebration",name="stage-x",namespace="culture"} 0
momentum_delivery_failing{initiative="customer-first",kind="celebration",name="target-nps-1",namespace="culture"} 1
`
	if err := testutil.CollectAndCompare(NewCollector(r), strings.NewReader(want), "momentum_delivery_failing"); err != nil {
		t.Fatal(err)
	}
	if _, err := testutil.CollectAndLint(NewCollector(r)); err != nil {
		t.Fatalf("the scrape failed: %v", err)
	}
}

// A spotlight given up is failing until a later one is published, as the
// campaign's DeliveryFailing condition says.
func TestSpotlightFailing(t *testing.T) {
	campaign := func(name string, published, failed *metav1.Time) v1alpha1.RecognitionCampaign {
		return v1alpha1.RecognitionCampaign{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: name},
			Spec:   v1alpha1.RecognitionCampaignSpec{InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"}},
			Status: v1alpha1.RecognitionCampaignStatus{LastPublicationTime: published, LastFailureTime: failed}}
	}
	r := fakeReader{campaigns: []v1alpha1.RecognitionCampaign{
		campaign("given-up", at(1), at(2)),
		campaign("never-published", nil, at(2)),
		campaign("recovered", at(3), at(2)),
		campaign("never-failed", at(3), nil),
	}}
	want := `
# HELP momentum_delivery_failing 1 when the newest finished delivery failed (for reminders, the last failure is after the last success), else 0.
# TYPE momentum_delivery_failing gauge
momentum_delivery_failing{initiative="customer-first",kind="spotlight",name="given-up",namespace="culture"} 1
momentum_delivery_failing{initiative="customer-first",kind="spotlight",name="never-published",namespace="culture"} 1
momentum_delivery_failing{initiative="customer-first",kind="spotlight",name="recovered",namespace="culture"} 0
`
	if err := testutil.CollectAndCompare(NewCollector(r), strings.NewReader(want), "momentum_delivery_failing"); err != nil {
		t.Fatal(err)
	}
}

// A win key that is not valid UTF-8 (a Job written over protobuf can carry
// any bytes) labels no series: one such value would make Prometheus drop the
// whole scrape. A win the initiative gave up is reported from its status
// only, never a second series with the same labels from its Jobs.
func TestCelebrationSeriesAreValidAndUnique(t *testing.T) {
	owner := v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "customer-first", UID: "uid-1"},
		Status: v1alpha1.InitiativeStatus{Celebrations: &v1alpha1.CelebrationStatus{Failed: []string{"target-nps-1"}}}}
	controlled := []metav1.OwnerReference{{APIVersion: v1alpha1.GroupVersion.String(), Kind: "Initiative", Name: "customer-first", UID: "uid-1", Controller: ptr.To(true)}}
	job := func(name, win string, cond batchv1.JobConditionType) batchv1.Job {
		return batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: name, OwnerReferences: controlled,
				Labels:      map[string]string{"culture.momentum.dev/celebration": "true"},
				Annotations: map[string]string{"culture.momentum.dev/win": win}},
			Status: batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, LastTransitionTime: *at(2)}}},
		}
	}
	r := fakeReader{initiatives: []v1alpha1.Initiative{owner}, jobs: []batchv1.Job{
		job("bad-bytes", "bad\xff\xfe", batchv1.JobFailed),
		job("given-up", "target-nps-1", batchv1.JobComplete),
		job("delivered", "stage-initiation", batchv1.JobComplete),
	}}
	want := `
# HELP momentum_delivery_failing 1 when the newest finished delivery failed (for reminders, the last failure is after the last success), else 0.
# TYPE momentum_delivery_failing gauge
momentum_delivery_failing{initiative="customer-first",kind="celebration",name="stage-initiation",namespace="culture"} 0
momentum_delivery_failing{initiative="customer-first",kind="celebration",name="target-nps-1",namespace="culture"} 1
`
	if err := testutil.CollectAndCompare(NewCollector(r), strings.NewReader(want), "momentum_delivery_failing"); err != nil {
		t.Fatal(err)
	}
	c := NewCollector()
	c.AddSource(r)
	var buf bytes.Buffer
	if err := c.WriteText(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(buf.Bytes()) || strings.Count(buf.String(), `name="target-nps-1"`) != 1 {
		t.Fatalf("the streamed scrape has invalid UTF-8 or a repeated series:\n%s", buf.String())
	}
}
