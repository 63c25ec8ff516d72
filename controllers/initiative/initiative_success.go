package initiative

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/assessment"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/successindex"
)

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=commitments;cultureassessments,verbs=get;list;watch

// success is what the Success Index and culture assessments of an
// initiative contribute, read from the cache.
type success struct {
	commitments []successindex.Commitment
	// owners of the commitments, in list order, for the review digest.
	owners      []v1alpha1.Commitment
	assessments []v1alpha1.CultureAssessment
}

// fetchSuccess lists the initiative's Commitments and CultureAssessments.
func (r *Reconciler) fetchSuccess(ctx context.Context, obj *v1alpha1.Initiative) (success, error) {
	var s success
	cs := &v1alpha1.CommitmentList{}
	if err := r.Client.List(ctx, cs, client.InNamespace(obj.Namespace), client.MatchingFields{index.CommitmentByInitiative: obj.Name}); err != nil {
		return s, fmt.Errorf("listing Commitments of the initiative: %w", err)
	}
	as := &v1alpha1.CultureAssessmentList{}
	if err := r.Client.List(ctx, as, client.InNamespace(obj.Namespace), client.MatchingFields{index.AssessmentByInitiative: obj.Name}); err != nil {
		return s, fmt.Errorf("listing CultureAssessments of the initiative: %w", err)
	}
	s.commitments, s.owners, s.assessments = successindex.Of(cs.Items), cs.Items, as.Items
	return s, nil
}

// successStatus is the commitments roll-up and the funnel with the weakest
// discipline named, and when the roll-up next changes by time alone.
func successStatus(obj *v1alpha1.Initiative, s success, funnel *v1alpha1.Funnel, now time.Time) (*v1alpha1.CommitmentRollup, *v1alpha1.Funnel, time.Time) {
	var rollup *v1alpha1.CommitmentRollup
	var recheck time.Time
	if len(s.commitments) > 0 {
		roll, at := successindex.Rollup(obj.Spec, s.commitments, now)
		rollup, recheck = &roll, at
	}
	if msg := weakestDiscipline(s.assessments); msg != "" {
		if funnel == nil {
			funnel = &v1alpha1.Funnel{}
		} else {
			funnel = funnel.DeepCopy()
		}
		funnel.WeakestDiscipline = msg
	}
	return rollup, funnel, recheck
}

// weakestDiscipline names the discipline furthest below its target across
// the initiative's assessments, so that action plans aim at it.
func weakestDiscipline(as []v1alpha1.CultureAssessment) string {
	var worst *v1alpha1.DisciplineStatus
	var from string
	scored := false
	for i := range as {
		for j := range as[i].Status.Disciplines {
			d := &as[i].Status.Disciplines[j]
			if d.Score == nil {
				continue
			}
			scored = true
			if !d.OnTarget && (worst == nil || assessment.Shortfall(*d).Cmp(assessment.Shortfall(*worst)) > 0) {
				worst, from = d, as[i].Name
			}
		}
	}
	switch {
	case worst != nil:
		return fmt.Sprintf("%s is the weakest discipline: %s < target %s (assessment %s)", worst.Name, *worst.Score, worst.Target, from)
	case scored:
		return "every assessed discipline is on target"
	}
	return ""
}

// digestName is the review digest's name: its CronJob is <initiative>-review-digest.
const digestName = "review-digest"

// maxDigestEntries bounds the digest; the rest are counted.
const maxDigestEntries = 20

// reviewsDue lists, for the digest, the commitments whose review is due:
// overdue, or in the quarter it must happen in. It also returns when the
// next one enters that quarter.
func reviewsDue(owners []v1alpha1.Commitment, now time.Time) ([]string, time.Time) {
	var lines []string
	var next time.Time
	for _, c := range owners {
		res := successindex.Evaluate(c.Spec, c.CreationTimestamp.Time, now)
		opens := res.NextReviewDue.AddDate(0, -3, 0)
		if now.Before(opens) {
			if next.IsZero() || opens.Before(next) {
				next = opens
			}
			continue
		}
		who := c.Spec.Owner.Name
		if h := c.Spec.Owner.Handle; h != "" {
			who += " (" + h + ")"
		}
		line := fmt.Sprintf("- %s with %s: review due by %s", who, c.Spec.Reviewer, res.NextReviewDue.AddDate(0, 0, -1).Format(time.DateOnly))
		if res.ReviewOverdue {
			line += " (overdue)"
		}
		lines = append(lines, line)
	}
	return lines, next
}

// digestText renders the digest message.
func digestText(obj *v1alpha1.Initiative, lines []string) string {
	if len(lines) == 0 {
		return "No Success Index review is due."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Success Index reviews due for %s — owners and reviewers, please meet and record the review in Git:\n", obj.Name)
	shown := lines[:min(len(lines), maxDigestEntries)]
	b.WriteString(strings.Join(shown, "\n"))
	if rest := len(lines) - len(shown); rest > 0 {
		fmt.Fprintf(&b, "\n… and %d more: kubectl get commitments -n %s", rest, obj.Namespace)
	}
	return b.String()
}

// initiativeOfSuccess maps a Commitment or CultureAssessment to its initiative.
func initiativeOfSuccess(_ context.Context, o client.Object) []reconcile.Request {
	var name string
	switch x := o.(type) {
	case *v1alpha1.Commitment:
		name = x.Spec.InitiativeRef.Name
	case *v1alpha1.CultureAssessment:
		name = x.Spec.InitiativeRef.Name
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: o.GetNamespace(), Name: name}}}
}
