package metrics

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Labels every object's metrics carry.
const (
	labelNamespace  = "namespace"
	labelInitiative = "initiative"
)

var (
	indicatorLabels  = []string{labelNamespace, labelInitiative, "indicator", "category"}
	initiativeLabels = []string{labelNamespace, labelInitiative}
	deliveryLabels   = []string{labelNamespace, labelInitiative, "kind", "name"}
	campaignLabels   = []string{labelNamespace, "campaign", labelInitiative}
)

func with(base []string, extra ...string) []string {
	return append(slices.Clone(base), extra...)
}

var (
	indicatorValue = newDesc("momentum_indicator_value",
		"Newest measured value of a LeadingIndicator (status.value); absent before the first measurement.",
		indicatorLabels)
	indicatorTarget = newDesc("momentum_indicator_target",
		"Target of a LeadingIndicator (spec.target.value).",
		indicatorLabels)
	indicatorHealth = newDesc("momentum_indicator_health",
		"1 for the LeadingIndicator's current health (status.health), 0 for the other healths; not yet measured counts as Unknown.",
		with(indicatorLabels, "health"))
	indicatorTrend = newDesc("momentum_indicator_trend",
		"1 for the LeadingIndicator's current trend (status.trend), 0 for the other trends; not yet measured counts as Unknown.",
		with(indicatorLabels, "trend"))
	indicatorStale = newDesc("momentum_indicator_stale",
		"1 when the LeadingIndicator's newest sample is older than spec.freshness (status.freshness is Stale), else 0.",
		indicatorLabels)
	indicatorSourceFailures = newDesc("momentum_indicator_source_failures",
		"Failed measurements of the LeadingIndicator's live source since its last success (status.consecutiveFailures).",
		indicatorLabels)
	indicatorMeasured = newDesc("momentum_indicator_measured_timestamp_seconds",
		"When the LeadingIndicator's newest value was measured (status.measuredAt), as a Unix time.",
		indicatorLabels)

	initiativeProgress = newDesc("momentum_initiative_progress",
		"Share (0-100) of all stages' exit criteria that are met (status.progress).",
		initiativeLabels)
	initiativeStage = newDesc("momentum_initiative_stage",
		"1 for the Initiative's current stage (status.stage), 0 for its other stages (spec.stages or the four defaults).",
		with(initiativeLabels, "stage"))
	initiativeStageIndex = newDesc("momentum_initiative_stage_index",
		"0-based position of the current stage in spec.stages (or the four default stages); absent when the stage is not among them.",
		initiativeLabels)
	initiativeStageEntered = newDesc("momentum_initiative_stage_entered_timestamp_seconds",
		"When the Initiative last entered each stage of status.history, as a Unix time.",
		with(initiativeLabels, "stage"))
	initiativeStageExited = newDesc("momentum_initiative_stage_exited_timestamp_seconds",
		"When the Initiative left each stage of status.history, as a Unix time; absent for the current stage.",
		with(initiativeLabels, "stage"))
	initiativeAtRisk = newDesc("momentum_initiative_at_risk",
		"1 when the MomentumAtRisk condition is True, else 0; reason is the condition's reason (OnTrack when not at risk).",
		with(initiativeLabels, "reason"))
	initiativeReady = newDesc("momentum_initiative_ready",
		"1 when the Initiative's Ready condition is True, else 0.",
		initiativeLabels)

	deliveryLastSuccess = newDesc("momentum_delivery_last_success_timestamp_seconds",
		"When a delivery last succeeded, as a Unix time: kind=reminder for an Initiative's reminders, kind=spotlight for a RecognitionCampaign's spotlights, kind=celebration for a quick win's one-off Job.",
		deliveryLabels)
	deliveryLastFailure = newDesc("momentum_delivery_last_failure_timestamp_seconds",
		"When a delivery last failed, as a Unix time.",
		deliveryLabels)
	deliveryFailing = newDesc("momentum_delivery_failing",
		"1 when the newest finished delivery failed (for reminders, the last failure is after the last success), else 0.",
		deliveryLabels)

	campaignNominations = newDesc("momentum_campaign_nominations",
		"Nominations of a RecognitionCampaign by state: spotlighted (published), pending (due in the next spotlight) or rejected (not qualifying).",
		with(campaignLabels, "state"))
	campaignLeadershipShare = newDesc("momentum_campaign_leadership_share",
		"Share (0-100) of qualifying nominations made by a sponsor or council member (status.leadershipShare); absent without qualifying nominations.",
		campaignLabels)

	listFailed = newDesc("momentum_metrics_list_failed",
		"1 when listing objects of kind from the cache failed during this scrape (their metrics are missing), else 0.",
		[]string{"kind"})
)

// descs are every metric the collector exports.
var descs = []*prometheus.Desc{
	indicatorValue, indicatorTarget, indicatorHealth, indicatorTrend, indicatorStale, indicatorSourceFailures, indicatorMeasured,
	initiativeProgress, initiativeStage, initiativeStageIndex, initiativeStageEntered, initiativeStageExited, initiativeAtRisk, initiativeReady,
	deliveryLastSuccess, deliveryLastFailure, deliveryFailing,
	campaignNominations, campaignLeadershipShare,
	listFailed,
}

// names and helps map each descriptor to its metric name and help,
// recorded by newDesc (prometheus.Desc does not expose them).
var (
	names = map[*prometheus.Desc]string{}
	helps = map[*prometheus.Desc]string{}
)

// newDesc makes a descriptor and records its name for Names, and its help
// and label names for the sink.
func newDesc(name, help string, labels []string) *prometheus.Desc {
	d := prometheus.NewDesc(name, help, labels, nil)
	names[d], helps[d] = name, help
	descLabels[d] = namesOf(labels)
	return d
}

// Names lists the exported metric names, for checks of dashboards and
// rules: the names of descs, so the two cannot disagree.
func Names() []string {
	out := make([]string, 0, len(descs))
	for _, d := range descs {
		out = append(out, names[d])
	}
	return out
}

var (
	healths = []v1alpha1.Health{v1alpha1.HealthOnTarget, v1alpha1.HealthAtRisk, v1alpha1.HealthOffTarget, v1alpha1.HealthUnknown}
	trends  = []v1alpha1.Trend{v1alpha1.TrendImproving, v1alpha1.TrendSteady, v1alpha1.TrendDeclining, v1alpha1.TrendUnknown}
)
