package controllers_test

import (
	"context"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// looseCRDs are Momentum's CRDs without any validation: what an older
// release, or a gap in validation, may have let into etcd.
func looseCRDs(t *testing.T) []*apiextensionsv1.CustomResourceDefinition {
	t.Helper()
	opts := &envtest.CRDInstallOptions{Paths: []string{filepath.Join(testenv.RepoRoot(), "config", "crd", "bases")}}
	if err := envtest.ReadCRDFiles(opts); err != nil {
		t.Fatal(err)
	}
	crds := opts.CRDs
	for _, crd := range crds {
		for i := range crd.Spec.Versions {
			v := &crd.Spec.Versions[i]
			v.Schema = &apiextensionsv1.CustomResourceValidation{OpenAPIV3Schema: &apiextensionsv1.JSONSchemaProps{
				Type: "object", XPreserveUnknownFields: ptr.To(true)}}
			v.SelectableFields, v.AdditionalPrinterColumns = nil, nil
		}
	}
	return crds
}

func unstructuredObject(kind, ns, name string, spec map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{"spec": spec}}
	u.SetAPIVersion(v1alpha1.GroupVersion.String())
	u.SetKind(kind)
	u.SetNamespace(ns)
	u.SetName(name)
	return u
}

// TestAnUndecodableObjectStopsNothingElse: objects the manager cannot decode
// sit in one namespace when it starts. Its cache still syncs, a program in
// another namespace becomes Ready, and each bad object is reported Stalled
// (a Warning Event, reason Undecodable) with its spec left as it is. On the old code the
// list of each kind failed to decode and the manager never started.
func TestAnUndecodableObjectStopsNothingElse(t *testing.T) {
	g := NewWithT(t)
	own, err := testenv.New()
	g.Expect(err).NotTo(HaveOccurred())
	own.CRDDirectoryPaths, own.CRDs = nil, looseCRDs(t)
	cfg, err := own.Start()
	g.Expect(err).NotTo(HaveOccurred())
	t.Cleanup(func() { _ = own.Stop() })
	c, err := client.New(cfg, client.Options{Scheme: testenv.Scheme})
	g.Expect(err).NotTo(HaveOccurred())
	ctx := context.Background()
	for _, ns := range []string{"tenant-a", "tenant-b"} {
		g.Expect(c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
	}
	badInitiative := unstructuredObject("Initiative", "tenant-a", "bad", map[string]any{
		"why": "w", "sponsors": []any{map[string]any{"name": "Dana Lee"}}, "momentumWindow": "9999999999999h"})
	badIndicator := unstructuredObject("LeadingIndicator", "tenant-a", "bad", map[string]any{
		"initiativeRef": map[string]any{"name": "bad"}, "category": "Awareness", "target": map[string]any{"value": 75},
		"samples": []any{map[string]any{"at": "2026-01-01T00:00:00ZTjunk", "value": 60}}})
	g.Expect(c.Create(ctx, badInitiative)).To(Succeed())
	g.Expect(c.Create(ctx, badIndicator)).To(Succeed())

	// Upgrade to the validating CRDs; what is stored stays.
	_, err = envtest.InstallCRDs(cfg, envtest.CRDInstallOptions{Paths: []string{filepath.Join(testenv.RepoRoot(), "config", "crd", "bases")}})
	g.Expect(err).NotTo(HaveOccurred())
	startManagerAs(t, cfg, clocktesting.NewFakeClock(t0), nil)

	create := func(o client.Object) { g.Expect(c.Create(ctx, o)).To(Succeed()) }
	create(newInitiative("tenant-b", "customer-first"))
	create(newIndicator("tenant-b", "employee-awareness", "customer-first", "75", sample(1, "80")))
	g.Eventually(func(g Gomega) {
		in, li := &v1alpha1.Initiative{}, &v1alpha1.LeadingIndicator{}
		g.Expect(c.Get(ctx, key("tenant-b", "customer-first"), in)).To(Succeed())
		g.Expect(c.Get(ctx, key("tenant-b", "employee-awareness"), li)).To(Succeed())
		g.Expect(readyConditionOf(in)).To(HaveField("Status", metav1.ConditionTrue))
		g.Expect(readyConditionOf(li)).To(HaveField("Status", metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed(), "the other tenant's program is served")

	// The API server refuses every write to an object whose stored spec
	// fails validation, status included: the report is a Warning Event.
	g.Eventually(func(g Gomega) {
		list := &eventsv1.EventList{}
		g.Expect(c.List(ctx, list, client.InNamespace("tenant-a"))).To(Succeed())
		notes := map[string]string{}
		for _, e := range list.Items {
			if e.Regarding.Name == "bad" && e.Reason == v1alpha1.ReasonUndecodable {
				notes[e.Regarding.Kind] = e.Note
			}
		}
		g.Expect(notes).To(HaveKeyWithValue("Initiative", ContainSubstring(`could not be read by the manager (time: invalid duration "9999999999999h")`)))
		g.Expect(notes).To(HaveKeyWithValue("LeadingIndicator", ContainSubstring("extra text")))
	}).WithTimeout(timeout).Should(Succeed())
	stored := &unstructured.Unstructured{}
	stored.SetGroupVersionKind(badInitiative.GroupVersionKind())
	g.Expect(c.Get(ctx, key("tenant-a", "bad"), stored)).To(Succeed())
	g.Expect(stored.Object["spec"]).To(HaveKeyWithValue("momentumWindow", "9999999999999h"), "the manager never writes what it could not read")
	g.Expect(stored.GetAnnotations()).NotTo(HaveKey(v1alpha1.AnnotationDecodeError), "the mark lives only in the manager's memory")
}

func conditionsOf(o client.Object) []metav1.Condition {
	switch x := o.(type) {
	case *v1alpha1.Initiative:
		return x.Status.Conditions
	case *v1alpha1.LeadingIndicator:
		return x.Status.Conditions
	case *v1alpha1.Channel:
		return x.Status.Conditions
	case *v1alpha1.RecognitionCampaign:
		return x.Status.Conditions
	}
	return nil
}

func readyConditionOf(o client.Object) *metav1.Condition {
	return condition(conditionsOf(o), v1alpha1.ConditionReady)
}
