// Package assessment judges a CultureAssessment: where each discipline
// stands in the latest round, how it changed, how broadly and how evenly it
// is lived across segments, and which disciplines are weakest. Segments and
// rounds with fewer respondents than the confidentiality floor are never
// shown. Everything here is a pure function of its inputs.
package assessment

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// MaxWeakest is how many weakest disciplines status names, and
// MaxDisciplines how many disciplines status holds (spec's bound too).
const (
	MaxWeakest     = 3
	MaxDisciplines = 16
)

// Evaluate computes the status fields of an assessment (everything but
// conditions) with the given confidentiality floor.
func Evaluate(spec v1alpha1.CultureAssessmentSpec, floor int) v1alpha1.CultureAssessmentStatus {
	var st v1alpha1.CultureAssessmentStatus
	rounds := slices.Clone(spec.Rounds)
	slices.SortFunc(rounds, func(a, b v1alpha1.AssessmentRound) int { return cmp.Compare(a.Date, b.Date) })
	shown := rounds[:0:0]
	for _, r := range rounds {
		if int(r.Respondents) < floor {
			st.HiddenRounds++
			continue
		}
		shown = append(shown, r)
	}
	st.Rounds = int32(len(shown))
	if len(shown) == 0 {
		return st
	}
	st.BaselineRound, st.LatestRound = string(shown[0].Date), string(shown[len(shown)-1].Date)
	for _, d := range spec.Disciplines[:min(len(spec.Disciplines), MaxDisciplines)] {
		st.Disciplines = append(st.Disciplines, discipline(d, shown, floor))
	}
	st.Weakest, st.Summary = weakest(st.Disciplines)
	return st
}

// discipline is where d stands: its score in the newest round that scored
// it, changes against the round before and the first round, and breadth and
// depth across that round's shown segments.
func discipline(d v1alpha1.Discipline, rounds []v1alpha1.AssessmentRound, floor int) v1alpha1.DisciplineStatus {
	ds := v1alpha1.DisciplineStatus{Name: d.Name, Target: d.Target}
	var scored []int // indexes of the rounds that scored d
	for i, r := range rounds {
		if _, ok := scoreOf(r.Scores, d.Name); ok {
			scored = append(scored, i)
		}
	}
	if len(scored) == 0 {
		return ds
	}
	latest := rounds[scored[len(scored)-1]]
	score, _ := scoreOf(latest.Scores, d.Name)
	ds.Score = ptr.To(score)
	ds.OnTarget = score.Rat().Cmp(d.Target.Rat()) >= 0
	if n := len(scored); n > 1 {
		prev, _ := scoreOf(rounds[scored[n-2]].Scores, d.Name)
		base, _ := scoreOf(rounds[scored[0]].Scores, d.Name)
		ds.ChangeSincePrevious = ptr.To(Sub(score, prev))
		ds.ChangeSinceBaseline = ptr.To(Sub(score, base))
	}
	var values []v1alpha1.Decimal
	for _, seg := range latest.Segments {
		v, ok := scoreOf(seg.Scores, d.Name)
		switch {
		case !ok:
			continue
		case int(seg.Respondents) < floor:
			ds.HiddenSegments++
			continue
		}
		values = append(values, v)
	}
	ds.Segments = int32(len(values))
	if len(values) == 0 {
		return ds
	}
	above := 0
	for _, v := range values {
		if v.Rat().Cmp(d.Target.Rat()) >= 0 {
			above++
		}
	}
	ds.Breadth = ptr.To(int32((200*above + len(values)) / (2 * len(values))))
	if len(values) > 1 {
		cmpDec := func(a, b v1alpha1.Decimal) int { return a.Rat().Cmp(b.Rat()) }
		ds.Depth = ptr.To(Sub(slices.MaxFunc(values, cmpDec), slices.MinFunc(values, cmpDec)))
	}
	return ds
}

func scoreOf(scores []v1alpha1.DisciplineScore, name string) (v1alpha1.Decimal, bool) {
	for _, s := range scores {
		if s.Discipline == name {
			return s.Score, true
		}
	}
	return "", false
}

// weakest names up to MaxWeakest disciplines below target, the largest
// shortfall first, and summarises the weakest.
func weakest(ds []v1alpha1.DisciplineStatus) ([]string, string) {
	var below []v1alpha1.DisciplineStatus
	for _, d := range ds {
		if d.Score != nil && !d.OnTarget {
			below = append(below, d)
		}
	}
	if len(below) == 0 {
		return nil, "every discipline is on target"
	}
	slices.SortStableFunc(below, func(a, b v1alpha1.DisciplineStatus) int {
		return Shortfall(b).Cmp(Shortfall(a))
	})
	names := make([]string, 0, MaxWeakest)
	for _, d := range below[:min(len(below), MaxWeakest)] {
		names = append(names, d.Name)
	}
	w := below[0]
	return names, fmt.Sprintf("%s is the weakest discipline: %s < target %s", w.Name, *w.Score, w.Target)
}

// Shortfall is how far a discipline's score is below its target (negative
// above it); zero without a score.
func Shortfall(d v1alpha1.DisciplineStatus) *big.Rat {
	if d.Score == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Sub(d.Target.Rat(), d.Score.Rat())
}

// Sub is a−b, exactly, written with as many decimals as the more precise
// operand and no trailing zeros.
func Sub(a, b v1alpha1.Decimal) v1alpha1.Decimal {
	r := new(big.Rat).Sub(a.Rat(), b.Rat())
	places := max(decimals(a), decimals(b))
	if places < 0 {
		f, _ := r.Float64()
		return v1alpha1.NewDecimal(f)
	}
	s := r.FloatString(places)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return v1alpha1.Decimal(s)
}

// decimals counts the digits after the point; -1 for exponent notation.
func decimals(d v1alpha1.Decimal) int {
	s := string(d)
	if strings.ContainsAny(s, "eE") {
		return -1
	}
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}
