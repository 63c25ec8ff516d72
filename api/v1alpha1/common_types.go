package v1alpha1

// Condition types shared by every Momentum kind. Ready is always present after
// the first reconcile; Reconciling and Stalled are present only while True, as
// kstatus expects. Argo CD does not read kstatus: it shows health only through
// the Lua checks in config/argocd; Flux reads kstatus, which takes Ready=False
// for InProgress, so config/flux's healthCheckExprs fail on the reasons that
// need a person.
const (
	// ConditionReady says whether the object is fully reconciled.
	ConditionReady = "Ready"
	// ConditionReconciling is True while the controller retries after a
	// transient failure.
	ConditionReconciling = "Reconciling"
	// ConditionStalled is True when the controller cannot go on without a
	// change to the spec.
	ConditionStalled = "Stalled"
)

// Reasons used by more than one kind. Every other reason sits in the file
// of the kind whose status carries it.
const (
	// ReasonRetrying is the Reconciling reason after a transient error.
	ReasonRetrying = "Retrying"
	// ReasonNameConflict: Ready is False because an object Momentum would
	// create (a CronJob or Job) has its name taken by an object Momentum does
	// not control; Momentum neither changes nor deletes it.
	ReasonNameConflict = "NameConflict"
	// ReasonLedgerInvalid: Ready is False (and Stalled True) because the
	// delivery ledger ConfigMap in the namespace is larger than any ledger
	// Momentum writes; nothing is delivered until it is fixed, since a
	// ledger ignored would deliver everything again.
	ReasonLedgerInvalid = "LedgerInvalid"
	// ReasonChannelNotFound: a reminder or campaign names a Channel that
	// does not exist.
	ReasonChannelNotFound = "ChannelNotFound"
	// ReasonChannelNotReady: a Channel exists but cannot deliver (see its
	// status); nothing is scheduled to it until it is Ready.
	ReasonChannelNotReady = "ChannelNotReady"
	// ReasonChannelPending: a Channel has not been checked yet; nothing is
	// scheduled to it until it is Ready. A passing state, not a fault.
	ReasonChannelPending = "ChannelPending"
	// ReasonSuspended: Ready, progression is paused by the initiative's
	// spec.suspend.
	ReasonSuspended = "Suspended"
	// ReasonQuietHoursConflict: a reminder's or spotlight's schedule fires
	// in the initiative's quiet hours.
	ReasonQuietHoursConflict = "QuietHoursConflict"
	// ReasonInitiativeNotFound: spec.initiativeRef names no Initiative.
	ReasonInitiativeNotFound = "InitiativeNotFound"
	// ReasonBehaviorNotFound: spec.behavior names no behavior of the initiative.
	ReasonBehaviorNotFound = "BehaviorNotFound"
	// ReasonSecretNotUsable: the Secret is not labelled usable for this
	// purpose (culture.momentum.dev/usable-for), or its allowed-hosts
	// annotation does not list the destination. LeadingIndicators use it too.
	ReasonSecretNotUsable = "SecretNotUsable"
)

// LocalObjectReference names an object in the same namespace.
type LocalObjectReference struct {
	// name of the referenced object.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	Name string `json:"name"`
}

// ReasonUndecodable says the manager could not decode the object (see
// AnnotationDecodeError). It is Stalled and nothing is done for it until its
// spec is corrected.
const ReasonUndecodable = "Undecodable"
