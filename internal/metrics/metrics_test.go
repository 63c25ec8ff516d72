package metrics

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"

	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// fakeReader serves fixed objects, or fails every List with err, and
// records whether callers asked it to skip deep copies.
type fakeReader struct {
	initiatives []v1alpha1.Initiative
	indicators  []v1alpha1.LeadingIndicator
	campaigns   []v1alpha1.RecognitionCampaign
	jobs        []batchv1.Job
	assessments []v1alpha1.CultureAssessment
	err         error
	deepCopies  *int
}

func (r fakeReader) Get(context.Context, client.ObjectKey, client.Object, ...client.GetOption) error {
	return errors.New("the collector only lists")
}

func (r fakeReader) List(_ context.Context, list client.ObjectList, opts ...client.ListOption) error {
	if r.err != nil {
		return r.err
	}
	lo := (&client.ListOptions{}).ApplyOptions(opts)
	if r.deepCopies != nil && (lo.UnsafeDisableDeepCopy == nil || !*lo.UnsafeDisableDeepCopy) {
		*r.deepCopies++
	}
	switch l := list.(type) {
	case *v1alpha1.InitiativeList:
		l.Items = r.initiatives
	case *v1alpha1.LeadingIndicatorList:
		l.Items = r.indicators
	case *v1alpha1.RecognitionCampaignList:
		l.Items = r.campaigns
	case *batchv1.JobList:
		l.Items = r.jobs
	case *v1alpha1.CultureAssessmentList:
		l.Items = r.assessments
	default:
		return fmt.Errorf("unexpected list %T", list)
	}
	return nil
}

var base = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) // Unix 1793523600

func at(hours int) *metav1.Time {
	t := metav1.NewTime(base.Add(time.Duration(hours) * time.Hour))
	return &t
}

func cond(t string, s metav1.ConditionStatus, reason string) metav1.Condition {
	return metav1.Condition{Type: t, Status: s, Reason: reason, Message: "free text never becomes a label"}
}

func program() fakeReader {
	return fakeReader{
		initiatives: []v1alpha1.Initiative{{
			ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "customer-first"},
			Status: v1alpha1.InitiativeStatus{
				Stage:    "Implementation",
				Progress: ptr.To[int32](40),
				History: []v1alpha1.StageRecord{
					{Name: "Initiation", EnteredAt: *at(0), ExitedAt: at(24)},
					{Name: "Implementation", EnteredAt: *at(24)},
				},
				Conditions: []metav1.Condition{
					cond(v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonStageInProgress),
					cond(v1alpha1.ConditionMomentumAtRisk, metav1.ConditionTrue, v1alpha1.ReasonIndicatorOffTarget),
				},
				Reminders: []v1alpha1.ReminderStatus{
					{Name: "weekly-why", LastSuccessfulTime: at(48), LastFailureTime: at(72)},
					{Name: "monthly", LastSuccessfulTime: at(96)},
				},
			},
		}, {
			// Not reconciled yet: no status at all.
			ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "pilot"},
			Spec:       v1alpha1.InitiativeSpec{Stages: []v1alpha1.Stage{{Name: "Pilot"}, {Name: "Rollout"}}},
		}},
		indicators: []v1alpha1.LeadingIndicator{{
			ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "employee-awareness"},
			Spec: v1alpha1.LeadingIndicatorSpec{
				InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"},
				Category:      v1alpha1.CategoryAwareness,
				Target:        v1alpha1.Target{Value: "75"},
			},
			Status: v1alpha1.LeadingIndicatorStatus{
				Value: ptr.To(v1alpha1.Decimal("80.5")), MeasuredAt: at(1),
				Health: v1alpha1.HealthOnTarget, Trend: v1alpha1.TrendImproving, Freshness: v1alpha1.Fresh,
			},
		}, {
			ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "belief"},
			Spec: v1alpha1.LeadingIndicatorSpec{
				InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"},
				Category:      v1alpha1.CategoryEmployeeBelief,
				Target:        v1alpha1.Target{Value: "4.3"},
			},
			Status: v1alpha1.LeadingIndicatorStatus{ConsecutiveFailures: 4, Freshness: v1alpha1.NoData, LastFailure: "server answered 503"},
		}},
		campaigns: []v1alpha1.RecognitionCampaign{{
			ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "kudos"},
			Spec:       v1alpha1.RecognitionCampaignSpec{InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"}},
			Status: v1alpha1.RecognitionCampaignStatus{
				Nominations: ptr.To[int32](4), Spotlighted: ptr.To[int32](3), Pending: ptr.To[int32](1),
				Rejected:        []v1alpha1.RejectedNomination{{Name: "n5", Reason: "behavior unknown"}},
				LeadershipShare: ptr.To[int32](25), PeerShare: ptr.To[int32](75),
				LastPublicationTime: at(120),
			},
		}},
	}
}

func TestCollectSkipsDeepCopies(t *testing.T) {
	r := program()
	r.deepCopies = new(int)
	if n := testutil.CollectAndCount(NewCollector(r)); n == 0 {
		t.Fatal("no metrics collected")
	}
	if *r.deepCopies != 0 {
		t.Errorf("%d Lists asked the cache for deep copies; the collector only reads", *r.deepCopies)
	}
}

// Names, the descriptors and the collected metrics agree, and every metric
// passes the registry's lint (help text, naming, no duplicate labels).
func TestNamesMatchDescriptors(t *testing.T) {
	described := describedNames(t, NewCollector())
	names := slices.Sorted(slices.Values(Names()))
	if !slices.Equal(described, names) {
		t.Errorf("Describe exports %v\nNames() lists   %v", described, names)
	}
	problems, err := testutil.CollectAndLint(NewCollector(program()))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}
