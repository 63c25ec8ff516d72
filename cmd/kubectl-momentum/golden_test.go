package main

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// settled waits until the manager has reconciled every object of the
// sample program once: the initiative sees all five indicators and both
// reminders, each indicator and the campaign report Ready.
func settled(g Gomega, ns string) {
	ctx := context.Background()
	it := &v1alpha1.Initiative{}
	g.Expect(k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "customer-first"}, it)).To(Succeed())
	g.Expect(it.Status.ObservedGeneration).To(Equal(it.Generation))
	g.Expect(it.Status.Indicators).NotTo(BeNil())
	g.Expect(it.Status.Indicators.Total).To(BeEquivalentTo(5))
	g.Expect(it.Status.Indicators.Unknown).To(BeEquivalentTo(0))
	g.Expect(it.Status.Reminders).To(HaveLen(2))
	inds := &v1alpha1.LeadingIndicatorList{}
	g.Expect(k8s.List(ctx, inds, client.InNamespace(ns))).To(Succeed())
	for _, li := range inds.Items {
		g.Expect(li.Status.Health).NotTo(BeEmpty(), li.Name)
		g.Expect(li.Status.ObservedGeneration).To(Equal(li.Generation), li.Name)
	}
	camp := &v1alpha1.RecognitionCampaign{}
	g.Expect(k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "customer-heroes"}, camp)).To(Succeed())
	g.Expect(camp.Status.Nominations).To(HaveValue(BeEquivalentTo(2)))
}

// The status, why and list screens of config/samples as the real manager
// leaves them 16 days after the program started, colour off: the program is
// applied with the manager's clock at t0, then the manager restarts with its
// clock 16 days later and reconciles everything again.
func TestGoldenScreens(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "culture")
	stop := startManager(t, ns)
	applySamples(t, ns)
	g.Eventually(func(g Gomega) { settled(g, ns) }).WithTimeout(60 * time.Second).WithPolling(200 * time.Millisecond).Should(Succeed())
	stop()

	now := t0.Add(16 * 24 * time.Hour)
	startManagerAt(t, ns, now)
	g.Eventually(func(g Gomega) {
		settled(g, ns)
		it := &v1alpha1.Initiative{}
		g.Expect(k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "customer-first"}, it)).To(Succeed())
		g.Expect(it.Status.Reminders).To(ContainElement(SatisfyAll(
			HaveField("Name", "weekly-why"),
			HaveField("NextScheduleTime.Time", BeTemporally(">", now)), // recomputed by the restarted manager
		)))
	}).WithTimeout(60 * time.Second).WithPolling(200 * time.Millisecond).Should(Succeed())

	screens := map[string][]string{
		"status.golden": {"status", "customer-first", "-n", ns},
		"why.golden":    {"why", "customer-first", "-n", ns},
		"list.golden":   {"list", "-n", ns},
	}
	for name, args := range screens {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			render := func() string {
				r := plugin(context.Background(), now, args...)
				g.Expect(r.code).To(Equal(0), r.errOut)
				return r.out
			}
			// The manager may still write once more; the screen must
			// then stay what it is.
			g.Eventually(render).WithTimeout(10 * time.Second).WithPolling(time.Second).Should(Equal(render()))
			g.Consistently(render).WithTimeout(2 * time.Second).WithPolling(500 * time.Millisecond).Should(Equal(render()))
			golden(g, name, render())
		})
	}
}

// list -A shows every namespace's initiatives with a NAMESPACE column.
func TestListAllNamespaces(t *testing.T) {
	g := NewWithT(t)
	a, b := namespace(t, ""), namespace(t, "")
	for _, ns := range []string{a, b} {
		g.Expect(k8s.Create(context.Background(), twoStages(ns))).To(Succeed())
	}
	r := plugin(context.Background(), t0, "list", "-A")
	g.Expect(r.code).To(Equal(0), r.errOut)
	g.Expect(r.out).To(HavePrefix("NAMESPACE  "))
	g.Expect(r.out).To(MatchRegexp(`(?m)^` + a + `\s+program\s+-\s+\[----------\]\s+0%\s+Unknown`))
	g.Expect(r.out).To(MatchRegexp(`(?m)^` + b + `\s+program\s`))
	r = plugin(context.Background(), t0, "list", "-n", a)
	g.Expect(r.out).To(HavePrefix("NAME  "))
	g.Expect(r.out).NotTo(ContainSubstring(b))
}
