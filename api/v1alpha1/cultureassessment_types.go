package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// CultureAssessmentSpec is a culture assessment by discipline as kept in
// Git: the disciplines of the user's framework with a target each, and the
// survey rounds that scored them. Only aggregate scores are kept, never a
// person's answers.
// +kubebuilder:validation:XValidation:rule="!has(self.rounds) || self.rounds.all(r, r.scores.all(s, self.disciplines.exists(d, d.name == s.discipline)))",message="every spec.rounds[].scores[].discipline must name a discipline in spec.disciplines",fieldPath=".rounds"
// +kubebuilder:validation:XValidation:rule="!has(self.rounds) || self.rounds.all(r, !has(r.segments) || r.segments.all(g, g.scores.all(s, self.disciplines.exists(d, d.name == s.discipline))))",message="every spec.rounds[].segments[].scores[].discipline must name a discipline in spec.disciplines",fieldPath=".rounds"
type CultureAssessmentSpec struct {
	// initiativeRef names the Initiative, in the same namespace, that the
	// assessment measures.
	// +required
	InitiativeRef LocalObjectReference `json:"initiativeRef"`

	// scale is the range of the scores, e.g. {min: 1, max: 5}; informative.
	// +optional
	Scale *ScoreScale `json:"scale,omitempty"`

	// disciplines are the disciplines of the framework the organisation
	// uses, each with its target.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	Disciplines []Discipline `json:"disciplines"`

	// rounds are the survey rounds, each with its date; the earliest is
	// the baseline.
	// +optional
	// +listType=map
	// +listMapKey=date
	// +kubebuilder:validation:MaxItems=24
	Rounds []AssessmentRound `json:"rounds,omitempty"`
}

// ScoreScale is the range of an assessment's scores.
type ScoreScale struct {
	// +required
	Min Decimal `json:"min"`
	// +required
	Max Decimal `json:"max"`
}

// Discipline is one discipline of the culture framework.
type Discipline struct {
	// name of the discipline, e.g. customer-insight.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// description of the discipline.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Description string `json:"description,omitempty"`

	// target score of the discipline.
	// +required
	Target Decimal `json:"target"`
}

// AssessmentRound is one survey round.
type AssessmentRound struct {
	// date the round closed.
	// +required
	Date Date `json:"date"`

	// respondents is how many people answered.
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=10000000
	Respondents int32 `json:"respondents"`

	// scores per discipline across all respondents.
	// +required
	// +listType=map
	// +listMapKey=discipline
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	Scores []DisciplineScore `json:"scores"`

	// segments are scores per department, region or other group. Segments
	// with fewer respondents than the initiative's confidentiality floor are
	// never shown.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=40
	Segments []SegmentScores `json:"segments,omitempty"`

	// themes are free-text themes from the comments. They stay in Git and
	// are never copied into status.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:items:MaxLength=512
	Themes []string `json:"themes,omitempty"`
}

// DisciplineScore is the score of one discipline.
type DisciplineScore struct {
	// discipline names a discipline in spec.disciplines.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Discipline string `json:"discipline"`

	// score of the discipline.
	// +required
	Score Decimal `json:"score"`
}

// SegmentScores are the scores of one segment of respondents.
type SegmentScores struct {
	// name of the segment, e.g. support or emea.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`

	// respondents in the segment.
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=10000000
	Respondents int32 `json:"respondents"`

	// scores per discipline in the segment.
	// +required
	// +listType=map
	// +listMapKey=discipline
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	Scores []DisciplineScore `json:"scores"`
}

// CultureAssessmentStatus is where each discipline stands.
type CultureAssessmentStatus struct {
	// conditions: Ready, and Reconciling or Stalled while True.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the generation last reconciled successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// rounds counts the rounds shown; hiddenRounds those with fewer
	// respondents than the confidentiality floor.
	// +optional
	Rounds int32 `json:"rounds,omitempty"`
	// +optional
	HiddenRounds int32 `json:"hiddenRounds,omitempty"`

	// latestRound and baselineRound are the dates of the newest and the
	// first shown round.
	// +optional
	// +kubebuilder:validation:MaxLength=10
	LatestRound string `json:"latestRound,omitempty"`
	// +optional
	// +kubebuilder:validation:MaxLength=10
	BaselineRound string `json:"baselineRound,omitempty"`

	// disciplines is where each discipline stands in the latest round.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	Disciplines []DisciplineStatus `json:"disciplines,omitempty"`

	// weakest names the disciplines furthest below target, weakest first
	// (at most three).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=3
	// +kubebuilder:validation:items:MaxLength=63
	Weakest []string `json:"weakest,omitempty"`

	// summary says in one line where the culture stands, e.g.
	// "customer-insight is the weakest discipline: 2.9 < target 3.5".
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Summary string `json:"summary,omitempty"`
}

// DisciplineStatus is where one discipline stands in the latest round.
type DisciplineStatus struct {
	// name of the discipline.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`

	// score in the latest round that scored it, and its target.
	// +optional
	Score *Decimal `json:"score,omitempty"`
	// +required
	Target Decimal `json:"target"`

	// onTarget says whether the score reaches the target.
	// +optional
	OnTarget bool `json:"onTarget,omitempty"`

	// changeSincePrevious and changeSinceBaseline are the score's change
	// since the round before and since the first round.
	// +optional
	ChangeSincePrevious *Decimal `json:"changeSincePrevious,omitempty"`
	// +optional
	ChangeSinceBaseline *Decimal `json:"changeSinceBaseline,omitempty"`

	// breadth is the percent of shown segments at or above target; absent
	// without shown segments.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Breadth *int32 `json:"breadth,omitempty"`

	// depth is the spread between the best and the worst shown segment
	// (smaller is a more even culture); absent with fewer than two.
	// +optional
	Depth *Decimal `json:"depth,omitempty"`

	// segments counts the segments shown; hiddenSegments those below the
	// confidentiality floor.
	// +optional
	Segments int32 `json:"segments,omitempty"`
	// +optional
	HiddenSegments int32 `json:"hiddenSegments,omitempty"`
}

// Reasons of a CultureAssessment's Ready condition.
const (
	// ReasonAssessed: Ready, the disciplines are scored.
	ReasonAssessed = "Assessed"
	// ReasonNoRounds: Ready, no round can be shown yet.
	ReasonNoRounds = "NoRounds"
)

// CultureAssessment scores the culture by discipline, across the breadth
// and depth of the organisation, round after round.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ca,categories=momentum
// +kubebuilder:selectablefield:JSONPath=`.spec.initiativeRef.name`
// +kubebuilder:printcolumn:name="Initiative",type=string,JSONPath=`.spec.initiativeRef.name`
// +kubebuilder:printcolumn:name="Rounds",type=integer,JSONPath=`.status.rounds`
// +kubebuilder:printcolumn:name="Latest",type=string,JSONPath=`.status.latestRound`
// +kubebuilder:printcolumn:name="Weakest",type=string,JSONPath=`.status.weakest[0]`
// +kubebuilder:printcolumn:name="Summary",type=string,JSONPath=`.status.summary`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type CultureAssessment struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the assessment as kept in Git.
	// +required
	Spec CultureAssessmentSpec `json:"spec"`

	// status is where each discipline stands.
	// +optional
	Status CultureAssessmentStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// CultureAssessmentList is a list of CultureAssessments.
type CultureAssessmentList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []CultureAssessment `json:"items"`
}

func init() {
	SchemeBuilder.Register(func(s *runtime.Scheme) error {
		s.AddKnownTypes(GroupVersion, &CultureAssessment{}, &CultureAssessmentList{})
		return nil
	})
}
