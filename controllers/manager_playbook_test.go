package controllers_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// playbookObjects reads every object config/samples/playbook lists, except
// its Namespace, placed in ns.
func playbookObjects(t *testing.T, ns string) []*unstructured.Unstructured {
	t.Helper()
	dir := filepath.Join(testenv.RepoRoot(), "config", "samples", "playbook")
	var kust struct {
		Resources []string `json:"resources"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err == nil {
		err = yaml.Unmarshal(data, &kust)
	}
	if err != nil {
		t.Fatalf("reading the playbook's kustomization: %v", err)
	}
	var objs []*unstructured.Unstructured
	for _, file := range kust.Resources {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			u := &unstructured.Unstructured{}
			if err := dec.Decode(&u.Object); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if len(u.Object) == 0 || u.GetKind() == "Namespace" {
				continue
			}
			u.SetNamespace(ns)
			objs = append(objs, u)
		}
	}
	return objs
}

// The playbook applies to the real API server as is and converges: every
// object Ready, the Success Index and the weakest discipline shown.
func TestPlaybookConvergesReady(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	objs := playbookObjects(t, ns)
	// Secrets first, as kubectl apply -k orders them: a Channel checked
	// before its Secret exists looks again only a minute later.
	slices.SortStableFunc(objs, func(a, b *unstructured.Unstructured) int {
		rank := func(o *unstructured.Unstructured) int {
			if o.GetKind() == "Secret" {
				return 0
			}
			return 1
		}
		return rank(a) - rank(b)
	})
	kinds := map[string]int{}
	for _, o := range objs {
		g.Expect(k8s.Create(context.Background(), o)).To(Succeed(), "%s %s", o.GetKind(), o.GetName())
		kinds[o.GetKind()]++
	}
	g.Expect(kinds).To(Equal(map[string]int{"Secret": 1, "Channel": 1, "Initiative": 1, "LeadingIndicator": 7,
		"RecognitionCampaign": 1, "Commitment": 5, "CultureAssessment": 1}))

	g.Eventually(func(g Gomega) {
		for _, o := range objs {
			if o.GetKind() == "Secret" {
				continue
			}
			got := &unstructured.Unstructured{}
			got.SetGroupVersionKind(o.GroupVersionKind())
			g.Expect(k8s.Get(context.Background(), client.ObjectKeyFromObject(o), got)).To(Succeed())
			conds, _, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
			g.Expect(conds).To(ContainElement(And(HaveKeyWithValue("type", "Ready"), HaveKeyWithValue("status", "True"))),
				"%s %s: %v", o.GetKind(), o.GetName(), got.Object["status"])
			g.Expect(kstatusOf(g, got)).To(Equal("Current"), "%s %s: %v", o.GetKind(), o.GetName(), got.Object["status"])
		}
	}).WithTimeout(timeout).Should(Succeed())

	// Roll-ups follow their sources' status: wait for them too.
	g.Eventually(func(g Gomega) {
		it := getInitiative(g, ns, "customer-culture")
		g.Expect(it.Status.Stage).To(Equal("Initiation"))
		g.Expect(it.Status.Commitments.Count).To(Equal(int32(5)))
		g.Expect(it.Status.Commitments.MeanIndex).NotTo(BeNil(), "five reviewed commitments reach the floor")
		g.Expect(*it.Status.Commitments.Participation).To(Equal(int32(88)), "7 of 8: Lena Vogel owns no commitment yet")
		g.Expect(it.Status.Funnel.WeakestDiscipline).To(HavePrefix("measurement-and-rewards is the weakest discipline"))
		g.Expect(it.Status.Funnel.WeakestLink).NotTo(BeEmpty())
		g.Expect(it.Status.Stages).To(HaveLen(4))
		g.Expect(getIndicator(g, ns, "success-index").Status.Value).NotTo(BeNil())
		g.Expect(getIndicator(g, ns, "culture-customer-insight").Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("3.1"))))
	}).WithTimeout(3*timeout).Should(Succeed(), "roll-ups wait on five commitments' own status writes: slow on a loaded machine")
}
