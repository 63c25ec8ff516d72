package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Helpers shared by the envtest tests of every kind, by section: this file
// reads and writes objects; helpers_objects_test.go builds them,
// helpers_reconcilers_test.go drives reconcilers directly,
// helpers_children_test.go reads the CronJobs and Jobs Momentum creates,
// helpers_badinput_test.go holds the bad-input fixtures. The suite itself (the
// control plane, namespaces, starting a manager) is in suite_test.go.

// ---- Reading and writing objects in the suite's API server.

func key(ns, name string) types.NamespacedName {
	return types.NamespacedName{Namespace: ns, Name: name}
}

func create(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, o := range objs {
		if err := k8s.Create(context.Background(), o); err != nil {
			t.Fatalf("creating %T %s: %v", o, o.GetName(), err)
		}
	}
}

// update applies mutate to a fresh copy of obj and writes it, retrying on conflict.
func update[T client.Object](t *testing.T, obj T, mutate func(T)) {
	t.Helper()
	NewWithT(t).Eventually(func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		mutate(obj)
		return k8s.Update(context.Background(), obj)
	}).WithTimeout(10 * time.Second).Should(Succeed())
}

func getInitiative(g Gomega, ns, name string) *v1alpha1.Initiative {
	obj := &v1alpha1.Initiative{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), obj)).To(Succeed())
	return obj
}

func getIndicator(g Gomega, ns, name string) *v1alpha1.LeadingIndicator {
	obj := &v1alpha1.LeadingIndicator{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), obj)).To(Succeed())
	return obj
}

func getChannel(g Gomega, ns, name string) *v1alpha1.Channel {
	obj := &v1alpha1.Channel{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), obj)).To(Succeed())
	return obj
}

func getCampaign(g Gomega, ns string) *v1alpha1.RecognitionCampaign {
	obj := &v1alpha1.RecognitionCampaign{}
	g.Expect(k8s.Get(context.Background(), key(ns, campaignName), obj)).To(Succeed())
	return obj
}

func getCronJob(g Gomega, ns, name string) *batchv1.CronJob {
	cj := &batchv1.CronJob{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), cj)).To(Succeed())
	return cj
}

func condition(conds []metav1.Condition, t string) *metav1.Condition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

func eventsFor(g Gomega, ns, name, reason string) []eventsv1.Event {
	list := &eventsv1.EventList{}
	g.Expect(k8s.List(context.Background(), list, client.InNamespace(ns))).To(Succeed())
	var out []eventsv1.Event
	for _, e := range list.Items {
		if e.Regarding.Name == name && (reason == "" || e.Reason == reason) {
			out = append(out, e)
		}
	}
	return out
}

// kstatusOf computes the status Flux and Argo CD would see.
func kstatusOf(g Gomega, obj runtime.Object) string {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	g.Expect(err).NotTo(HaveOccurred())
	res, err := status.Compute(&unstructured.Unstructured{Object: m})
	g.Expect(err).NotTo(HaveOccurred())
	return res.Status.String()
}

// metavNow is the fake clock's time as an API time, second precision.
func metavNow(clk *clocktesting.FakeClock) metav1.Time {
	return metav1.NewTime(clk.Now().UTC().Truncate(time.Second))
}
