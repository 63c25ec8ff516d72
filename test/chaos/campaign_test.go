//go:build chaos

package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
)

// behavior is the one behavior programs and campaigns recognise.
const behavior = "close-the-loop"

// campaignCount campaigns, on the first programs, spotlight every minute.
const campaignCount = 10

func campaign(i int) *v1alpha1.RecognitionCampaign {
	return &v1alpha1.RecognitionCampaign{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: fmt.Sprintf("heroes-%d", i)},
		Spec: v1alpha1.RecognitionCampaignSpec{
			InitiativeRef: v1alpha1.LocalObjectReference{Name: fmt.Sprintf("program-%d", i)},
			Schedule:      "* * * * *", Channel: "hooks", Behaviors: []string{behavior},
		},
	}
}

// nominations adds nominations to random campaigns and remembers each.
type nominations struct {
	mu    sync.Mutex
	next  int
	added map[string][]string // by campaign
}

func (n *nominations) add(ctx context.Context, c client.Client) {
	rc := &v1alpha1.RecognitionCampaign{}
	name := fmt.Sprintf("heroes-%d", rand.IntN(campaignCount))
	if c.Get(ctx, types.NamespacedName{Namespace: ns, Name: name}, rc) != nil {
		return
	}
	n.mu.Lock()
	nom := fmt.Sprintf("n-%d", n.next)
	n.next++
	n.mu.Unlock()
	rc.Spec.Nominations = append(rc.Spec.Nominations, v1alpha1.Nomination{Name: nom, Nominee: "Sam Ortiz", NominatedBy: "Dana Lee",
		Behavior: behavior, Story: "Called the customer back the same day.", At: "2026-11-10"})
	if c.Update(ctx, rc) == nil {
		n.mu.Lock()
		n.added[name] = append(n.added[name], nom)
		n.mu.Unlock()
	}
}

// spotlightedOnce checks that every nomination added was published, each
// in exactly one digest, and that every digest Job finished; it returns
// the nominations and digests.
func spotlightedOnce(g Gomega, h *harness, noms *nominations) (nominated, digests int) {
	ctx := context.Background()
	jobs := &batchv1.JobList{}
	g.Expect(h.c.List(ctx, jobs, client.InNamespace(ns))).To(Succeed())
	in := map[string]map[string]bool{} // campaign/nomination -> digests posting it
	for _, j := range jobs.Items {
		tick := j.Annotations[cronjobs.AnnotationDigest]
		if tick == "" {
			continue
		}
		g.Expect(j.Status.Conditions).NotTo(BeEmpty(), "Job %s has not run yet", j.Name)
		for _, nom := range strings.Split(j.Annotations[cronjobs.AnnotationNominations], ",") {
			k := j.Labels[cronjobs.LabelCampaign] + "/" + nom
			if in[k] == nil {
				in[k] = map[string]bool{}
			}
			in[k][tick] = true
		}
	}
	ticks := map[string]bool{}
	noms.mu.Lock()
	defer noms.mu.Unlock()
	for name, added := range noms.added {
		rc := &v1alpha1.RecognitionCampaign{}
		g.Expect(h.c.Get(ctx, types.NamespacedName{Namespace: ns, Name: name}, rc)).To(Succeed())
		g.Expect(rc.Status.SpotlightedNominations).To(ConsistOf(added), "%s published every nomination", name)
		for _, nom := range added {
			g.Expect(in[name+"/"+nom]).To(HaveLen(1), "%s/%s is in exactly one digest", name, nom)
			for tick := range in[name+"/"+nom] {
				ticks[name+"/"+tick] = true
			}
		}
		nominated += len(added)
	}
	posts := h.recv.posts()
	for k := range ticks {
		g.Expect(posts).To(HaveKeyWithValue("spotlight/"+ns+"/"+k, 1), "digest %s POSTed once", k)
	}
	return nominated, len(ticks)
}
