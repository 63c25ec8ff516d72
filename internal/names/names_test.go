package names

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/util/validation"
)

func reminder(initiative, name string) Child {
	return Child{OwnerKind: "Initiative", OwnerName: initiative, Role: RoleReminder, Key: name}
}

func celebration(initiative, key string) Child {
	return Child{OwnerKind: "Initiative", OwnerName: initiative, Role: RoleCelebration, Key: key}
}

// The collisions issue 7 reproduced with names joined by '-': each pair
// wanted one name under the old scheme, and must not now.
func TestCollidingPartsGetDistinctNames(t *testing.T) {
	tests := map[string]struct {
		// a and b are two different children.
		a, b Child
		// name is the function naming them.
		name func(Child) string
	}{
		"reminder bar-baz of foo and reminder baz of foo-bar": {
			a: reminder("foo", "bar-baz"), b: reminder("foo-bar", "baz"), name: CronJob,
		},
		"a reminder named spotlight and a campaign's spotlight": {
			a: reminder("heroes", "spotlight"), b: Child{OwnerKind: "RecognitionCampaign", OwnerName: "heroes", Role: RoleSpotlight}, name: CronJob,
		},
		"an initiative and a campaign of the same name": {
			a: Child{OwnerKind: "Initiative", OwnerName: "x", Role: RoleSpotlight}, b: Child{OwnerKind: "RecognitionCampaign", OwnerName: "x", Role: RoleSpotlight}, name: CronJob,
		},
		"celebrations target-b-target-c-1 of a and target-c-1 of a-target-b": {
			a: celebration("a", "target-b-target-c-1"), b: celebration("a-target-b", "target-c-1"), name: Job,
		},
		"stage names differing only in case": {
			a: celebration("customer-first", "stage-Initiation"), b: celebration("customer-first", "stage-initiation"), name: Job,
		},
		"keys that sanitize alike": {
			a: celebration("x", "stage-A.B"), b: celebration("x", "stage-a-b"), name: Job,
		},
		"long names cut to the same prefix": {
			a: reminder(strings.Repeat("a", 60), "x"), b: reminder(strings.Repeat("a", 60), "y"), name: CronJob,
		},
		"a reminder and a celebration with one key": {
			a: reminder("x", "k"), b: celebration("x", "k"), name: CronJob,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(tc.name(tc.a)).NotTo(Equal(tc.name(tc.b)))
			g.Expect(tc.name(tc.a)).To(Equal(tc.name(tc.a)), "deterministic")
		})
	}
}

func TestNamesAreReadableValidAndBounded(t *testing.T) {
	longest := strings.Repeat("a", 253) // the longest object name
	tests := map[string]struct {
		child Child
		// name and limit: the function and the longest name it may return.
		name  func(Child) string
		limit int
		// prefix is the readable part the name starts with.
		prefix string
	}{
		"reminder":                {reminder("customer-first", "weekly-why"), CronJob, 52, "customer-first-weekly-why-"},
		"spotlight":               {Child{OwnerKind: "RecognitionCampaign", OwnerName: "customer-heroes", Role: RoleSpotlight}, CronJob, 52, "customer-heroes-spotlight-"},
		"celebration":             {celebration("customer-first", "stage-Initiation"), Job, 63, "customer-first-stage-initiation-"},
		"longest reminder":        {reminder(longest, longest), CronJob, 52, strings.Repeat("a", 41) + "-"},
		"longest celebration":     {celebration(longest, "target-"+longest+"-2147483647"), Job, 63, strings.Repeat("a", 52) + "-"},
		"dots and odd characters": {celebration("team.a", "stage-Ünterwegs ok"), Job, 63, "team-a-stage--nterwegs-ok-"},
		"cut at a dash":           {reminder(strings.Repeat("a", 40)+"-b", "x"), CronJob, 52, strings.Repeat("a", 40) + "-"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got := tc.name(tc.child)
			g.Expect(len(got)).To(BeNumerically("<=", tc.limit), got)
			g.Expect(validation.IsDNS1123Label(got)).To(BeEmpty(), got)
			g.Expect(got).To(HavePrefix(tc.prefix))
			g.Expect(got).To(HaveLen(len(tc.prefix) + hashLength))
		})
	}
}
