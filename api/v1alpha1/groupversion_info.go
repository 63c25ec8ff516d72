// Package v1alpha1 contains the Momentum API: customer-centric culture-change
// programs as Kubernetes resources in the culture.momentum.dev group.
// +kubebuilder:object:generate=true
// +groupName=culture.momentum.dev
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is the group and version of every Momentum kind.
	GroupVersion = schema.GroupVersion{Group: "culture.momentum.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the Momentum kinds with a runtime.Scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the Momentum kinds to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion,
		&Initiative{}, &InitiativeList{},
		&LeadingIndicator{}, &LeadingIndicatorList{},
		&Channel{}, &ChannelList{},
		&RecognitionCampaign{}, &RecognitionCampaignList{},
	)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
