package lint

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/health"
	"github.com/momentum-dev/momentum/internal/render"
	"github.com/momentum-dev/momentum/internal/sources"
	"github.com/momentum-dev/momentum/internal/stages"
)

// program is the linted objects by kind, namespace and name.
type program struct {
	initiatives map[string]*v1alpha1.Initiative
	indicators  map[string]*v1alpha1.LeadingIndicator
	campaigns   map[string]*v1alpha1.RecognitionCampaign
	channels    map[string]bool
	origin      map[any]Object
}

func ref(ns, name string) string { return ns + "/" + name }

// crossCheck reports what only the controller would otherwise see: names
// that do not resolve among the linted objects, and what it computes from
// them (templates, JSONPath and PromQL of live sources).
func crossCheck(objs []Object) []Problem {
	p := &program{initiatives: map[string]*v1alpha1.Initiative{}, indicators: map[string]*v1alpha1.LeadingIndicator{},
		campaigns: map[string]*v1alpha1.RecognitionCampaign{}, channels: map[string]bool{}, origin: map[any]Object{}}
	var problems []Problem
	seen := map[string]bool{}
	for _, o := range objs {
		id := o.GVK.Kind + "/" + ref(o.U.GetNamespace(), o.U.GetName())
		if seen[id] {
			problems = append(problems, o.problem("metadata.name", fmt.Sprintf("%s %q is defined more than once in the linted files", o.GVK.Kind, o.U.GetName())))
			continue
		}
		seen[id] = true
		p.add(o)
	}
	for _, it := range p.initiatives {
		problems = append(problems, p.checkInitiative(it)...)
	}
	for _, li := range p.indicators {
		problems = append(problems, p.checkIndicator(li)...)
	}
	for _, c := range p.campaigns {
		problems = append(problems, p.checkCampaign(c)...)
	}
	return problems
}

// add decodes o into its Go type; an object that does not decode already
// failed the schema and is left out of the reference checks.
func (p *program) add(o Object) {
	key := ref(o.U.GetNamespace(), o.U.GetName())
	raw, err := json.Marshal(o.U.Object)
	if err != nil {
		return
	}
	var typed any
	switch o.GVK.Kind {
	case "Initiative":
		it := &v1alpha1.Initiative{}
		if json.Unmarshal(raw, it) == nil {
			p.initiatives[key], typed = it, it
		}
	case "LeadingIndicator":
		li := &v1alpha1.LeadingIndicator{}
		if json.Unmarshal(raw, li) == nil {
			p.indicators[key], typed = li, li
		}
	case "RecognitionCampaign":
		c := &v1alpha1.RecognitionCampaign{}
		if json.Unmarshal(raw, c) == nil {
			p.campaigns[key], typed = c, c
		}
	case "Channel":
		p.channels[key] = true
	}
	if typed != nil {
		p.origin[typed] = o
	}
}

func (p *program) checkInitiative(it *v1alpha1.Initiative) []Problem {
	o := p.origin[it]
	var ps []Problem
	missing := func(path, kind, name string) {
		ps = append(ps, o.problem(path, fmt.Sprintf("%s %q is not defined in the linted files (namespace %q)", kind, name, it.Namespace)))
	}
	for i, st := range it.Spec.Stages {
		if st.ExitCriteria == nil {
			continue
		}
		for j, c := range st.ExitCriteria.Indicators {
			path := fmt.Sprintf("spec.stages[%d].exitCriteria.indicators[%d]", i, j)
			li := p.indicators[ref(it.Namespace, c.Name)]
			if li == nil {
				missing(path+".name", "LeadingIndicator", c.Name)
				continue
			}
			if _, why := stages.TrendWindow(c, health.HistoryLimit(li.Spec)); c.Trend != "" && why != "" {
				ps = append(ps, o.problem(path+".trendSamples", why))
			}
		}
	}
	if c := it.Spec.Celebrations; c != nil && !p.channels[ref(it.Namespace, c.Channel)] {
		missing("spec.celebrations.channel", "Channel", c.Channel)
	}
	declared := stages.Names(it.Spec)
	data := render.DataFor(it, p.indicatorsOf(it))
	for i, r := range it.Spec.Reminders {
		if !p.channels[ref(it.Namespace, r.Channel)] {
			missing(fmt.Sprintf("spec.reminders[%d].channel", i), "Channel", r.Channel)
		}
		for k, s := range r.Stages {
			if !slices.Contains(declared, s) {
				ps = append(ps, o.problem(fmt.Sprintf("spec.reminders[%d].stages[%d]", i, k), fmt.Sprintf("stage %q is not a stage of the initiative (%v): the reminder would never be sent in it", s, declared)))
			}
		}
		if _, err := render.Message(r.Message, data); err != nil {
			ps = append(ps, o.problem(fmt.Sprintf("spec.reminders[%d].message", i), "the template does not render (TemplateInvalid): "+err.Error()))
		}
	}
	return ps
}

func (p *program) checkIndicator(li *v1alpha1.LeadingIndicator) []Problem {
	o := p.origin[li]
	var ps []Problem
	it := p.initiatives[ref(li.Namespace, li.Spec.InitiativeRef.Name)]
	if it == nil {
		ps = append(ps, o.problem("spec.initiativeRef.name", fmt.Sprintf("Initiative %q is not defined in the linted files (namespace %q)", li.Spec.InitiativeRef.Name, li.Namespace)))
	} else if li.Spec.Behavior != "" && !hasBehavior(it, li.Spec.Behavior) {
		ps = append(ps, o.problem("spec.behavior", fmt.Sprintf("behavior %q is not a behavior of Initiative %q (BehaviorNotFound)", li.Spec.Behavior, it.Name)))
	}
	src := li.Spec.Source
	switch {
	case src == nil:
	case src.Recognition != nil && p.campaigns[ref(li.Namespace, src.Recognition.CampaignRef.Name)] == nil:
		ps = append(ps, o.problem("spec.source.recognition.campaignRef.name", fmt.Sprintf("RecognitionCampaign %q is not defined in the linted files (namespace %q)", src.Recognition.CampaignRef.Name, li.Namespace)))
	case src.HTTP != nil:
		if err := sources.ValidateJSONPath(src.HTTP.JSONPath); err != nil {
			ps = append(ps, o.problem("spec.source.http.jsonPath", "the JSONPath cannot select a number (SourceInvalid): "+err.Error()))
		}
	case src.Prometheus != nil:
		if err := sources.ValidateQuery(src.Prometheus.Query); err != nil {
			ps = append(ps, o.problem("spec.source.prometheus.query", "the query does not parse (SourceInvalid): "+err.Error()))
		}
	}
	return ps
}

func (p *program) checkCampaign(c *v1alpha1.RecognitionCampaign) []Problem {
	o := p.origin[c]
	var ps []Problem
	if !p.channels[ref(c.Namespace, c.Spec.Channel)] {
		ps = append(ps, o.problem("spec.channel", fmt.Sprintf("Channel %q is not defined in the linted files (namespace %q)", c.Spec.Channel, c.Namespace)))
	}
	it := p.initiatives[ref(c.Namespace, c.Spec.InitiativeRef.Name)]
	if it == nil {
		ps = append(ps, o.problem("spec.initiativeRef.name", fmt.Sprintf("Initiative %q is not defined in the linted files (namespace %q)", c.Spec.InitiativeRef.Name, c.Namespace)))
	}
	for i, b := range c.Spec.Behaviors {
		if it != nil && !hasBehavior(it, b) {
			ps = append(ps, o.problem(fmt.Sprintf("spec.behaviors[%d]", i), fmt.Sprintf("behavior %q is not a behavior of Initiative %q", b, it.Name)))
		}
	}
	for i, n := range c.Spec.Nominations {
		if !slices.Contains(c.Spec.Behaviors, n.Behavior) {
			ps = append(ps, o.problem(fmt.Sprintf("spec.nominations[%d].behavior", i), fmt.Sprintf("behavior %q is not one of the campaign's behaviors %v: the nomination would be rejected", n.Behavior, c.Spec.Behaviors)))
		}
	}
	return ps
}

func (p *program) indicatorsOf(it *v1alpha1.Initiative) []v1alpha1.LeadingIndicator {
	var out []v1alpha1.LeadingIndicator
	for _, li := range p.indicators {
		if li.Namespace == it.Namespace && li.Spec.InitiativeRef.Name == it.Name {
			out = append(out, *li)
		}
	}
	return out
}

func hasBehavior(it *v1alpha1.Initiative, name string) bool {
	return slices.ContainsFunc(it.Spec.Behaviors, func(b v1alpha1.Behavior) bool { return b.Name == name })
}
