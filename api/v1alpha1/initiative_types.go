package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DefaultStages are the four stages of a customer-culture program, used in
// this order when spec.stages is omitted.
var DefaultStages = []string{"Initiation", "Implementation", "Embedding", "Reinforcement"}

// InitiativeSpec is a culture-change program as kept in Git.
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

	// suspend pauses stage progression. Gates are still evaluated and shown.
	// +optional
	Suspend *bool `json:"suspend,omitempty"`
}

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

	// gates are the exit criteria of the current stage and whether each is met.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	Gates []GateStatus `json:"gates,omitempty"`

	// indicators counts the LeadingIndicators of this initiative by health.
	// +optional
	Indicators *IndicatorSummary `json:"indicators,omitempty"`

	// history lists every stage entered, oldest first. Entries are only
	// ever appended or closed; spec edits and restarts never rewrite them.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	History []StageRecord `json:"history,omitempty"`
}

// GateKind is the kind of an exit criterion.
// +kubebuilder:validation:Enum=MinDuration;Action;Indicator;Approval
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
}

// Condition types and reasons of an Initiative.
const (
	// ConditionMomentumAtRisk is True when the program is losing momentum.
	ConditionMomentumAtRisk = "MomentumAtRisk"

	// ReasonStageInProgress: Ready, the current stage's gates are not all met.
	ReasonStageInProgress = "StageInProgress"
	// ReasonFinalStage: Ready, the initiative is in its last stage.
	ReasonFinalStage = "FinalStage"
	// ReasonSuspended: Ready, progression is paused by spec.suspend.
	ReasonSuspended = "Suspended"
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
	// ReasonOnTrack: MomentumAtRisk is False.
	ReasonOnTrack = "OnTrack"

	// EventReasonStageAdvanced is the Event reason when the initiative moves
	// to its next stage.
	EventReasonStageAdvanced = "StageAdvanced"
)

// Initiative is a customer-centric culture-change program: its why, its
// sponsors and council, the behaviors it asks for and the stages it goes through.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ini,categories=momentum
// +kubebuilder:printcolumn:name="Stage",type=string,JSONPath=`.status.stage`
// +kubebuilder:printcolumn:name="Progress",type=integer,JSONPath=`.status.progress`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
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
