// Package v1alpha1 contains the Momentum API: customer-centric culture-change
// programs as Kubernetes resources in the culture.momentum.dev group.
// +kubebuilder:object:generate=true
// +groupName=culture.momentum.dev
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every Momentum kind.
	GroupVersion = schema.GroupVersion{Group: "culture.momentum.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the Momentum kinds with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the Momentum kinds to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
