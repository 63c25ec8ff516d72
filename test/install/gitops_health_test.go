package install_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/names"
)

// t0 is the fake clock's start: after every sample below.
var t0 = time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)

// The objects the real manager reconciles into every state a health check
// tells apart: each kind, each documented Ready reason.
const programs = `
apiVersion: v1
kind: Secret
metadata: {name: webhook, labels: {culture.momentum.dev/usable-for: channel}}
stringData: {address: "https://hooks.slack.example/services/T0/B0/xyz"}
---
apiVersion: v1
kind: Secret
metadata: {name: legacy-webhook, labels: {culture.momentum.dev/usable: "true"}}
stringData: {address: "https://hooks.slack.example/services/T0/B0/xyz"}
---
apiVersion: v1
kind: Secret
metadata: {name: unlabelled}
stringData: {address: "https://hooks.slack.example/services/T0/B0/xyz"}
---
apiVersion: v1
kind: Secret
metadata: {name: no-address, labels: {culture.momentum.dev/usable-for: channel}}
stringData: {url: "https://hooks.slack.example/services/T0/B0/xyz"}
---
apiVersion: v1
kind: Secret
metadata: {name: plain-http, labels: {culture.momentum.dev/usable-for: channel}}
stringData: {address: "http://hooks.slack.example/services/T0/B0/xyz"}
---
{kind: Channel, metadata: {name: all-hands}, spec: {type: slack, secretRef: {name: webhook}}}
---
{kind: Channel, metadata: {name: legacy}, spec: {type: slack, secretRef: {name: legacy-webhook}}}
---
{kind: Channel, metadata: {name: no-secret}, spec: {type: slack, secretRef: {name: absent}}}
---
{kind: Channel, metadata: {name: not-usable}, spec: {type: slack, secretRef: {name: unlabelled}}}
---
{kind: Channel, metadata: {name: no-address}, spec: {type: slack, secretRef: {name: no-address}}}
---
{kind: Channel, metadata: {name: insecure}, spec: {type: slack, secretRef: {name: plain-http}}}
---
{kind: Initiative, metadata: {name: in-progress}, spec: {}}
---
{kind: Initiative, metadata: {name: final}, spec: {stages: [{name: Reinforcement}]}}
---
{kind: Initiative, metadata: {name: forged-ledger}, spec: {celebrations: {channel: all-hands}}}
---
{kind: RecognitionCampaign, metadata: {name: forged-ledger-spotlight}, spec: {initiativeRef: {name: in-progress}, schedule: "0 16 * * FRI", channel: all-hands, behaviors: [close-the-loop]}}
---
{kind: Initiative, metadata: {name: paused}, spec: {suspend: true}}
---
{kind: Initiative, metadata: {name: gated}, spec: {stages: [{name: Initiation, exitCriteria: {indicators: [{name: absent}]}}, {name: Implementation}]}}
---
{kind: Initiative, metadata: {name: at-risk}, spec: {stages: [{name: Initiation, exitCriteria: {indicators: [{name: off-target}]}}, {name: Implementation}]}}
---
{kind: Initiative, metadata: {name: bad-template}, spec: {reminders: [{name: weekly-why, schedule: "0 9 * * MON", channel: all-hands, message: "{{ .Nope"}]}}
---
{kind: Initiative, metadata: {name: no-channel}, spec: {reminders: [{name: weekly-why, schedule: "0 9 * * MON", channel: absent, message: "{{ .Why }}"}]}}
---
{kind: Initiative, metadata: {name: broken-channel}, spec: {reminders: [{name: weekly-why, schedule: "0 9 * * MON", channel: not-usable, message: "{{ .Why }}"}]}}
---
{kind: Initiative, metadata: {name: failing-delivery}, spec: {reminders: [{name: weekly-why, schedule: "0 9 * * MON", channel: all-hands, message: "{{ .Why }}"}]}}
---
{kind: Initiative, metadata: {name: lost-stage}, spec: {stages: [{name: Listen}, {name: Act}]}}
---
{kind: Initiative, metadata: {name: taken-name}, spec: {reminders: [{name: weekly-why, schedule: "0 9 * * MON", channel: all-hands, message: "{{ .Why }}"}]}}
---
{kind: Initiative, metadata: {name: quiet}, spec: {quietHours: {timeZone: UTC, allow: [{days: [Mon-Fri], from: "09:00", to: "17:30"}]},
  reminders: [{name: weekly-why, schedule: "0 20 * * MON", channel: all-hands, message: "{{ .Why }}"}]}}
---
{kind: LeadingIndicator, metadata: {name: measured}, spec: {initiativeRef: {name: in-progress}, category: Awareness, target: {value: 75, direction: AtLeast},
  samples: [{at: "2026-11-10T00:00:00Z", value: 80}]}}
---
{kind: LeadingIndicator, metadata: {name: off-target}, spec: {initiativeRef: {name: at-risk}, category: Awareness, target: {value: 75, direction: AtLeast},
  samples: [{at: "2026-11-10T00:00:00Z", value: 20}]}}
---
{kind: LeadingIndicator, metadata: {name: orphan}, spec: {initiativeRef: {name: absent}, category: Awareness, target: {value: 75, direction: AtLeast}}}
---
{kind: LeadingIndicator, metadata: {name: no-behavior}, spec: {initiativeRef: {name: in-progress}, category: BehaviorAdoption, behavior: nope, target: {value: 75, direction: AtLeast}}}
---
{kind: LeadingIndicator, metadata: {name: unreachable}, spec: {initiativeRef: {name: in-progress}, category: Awareness, target: {value: 75, direction: AtLeast},
  failureLimit: 1, source: {http: {url: "https://127.0.0.2:9/nps", jsonPath: "{.nps}"}}}}
---
{kind: LeadingIndicator, metadata: {name: refused}, spec: {initiativeRef: {name: in-progress}, category: Awareness, target: {value: 75, direction: AtLeast},
  source: {http: {url: "https://127.0.0.1:9/nps", jsonPath: "{.nps}"}}}}
---
{kind: LeadingIndicator, metadata: {name: unparsable}, spec: {initiativeRef: {name: in-progress}, category: Awareness, target: {value: 75, direction: AtLeast},
  source: {prometheus: {address: "https://prometheus.example.com", query: "sum(rate(nps[5m]"}}}}
---
{kind: RecognitionCampaign, metadata: {name: spotlight}, spec: {initiativeRef: {name: in-progress}, schedule: "0 16 * * FRI", channel: all-hands, behaviors: [close-the-loop]}}
---
{kind: RecognitionCampaign, metadata: {name: paused-spotlight}, spec: {initiativeRef: {name: paused}, schedule: "0 16 * * FRI", channel: all-hands, behaviors: [close-the-loop]}}
---
{kind: RecognitionCampaign, metadata: {name: orphan-spotlight}, spec: {initiativeRef: {name: absent}, schedule: "0 16 * * FRI", channel: all-hands, behaviors: [close-the-loop]}}
---
{kind: RecognitionCampaign, metadata: {name: no-channel-spotlight}, spec: {initiativeRef: {name: in-progress}, schedule: "0 16 * * FRI", channel: absent, behaviors: [close-the-loop]}}
---
{kind: RecognitionCampaign, metadata: {name: broken-channel-spotlight}, spec: {initiativeRef: {name: in-progress}, schedule: "0 16 * * FRI", channel: not-usable, behaviors: [close-the-loop]}}
---
{kind: RecognitionCampaign, metadata: {name: bad-schedule}, spec: {initiativeRef: {name: in-progress}, schedule: "0 16 * * FRY", channel: all-hands, behaviors: [close-the-loop]}}
---
{kind: RecognitionCampaign, metadata: {name: late-spotlight}, spec: {initiativeRef: {name: quiet}, schedule: "0 20 * * FRI", channel: all-hands, behaviors: [close-the-loop]}}
---
{kind: Commitment, metadata: {name: committed}, spec: {initiativeRef: {name: in-progress}, owner: {name: Dana Lee}, reviewer: Alex Kim,
  actions: [{name: call-ten-customers, horizon: 3m, behavior: close-the-loop}]}}
---
{kind: Commitment, metadata: {name: reviewed}, spec: {initiativeRef: {name: in-progress}, owner: {name: Ravi Patel}, reviewer: Alex Kim,
  actions: [{name: call-ten-customers, horizon: 3m, status: InProgress}],
  reviews: [{quarter: 2026-Q4, date: "2026-11-10", confidence: High, narrative: "Six calls so far.", outcomes: [{action: call-ten-customers, outcome: OnTrack, rating: 4}]}]}}
---
{kind: Commitment, metadata: {name: review-overdue}, spec: {initiativeRef: {name: in-progress}, owner: {name: Mia Chen}, reviewer: Alex Kim,
  actions: [{name: call-ten-customers, horizon: 3m, status: InProgress}],
  reviews: [{quarter: 2026-Q1, date: "2026-03-20", confidence: Medium, narrative: "Two calls so far.", outcomes: [{action: call-ten-customers, outcome: Behind}]}]}}
---
{kind: Commitment, metadata: {name: orphan-commitment}, spec: {initiativeRef: {name: absent}, owner: {name: Dana Lee}, reviewer: Alex Kim,
  actions: [{name: call-ten-customers, horizon: 3m}]}}
---
{kind: Commitment, metadata: {name: no-behavior-commitment}, spec: {initiativeRef: {name: in-progress}, owner: {name: Dana Lee}, reviewer: Alex Kim,
  actions: [{name: call-ten-customers, horizon: 3m, behavior: nope}]}}
---
{kind: CultureAssessment, metadata: {name: assessed}, spec: {initiativeRef: {name: in-progress}, disciplines: [{name: customer-insight, target: 3.5}],
  rounds: [{date: "2026-10-15", respondents: 40, scores: [{discipline: customer-insight, score: 3.1}]}]}}
---
{kind: CultureAssessment, metadata: {name: no-rounds}, spec: {initiativeRef: {name: in-progress}, disciplines: [{name: customer-insight, target: 3.5}]}}
---
{kind: CultureAssessment, metadata: {name: orphan-assessment}, spec: {initiativeRef: {name: absent}, disciplines: [{name: customer-insight, target: 3.5}]}}
`

// state is one object in one state, and what Argo CD and Flux must read.
type state struct {
	kind, name string
	// reason is the Ready reason the manager writes in this state.
	reason string
	// argo is Argo CD's health status; argoSays a part of its message.
	argo, argoSays string
	// flux is the kstatus status Flux computes.
	flux string
}

// states produced by the real manager from programs (and, for lost-stage,
// a spec change after the first reconcile; for taken-name, a CronJob
// Momentum does not control at the name it wants; unreachable's address is
// allowed by the manager's policy, refused's is not).
var states = []state{
	{"Channel", "all-hands", "AddressValid", "Healthy", "", "Current"},
	{"Channel", "legacy", "AddressValid", "Healthy", "deprecated label", "Current"},
	{"Channel", "no-secret", "SecretNotFound", "Degraded", "SecretNotFound: ", "Failed"},
	{"Channel", "not-usable", "SecretNotUsable", "Degraded", "SecretNotUsable: ", "Failed"},
	{"Channel", "no-address", "AddressMissing", "Degraded", "AddressMissing: ", "Failed"},
	{"Channel", "insecure", "AddressInvalid", "Degraded", "AddressInvalid: ", "Failed"},
	{"Initiative", "in-progress", "StageInProgress", "Healthy", "", "Current"},
	{"Initiative", "final", "FinalStage", "Healthy", "", "Current"},
	{"Initiative", "paused", "Suspended", "Suspended", "", "Current"},
	{"Initiative", "gated", "IndicatorNotFound", "Progressing", "IndicatorNotFound: ", "InProgress"},
	{"Initiative", "at-risk", "StageInProgress", "Healthy", "MomentumAtRisk IndicatorOffTarget: ", "Current"},
	{"Initiative", "bad-template", "TemplateInvalid", "Degraded", "TemplateInvalid: ", "Failed"},
	{"Initiative", "no-channel", "ChannelNotFound", "Progressing", "ChannelNotFound: ", "InProgress"},
	{"Initiative", "broken-channel", "ChannelNotReady", "Progressing", "ChannelNotReady: ", "InProgress"},
	{"Initiative", "failing-delivery", "StageInProgress", "Healthy", "DeliveryFailing DeliveryFailed: ", "Current"},
	{"Initiative", "lost-stage", "StageNotFound", "Degraded", "StageNotFound: ", "Failed"},
	{"Initiative", "taken-name", "NameConflict", "Degraded", "NameConflict: ", "Failed"},
	{"Initiative", "forged-ledger", "LedgerInvalid", "Degraded", "LedgerInvalid: ", "Failed"},
	{"Initiative", "quiet", "QuietHoursConflict", "Degraded", "QuietHoursConflict: reminder weekly-why fires at", "Failed"},
	{"LeadingIndicator", "measured", "Measured", "Healthy", "", "Current"},
	{"LeadingIndicator", "off-target", "Measured", "Healthy", "OffTarget", "Current"},
	{"LeadingIndicator", "orphan", "InitiativeNotFound", "Progressing", "InitiativeNotFound: ", "InProgress"},
	{"LeadingIndicator", "no-behavior", "BehaviorNotFound", "Progressing", "BehaviorNotFound: ", "InProgress"},
	{"LeadingIndicator", "unreachable", "SourceUnavailable", "Degraded", "SourceUnavailable: ", "Failed"},
	{"LeadingIndicator", "refused", "SourceInvalid", "Degraded", "SourceInvalid: ", "Failed"},
	{"LeadingIndicator", "unparsable", "SourceInvalid", "Degraded", "SourceInvalid: ", "Failed"},
	{"RecognitionCampaign", "spotlight", "Scheduled", "Healthy", "Next spotlight", "Current"},
	{"RecognitionCampaign", "paused-spotlight", "Suspended", "Suspended", "", "Current"},
	{"RecognitionCampaign", "orphan-spotlight", "InitiativeNotFound", "Progressing", "InitiativeNotFound: ", "InProgress"},
	{"RecognitionCampaign", "no-channel-spotlight", "ChannelNotFound", "Progressing", "ChannelNotFound: ", "InProgress"},
	{"RecognitionCampaign", "broken-channel-spotlight", "ChannelNotReady", "Progressing", "ChannelNotReady: ", "InProgress"},
	{"RecognitionCampaign", "bad-schedule", "ScheduleInvalid", "Degraded", "ScheduleInvalid: ", "Failed"},
	{"RecognitionCampaign", "forged-ledger-spotlight", "LedgerInvalid", "Degraded", "LedgerInvalid: ", "Failed"},
	{"RecognitionCampaign", "late-spotlight", "QuietHoursConflict", "Degraded", "QuietHoursConflict: The spotlight fires at", "Failed"},
	{"Commitment", "committed", "NotReviewedYet", "Healthy", "not reviewed yet", "Current"},
	{"Commitment", "reviewed", "Reviewed", "Healthy", "Success Index of Ravi Patel", "Current"},
	{"Commitment", "review-overdue", "Reviewed", "Healthy", "ReviewOverdue ReviewDue: ", "Current"},
	{"Commitment", "orphan-commitment", "InitiativeNotFound", "Progressing", "InitiativeNotFound: ", "InProgress"},
	{"Commitment", "no-behavior-commitment", "BehaviorNotFound", "Progressing", "BehaviorNotFound: ", "InProgress"},
	{"CultureAssessment", "assessed", "Assessed", "Healthy", "1 rounds", "Current"},
	{"CultureAssessment", "no-rounds", "NoRounds", "Healthy", "add a round", "Current"},
	{"CultureAssessment", "orphan-assessment", "InitiativeNotFound", "Progressing", "InitiativeNotFound: ", "InProgress"},
}

// Argo CD's Lua and Flux's CEL read every state of every kind as documented
// in docs/status.md, on objects the real manager wrote.
func TestGitOpsHealthOfRealObjects(t *testing.T) {
	g := NewWithT(t)
	ns := "gitops-health"
	g.Expect(k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
	takeName(t, ns, names.CronJob(names.Child{OwnerKind: "Initiative", OwnerName: "taken-name", Role: names.RoleReminder, Key: "weekly-why"}))
	forgeLedger(t, ns, "Initiative", cronjobs.LabelInitiative, "forged-ledger")
	forgeLedger(t, ns, "RecognitionCampaign", cronjobs.LabelCampaign, "forged-ledger-spotlight")
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	for _, o := range objects(t, []byte(programs)) {
		createIn(t, ns, o)
	}
	failDelivery(t, ns, "failing-delivery", "weekly-why")
	loseStage(t, ns, "lost-stage")

	argo, flux := argoScripts(t), fluxReader(t)
	for _, s := range states {
		t.Run(s.kind+"/"+s.name, func(t *testing.T) {
			g := NewWithT(t)
			var obj *unstructured.Unstructured
			g.Eventually(func(g Gomega) {
				obj = get(g, ns, s.kind, s.name)
				g.Expect(readyReason(obj)).To(Equal(s.reason))
				status, message, err := argoHealth(argo[s.kind], obj)
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(status).To(Equal(s.argo))
				g.Expect(message).To(ContainSubstring(s.argoSays)) // settled: e.g. a delivery's outcome recorded
			}).WithTimeout(30 * time.Second).Should(Succeed())
			status, message, err := argoHealth(argo[s.kind], obj)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(status).To(Equal(s.argo))
			g.Expect(message).To(ContainSubstring(s.argoSays))
			g.Expect(message).NotTo(BeEmpty())
			g.Expect(fluxHealth(flux, obj)).To(Equal(s.flux))
		})
	}
}

func createIn(t *testing.T, ns string, o *unstructured.Unstructured) {
	t.Helper()
	if o.GetAPIVersion() == "" {
		o.SetAPIVersion("culture.momentum.dev/v1alpha1")
	}
	o.SetNamespace(ns)
	if o.GetKind() == "Initiative" {
		// What every Initiative needs; campaigns name its behavior.
		spec := o.Object["spec"].(map[string]any)
		spec["why"] = "Every customer should feel we are on their side."
		spec["sponsors"] = []any{map[string]any{"name": "Dana Lee", "title": "COO"}}
		spec["behaviors"] = []any{map[string]any{"name": "close-the-loop", "description": "Reply to every detractor within 48 hours"}}
	}
	if err := k8s.Create(context.Background(), o); err != nil {
		t.Fatalf("creating %s %s: %v", o.GetKind(), o.GetName(), err)
	}
}

func get(g Gomega, ns, kind, name string) *unstructured.Unstructured {
	obj := &unstructured.Unstructured{}
	obj.SetAPIVersion("culture.momentum.dev/v1alpha1")
	obj.SetKind(kind)
	g.Expect(k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, obj)).To(Succeed())
	return obj
}

func conditionOf(obj *unstructured.Unstructured, t string) map[string]any {
	conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, c := range conds {
		if m := c.(map[string]any); m["type"] == t {
			return m
		}
	}
	return nil
}

func readyReason(obj *unstructured.Unstructured) string {
	if c := conditionOf(obj, "Ready"); c != nil {
		return c["reason"].(string)
	}
	return ""
}

// failDelivery records a failed Job of a reminder, as the Job controller would.
func failDelivery(t *testing.T, ns, initiative, reminder string) {
	t.Helper()
	labels := map[string]string{"app.kubernetes.io/managed-by": "momentum", "culture.momentum.dev/initiative": initiative, "culture.momentum.dev/reminder": reminder}
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: initiative + "-" + reminder + "-1", Labels: labels},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: labels},
			Spec:       corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "notify", Image: "x"}}},
		}},
	}
	if err := k8s.Create(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	end := metav1.NewTime(t0.Add(-time.Hour))
	start := metav1.NewTime(end.Add(-time.Minute))
	job.Status.StartTime, job.Status.Failed = &start, 1
	job.Status.Conditions = []batchv1.JobCondition{
		{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, LastTransitionTime: end},
		{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, LastTransitionTime: end},
	}
	if err := k8s.Status().Update(context.Background(), job); err != nil {
		t.Fatalf("recording job outcome: %v", err)
	}
}

// takeName creates a CronJob at name that Momentum does not control (no
// owner reference), as another tool or a person would.
func takeName(t *testing.T, ns, name string) {
	t.Helper()
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: batchv1.CronJobSpec{Schedule: "0 0 * * *", JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
			Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "other", Image: "x"}}},
		}}}},
	}
	if err := k8s.Create(context.Background(), cj); err != nil {
		t.Fatalf("creating foreign CronJob %s: %v", name, err)
	}
}

// forgeLedger writes, as a tenant could, a ConfigMap at the ledger's name
// of owner that is larger than any ledger Momentum writes.
func forgeLedger(t *testing.T, ns, kind, label, owner string) {
	t.Helper()
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: ledger.Name(kind, owner),
			Labels: map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, label: owner}},
		Data: map[string]string{ledger.DataKey: strings.Repeat("nomination/forged\n", ledger.MaxBytes/16)},
	}
	if err := k8s.Create(context.Background(), cm); err != nil {
		t.Fatalf("forging ledger %s: %v", cm.Name, err)
	}
}

// loseStage removes an initiative's current stage from its spec once it is in it.
func loseStage(t *testing.T, ns, name string) {
	t.Helper()
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		obj := get(g, ns, "Initiative", name)
		stage, _, _ := unstructured.NestedString(obj.Object, "status", "stage")
		g.Expect(stage).To(Equal("Listen"))
		g.Expect(unstructured.SetNestedSlice(obj.Object, []any{map[string]any{"name": "Act"}, map[string]any{"name": "Reflect"}}, "spec", "stages")).To(Succeed())
		g.Expect(k8s.Update(context.Background(), obj)).To(Succeed())
	}).WithTimeout(30 * time.Second).Should(Succeed())
}

// States the manager passes through too briefly, or only on an API error,
// to catch reliably: each is a real object with the conditions the manager
// writes in that state (internal/conditions), and the generation lag every
// spec change causes.
func TestGitOpsHealthOfPassingStates(t *testing.T) {
	ns := "gitops-passing"
	g := NewWithT(t)
	g.Expect(k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
	for _, o := range objects(t, []byte(programs)) {
		if o.GetKind() != "Secret" {
			createIn(t, ns, o)
		}
	}
	argo, flux := argoScripts(t), fluxReader(t)
	ready := func(status, reason string) map[string]any {
		return map[string]any{"type": "Ready", "status": status, "reason": reason, "message": "a message naming the object", "lastTransitionTime": "2026-11-15T09:00:00Z"}
	}
	retrying := map[string]any{"type": "Reconciling", "status": "True", "reason": "Retrying", "message": "the API server was unavailable", "lastTransitionTime": "2026-11-15T09:00:00Z"}
	stalled := func(reason string) map[string]any {
		return map[string]any{"type": "Stalled", "status": "True", "reason": reason, "message": "a message naming the object", "lastTransitionTime": "2026-11-15T09:00:00Z"}
	}
	cases := map[string]struct {
		kind, name string
		conds      []any
		// generationAhead leaves observedGeneration behind metadata.generation.
		generationAhead bool
		argo, flux      string
	}{
		"an Initiative waiting for its Channel's first check": {kind: "Initiative", name: "no-channel", conds: []any{ready("False", "ChannelPending")}, argo: "Progressing", flux: "InProgress"},
		"a campaign waiting for its Channel's first check":    {kind: "RecognitionCampaign", name: "no-channel-spotlight", conds: []any{ready("False", "ChannelPending")}, argo: "Progressing", flux: "InProgress"},
		"a first reconcile that hit a transient error":        {kind: "Channel", name: "all-hands", conds: []any{ready("Unknown", "Retrying"), retrying}, argo: "Progressing", flux: "InProgress"},
		"a Ready object retrying after a transient error":     {kind: "LeadingIndicator", name: "measured", conds: []any{ready("True", "Measured"), retrying}, argo: "Progressing", flux: "InProgress"},
		"a spec change not reconciled yet":                    {kind: "Initiative", name: "in-progress", conds: []any{ready("True", "StageInProgress")}, generationAhead: true, argo: "Progressing", flux: "InProgress"},
		"a reason added later reads as needing a person":      {kind: "Channel", name: "no-secret", conds: []any{ready("False", "SomethingNew")}, argo: "Degraded", flux: "Failed"},
		// The API server rejects the undecodable values it once let through,
		// so the manager's Undecodable status is set by hand.
		"an undecodable commitment": {kind: "Commitment", name: "committed", conds: []any{ready("False", "Undecodable"), stalled("Undecodable")}, argo: "Degraded", flux: "Failed"},
		"an undecodable assessment": {kind: "CultureAssessment", name: "assessed", conds: []any{ready("False", "Undecodable"), stalled("Undecodable")}, argo: "Degraded", flux: "Failed"},
		"an undecodable initiative": {kind: "Initiative", name: "in-progress", conds: []any{ready("False", "Undecodable"), stalled("Undecodable")}, argo: "Degraded", flux: "Failed"},
		// Stalled wins over a Ready reason that would heal, in both tools
		// (earlier managers stalled commitments on a missing initiative).
		"a stalled object whose Ready reason heals": {kind: "Commitment", name: "orphan-commitment", conds: []any{ready("False", "InitiativeNotFound"), stalled("InitiativeNotFound")}, argo: "Degraded", flux: "Failed"},
		"a stalled object retrying":                 {kind: "Initiative", name: "lost-stage", conds: []any{ready("False", "StageNotFound"), stalled("StageNotFound"), retrying}, argo: "Degraded", flux: "Failed"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := get(g, ns, tc.kind, tc.name)
			g.Expect(obj.Object).NotTo(HaveKey("status"), "no manager runs in %s", ns)
			generation := obj.GetGeneration()
			if tc.generationAhead {
				obj.SetGeneration(generation + 1)
			}
			obj.Object["status"] = map[string]any{"observedGeneration": generation, "conditions": tc.conds}
			status, message, err := argoHealth(argo[tc.kind], obj)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(status).To(Equal(tc.argo))
			g.Expect(message).NotTo(BeEmpty())
			g.Expect(fluxHealth(flux, obj)).To(Equal(tc.flux))
		})
	}

	// Before the manager's first status write: Progressing for Argo CD. Flux
	// cannot evaluate an expression on an object without status (no CRD's
	// can): it reads Unknown and polls again, as for InProgress.
	first := map[string]string{
		"Initiative": "in-progress", "LeadingIndicator": "measured", "Channel": "all-hands", "RecognitionCampaign": "spotlight",
		"Commitment": "committed", "CultureAssessment": "assessed",
	}
	g.Expect(first).To(HaveLen(len(momentumKinds)))
	for _, kind := range momentumKinds {
		obj := get(g, ns, kind, first[kind])
		status, _, err := argoHealth(argo[kind], obj)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(status).To(Equal("Progressing"), kind)
		g.Expect(fluxHealth(flux, obj)).To(Equal("Unknown"), kind)
	}
}

// Every Ready reason docs/status.md documents has a state above, so a new
// reason cannot ship without a decision on how GitOps tools read it.
func TestEveryDocumentedReasonHasAHealth(t *testing.T) {
	g := NewWithT(t)
	doc, err := os.ReadFile(filepath.Join(root(), "docs", "status.md"))
	g.Expect(err).NotTo(HaveOccurred())
	covered := map[string]bool{"ChannelPending": true, "Retrying": true, "Undecodable": true} // TestGitOpsHealthOfPassingStates
	kinds := map[string]bool{}
	for _, s := range states {
		covered[s.reason] = true
		kinds[s.kind] = true
	}
	g.Expect(kinds).To(HaveLen(len(momentumKinds)))
	rows := regexp.MustCompile("(?m)^\\| Ready \\| (?:True|False|Unknown) \\| `(\\w+)`")
	documented := rows.FindAllStringSubmatch(string(doc), -1)
	g.Expect(len(documented)).To(BeNumerically(">=", 20))
	var missing []string
	for _, m := range documented {
		if !covered[m[1]] {
			missing = append(missing, m[1])
		}
	}
	g.Expect(missing).To(BeEmpty(), fmt.Sprintf("add a state for %s to gitops_health_test.go (and decide Degraded or Progressing in config/argocd/health.lua and config/flux/health.yaml)", strings.Join(missing, ", ")))
}
