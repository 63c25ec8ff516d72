package refs

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestInitiative(t *testing.T) {
	scheme := runtime.NewScheme()
	NewWithT(t).Expect(v1alpha1.AddToScheme(scheme)).To(Succeed())
	c := fake.NewClientBuilder().WithScheme(scheme).
		WithObjects(&v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "it"}}).Build()
	tests := map[string]struct {
		namespace, name string
		found           bool
	}{
		"exists":               {namespace: "a", name: "it", found: true},
		"missing":              {namespace: "a", name: "other"},
		"in another namespace": {namespace: "b", name: "it"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			it, err := Initiative(context.Background(), c, tc.namespace, tc.name)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(it != nil).To(Equal(tc.found))
		})
	}
}

func TestInitiativeNotFound(t *testing.T) {
	tests := map[string]struct {
		meanwhile string
		want      string
	}{
		"plain": {want: "Initiative it named in spec.initiativeRef not found in namespace a: create it or fix spec.initiativeRef"},
		"with what waits": {meanwhile: "the spotlight CronJob is suspended until then",
			want: "Initiative it named in spec.initiativeRef not found in namespace a: create it or fix spec.initiativeRef (the spotlight CronJob is suspended until then)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			c := InitiativeNotFound("a", "it", tc.meanwhile)
			g.Expect(c.Message).To(Equal(tc.want))
			g.Expect(c.Reason).To(Equal(v1alpha1.ReasonInitiativeNotFound))
			g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
		})
	}
}
