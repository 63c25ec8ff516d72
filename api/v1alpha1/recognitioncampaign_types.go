package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RecognitionCampaignSpec is a recognition program as kept in Git: people
// nominate colleagues who lived a behavior of the initiative, and a
// scheduled spotlight publishes the new nominations to a Channel.
type RecognitionCampaignSpec struct {
	// initiativeRef names the Initiative, in the same namespace, whose
	// behaviors the campaign recognises.
	// +required
	InitiativeRef LocalObjectReference `json:"initiativeRef"`

	// schedule of the spotlight in cron format, e.g. "0 16 * * FRI".
	// +required
	Schedule CronSchedule `json:"schedule"`

	// timeZone is the IANA time zone of the schedule, e.g. Europe/Berlin.
	// Defaults to UTC.
	// +optional
	TimeZone TimeZone `json:"timeZone,omitempty"`

	// channel names a Channel in the same namespace that spotlights are
	// published to.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	Channel string `json:"channel"`

	// behaviors are the behaviors of the initiative that qualify for
	// recognition. A nomination for any other behavior is reported in
	// status.rejected, not published.
	// +required
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:items:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Behaviors []string `json:"behaviors"`

	// nominations are the stories of people who lived a behavior. Each is
	// published in exactly one spotlight.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=200
	Nominations []Nomination `json:"nominations,omitempty"`

	// rewards are what recognised people may receive, listed for everyone
	// to see.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	Rewards []Reward `json:"rewards,omitempty"`
}

// Nomination recognises one person for living a behavior.
type Nomination struct {
	// name identifies the nomination; status.spotlightedNominations
	// remembers it once published.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// nominee is the person recognised.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Nominee string `json:"nominee"`

	// nominatedBy is who nominated them. A sponsor or council member of the
	// initiative counts towards status.leadershipShare, anyone else towards
	// status.peerShare.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	NominatedBy string `json:"nominatedBy"`

	// behavior names the behavior the nominee lived; it qualifies when it
	// is in spec.behaviors and is a behavior of the initiative.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Behavior string `json:"behavior"`

	// story tells what the nominee did.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Story string `json:"story"`

	// customerImpact says what it meant for the customer.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	CustomerImpact string `json:"customerImpact,omitempty"`

	// at is the date of the nomination, e.g. 2026-11-20. Spotlights list
	// nominations by date, then name.
	// +required
	// +kubebuilder:validation:Format=date
	// +kubebuilder:validation:MaxLength=10
	At string `json:"at"`
}

// Reward is something recognised people may receive.
type Reward struct {
	// name identifies the reward.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// description says what the reward is, e.g. "Lunch with the COO".
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Description string `json:"description,omitempty"`
}

// RecognitionCampaignStatus is where the campaign stands.
type RecognitionCampaignStatus struct {
	// conditions: Ready, and Reconciling or Stalled while True.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the generation last reconciled successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// nominations counts the qualifying nominations: spotlighted plus
	// pending. Rejected ones are listed in rejected instead.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Nominations *int32 `json:"nominations,omitempty"`

	// spotlighted counts the qualifying nominations already published.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Spotlighted *int32 `json:"spotlighted,omitempty"`

	// pending counts the qualifying nominations the next spotlight publishes.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Pending *int32 `json:"pending,omitempty"`

	// byBehavior counts the qualifying nominations of each behavior.
	// +optional
	// +listType=map
	// +listMapKey=behavior
	// +kubebuilder:validation:MaxItems=50
	ByBehavior []BehaviorCount `json:"byBehavior,omitempty"`

	// leadershipShare is the share (0-100) of qualifying nominations made by
	// a sponsor or council member of the initiative. Absent without
	// qualifying nominations.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	LeadershipShare *int32 `json:"leadershipShare,omitempty"`

	// peerShare is the share (0-100) of qualifying nominations made by
	// anyone else; leadershipShare and peerShare add up to 100.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	PeerShare *int32 `json:"peerShare,omitempty"`

	// spotlightedNominations names the nominations already published, in
	// publication order. Names are only ever appended, so spec edits never
	// publish a nomination twice; past the bound, the oldest names no longer
	// in spec.nominations are dropped first.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=200
	// +kubebuilder:validation:items:MaxLength=63
	SpotlightedNominations []string `json:"spotlightedNominations,omitempty"`

	// rejected lists the nominations that do not qualify and why.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=200
	Rejected []RejectedNomination `json:"rejected,omitempty"`

	// lastPublicationTime is when a spotlight was last delivered.
	// +optional
	LastPublicationTime *metav1.Time `json:"lastPublicationTime,omitempty"`

	// nextPublicationTime is when the next spotlight is due (absent while
	// the initiative is suspended).
	// +optional
	NextPublicationTime *metav1.Time `json:"nextPublicationTime,omitempty"`

	// lastScheduleTime is the newest spotlight time the manager handled: a
	// digest Job was created for it, or there was nothing new to post.
	// +optional
	LastScheduleTime *metav1.Time `json:"lastScheduleTime,omitempty"`

	// lastFailureTime is when a spotlight's delivery was last given up.
	// DeliveryFailing is True while it is newer than lastPublicationTime.
	// +optional
	LastFailureTime *metav1.Time `json:"lastFailureTime,omitempty"`

	// cronJobName is no longer written: spotlights are posted by one-off
	// Jobs the manager creates when each is due. Kept so that status
	// written by an earlier version still decodes.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	CronJobName string `json:"cronJobName,omitempty"`
}

// BehaviorCount is how many qualifying nominations a behavior has.
type BehaviorCount struct {
	// behavior is the behavior's name.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Behavior string `json:"behavior"`

	// count of qualifying nominations for the behavior.
	// +required
	// +kubebuilder:validation:Minimum=0
	Count int32 `json:"count"`
}

// RejectedNomination is a nomination that does not qualify.
type RejectedNomination struct {
	// name of the nomination.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`

	// reason says why it does not qualify and what to change.
	// +required
	// +kubebuilder:validation:MaxLength=1024
	Reason string `json:"reason"`
}

// Reasons and Event reasons of a RecognitionCampaign. A missing initiative
// or channel, a suspended initiative and quiet hours use the shared reasons
// (common_types.go).
const (
	// ReasonScheduled: Ready, the next spotlight is scheduled.
	ReasonScheduled = "Scheduled"
	// ReasonSpotlightFailed: a spotlight's delivery was given up
	// (DeliveryFailing); its nominations are not posted again.
	ReasonSpotlightFailed = "SpotlightFailed"
	// ReasonScheduleInvalid: a schedule or time zone the API server let
	// through is still not one the controller can compute.
	ReasonScheduleInvalid = "ScheduleInvalid"

	// EventReasonSpotlighted is the Event reason when a delivered spotlight
	// marks nominations as published.
	EventReasonSpotlighted = "Spotlighted"
	// EventReasonNominationRejected is the Warning Event reason when a
	// nomination is newly found not to qualify.
	EventReasonNominationRejected = "NominationRejected"
)

// RecognitionCampaign recognises people who live the behaviors of an
// initiative: it collects nominations kept in Git and publishes each in a
// scheduled spotlight to a Channel, exactly once.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=rcamp,categories=momentum
// +kubebuilder:validation:XValidation:rule="self.metadata.name.size() <= 63",message="metadata.name must be at most 63 characters: it labels the campaign's CronJob and Jobs"
// +kubebuilder:printcolumn:name="Initiative",type=string,JSONPath=`.spec.initiativeRef.name`
// +kubebuilder:printcolumn:name="Nominations",type=integer,JSONPath=`.status.nominations`
// +kubebuilder:printcolumn:name="Spotlighted",type=integer,JSONPath=`.status.spotlighted`
// +kubebuilder:printcolumn:name="Next",type=string,JSONPath=`.status.nextPublicationTime`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type RecognitionCampaign struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the campaign as kept in Git.
	// +required
	Spec RecognitionCampaignSpec `json:"spec"`

	// status is where the campaign stands.
	// +optional
	Status RecognitionCampaignStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// RecognitionCampaignList is a list of RecognitionCampaigns.
type RecognitionCampaignList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []RecognitionCampaign `json:"items"`
}
