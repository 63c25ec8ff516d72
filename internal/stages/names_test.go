package stages

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestNames(t *testing.T) {
	tests := map[string]struct {
		spec v1alpha1.InitiativeSpec
		want []string
	}{
		"defaults": {want: v1alpha1.DefaultStages},
		"the spec's, in order": {spec: v1alpha1.InitiativeSpec{Stages: []v1alpha1.Stage{{Name: "Pilot"}, {Name: "Rollout"}}},
			want: []string{"Pilot", "Rollout"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Names(tc.spec)).To(Equal(tc.want))
		})
	}
}
