package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// CommitmentSpec is one person's or team's Success Index as kept in Git: the
// customer-centric actions they commit to over three months, six months and
// beyond, and the quarterly reviews with their manager.
// +kubebuilder:validation:XValidation:rule="!has(self.reviews) || self.reviews.all(r, r.outcomes.all(o, self.actions.exists(a, a.name == o.action)))",message="every spec.reviews[].outcomes[].action must name an action in spec.actions (drop an action with status Dropped instead of deleting it)",fieldPath=".reviews"
type CommitmentSpec struct {
	// initiativeRef names the Initiative, in the same namespace, that the
	// commitment serves.
	// +required
	InitiativeRef LocalObjectReference `json:"initiativeRef"`

	// owner is the person or team who commits.
	// +required
	Owner CommitmentOwner `json:"owner"`

	// reviewer is who reviews the commitment each quarter: the owner's
	// manager.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Reviewer string `json:"reviewer"`

	// role of the owner in the organisation, e.g. support-lead.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Role string `json:"role,omitempty"`

	// team the owner belongs to; it counts towards the participation of the
	// teams listed in the initiative's spec.teams.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Team string `json:"team,omitempty"`

	// actions are what the owner commits to do.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=20
	Actions []CommitmentAction `json:"actions"`

	// reviews are the quarterly reviews of progress, one per quarter.
	// +optional
	// +listType=map
	// +listMapKey=quarter
	// +kubebuilder:validation:MaxItems=16
	Reviews []CommitmentReview `json:"reviews,omitempty"`
}

// CommitmentOwner is a person or a team.
type CommitmentOwner struct {
	// name of the person or team. It is matched against the initiative's
	// sponsors, council and teams for participation.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name"`

	// kind says whether the owner is a Person (default) or a Team.
	// +optional
	// +kubebuilder:default=Person
	Kind OwnerKind `json:"kind,omitempty"`

	// email of the owner, for the review digest.
	// +optional
	// +kubebuilder:validation:MaxLength=254
	// +kubebuilder:validation:Pattern=`^[^@\s]+@[^@\s]+$`
	Email string `json:"email,omitempty"`

	// handle of the owner in chat, e.g. @dana.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Handle string `json:"handle,omitempty"`
}

// OwnerKind says who owns a commitment.
// +kubebuilder:validation:Enum=Person;Team
type OwnerKind string

// Owner kinds.
const (
	OwnerPerson OwnerKind = "Person"
	OwnerTeam   OwnerKind = "Team"
)

// Horizon is when an action is meant to be done.
// +kubebuilder:validation:Enum="3m";"6m";beyond
type Horizon string

// Horizons, nearest first.
const (
	Horizon3Months Horizon = "3m"
	Horizon6Months Horizon = "6m"
	HorizonBeyond  Horizon = "beyond"
)

// ActionStatus is where an action stands, as kept in Git.
// +kubebuilder:validation:Enum=NotStarted;InProgress;Done;Dropped
type ActionStatus string

// Action statuses.
const (
	ActionNotStarted ActionStatus = "NotStarted"
	ActionInProgress ActionStatus = "InProgress"
	ActionDone       ActionStatus = "Done"
	ActionDropped    ActionStatus = "Dropped"
)

// CommitmentAction is one committed action.
type CommitmentAction struct {
	// name identifies the action; reviews refer to it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// description says what will be done.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// horizon is 3m, 6m or beyond.
	// +required
	Horizon Horizon `json:"horizon"`

	// due is the date the action is due; past it, an action not Done or
	// Dropped is overdue.
	// +optional
	Due Date `json:"due,omitempty"`

	// behavior names a behavior of the initiative the action practises.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Behavior string `json:"behavior,omitempty"`

	// status of the action.
	// +optional
	// +kubebuilder:default=NotStarted
	Status ActionStatus `json:"status,omitempty"`
}

// CommitmentReview is one quarterly review by the owner and reviewer.
// +kubebuilder:validation:XValidation:rule="self.date >= self.quarter.substring(0, 4) + '-' + ['01', '04', '07', '10'][int(self.quarter.substring(6, 7)) - 1] + '-01'",message="date must not be before the start of the reviewed quarter",fieldPath=".date"
type CommitmentReview struct {
	// quarter reviewed, e.g. 2026-Q4.
	// +required
	Quarter Quarter `json:"quarter"`

	// date of the review.
	// +required
	Date Date `json:"date"`

	// reviewer who held the review; defaults to spec.reviewer.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	Reviewer string `json:"reviewer,omitempty"`

	// outcomes of the actions reviewed.
	// +required
	// +listType=map
	// +listMapKey=action
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=20
	Outcomes []ActionOutcome `json:"outcomes"`

	// confidence the owner has in delivering the rest: Low, Medium or High.
	// +required
	Confidence Confidence `json:"confidence"`

	// narrative explains the confidence in a sentence or two.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Narrative string `json:"narrative"`
}

// Outcome is what a review found of an action.
// +kubebuilder:validation:Enum=Done;OnTrack;Behind;NotStarted;Dropped
type Outcome string

// Outcomes, best first. Dropped actions leave the index.
const (
	OutcomeDone       Outcome = "Done"
	OutcomeOnTrack    Outcome = "OnTrack"
	OutcomeBehind     Outcome = "Behind"
	OutcomeNotStarted Outcome = "NotStarted"
	OutcomeDropped    Outcome = "Dropped"
)

// Confidence is the owner's confidence in delivering.
// +kubebuilder:validation:Enum=Low;Medium;High
type Confidence string

// Confidence levels.
const (
	ConfidenceLow    Confidence = "Low"
	ConfidenceMedium Confidence = "Medium"
	ConfidenceHigh   Confidence = "High"
)

// ActionOutcome is the review of one action.
type ActionOutcome struct {
	// action names an action in spec.actions.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Action string `json:"action"`

	// outcome of the action at the review.
	// +required
	Outcome Outcome `json:"outcome"`

	// rating of the quality of the work, 1 (poor) to 5 (outstanding).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	Rating *int32 `json:"rating,omitempty"`
}

// CommitmentStatus is the Success Index of the commitment.
type CommitmentStatus struct {
	// conditions: Ready, ReviewOverdue, and Reconciling or Stalled while True.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the generation last reconciled successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// index is the Success Index (0-100) of the latest reviewed quarter.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Index *int32 `json:"index,omitempty"`

	// quarter is the latest reviewed quarter.
	// +optional
	// +kubebuilder:validation:MaxLength=7
	Quarter string `json:"quarter,omitempty"`

	// confidence is the latest review's confidence.
	// +optional
	Confidence Confidence `json:"confidence,omitempty"`

	// trend of the index over the newest four reviewed quarters.
	// +optional
	Trend Trend `json:"trend,omitempty"`

	// quarters holds the index of each reviewed quarter, oldest first.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	Quarters []QuarterIndex `json:"quarters,omitempty"`

	// actions counts the actions by status.
	// +optional
	Actions *ActionCounts `json:"actions,omitempty"`

	// overdueActions names actions past their due date and not Done or Dropped.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:items:MaxLength=63
	OverdueActions []string `json:"overdueActions,omitempty"`

	// nextReviewDue is the end of the quarter after the latest review (or
	// after the quarter the commitment was created in).
	// +optional
	NextReviewDue *metav1.Time `json:"nextReviewDue,omitempty"`
}

// QuarterIndex is the Success Index of one reviewed quarter.
type QuarterIndex struct {
	// quarter reviewed.
	// +required
	// +kubebuilder:validation:MaxLength=7
	Quarter string `json:"quarter"`

	// index of the quarter; absent when every reviewed action was dropped.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Index *int32 `json:"index,omitempty"`

	// reviewedOn is the date of the review.
	// +optional
	// +kubebuilder:validation:MaxLength=10
	ReviewedOn string `json:"reviewedOn,omitempty"`

	// confidence recorded at the review.
	// +optional
	Confidence Confidence `json:"confidence,omitempty"`
}

// ActionCounts counts a commitment's actions by status.
type ActionCounts struct {
	Total      int32 `json:"total"`
	Done       int32 `json:"done"`
	InProgress int32 `json:"inProgress"`
	NotStarted int32 `json:"notStarted"`
	Dropped    int32 `json:"dropped"`
	Overdue    int32 `json:"overdue"`
}

// Condition types and reasons of a Commitment.
const (
	// ConditionReviewOverdue is True when a quarter passed without a review.
	ConditionReviewOverdue = "ReviewOverdue"
	// ReasonReviewed: Ready, the index is computed.
	ReasonReviewed = "Reviewed"
	// ReasonNotReviewedYet: Ready, no review yet.
	ReasonNotReviewedYet = "NotReviewedYet"
	// ReasonReviewDue: ReviewOverdue is True.
	ReasonReviewDue = "ReviewDue"
	// ReasonReviewOnTime: ReviewOverdue is False.
	ReasonReviewOnTime = "ReviewOnTime"
)

// Commitment is a person's or team's Success Index: the customer-centric
// actions they commit to and the quarterly reviews of their progress.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=cmt,categories=momentum
// +kubebuilder:selectablefield:JSONPath=`.spec.initiativeRef.name`
// +kubebuilder:printcolumn:name="Owner",type=string,JSONPath=`.spec.owner.name`
// +kubebuilder:printcolumn:name="Initiative",type=string,JSONPath=`.spec.initiativeRef.name`,priority=1
// +kubebuilder:printcolumn:name="Index",type=integer,JSONPath=`.status.index`
// +kubebuilder:printcolumn:name="Quarter",type=string,JSONPath=`.status.quarter`
// +kubebuilder:printcolumn:name="Trend",type=string,JSONPath=`.status.trend`
// +kubebuilder:printcolumn:name="Review Due",type=string,JSONPath=`.status.nextReviewDue`
// +kubebuilder:printcolumn:name="Overdue",type=string,JSONPath=`.status.conditions[?(@.type=="ReviewOverdue")].status`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Commitment struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the commitment as kept in Git.
	// +required
	Spec CommitmentSpec `json:"spec"`

	// status is the Success Index.
	// +optional
	Status CommitmentStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// CommitmentList is a list of Commitments.
type CommitmentList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Commitment `json:"items"`
}

func init() {
	SchemeBuilder.Register(func(s *runtime.Scheme) error {
		s.AddKnownTypes(GroupVersion, &Commitment{}, &CommitmentList{})
		return nil
	})
}
