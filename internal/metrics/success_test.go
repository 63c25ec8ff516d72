package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Only aggregates are exported: the mean index only when status shows it.
func TestCollectSuccessIndexAndDisciplines(t *testing.T) {
	shown := v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "customer-first"},
		Status: v1alpha1.InitiativeStatus{Commitments: &v1alpha1.CommitmentRollup{Count: 6, MeanIndex: ptr.To[int32](72),
			Participation: ptr.To[int32](80), OverdueReviews: 1}}}
	hidden := v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "small"},
		Status: v1alpha1.InitiativeStatus{Commitments: &v1alpha1.CommitmentRollup{Count: 2, Participation: ptr.To[int32](50), Hidden: "floor"}}}
	ca := v1alpha1.CultureAssessment{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "pulse"},
		Spec: v1alpha1.CultureAssessmentSpec{InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"}},
		Status: v1alpha1.CultureAssessmentStatus{Disciplines: []v1alpha1.DisciplineStatus{
			{Name: "customer-insight", Score: ptr.To[v1alpha1.Decimal]("3.1"), Target: "3.5", Breadth: ptr.To[int32](50), Depth: ptr.To[v1alpha1.Decimal]("1.1")},
			{Name: "learning", Target: "3.5"},
		}}}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(NewCollector(fakeReader{initiatives: []v1alpha1.Initiative{shown, hidden}, assessments: []v1alpha1.CultureAssessment{ca}}))
	want := `
# HELP momentum_success_index_mean Mean latest Success Index (0-100) of an Initiative's reviewed Commitments (status.commitments.meanIndex); absent below the confidentiality floor.
# TYPE momentum_success_index_mean gauge
momentum_success_index_mean{initiative="customer-first",namespace="culture"} 72
# HELP momentum_success_commitments Commitments of an Initiative (status.commitments.count).
# TYPE momentum_success_commitments gauge
momentum_success_commitments{initiative="customer-first",namespace="culture"} 6
momentum_success_commitments{initiative="small",namespace="culture"} 2
# HELP momentum_success_participation Percent of sponsors, council members and teams that own a Commitment (status.commitments.participation).
# TYPE momentum_success_participation gauge
momentum_success_participation{initiative="customer-first",namespace="culture"} 80
momentum_success_participation{initiative="small",namespace="culture"} 50
# HELP momentum_assessment_discipline_score Latest score of a discipline of a CultureAssessment (status.disciplines[].score).
# TYPE momentum_assessment_discipline_score gauge
momentum_assessment_discipline_score{assessment="pulse",discipline="customer-insight",initiative="customer-first",namespace="culture"} 3.1
# HELP momentum_assessment_discipline_target Target of a discipline of a CultureAssessment (spec.disciplines[].target).
# TYPE momentum_assessment_discipline_target gauge
momentum_assessment_discipline_target{assessment="pulse",discipline="customer-insight",initiative="customer-first",namespace="culture"} 3.5
momentum_assessment_discipline_target{assessment="pulse",discipline="learning",initiative="customer-first",namespace="culture"} 3.5
# HELP momentum_assessment_discipline_breadth Percent of shown segments at or above the discipline's target; absent without segments above the confidentiality floor.
# TYPE momentum_assessment_discipline_breadth gauge
momentum_assessment_discipline_breadth{assessment="pulse",discipline="customer-insight",initiative="customer-first",namespace="culture"} 50
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "momentum_success_index_mean", "momentum_success_commitments",
		"momentum_success_participation", "momentum_assessment_discipline_score", "momentum_assessment_discipline_target",
		"momentum_assessment_discipline_breadth"); err != nil {
		t.Error(err)
	}
}
