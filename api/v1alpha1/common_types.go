package v1alpha1

// Condition types shared by every Momentum kind. Ready is always present after
// the first reconcile; Reconciling and Stalled are present only while True, as
// kstatus (and so Flux and Argo CD health checks) expects.
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

// Reasons shared by every Momentum kind.
const (
	// ReasonRetrying is the Reconciling reason after a transient error.
	ReasonRetrying = "Retrying"
	// ReasonNameConflict: Ready is False because an object Momentum would
	// create (a CronJob or Job) has its name taken by an object Momentum does
	// not control; Momentum neither changes nor deletes it.
	ReasonNameConflict = "NameConflict"
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

// ReasonUndecodable means the manager could not decode the object (see
// AnnotationDecodeError). It is Stalled and nothing is done for it until its
// spec is corrected.
const ReasonUndecodable = "Undecodable"
