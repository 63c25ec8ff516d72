package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DefaultStages are the four stages of a customer-culture program, used in
// this order when spec.stages is omitted.
var DefaultStages = []string{"Initiation", "Implementation", "Embedding", "Reinforcement"}

// DefaultTrendSamples is how many of the newest measurements a trend is
// judged over: the indicator's status.trend (its TREND column) and, unless
// a gate sets spec.stages[].exitCriteria.indicators[].trendSamples, the
// trend gate, so the two never disagree. The trendSamples marker must say
// the same (a test compares them).
const DefaultTrendSamples = 4

// InitiativeSpec is a culture-change program as kept in Git.
// +kubebuilder:validation:XValidation:rule="!has(self.reviewReminder) || !has(self.reminders) || !self.reminders.exists(r, r.name == 'review-digest')",message="spec.reminders[].name review-digest is taken by spec.reviewReminder's CronJob",fieldPath=".reminders"
// +kubebuilder:validation:XValidation:rule="!has(self.approvals) || self.approvals.all(a, has(self.stages) ? self.stages.exists(s, s.name == a.stage) : a.stage in ['Initiation', 'Implementation', 'Embedding', 'Reinforcement'])",message="spec.approvals[].stage must name a stage declared in spec.stages (or one of Initiation, Implementation, Embedding, Reinforcement when spec.stages is omitted)",fieldPath=".approvals"
type InitiativeSpec struct {
	// why is the vision statement everyone is reminded of: why the
	// organisation becomes customer-centric.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	Why string `json:"why"`

	// coreValues are the values the program builds on.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=64
	CoreValues []string `json:"coreValues,omitempty"`

	// sponsors are the executives who back the program; at least one.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=20
	Sponsors []Person `json:"sponsors"`

	// council is the customer engagement council: senior and influential
	// leaders who steer the program.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=50
	Council []Person `json:"council,omitempty"`

	// behaviors are the customer-centric behaviors the program asks of
	// people, found in the organisation's own bright spots.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=50
	Behaviors []Behavior `json:"behaviors,omitempty"`

	// stages are the program's stages in order. When omitted, the four
	// default stages (Initiation, Implementation, Embedding, Reinforcement)
	// are used with no exit criteria, so each is left through an approval.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	Stages []Stage `json:"stages,omitempty"`

	// approvals record who approved leaving a stage. An approval is a commit
	// to Git, not an imperative command.
	// +optional
	// +listType=map
	// +listMapKey=stage
	// +kubebuilder:validation:MaxItems=10
	Approvals []Approval `json:"approvals,omitempty"`

	// suspend pauses stage progression and suspends reminders. Gates are
	// still evaluated and shown.
	// +optional
	Suspend *bool `json:"suspend,omitempty"`

	// momentumWindow is how long the initiative may go without a gate newly
	// met or a new measurement before MomentumAtRisk says NoProgress.
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) <= duration('87600h')",message="must be a duration such as 720h or 90m, at most 87600h (10 years)"
	MomentumWindow *metav1.Duration `json:"momentumWindow,omitempty"`

	// celebrations post quick wins to a Channel: a completed stage, or an
	// indicator reaching its target for the first time.
	// +optional
	Celebrations *Celebrations `json:"celebrations,omitempty"`

	// reminders keep the why in front of everyone: each is a CronJob that
	// delivers a message rendered from the initiative to a Channel.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=10
	Reminders []Reminder `json:"reminders,omitempty"`

	// teams take part in the program; participation counts the share of
	// sponsors, council members and teams that own a Commitment.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=64
	Teams []string `json:"teams,omitempty"`

	// confidentialityFloor is the fewest commitments (or survey respondents
	// of a segment) an aggregate is shown for. Defaults to 5.
	// +optional
	// +kubebuilder:validation:Minimum=3
	// +kubebuilder:validation:Maximum=100
	ConfidentialityFloor *int32 `json:"confidentialityFloor,omitempty"`

	// quietHours say when people may be messaged, and when stages are frozen.
	// +optional
	QuietHours *QuietHours `json:"quietHours,omitempty"`

	// reviewReminder sends owners and reviewers a digest of the Commitments
	// whose quarterly review is due.
	// +optional
	ReviewReminder *ReviewReminder `json:"reviewReminder,omitempty"`
}

// ReviewReminder schedules the digest of Success Index reviews due.
type ReviewReminder struct {
	// channel names a Channel in the same namespace.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	Channel string `json:"channel"`

	// schedule in cron format, e.g. "0 9 * * MON".
	// +required
	Schedule CronSchedule `json:"schedule"`

	// timeZone is the IANA time zone of the schedule. Defaults to UTC.
	// +optional
	TimeZone TimeZone `json:"timeZone,omitempty"`
}

// Celebrations configures quick-win posts.
type Celebrations struct {
	// channel names a Channel in the same namespace.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	Channel string `json:"channel"`
}

// Reminder is a scheduled message about the initiative.
// +kubebuilder:validation:XValidation:rule="!has(self.stages) || self.stages.all(s, s.matches('^[A-Za-z][A-Za-z0-9-]*$'))",message="spec.reminders[].stages must be stage names"
type Reminder struct {
	// name identifies the reminder; its CronJob is named after it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// schedule in cron format, e.g. "0 9 * * MON".
	// +required
	Schedule CronSchedule `json:"schedule"`

	// timeZone is the IANA time zone of the schedule, e.g. Europe/Berlin.
	// Defaults to UTC.
	// +optional
	TimeZone TimeZone `json:"timeZone,omitempty"`

	// channel names a Channel in the same namespace.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	Channel string `json:"channel"`

	// stages limits the reminder to these stages; in any other stage its
	// CronJob is suspended. Empty means every stage.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MaxLength=63
	Stages []string `json:"stages,omitempty"`

	// message is a Go text/template over the initiative: .Why, .Stage,
	// .Progress, .CoreValues, .Behaviors (name, description),
	// .Indicators (name, category, value, target, unit, health, trend),
	// .Sponsors, .Name and .Namespace.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Message string `json:"message"`
}

// CronSchedule is a cron expression: five fields (minute hour day-of-month
// month day-of-week) or a descriptor such as @weekly.
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=128
// +kubebuilder:validation:XValidation:rule="self.matches('^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|([0-9A-Za-z*?/,-]+ +){4}[0-9A-Za-z*?/,-]+)$')",message="must be a cron expression of five fields (minute hour day-of-month month day-of-week) or a descriptor such as @weekly"
type CronSchedule string

// TimeZone is an IANA time zone name such as Europe/Berlin.
// +kubebuilder:validation:MaxLength=64
// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$') && timestamp('2000-01-01T00:00:00Z').getHours(self) >= 0",message="must be an IANA time zone name such as Europe/Berlin"
type TimeZone string

// Person is a sponsor or council member.
type Person struct {
	// name of the person.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name"`

	// title is the person's role in the organisation, e.g. COO.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	Title string `json:"title,omitempty"`

	// responsibilities the person has taken on in the program.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=256
	Responsibilities []string `json:"responsibilities,omitempty"`
}

// Behavior is a customer-centric behavior the program asks of people.
type Behavior struct {
	// name identifies the behavior; indicators and nominations refer to it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// description says what the behavior looks like in practice.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// roles are the roles expected to show the behavior.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=64
	Roles []string `json:"roles,omitempty"`
}

// Stage is one stage of the program and what it takes to leave it.
type Stage struct {
	// name of the stage, e.g. Initiation.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9-]*$`
	Name string `json:"name"`

	// targetDuration is how long the stage should take. Past it the
	// initiative reports MomentumAtRisk with reason StageOverdue.
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) <= duration('87600h')",message="must be a duration such as 720h or 90m, at most 87600h (10 years)"
	TargetDuration *metav1.Duration `json:"targetDuration,omitempty"`

	// exitCriteria must all be met before the initiative moves to the next
	// stage. A stage without any is left only through an approval. The
	// last stage has no exit; its criteria are shown but never acted on.
	// +optional
	ExitCriteria *ExitCriteria `json:"exitCriteria,omitempty"`
}

// ExitCriteria are the gates of a stage.
type ExitCriteria struct {
	// minDuration is the least time the initiative stays in the stage.
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) <= duration('87600h')",message="must be a duration such as 720h or 90m, at most 87600h (10 years)"
	MinDuration *metav1.Duration `json:"minDuration,omitempty"`

	// actions is a checklist kept in Git; every action must be done.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=50
	Actions []Action `json:"actions,omitempty"`

	// indicators are LeadingIndicators in the same namespace that must
	// reach the given health.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	Indicators []IndicatorCriterion `json:"indicators,omitempty"`

	// approval says whether leaving the stage needs an entry in
	// spec.approvals.
	// +optional
	// +kubebuilder:default=NotRequired
	Approval ApprovalPolicy `json:"approval,omitempty"`
}

// Action is an item of a stage's checklist.
type Action struct {
	// name identifies the action.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// owner is who is accountable for the action.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	Owner string `json:"owner,omitempty"`

	// done marks the action as completed.
	// +optional
	Done bool `json:"done,omitempty"`
}

// IndicatorCriterion requires a LeadingIndicator to reach a health.
type IndicatorCriterion struct {
	// name of a LeadingIndicator in the initiative's namespace.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	Name string `json:"name"`

	// health the indicator must have: OnTarget, or NotOffTarget (OnTarget
	// or AtRisk).
	// +optional
	// +kubebuilder:default=OnTarget
	Health RequiredHealth `json:"health,omitempty"`

	// trend the indicator must show over its last trendSamples measurements.
	// +optional
	Trend RequiredTrend `json:"trend,omitempty"`

	// trendSamples is how many of the newest measurements the trend
	// requirement looks at. Defaults to 4: the same window as the
	// indicator's own status.trend (the TREND column), so a gate on the
	// default never disagrees with what the indicator shows. The default
	// (4, as written here) is capped at the indicator's spec.historyLimit,
	// which keeps no more; any other value above historyLimit can never be
	// met, and the gate's message says so.
	// +optional
	// +kubebuilder:default=4
	// +kubebuilder:validation:Minimum=2
	// +kubebuilder:validation:Maximum=24
	TrendSamples *int32 `json:"trendSamples,omitempty"`

	// improvement the indicator must show relative to its value when the
	// stage was entered (the baseline, recorded in status.history).
	// +optional
	Improvement *Improvement `json:"improvement,omitempty"`
}

// RequiredTrend is the trend an indicator criterion asks for.
// +kubebuilder:validation:Enum=Improving;NotDeclining
type RequiredTrend string

const (
	// RequireImproving is met only by an Improving trend.
	RequireImproving RequiredTrend = "Improving"
	// RequireNotDeclining is met by an Improving or Steady trend.
	RequireNotDeclining RequiredTrend = "NotDeclining"
)

// Improvement is a gain relative to the baseline, in the target's direction
// (a fall is a gain for an AtMost target). Exactly one of percent or points.
// +kubebuilder:validation:XValidation:rule="has(self.percent) != has(self.points)",message="improvement must set exactly one of percent or points"
type Improvement struct {
	// percent of the baseline, e.g. 10 for +10%.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Percent *Decimal `json:"percent,omitempty"`

	// points in the indicator's unit, e.g. 5 for +5 points.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Points *Decimal `json:"points,omitempty"`
}

// RequiredHealth is the health an indicator criterion asks for.
// +kubebuilder:validation:Enum=OnTarget;NotOffTarget
type RequiredHealth string

const (
	// RequireOnTarget is met only by an OnTarget indicator.
	RequireOnTarget RequiredHealth = "OnTarget"
	// RequireNotOffTarget is met by an OnTarget or AtRisk indicator.
	RequireNotOffTarget RequiredHealth = "NotOffTarget"
)

// ApprovalPolicy says whether a stage needs an approval to be left.
// +kubebuilder:validation:Enum=Required;NotRequired
type ApprovalPolicy string

const (
	// ApprovalRequired needs an entry in spec.approvals for the stage.
	ApprovalRequired ApprovalPolicy = "Required"
	// ApprovalNotRequired needs no approval.
	ApprovalNotRequired ApprovalPolicy = "NotRequired"
)

// Approval records that someone approved leaving a stage.
type Approval struct {
	// stage is the name of the approved stage.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Stage string `json:"stage"`

	// approvedBy is who approved it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	ApprovedBy string `json:"approvedBy"`
}

// InitiativeStatus is where the program stands.
type InitiativeStatus struct {
	// conditions: Ready, MomentumAtRisk, and Reconciling or Stalled while True.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the generation last reconciled successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// stage is the name of the current stage.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Stage string `json:"stage,omitempty"`

	// stageEnteredAt is when the current stage was entered.
	// +optional
	StageEnteredAt *metav1.Time `json:"stageEnteredAt,omitempty"`

	// progress is the share (0-100) of all stages' exit criteria that are
	// met, earlier stages counting as met.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Progress *int32 `json:"progress,omitempty"`

	// stages is a dry run of every stage's exit criteria on current data, so
	// that a leader sees what the next stages will need. It never acts.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Stages []StagePlan `json:"stages,omitempty"`

	// gates are the exit criteria of the current stage and whether each is met.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	Gates []GateStatus `json:"gates,omitempty"`

	// indicators counts the LeadingIndicators of this initiative by health.
	// +optional
	Indicators *IndicatorSummary `json:"indicators,omitempty"`

	// funnel shows how the initiative's people move from awareness through
	// understanding and belief to action, and names the weakest link.
	// +optional
	Funnel *Funnel `json:"funnel,omitempty"`

	// lastProgressTime is when a gate was last newly met, a stage entered,
	// or an indicator of the initiative last measured.
	// +optional
	LastProgressTime *metav1.Time `json:"lastProgressTime,omitempty"`

	// celebrations records what was celebrated, so that each quick win is
	// posted exactly once, across retries and restarts.
	// +optional
	Celebrations *CelebrationStatus `json:"celebrations,omitempty"`

	// reminders reports each reminder's CronJob and deliveries.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=10
	Reminders []ReminderStatus `json:"reminders,omitempty"`

	// history lists every stage entered, oldest first. Entries are only
	// ever appended or closed; spec edits and restarts never rewrite them.
	// It keeps the newest 64 (MaxHistory) entries: past that the oldest is
	// dropped and counted in historyTrimmed.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	History []StageRecord `json:"history,omitempty"`

	// historyTrimmed counts the oldest history entries dropped to keep
	// history within its 64 entries.
	// +optional
	// +kubebuilder:validation:Minimum=0
	HistoryTrimmed int32 `json:"historyTrimmed,omitempty"`

	// commitments rolls up the initiative's Commitments (the Success Index).
	// +optional
	Commitments *CommitmentRollup `json:"commitments,omitempty"`

	// reviewReminder reports the review digest's CronJob and deliveries.
	// +optional
	ReviewReminder *ReminderStatus `json:"reviewReminder,omitempty"`
}

// CommitmentRollup summarises the Commitments of an initiative. Aggregates
// of scores are shown only over at least confidentialityFloor commitments.
type CommitmentRollup struct {
	// count of Commitments of the initiative.
	Count int32 `json:"count"`

	// participation is the percent of sponsors, council members and teams
	// that own a Commitment.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Participation *int32 `json:"participation,omitempty"`

	// meanIndex is the mean latest Success Index of the reviewed commitments.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	MeanIndex *int32 `json:"meanIndex,omitempty"`

	// trend of the mean index over the newest four quarters.
	// +optional
	Trend Trend `json:"trend,omitempty"`

	// reviewsOnTime is the percent of commitments whose review is not overdue.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	ReviewsOnTime *int32 `json:"reviewsOnTime,omitempty"`

	// overdueReviews counts commitments whose review is overdue.
	// +optional
	OverdueReviews int32 `json:"overdueReviews,omitempty"`

	// hidden says why score aggregates are not shown, e.g. fewer
	// commitments than the confidentiality floor.
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Hidden string `json:"hidden,omitempty"`
}

// MaxHistory bounds status.history (InitiativeStatus.History's MaxItems).
const MaxHistory = 64

// FunnelLevelName is a level of the awareness → understanding → belief → action funnel.
// +kubebuilder:validation:Enum=Awareness;Understanding;Belief;Action
type FunnelLevelName string

// Funnel levels, in order.
const (
	FunnelAwareness     FunnelLevelName = "Awareness"
	FunnelUnderstanding FunnelLevelName = "Understanding"
	FunnelBelief        FunnelLevelName = "Belief"
	FunnelAction        FunnelLevelName = "Action"
)

// Funnel is the health of each funnel level.
type Funnel struct {
	// levels in funnel order; a level without indicators is Unknown.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=4
	Levels []FunnelLevel `json:"levels,omitempty"`

	// weakestLink names the weakest level, e.g. "belief is the weakest
	// link: 48 < target 70".
	// +optional
	// +kubebuilder:validation:MaxLength=512
	WeakestLink string `json:"weakestLink,omitempty"`

	// weakestDiscipline names the weakest discipline of the initiative's
	// CultureAssessments, e.g. "customer-insight is the weakest discipline:
	// 2.9 < target 3.5 (assessment culture-pulse)".
	// +optional
	// +kubebuilder:validation:MaxLength=512
	WeakestDiscipline string `json:"weakestDiscipline,omitempty"`
}

// FunnelLevel is one level of the funnel, judged by its weakest indicator.
type FunnelLevel struct {
	// level of the funnel.
	// +required
	Level FunnelLevelName `json:"level"`

	// health of the level's weakest indicator; Unknown without indicators.
	// +required
	Health Health `json:"health"`

	// indicator is the level's weakest LeadingIndicator.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Indicator string `json:"indicator,omitempty"`

	// value and target of that indicator.
	// +optional
	Value *Decimal `json:"value,omitempty"`
	// +optional
	Target *Decimal `json:"target,omitempty"`
}

// CelebrationStatus records celebrated quick wins.
type CelebrationStatus struct {
	// stages whose completion was celebrated (or that were completed before
	// celebrations were configured).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MaxLength=63
	Stages []string `json:"stages,omitempty"`

	// indicators records, per indicator, how often reaching its target was
	// celebrated and since when it has been off target.
	// +optional
	// +listType=map
	// +listMapKey=indicator
	// +kubebuilder:validation:MaxItems=100
	Indicators []IndicatorCelebration `json:"indicators,omitempty"`

	// failed lists the newest wins whose delivery was given up: after the
	// last retry, or after a failure that may have posted (never sent
	// again). DeliveryFailing is True while it is not empty; see the
	// delivery Jobs' logs.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MaxLength=330
	Failed []string `json:"failed,omitempty"`
}

// IndicatorCelebration is the celebration state of one indicator.
type IndicatorCelebration struct {
	// indicator is the LeadingIndicator's name.
	// +required
	// +kubebuilder:validation:MaxLength=253
	Indicator string `json:"indicator"`

	// count is how many times reaching the target was celebrated.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Count int32 `json:"count,omitempty"`

	// offTargetSince is when the indicator was first seen off target after
	// its last time on target; it is celebrated again only after a full
	// interval off target (no flapping spam).
	// +optional
	OffTargetSince *metav1.Time `json:"offTargetSince,omitempty"`
}

// ReminderStatus is where a reminder stands.
type ReminderStatus struct {
	// name of the reminder.
	// +required
	// +kubebuilder:validation:MaxLength=40
	Name string `json:"name"`

	// cronJobName is the CronJob that delivers the reminder.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	CronJobName string `json:"cronJobName,omitempty"`

	// suspended is true while the initiative is suspended or in a stage
	// outside the reminder's stages.
	// +optional
	Suspended bool `json:"suspended,omitempty"`

	// nextScheduleTime is when the reminder is next due (absent while suspended).
	// +optional
	NextScheduleTime *metav1.Time `json:"nextScheduleTime,omitempty"`

	// lastScheduleTime is when the CronJob last started a delivery.
	// +optional
	LastScheduleTime *metav1.Time `json:"lastScheduleTime,omitempty"`

	// lastSuccessfulTime is when a delivery last succeeded.
	// +optional
	LastSuccessfulTime *metav1.Time `json:"lastSuccessfulTime,omitempty"`

	// lastFailureTime is when a delivery last failed.
	// +optional
	LastFailureTime *metav1.Time `json:"lastFailureTime,omitempty"`
}

// GateKind is the kind of an exit criterion.
// +kubebuilder:validation:Enum=MinDuration;Action;Indicator;Approval;Freeze
type GateKind string

const (
	// GateMinDuration is met once the stage has lasted its minDuration.
	GateMinDuration GateKind = "MinDuration"
	// GateAction is met when the action is done.
	GateAction GateKind = "Action"
	// GateIndicator is met when the indicator has the required health.
	GateIndicator GateKind = "Indicator"
	// GateApproval is met when spec.approvals approves the stage.
	GateApproval GateKind = "Approval"
	// GateFreeze is unmet while a freeze of spec.quietHours holds advancement.
	GateFreeze GateKind = "Freeze"
)

// GateStatus is the evaluation of one exit criterion.
type GateStatus struct {
	// kind of the criterion.
	// +required
	Kind GateKind `json:"kind"`

	// name of the criterion: the action, indicator or stage it is about.
	// +required
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// met says whether the criterion is met.
	// +required
	Met bool `json:"met"`

	// message says why, e.g. "employee-awareness is AtRisk: 61 < target 75".
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Message string `json:"message,omitempty"`
}

// IndicatorSummary counts indicators by health.
type IndicatorSummary struct {
	// total number of indicators that reference the initiative.
	Total int32 `json:"total"`
	// onTarget counts indicators that meet their target.
	OnTarget int32 `json:"onTarget"`
	// atRisk counts indicators within their at-risk margin of the target.
	AtRisk int32 `json:"atRisk"`
	// offTarget counts indicators beyond their at-risk margin.
	OffTarget int32 `json:"offTarget"`
	// unknown counts indicators without fresh data.
	Unknown int32 `json:"unknown"`
}

// StageRecord is one stage the initiative went through.
type StageRecord struct {
	// name of the stage.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`

	// enteredAt is when the stage was entered.
	// +required
	EnteredAt metav1.Time `json:"enteredAt"`

	// exitedAt is when the stage was left; empty for the current stage.
	// +optional
	ExitedAt *metav1.Time `json:"exitedAt,omitempty"`

	// reason says why the stage was left, e.g. which gates were met.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Reason string `json:"reason,omitempty"`

	// baselines are the values of the stage's gated indicators when the
	// stage was entered (or first measured in it): improvement gates
	// compare against them.
	// +optional
	// +listType=map
	// +listMapKey=indicator
	// +kubebuilder:validation:MaxItems=20
	Baselines []Baseline `json:"baselines,omitempty"`
}

// Baseline is an indicator's value at the start of a stage.
type Baseline struct {
	// indicator is the LeadingIndicator's name.
	// +required
	// +kubebuilder:validation:MaxLength=253
	Indicator string `json:"indicator"`

	// value when the stage was entered.
	// +required
	Value Decimal `json:"value"`
}

// StagePlan is a dry run of one stage's exit criteria on current data.
type StagePlan struct {
	// name of the stage.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`

	// state is Passed, Current or Upcoming.
	// +required
	State StageState `json:"state"`

	// met counts the criteria met on current data, of total.
	Met   int32 `json:"met"`
	Total int32 `json:"total"`

	// gates are the stage's criteria judged on current data; empty for a
	// passed stage, and for the current one, whose gates are status.gates.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	Gates []GateStatus `json:"gates,omitempty"`
}

// StageState says where a stage is relative to the current one.
// +kubebuilder:validation:Enum=Passed;Current;Upcoming
type StageState string

// Stage states.
const (
	StagePassed   StageState = "Passed"
	StageCurrent  StageState = "Current"
	StageUpcoming StageState = "Upcoming"
)

// Condition types and reasons of an Initiative.
const (
	// ConditionMomentumAtRisk is True when the program is losing momentum.
	ConditionMomentumAtRisk = "MomentumAtRisk"

	// ReasonStageInProgress: Ready, the current stage's gates are not all met.
	ReasonStageInProgress = "StageInProgress"
	// ReasonFinalStage: Ready, the initiative is in its last stage.
	ReasonFinalStage = "FinalStage"
	// ReasonIndicatorNotFound: a LeadingIndicator named in a gate is missing.
	ReasonIndicatorNotFound = "IndicatorNotFound"
	// ReasonStageNotFound: the current stage is no longer in spec.stages.
	ReasonStageNotFound = "StageNotFound"

	// ReasonIndicatorOffTarget: an indicator of the initiative is OffTarget.
	ReasonIndicatorOffTarget = "IndicatorOffTarget"
	// ReasonIndicatorStale: an indicator's newest sample is older than its freshness.
	ReasonIndicatorStale = "IndicatorStale"
	// ReasonStageOverdue: the current stage lasted longer than its targetDuration.
	ReasonStageOverdue = "StageOverdue"
	// ReasonNoProgress: no gate newly met and no new measurement within spec.momentumWindow.
	ReasonNoProgress = "NoProgress"
	// ReasonComplacency: in the last stage, an indicator is declining.
	ReasonComplacency = "Complacency"
	// ReasonOnTrack: MomentumAtRisk is False.
	ReasonOnTrack = "OnTrack"

	// ReasonTemplateInvalid: a reminder's message template does not parse or render.
	ReasonTemplateInvalid = "TemplateInvalid"

	// ConditionDeliveryFailing is True when the newest finished delivery of
	// a reminder failed.
	ConditionDeliveryFailing = "DeliveryFailing"
	// ReasonDeliveryFailed: the newest Job of a reminder failed.
	ReasonDeliveryFailed = "DeliveryFailed"
	// ReasonCelebrationFailed: a quick win's delivery was given up.
	ReasonCelebrationFailed = "CelebrationFailed"
	// ReasonDeliveriesSucceeding: no reminder's newest delivery failed.
	ReasonDeliveriesSucceeding = "DeliveriesSucceeding"

	// EventReasonCelebrated is the Event reason when a quick win was posted:
	// emitted once its Job succeeded and the ledger recorded it.
	EventReasonCelebrated = "Celebrated"

	// EventReasonStageAdvanced is the Event reason when the initiative moves
	// to its next stage.
	EventReasonStageAdvanced = "StageAdvanced"
)

// Initiative is a customer-centric culture-change program: its why, its
// sponsors and council, the behaviors it asks for and the stages it goes through.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ini,categories=momentum
// +kubebuilder:validation:XValidation:rule="self.metadata.name.size() <= 63",message="metadata.name must be at most 63 characters: it labels the initiative's CronJobs and Jobs"
// +kubebuilder:printcolumn:name="Stage",type=string,JSONPath=`.status.stage`
// +kubebuilder:printcolumn:name="Progress",type=integer,JSONPath=`.status.progress`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Success Index",type=integer,JSONPath=`.status.commitments.meanIndex`,priority=1
// +kubebuilder:printcolumn:name="Weakest Discipline",type=string,JSONPath=`.status.funnel.weakestDiscipline`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Initiative struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the program as kept in Git.
	// +required
	Spec InitiativeSpec `json:"spec"`

	// status is where the program stands.
	// +optional
	Status InitiativeStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// InitiativeList is a list of Initiatives.
type InitiativeList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Initiative `json:"items"`
}
