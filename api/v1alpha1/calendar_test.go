package v1alpha1

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// The Date rule accepts exactly what time.Parse(time.DateOnly) accepts in
// 1900-2999: every string of the shape YYYY-MM-DD is tried.
func TestDatePatternAgreesWithTimeParse(t *testing.T) {
	re := regexp.MustCompile(DatePattern)
	for year := 1890; year <= 3010; year++ {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				s := fmt.Sprintf("%04d-%02d-%02d", year, month, day)
				_, err := time.Parse(time.DateOnly, s)
				want := err == nil && year >= 1900 && year <= 2999
				if re.MatchString(s) != want {
					t.Fatalf("%s: pattern says %v, time.Parse (in range) says %v", s, !want, want)
				}
			}
		}
	}
	for _, s := range []string{"2026-1-05", "2026-01-5", " 2026-01-05", "2026-01-05x", "20260105"} {
		NewWithT(t).Expect(re.MatchString(s)).To(BeFalse(), s)
	}
}

// The CRDs carry the same rule the test above checked.
func TestCRDsCarryTheDatePattern(t *testing.T) {
	g := NewWithT(t)
	for _, crd := range []string{"commitments", "cultureassessments", "initiatives"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "config", "crd", "bases", "culture.momentum.dev_"+crd+".yaml"))
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(string(data)).To(ContainSubstring("self.matches('"+DatePattern+"')"), crd)
		if crd == "initiatives" {
			g.Expect(string(data)).To(ContainSubstring("pattern: "+TimeOfDayPattern), crd)
		}
	}
}

// TimeOfDay's pattern accepts only times time.Parse("15:04") reads back unchanged.
func TestTimeOfDayPatternAgreesWithTimeParse(t *testing.T) {
	re := regexp.MustCompile(TimeOfDayPattern)
	accepted := 0
	for h := 0; h <= 30; h++ {
		for m := 0; m <= 70; m++ {
			for i, s := range []string{fmt.Sprintf("%02d:%02d", h, m), fmt.Sprintf("%d:%02d", h, m)} {
				if !re.MatchString(s) || (i == 1 && h >= 10) {
					continue
				}
				accepted++
				p, err := time.Parse("15:04", s)
				if err != nil || p.Format("15:04") != s {
					t.Fatalf("%s: accepted by the pattern but not read back by time.Parse: %v", s, err)
				}
			}
		}
	}
	NewWithT(t).Expect(accepted).To(Equal(24 * 60))
}
