package controllers_test

import (
	"context"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// The API server rejects bad manifests whole, with a message naming the field.
func TestAPIServerRejectsBadInput(t *testing.T) {
	ns := namespace(t)
	tests := map[string]struct {
		obj  func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator)
		want string
	}{
		"approval for an undeclared stage": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "bad-approval")
				it.Spec.Stages = []v1alpha1.Stage{{Name: "Piloting"}, {Name: "Scaling"}}
				it.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
				return it, nil
			},
			want: "spec.approvals: Invalid value: spec.approvals[].stage must name a stage declared in spec.stages",
		},
		"approval for a non-default stage when stages are omitted": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "bad-default-approval")
				it.Spec.Approvals = []v1alpha1.Approval{{Stage: "Piloting", ApprovedBy: "Dana Lee"}}
				return it, nil
			},
			want: "spec.approvals[].stage must name a stage declared in spec.stages (or one of Initiation, Implementation, Embedding, Reinforcement",
		},
		"no sponsor": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "no-sponsor")
				it.Spec.Sponsors = []v1alpha1.Person{}
				return it, nil
			},
			want: "spec.sponsors: Invalid value: 0: spec.sponsors in body should have at least 1 items",
		},
		"duplicate stage names": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "dup-stages")
				it.Spec.Stages = []v1alpha1.Stage{{Name: "Initiation"}, {Name: "Initiation"}}
				return it, nil
			},
			want: "spec.stages[1]: Duplicate value",
		},
		"empty why": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "no-why")
				it.Spec.Why = ""
				return it, nil
			},
			want: "spec.why: Invalid value: \"\": spec.why in body should be at least 1 chars long",
		},
		"why over its bound": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "long-why")
				it.Spec.Why = strings.Repeat("x", 2049)
				return it, nil
			},
			want: "spec.why: Too long: may not be more than 2048 bytes",
		},
		"unknown required health": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "bad-health")
				it.Spec.Stages = []v1alpha1.Stage{{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{
					Indicators: []v1alpha1.IndicatorCriterion{{Name: "x", Health: "Great"}}}}}
				return it, nil
			},
			want: "spec.stages[0].exitCriteria.indicators[0].health: Unsupported value: \"Great\"",
		},
		"bad duration": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "bad-duration")
				it.Spec.Stages = []v1alpha1.Stage{{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{}}}
				it.Spec.Stages[0].ExitCriteria.MinDuration = nil
				return it, nil
			},
			want: "", // valid: an empty exitCriteria is allowed and means approval
		},
		"invalid cron expression": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "bad-cron")
				it.Spec.Reminders = []v1alpha1.Reminder{{Name: "weekly-why", Schedule: "every monday", Channel: "all-hands", Message: "x"}}
				return it, nil
			},
			want: "spec.reminders[0].schedule: Invalid value: \"every monday\": must be a cron expression of five fields",
		},
		"unknown time zone": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "bad-tz")
				it.Spec.Reminders = []v1alpha1.Reminder{{Name: "weekly-why", Schedule: "0 9 * * MON", TimeZone: "Mars/Olympus_Mons", Channel: "all-hands", Message: "x"}}
				return it, nil
			},
			want: "spec.reminders[0].timeZone: Invalid value: \"string\": unknown time zone Mars/Olympus_Mons evaluating rule: must be an IANA time zone name such as Europe/Berlin",
		},
		"known time zone and cron accepted": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "good-reminder")
				it.Spec.Reminders = []v1alpha1.Reminder{{Name: "weekly-why", Schedule: "0 9 * * MON", TimeZone: "Europe/Berlin", Channel: "all-hands", Message: "x"},
					{Name: "daily", Schedule: "@daily", TimeZone: "America/Argentina/Buenos_Aires", Channel: "all-hands", Message: "x"}}
				return it, nil
			},
			want: "",
		},
		"duplicate reminder names": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "dup-reminders")
				r := v1alpha1.Reminder{Name: "weekly-why", Schedule: "0 9 * * MON", Channel: "all-hands", Message: "x"}
				it.Spec.Reminders = []v1alpha1.Reminder{r, r}
				return it, nil
			},
			want: "spec.reminders[1]: Duplicate value",
		},
		"template over its size bound": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				it := newInitiative(ns, "long-template")
				it.Spec.Reminders = []v1alpha1.Reminder{{Name: "weekly-why", Schedule: "0 9 * * MON", Channel: "all-hands", Message: strings.Repeat("x", 4097)}}
				return it, nil
			},
			want: "spec.reminders[0].message: Too long: may not be more than 4096 bytes",
		},
		"behavior without BehaviorAdoption": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				ind := newIndicator(ns, "bad-behavior", "customer-first", "75")
				ind.Spec.Behavior = "close-the-loop"
				return nil, ind
			},
			want: "spec.behavior: Invalid value: spec.behavior is allowed only when spec.category is BehaviorAdoption",
		},
		"unknown category": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				ind := newIndicator(ns, "bad-category", "customer-first", "75")
				ind.Spec.Category = "Vibes"
				return nil, ind
			},
			want: "spec.category: Unsupported value: \"Vibes\"",
		},
		"negative at-risk margin": {
			obj: func() (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
				ind := newIndicator(ns, "bad-margin", "customer-first", "75")
				m := v1alpha1.Decimal("-1")
				ind.Spec.Target.AtRiskMargin = &m
				return nil, ind
			},
			want: "spec.target.atRiskMargin: Invalid value: -1: spec.target.atRiskMargin in body should be greater than or equal to 0",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			it, ind := tc.obj()
			var err error
			if it != nil {
				err = k8s.Create(context.Background(), it)
			} else {
				err = k8s.Create(context.Background(), ind)
			}
			if tc.want == "" {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			g.Expect(apierrors.IsInvalid(err)).To(BeTrue(), "want Invalid, got %v", err)
			g.Expect(err.Error()).To(ContainSubstring(tc.want))
		})
	}
}
