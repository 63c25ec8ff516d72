package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DefaultHistoryLimit is how many measurements status.history keeps.
const DefaultHistoryLimit = 24

// LeadingIndicatorSpec is what an indicator measures and the target it is
// held against.
// +kubebuilder:validation:XValidation:rule="!has(self.behavior) || self.category == 'BehaviorAdoption'",message="spec.behavior is allowed only when spec.category is BehaviorAdoption",fieldPath=".behavior"
type LeadingIndicatorSpec struct {
	// initiativeRef names the Initiative, in the same namespace, that the
	// indicator tracks.
	// +required
	InitiativeRef LocalObjectReference `json:"initiativeRef"`

	// category is what the indicator measures.
	// +required
	Category IndicatorCategory `json:"category"`

	// behavior names a behavior of the initiative; only for the
	// BehaviorAdoption category.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Behavior string `json:"behavior,omitempty"`

	// description says what is measured and how.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// unit of the values, e.g. percent or NPS.
	// +optional
	// +kubebuilder:validation:MaxLength=32
	Unit string `json:"unit,omitempty"`

	// target is the value the indicator is held against.
	// +required
	Target Target `json:"target"`

	// freshness is the oldest the newest sample may be; past it the health
	// is Unknown and status.freshness is Stale.
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) <= duration('87600h')",message="must be a duration such as 720h or 90m, at most 87600h (10 years)"
	Freshness *metav1.Duration `json:"freshness,omitempty"`

	// samples are measurements recorded in Git, such as survey results.
	// +optional
	// +listType=map
	// +listMapKey=at
	// +kubebuilder:validation:MaxItems=500
	Samples []Sample `json:"samples,omitempty"`

	// source measures the indicator from a live system instead of (or on
	// top of) samples recorded in Git.
	// +optional
	Source *IndicatorSource `json:"source,omitempty"`

	// historyLimit is how many measurements status.history keeps. Defaults to 24.
	// +optional
	// +kubebuilder:default=24
	// +kubebuilder:validation:Minimum=2
	// +kubebuilder:validation:Maximum=100
	HistoryLimit *int32 `json:"historyLimit,omitempty"`

	// failureLimit is how many consecutive failed measurements of a live
	// source make the indicator SourceUnavailable. Defaults to 3.
	// +optional
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	FailureLimit *int32 `json:"failureLimit,omitempty"`
}

// IndicatorCategory is what a leading indicator measures.
// +kubebuilder:validation:Enum=Awareness;Understanding;EmployeeBelief;BehaviorAdoption;CustomerFeedback;CustomerSatisfaction;CustomerLoyalty;CustomerAdvocacy;TrainingEffectiveness;LeadershipInvolvement;CultureMeasurement;Custom
type IndicatorCategory string

// Indicator categories.
const (
	CategoryAwareness             IndicatorCategory = "Awareness"
	CategoryUnderstanding         IndicatorCategory = "Understanding"
	CategoryEmployeeBelief        IndicatorCategory = "EmployeeBelief"
	CategoryBehaviorAdoption      IndicatorCategory = "BehaviorAdoption"
	CategoryCustomerFeedback      IndicatorCategory = "CustomerFeedback"
	CategoryCustomerSatisfaction  IndicatorCategory = "CustomerSatisfaction"
	CategoryCustomerLoyalty       IndicatorCategory = "CustomerLoyalty"
	CategoryCustomerAdvocacy      IndicatorCategory = "CustomerAdvocacy"
	CategoryTrainingEffectiveness IndicatorCategory = "TrainingEffectiveness"
	CategoryLeadershipInvolvement IndicatorCategory = "LeadershipInvolvement"
	CategoryCultureMeasurement    IndicatorCategory = "CultureMeasurement"
	CategoryCustom                IndicatorCategory = "Custom"
)

// Target is the value an indicator is held against.
type Target struct {
	// value is the target, e.g. 75 or 4.3.
	// +required
	Value Decimal `json:"value"`

	// direction says whether values at least or at most the target are on target.
	// +optional
	// +kubebuilder:default=AtLeast
	Direction Direction `json:"direction,omitempty"`

	// atRiskMargin is how far on the wrong side of the target a value may be
	// and still be AtRisk rather than OffTarget. Defaults to 0.
	// +optional
	// +kubebuilder:validation:Minimum=0
	AtRiskMargin *Decimal `json:"atRiskMargin,omitempty"`
}

// Direction says which side of the target is good.
// +kubebuilder:validation:Enum=AtLeast;AtMost
type Direction string

const (
	// AtLeast means values at or above the target are on target.
	AtLeast Direction = "AtLeast"
	// AtMost means values at or below the target are on target.
	AtMost Direction = "AtMost"
)

// Sample is one measurement recorded in Git.
type Sample struct {
	// at is when the measurement was taken.
	// +required
	At metav1.Time `json:"at"`

	// value is the measured value.
	// +required
	Value Decimal `json:"value"`

	// note says where the value comes from, e.g. "Q3 pulse, n=412".
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Note string `json:"note,omitempty"`
}

// Health is how an indicator stands against its target.
// +kubebuilder:validation:Enum=OnTarget;AtRisk;OffTarget;Unknown
type Health string

// Healths.
const (
	HealthOnTarget  Health = "OnTarget"
	HealthAtRisk    Health = "AtRisk"
	HealthOffTarget Health = "OffTarget"
	HealthUnknown   Health = "Unknown"
)

// Trend is the direction recent samples move in, relative to the target's direction.
// +kubebuilder:validation:Enum=Improving;Steady;Declining;Unknown
type Trend string

// Trends.
const (
	TrendImproving Trend = "Improving"
	TrendSteady    Trend = "Steady"
	TrendDeclining Trend = "Declining"
	TrendUnknown   Trend = "Unknown"
)

// Freshness says whether an indicator's data can be trusted.
// +kubebuilder:validation:Enum=Fresh;Stale;NoData
type Freshness string

// Freshness values.
const (
	// Fresh: the newest sample is within spec.freshness (or no freshness is set).
	Fresh Freshness = "Fresh"
	// Stale: the newest sample is older than spec.freshness.
	Stale Freshness = "Stale"
	// NoData: there is no sample yet.
	NoData Freshness = "NoData"
)

// Measurement is one value in the indicator's history.
type Measurement struct {
	// at is when the value was measured.
	// +required
	At metav1.Time `json:"at"`

	// value is the measured value.
	// +required
	Value Decimal `json:"value"`
}

// LeadingIndicatorStatus is the indicator's latest value and health.
type LeadingIndicatorStatus struct {
	// conditions: Ready, and Reconciling or Stalled while True.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the generation last reconciled successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// value is the newest measured value.
	// +optional
	Value *Decimal `json:"value,omitempty"`

	// measuredAt is when value was measured.
	// +optional
	MeasuredAt *metav1.Time `json:"measuredAt,omitempty"`

	// health is how value stands against the target.
	// +optional
	Health Health `json:"health,omitempty"`

	// freshness says whether health rests on recent enough data.
	// +optional
	Freshness Freshness `json:"freshness,omitempty"`

	// trend is the direction of recent measurements.
	// +optional
	Trend Trend `json:"trend,omitempty"`

	// lastAttemptTime is when a live source was last asked for a value.
	// +optional
	LastAttemptTime *metav1.Time `json:"lastAttemptTime,omitempty"`

	// consecutiveFailures counts failed measurements of a live source since
	// the last success.
	// +optional
	// +kubebuilder:validation:Minimum=0
	ConsecutiveFailures int32 `json:"consecutiveFailures,omitempty"`

	// lastFailure says, without secrets or response text, why the last
	// measurement failed (e.g. "server answered 503").
	// +optional
	// +kubebuilder:validation:MaxLength=512
	LastFailure string `json:"lastFailure,omitempty"`

	// history holds the most recent measurements, oldest first. A
	// measurement stays here when it is removed from spec.samples.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	History []Measurement `json:"history,omitempty"`
}

// Reasons of a LeadingIndicator's Ready condition.
const (
	// ReasonMeasured: Ready, the indicator's health is computed.
	ReasonMeasured = "Measured"
	// ReasonSourceInvalid: spec.source has a query or jsonPath that cannot work.
	ReasonSourceInvalid = "SourceInvalid"
	// ReasonSourceUnavailable: the live source failed failureLimit times in a row.
	ReasonSourceUnavailable = "SourceUnavailable"

	// EventReasonHealthChanged is the Event reason when the indicator's
	// health changes.
	EventReasonHealthChanged = "HealthChanged"
)

// LeadingIndicator tracks one leading indicator of a culture change against a target.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=li,categories=momentum
// +kubebuilder:selectablefield:JSONPath=`.spec.initiativeRef.name`
// +kubebuilder:printcolumn:name="Category",type=string,JSONPath=`.spec.category`
// +kubebuilder:printcolumn:name="Value",type=number,JSONPath=`.status.value`
// +kubebuilder:printcolumn:name="Target",type=number,JSONPath=`.spec.target.value`
// +kubebuilder:printcolumn:name="Health",type=string,JSONPath=`.status.health`
// +kubebuilder:printcolumn:name="Trend",type=string,JSONPath=`.status.trend`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type LeadingIndicator struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is what the indicator measures and its target.
	// +required
	Spec LeadingIndicatorSpec `json:"spec"`

	// status is the latest value and health.
	// +optional
	Status LeadingIndicatorStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// LeadingIndicatorList is a list of LeadingIndicators.
type LeadingIndicatorList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []LeadingIndicator `json:"items"`
}
