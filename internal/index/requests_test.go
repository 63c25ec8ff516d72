package index

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// An initiative maps to the commitments that name it in its namespace,
// and to nothing else.
func TestRequests(t *testing.T) {
	g := NewWithT(t)
	scheme := runtime.NewScheme()
	g.Expect(v1alpha1.AddToScheme(scheme)).To(Succeed())
	commitment := func(ns, name, initiative string) *v1alpha1.Commitment {
		return &v1alpha1.Commitment{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.CommitmentSpec{InitiativeRef: v1alpha1.LocalObjectReference{Name: initiative}}}
	}
	c := fake.NewClientBuilder().WithScheme(scheme).
		WithObjects(commitment("a", "mine", "it"), commitment("a", "other", "another"), commitment("b", "elsewhere", "it")).
		WithIndex(&v1alpha1.Commitment{}, CommitmentByInitiative, func(o client.Object) []string {
			return []string{o.(*v1alpha1.Commitment).Spec.InitiativeRef.Name}
		}).Build()
	mapper := Requests(c, func() *v1alpha1.CommitmentList { return &v1alpha1.CommitmentList{} }, CommitmentByInitiative)
	got := mapper(context.Background(), &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "it"}})
	g.Expect(got).To(Equal([]reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: "a", Name: "mine"}}}))
}
