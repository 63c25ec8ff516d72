package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/momentum-dev/momentum/internal/testenv"
)

func schemas(t *testing.T) *Schemas {
	t.Helper()
	sub, err := fsSub()
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSchemas(sub)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The samples and testdata/program.yaml lint clean, the playbook's
// directory included: its kustomization.yaml puts it in namespace playbook,
// so its Channel all-hands is not the one of config/samples (namespace
// culture, like testdata/program.yaml: linted apart).
func TestSamplesAreClean(t *testing.T) {
	g := NewWithT(t)
	for args, want := range map[string]int{filepath.Join(testenv.RepoRoot(), "config", "samples"): 14, "testdata/program.yaml": 1} {
		problems, files, err := Files(context.Background(), schemas(t), []string{args})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(files).To(Equal(want), args)
		g.Expect(problems).To(BeEmpty(), args)
	}
}

// Each case breaks the valid testdata/program.yaml in one way; lint must
// report it with the file, the object and the field.
func TestBrokenPrograms(t *testing.T) {
	base, err := os.ReadFile("testdata/program.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		old, new string // replacement applied to the valid program
		object   string // Kind/namespace/name reported
		field    string // field reported
		message  string // part of the message
	}{
		"unknown field":                              {"  why:", "  vision: x\n  why:", "Initiative/culture/customer-first", "spec.vision", "unknown field"},
		"missing why":                                {`  why: "Every customer should feel we are on their side."` + "\n", "", "Initiative/culture/customer-first", "spec.why", "Required value"},
		"bad duration (CEL/pattern)":                 {"targetDuration: 2160h", "targetDuration: 90d", "Initiative/culture/customer-first", "spec.stages[0].targetDuration", "should match"},
		"approval for undeclared stage (CEL)":        {"{stage: Initiation, approvedBy: Dana Lee}", "{stage: Launch, approvedBy: Dana Lee}", "Initiative/culture/customer-first", "spec.approvals", "must name a stage declared"},
		"bad enum":                                   {"health: NotOffTarget", "health: Green", "Initiative/culture/customer-first", "spec.stages[0].exitCriteria.indicators[0].health", "Unsupported value"},
		"bad cron (CEL)":                             {`"0 9 * * MON"`, `"every monday"`, "Initiative/culture/customer-first", "spec.reminders[0].schedule", "cron expression"},
		"bad time zone (CEL)":                        {"timeZone: Europe/Berlin", "timeZone: Mars/Olympus", "Initiative/culture/customer-first", "spec.reminders[0].timeZone", "IANA time zone"},
		"duplicate stage (list map key)":             {"  - name: Implementation\n", "  - name: Implementation\n  - name: Implementation\n", "Initiative/culture/customer-first", "spec.stages[2]", "Duplicate value"},
		"gate on undefined indicator":                {"{name: employee-awareness, health: NotOffTarget}", "{name: employee-belief, health: NotOffTarget}", "Initiative/culture/customer-first", "spec.stages[0].exitCriteria.indicators[0].name", `LeadingIndicator "employee-belief" is not defined`},
		"reminder to undefined channel":              {"    channel: all-hands\n    stages", "    channel: town-hall\n    stages", "Initiative/culture/customer-first", "spec.reminders[0].channel", `Channel "town-hall" is not defined`},
		"celebrations to undefined channel":          {"celebrations: {channel: all-hands}", "celebrations: {channel: wins}", "Initiative/culture/customer-first", "spec.celebrations.channel", `Channel "wins" is not defined`},
		"reminder in undeclared stage":               {"stages: [Implementation]", "stages: [Embedding]", "Initiative/culture/customer-first", "spec.reminders[0].stages[0]", `stage "Embedding" is not a stage`},
		"template that does not render":              {`"Why: {{ .Why }}"`, `"Why: {{ .Vision }}"`, "Initiative/culture/customer-first", "spec.reminders[0].message", "TemplateInvalid"},
		"indicator of undefined initiative":          {"  initiativeRef: {name: customer-first}\n  category", "  initiativeRef: {name: customer-last}\n  category", "LeadingIndicator/culture/employee-awareness", "spec.initiativeRef.name", `Initiative "customer-last" is not defined`},
		"indicator behavior not in initiative":       {"  behavior: close-the-loop\n", "  behavior: smile-more\n", "LeadingIndicator/culture/employee-awareness", "spec.behavior", "BehaviorNotFound"},
		"behavior on a non-adoption indicator (CEL)": {"category: BehaviorAdoption", "category: Awareness", "LeadingIndicator/culture/employee-awareness", "spec.behavior", "only when spec.category is BehaviorAdoption"},
		"bad sample timestamp":                       {`at: "2026-10-31T00:00:00Z"`, `at: "last tuesday"`, "LeadingIndicator/culture/employee-awareness", "spec.samples[0].at", ""},
		"nomination behavior not in campaign":        {"    behavior: close-the-loop\n", "    behavior: smile-more\n", "RecognitionCampaign/culture/customer-heroes", "spec.nominations[0].behavior", "would be rejected"},
		"campaign behavior not in initiative":        {"behaviors: [close-the-loop]", "behaviors: [close-the-loop, smile-more]", "RecognitionCampaign/culture/customer-heroes", "spec.behaviors[1]", `behavior "smile-more" is not a behavior of Initiative`},
		"campaign channel undefined":                 {"  channel: all-hands\n  behaviors", "  channel: kudos\n  behaviors", "RecognitionCampaign/culture/customer-heroes", "spec.channel", `Channel "kudos" is not defined`},
		"bad channel type":                           {"type: slack", "type: pager", "Channel/culture/all-hands", "spec.type", "Unsupported value"},
		"bad object name":                            {"name: all-hands\n  namespace", "name: All_Hands\n  namespace", "Channel/culture/All_Hands", "metadata.name", "RFC 1123"},
		"duplicate object":                           {"kind: Channel\nmetadata:\n  name: all-hands", "kind: Channel\nmetadata:\n  name: all-hands\n  namespace: culture\nspec: {type: slack, secretRef: {name: x}}\n---\napiVersion: culture.momentum.dev/v1alpha1\nkind: Channel\nmetadata:\n  name: all-hands", "Channel/culture/all-hands", "metadata.name", "more than once"},
		"unknown kind":                               {"kind: Channel", "kind: Chanel", "Chanel/culture/all-hands", "apiVersion", "unknown kind"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(strings.Contains(string(base), tc.old)).To(BeTrue(), "the case's text must be in the program")
			file := filepath.Join(t.TempDir(), "program.yaml")
			g.Expect(os.WriteFile(file, []byte(strings.Replace(string(base), tc.old, tc.new, 1)), 0o600)).To(Succeed())
			problems, _, err := Files(context.Background(), schemas(t), []string{file})
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(problems).To(ContainElement(SatisfyAll(
				HaveField("File", file),
				HaveField("Line", BeNumerically(">", 0)),
				WithTransform(Problem.Object, Equal(tc.object)),
				HaveField("Field", tc.field),
				HaveField("Message", ContainSubstring(tc.message)),
			)), "got %v", problems)
		})
	}
}

// A trend gate over more measurements than its indicator keeps can never
// be met; the default window is capped at historyLimit and passes.
func TestTrendSamplesBeyondHistoryLimit(t *testing.T) {
	base, err := os.ReadFile("testdata/program.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for gate, want := range map[string]int{"trend: Improving, trendSamples: 5": 1, "trend: Improving": 0} {
		t.Run(gate, func(t *testing.T) {
			g := NewWithT(t)
			program := strings.Replace(string(base), "{name: employee-awareness, health: NotOffTarget}", "{name: employee-awareness, health: NotOffTarget, "+gate+"}", 1)
			program = strings.Replace(program, "  initiativeRef: {name: customer-first}\n  category", "  initiativeRef: {name: customer-first}\n  historyLimit: 3\n  category", 1)
			g.Expect(program).To(ContainSubstring("historyLimit: 3"))
			file := filepath.Join(t.TempDir(), "program.yaml")
			g.Expect(os.WriteFile(file, []byte(program), 0o600)).To(Succeed())
			problems, _, err := Files(context.Background(), schemas(t), []string{file})
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(problems).To(HaveLen(want), "got %v", problems)
			if want > 0 {
				g.Expect(problems[0].Field).To(Equal("spec.stages[0].exitCriteria.indicators[0].trendSamples"))
				g.Expect(problems[0].Message).To(ContainSubstring("lower trendSamples to at most 3 or raise historyLimit"))
			}
		})
	}
}

// The CRDs embedded from config/crd/bases define every Momentum kind.
func TestEmbeddedSchemasCoverEveryKind(t *testing.T) {
	g := NewWithT(t)
	s := schemas(t)
	g.Expect(s.kindNames()).To(Equal([]string{"Channel", "Commitment", "CultureAssessment", "Initiative", "LeadingIndicator", "RecognitionCampaign"}))
}
