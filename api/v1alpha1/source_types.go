package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Limits of live measurement.
const (
	// MaxHistoryLimit is the most measurements status.history may keep.
	MaxHistoryLimit = 100
	// DefaultFailureLimit is how many consecutive failed measurements make
	// an indicator SourceUnavailable: spec.failureLimit's default (its
	// +kubebuilder:default marker must say the same; a test compares them).
	DefaultFailureLimit = 3
	// DefaultInterval is how often a live source is measured: the default
	// of spec.source.http.interval and spec.source.prometheus.interval
	// (their markers must say the same; a test compares them).
	DefaultInterval = "5m"
)

// IndicatorSource measures an indicator from a live system. Exactly one
// member is set. Indicators without a source use spec.samples from Git.
// +kubebuilder:validation:XValidation:rule="(has(self.http) ? 1 : 0) + (has(self.prometheus) ? 1 : 0) + (has(self.recognition) ? 1 : 0) + (has(self.commitments) ? 1 : 0) + (has(self.assessment) ? 1 : 0) == 1",message="spec.source must set exactly one of http, prometheus, recognition, commitments or assessment"
type IndicatorSource struct {
	// http reads one number from a JSON API, such as a survey platform or a
	// customer-feedback tool.
	// +optional
	HTTP *HTTPSource `json:"http,omitempty"`

	// prometheus evaluates a PromQL query that returns one number.
	// +optional
	Prometheus *PrometheusSource `json:"prometheus,omitempty"`

	// recognition derives the value from a RecognitionCampaign of the same
	// initiative.
	// +optional
	Recognition *RecognitionSource `json:"recognition,omitempty"`

	// commitments derives the value from the Success Index of the
	// initiative's Commitments.
	// +optional
	Commitments *CommitmentsSource `json:"commitments,omitempty"`

	// assessment derives the value from a CultureAssessment of the initiative.
	// +optional
	Assessment *AssessmentSource `json:"assessment,omitempty"`
}

// HTTPSource reads one number from a JSON response.
type HTTPSource struct {
	// url of the JSON API. It must be https unless the manager allows http
	// for its host, and it may not point at loopback, link-local or private
	// addresses unless the manager allows them.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://`
	URL string `json:"url"`

	// jsonPath selects one number from the response, in kubectl's JSONPath
	// syntax, e.g. {.data.nps} or {.results[0].score}.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	JSONPath string `json:"jsonPath"`

	// headersSecretRef names a Secret whose keys are header names and whose
	// values are header values, e.g. Authorization. Never logged or shown.
	// +optional
	HeadersSecretRef *LocalObjectReference `json:"headersSecretRef,omitempty"`

	// interval between measurements, from 30s to 24h. Defaults to 5m.
	// +optional
	// +kubebuilder:default="5m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('30s') && duration(self) <= duration('24h')",message="must be a duration from 30s to 24h, such as 5m"
	Interval *metav1.Duration `json:"interval,omitempty"`
}

// PrometheusSource evaluates an instant PromQL query.
type PrometheusSource struct {
	// address of the Prometheus server, e.g. https://prometheus.monitoring:9090.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://`
	Address string `json:"address"`

	// query must return a scalar or a vector with exactly one sample.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Query string `json:"query"`

	// bearerTokenSecretRef names a Secret key holding a bearer token.
	// +optional
	BearerTokenSecretRef *SecretKeySelector `json:"bearerTokenSecretRef,omitempty"`

	// interval between measurements, from 30s to 24h. Defaults to 5m.
	// +optional
	// +kubebuilder:default="5m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('30s') && duration(self) <= duration('24h')",message="must be a duration from 30s to 24h, such as 5m"
	Interval *metav1.Duration `json:"interval,omitempty"`
}

// SecretKeySelector names one key of a Secret in the same namespace.
type SecretKeySelector struct {
	// name of the Secret.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// key in the Secret.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}

// RecognitionMeasure is what a recognition source derives.
// +kubebuilder:validation:Enum=LeadershipShare;PeerShare;NominationsPerWeek
type RecognitionMeasure string

const (
	// MeasureLeadershipShare is the percent of nominations made by sponsors
	// or council members: leadership involvement.
	MeasureLeadershipShare RecognitionMeasure = "LeadershipShare"
	// MeasurePeerShare is the percent of nominations made by peers.
	MeasurePeerShare RecognitionMeasure = "PeerShare"
	// MeasureNominationsPerWeek is the number of qualifying nominations dated
	// within the last four weeks, divided by four.
	MeasureNominationsPerWeek RecognitionMeasure = "NominationsPerWeek"
)

// RecognitionSource derives a value from a RecognitionCampaign.
type RecognitionSource struct {
	// campaignRef names a RecognitionCampaign of the same initiative.
	// +required
	CampaignRef LocalObjectReference `json:"campaignRef"`

	// measure is what to derive.
	// +required
	Measure RecognitionMeasure `json:"measure"`
}

// CommitmentsMeasure is what a commitments source derives.
// +kubebuilder:validation:Enum=MeanIndex;Participation;ReviewsOnTime
type CommitmentsMeasure string

const (
	// MeasureMeanIndex is the mean latest Success Index (0-100).
	MeasureMeanIndex CommitmentsMeasure = "MeanIndex"
	// MeasureParticipation is the percent of sponsors, council members and
	// teams that own a Commitment.
	MeasureParticipation CommitmentsMeasure = "Participation"
	// MeasureReviewsOnTime is the percent of Commitments reviewed on time.
	MeasureReviewsOnTime CommitmentsMeasure = "ReviewsOnTime"
)

// CommitmentsSource derives a value from the initiative's Commitments.
type CommitmentsSource struct {
	// measure is what to derive.
	// +required
	Measure CommitmentsMeasure `json:"measure"`
}

// AssessmentMeasure is what an assessment source derives.
// +kubebuilder:validation:Enum=Score;Breadth;Depth
type AssessmentMeasure string

const (
	// MeasureScore is the discipline's latest score.
	MeasureScore AssessmentMeasure = "Score"
	// MeasureBreadth is the percent of segments at or above target.
	MeasureBreadth AssessmentMeasure = "Breadth"
	// MeasureDepth is the spread between the best and worst segment.
	MeasureDepth AssessmentMeasure = "Depth"
)

// AssessmentSource derives a value from a CultureAssessment.
type AssessmentSource struct {
	// assessmentRef names a CultureAssessment in the same namespace.
	// +required
	AssessmentRef LocalObjectReference `json:"assessmentRef"`

	// discipline names a discipline of the assessment.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Discipline string `json:"discipline"`

	// measure is what to derive.
	// +required
	Measure AssessmentMeasure `json:"measure"`
}
