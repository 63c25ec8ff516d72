package controllers_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// With the real kube-controller-manager (as in `make demo`), the CronJob
// controller creates delivery Jobs on schedule, PodSecurity admission lets
// their restricted pods in, and garbage collection removes the CronJobs once
// the initiative is deleted.
func TestControllerManagerSchedulesAndCollectsReminders(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	kubeconfig, err := testenv.Admin(env, dir)
	g.Expect(err).NotTo(HaveOccurred())
	logFile, err := os.Create(filepath.Join(dir, "kcm.log"))
	g.Expect(err).NotTo(HaveOccurred())
	kcm, err := testenv.StartControllerManager(kubeconfig, logFile)
	g.Expect(err).NotTo(HaveOccurred())
	t.Cleanup(func() { _ = kcm.Stop(); _ = logFile.Close() })

	ns := namespace(t)
	nsObj := &corev1.Namespace{}
	g.Expect(k8s.Get(context.Background(), client.ObjectKey{Name: ns}, nsObj)).To(Succeed())
	update(t, nsObj, func(o *corev1.Namespace) {
		o.Labels = map[string]string{"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest"}
	})
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{{Name: "every-minute", Schedule: "* * * * *", Channel: "all-hands", Message: "{{ .Why }}"}}
	create(t, it)

	// The CronJob controller starts a Job within a minute, and the Job
	// controller's pod passes the namespace's restricted enforcement.
	g.Eventually(func(g Gomega) {
		jobs := &batchv1.JobList{}
		g.Expect(k8s.List(context.Background(), jobs, client.InNamespace(ns), client.MatchingLabels{cronjobs.LabelInitiative: "customer-first"})).To(Succeed())
		g.Expect(jobs.Items).NotTo(BeEmpty())
		pods := &corev1.PodList{}
		g.Expect(k8s.List(context.Background(), pods, client.InNamespace(ns), client.MatchingLabels{"job-name": jobs.Items[0].Name})).To(Succeed())
		g.Expect(pods.Items).NotTo(BeEmpty(), "the Job controller could not create the pod (PodSecurity?)")
		g.Expect(pods.Items[0].Spec.AutomountServiceAccountToken).To(HaveValue(BeFalse()))
	}).WithTimeout(150 * time.Second).WithPolling(time.Second).Should(Succeed())
	g.Eventually(func(g Gomega) {
		st := getInitiative(g, ns, "customer-first").Status
		g.Expect(st.Reminders).To(HaveLen(1))
		g.Expect(st.Reminders[0].LastScheduleTime).NotTo(BeNil(), "read from the CronJob's status")
	}).WithTimeout(timeout).Should(Succeed())

	// Deleting the initiative lets garbage collection remove its CronJob.
	g.Expect(k8s.Delete(context.Background(), it)).To(Succeed())
	g.Eventually(func(g Gomega) {
		err := k8s.Get(context.Background(), key(ns, "customer-first-every-minute"), &batchv1.CronJob{})
		g.Expect(apierrors.IsNotFound(err)).To(BeTrue(), "got %v", err)
	}).WithTimeout(60 * time.Second).WithPolling(500 * time.Millisecond).Should(Succeed())
}

// A Secret's address never leaks into status, Events, child objects or logs.
func TestSecretAddressAppearsNowhere(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	const canary = "c4n4ry-5ecret-9d1e"
	create(t,
		newSecret(ns, "good-webhook", "https://hooks.slack.example/services/"+canary),
		newSecret(ns, "bad-webhook", "http://hooks.slack.example/services/"+canary+"?token="+canary),
		newChannel(ns, "all-hands", "good-webhook"),
		newChannel(ns, "leaky", "bad-webhook"),
	)
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy(), {Name: "leaky", Schedule: "@daily", Channel: "leaky", Message: "{{ .Why }}"}}
	create(t, it)
	g.Eventually(func(g Gomega) {
		g.Expect(condition(getChannel(g, ns, "leaky").Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonAddressInvalid))
		g.Expect(condition(getChannel(g, ns, "all-hands").Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonChannelReady))
		getCronJob(g, ns, weeklyWhyCronJob)
		// Nothing is scheduled to the Channel that cannot deliver.
		ready := condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonChannelNotReady))
		g.Expect(ready.Message).To(ContainSubstring("Channel leaky is not Ready"))
		g.Expect(eventsFor(g, ns, "leaky", v1alpha1.ReasonAddressInvalid)).NotTo(BeEmpty())
	}).WithTimeout(timeout).Should(Succeed())

	var everything []any
	for _, list := range []client.ObjectList{&v1alpha1.InitiativeList{}, &v1alpha1.ChannelList{}, &batchv1.CronJobList{}, &eventsv1.EventList{}, &corev1.EventList{}} {
		g.Expect(k8s.List(context.Background(), list, client.InNamespace(ns))).To(Succeed())
		everything = append(everything, list)
	}
	data, err := json.Marshal(everything)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(data)).To(ContainSubstring(weeklyWhyCronJob), "the dump holds the objects")
	g.Expect(strings.Contains(string(data), canary)).To(BeFalse(), "the address leaked into an object or Event")
	g.Expect(strings.Contains(logs.String(), canary)).To(BeFalse(), "the address leaked into the manager's logs")
}
