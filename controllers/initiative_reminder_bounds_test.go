package controllers_test

import (
	"context"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Templates beyond the render bounds (issue 7, item 2) are TemplateInvalid,
// naming the bound, and no CronJob carries them: the printf doubling that
// allocated 587 MB and the nested range that ran for seconds.
func TestReminderTemplateBeyondTheBoundsIsInvalid(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	doubling, nested := weeklyWhy(), weeklyWhy()
	doubling.Name, doubling.Stages = "doubling", nil
	doubling.Message = `{{$a := printf "%s%s" .Why .Why}}{{range .Behaviors}}{{$a = printf "%s%s" $a $a}}{{end}}{{len $a}}`
	nested.Name, nested.Stages = "nested", nil
	nested.Message = strings.Repeat(`{{range $.Behaviors}}`, 5) + strings.Repeat(`{{end}}`, 5)
	it.Spec.Reminders = []v1alpha1.Reminder{doubling, nested}
	create(t, it)

	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonTemplateInvalid))
		g.Expect(ready.Message).To(ContainSubstring("reminder doubling: template: function printf is not allowed"))
		g.Expect(ready.Message).To(ContainSubstring("reminder nested: template: ranges are nested 3 deep; at most 2 may be nested"))
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(HaveField("Status", metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed())
	var cjs batchv1.CronJobList
	g.Expect(k8s.List(context.Background(), &cjs, client.InNamespace(ns))).To(Succeed())
	g.Expect(cjs.Items).To(BeEmpty(), "no CronJob is written from a template beyond the bounds")
}
