package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ChannelType is the service a Channel delivers to.
// +kubebuilder:validation:Enum=slack;msteams;webhook
type ChannelType string

const (
	// ChannelSlack posts to a Slack incoming webhook.
	ChannelSlack ChannelType = "slack"
	// ChannelMSTeams posts to a Microsoft Teams (Workflows) webhook.
	ChannelMSTeams ChannelType = "msteams"
	// ChannelWebhook posts JSON to any HTTPS endpoint.
	ChannelWebhook ChannelType = "webhook"
)

// LabelUsable (set to "true") is the deprecated opt-in of a Secret, which did not say
// for what. It is still accepted for Channels only (with a Warning Event
// SecretLabelDeprecated); use LabelUsableFor.
const LabelUsable = "culture.momentum.dev/usable"

// LabelUsableFor states the one purpose a Secret's owner lets Momentum use it
// for: PurposeChannel, PurposeHTTPHeaders or PurposePrometheusToken. The
// manager can get any Secret, and users choose where Momentum sends them, so
// the owner opts in per purpose: a user who may create Channels or indicators
// but not read Secrets cannot have Momentum send someone else's Secret, nor a
// Channel's webhook URL as a header or token.
const LabelUsableFor = "culture.momentum.dev/usable-for"

// AnnotationAllowedHosts optionally restricts where a Secret's contents may
// be sent: a comma-separated list of hostnames, compared with the host of
// the request's URL (case-insensitive, exact; no wildcards).
const AnnotationAllowedHosts = "culture.momentum.dev/allowed-hosts"

// Purposes a Secret may be labelled usable for (values of LabelUsableFor).
const (
	// PurposeChannel: a Channel's webhook address (and headers).
	PurposeChannel = "channel"
	// PurposeHTTPHeaders: every key sent as a header of an http source.
	PurposeHTTPHeaders = "http-headers"
	// PurposePrometheusToken: a key sent as a prometheus source's bearer token.
	PurposePrometheusToken = "prometheus-token"
)

// EventSecretLabelDeprecated is the reason of the Warning Event a Channel
// gets while its Secret is usable only through LabelUsable.
const EventSecretLabelDeprecated = "SecretLabelDeprecated"

// Keys of a Channel's Secret.
const (
	// SecretKeyAddress holds the webhook URL. It is a secret: it never
	// appears in spec, status, Events or logs.
	SecretKeyAddress = "address"
	// SecretKeyHeaders holds, for webhook channels, extra HTTP headers as a
	// YAML or JSON map (for example an Authorization token).
	SecretKeyHeaders = "headers"
)

// ChannelSpec is where messages are delivered.
type ChannelSpec struct {
	// type of the service: slack, msteams or webhook.
	// +required
	Type ChannelType `json:"type"`

	// secretRef names a Secret in the same namespace whose key "address"
	// holds the webhook URL, and for webhook channels optionally "headers".
	// +required
	SecretRef LocalObjectReference `json:"secretRef"`
}

// ChannelStatus says whether the Channel can deliver.
type ChannelStatus struct {
	// conditions: Ready, and Reconciling or Stalled while True.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the generation last reconciled successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
}

// Reasons of a Channel's Ready condition.
const (
	// ReasonChannelReady: the Secret exists and its address is allowed.
	ReasonChannelReady = "AddressValid"
	// ReasonSecretNotFound: spec.secretRef names no Secret.
	ReasonSecretNotFound = "SecretNotFound"
	// ReasonAddressMissing: the Secret has no "address" key.
	ReasonAddressMissing = "AddressMissing"
	// ReasonAddressInvalid: the address is not a URL the outbound policy allows.
	ReasonAddressInvalid = "AddressInvalid"
)

// Channel is a destination for reminders, spotlights and celebrations:
// a Slack or Microsoft Teams webhook, or any HTTPS endpoint.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=chan,categories=momentum
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Channel struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is where messages are delivered.
	// +required
	Spec ChannelSpec `json:"spec"`

	// status says whether the Channel can deliver.
	// +optional
	Status ChannelStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ChannelList is a list of Channels.
type ChannelList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Channel `json:"items"`
}
