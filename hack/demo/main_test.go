package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoShowsTheSampleProgram runs what `make demo` runs, once: a fresh
// control plane, the manager binary, and the samples, all Ready.
func TestDemoShowsTheSampleProgram(t *testing.T) {
	dir := t.TempDir()
	manager := filepath.Join(dir, "manager")
	build := exec.Command("go", "build", "-o", manager, "../../cmd/manager")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the manager: %v\n%s", err, out)
	}
	outPath := filepath.Join(dir, "out.txt")
	out, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	runErr := run(ctx, manager, filepath.Join(dir, "demo"), true, true, out)
	_ = out.Close()
	printed, _ := os.ReadFile(outPath)
	if runErr != nil {
		t.Fatalf("demo failed: %v\n%s", runErr, printed)
	}
	// The live indicator, measured from the demo's own feedback API.
	if !regexp.MustCompile(`customer-nps\s+CustomerAdvocacy\s+24\s+40\s+OffTarget`).Match(printed) {
		t.Errorf("demo output lacks the live customer-nps indicator:\n%s", printed)
	}
	if !regexp.MustCompile(`leadership-involvement\s+LeadershipInvolvement\s+50\s+30\s+OnTarget`).Match(printed) {
		t.Errorf("demo output lacks the recognition-derived leadership-involvement indicator:\n%s", printed)
	}
	for _, want := range []string{
		"initiative.culture.momentum.dev/customer-first   Initiation",
		"leadingindicator.culture.momentum.dev/employee-awareness",
		"employee-awareness is AtRisk: 66 < target 75",
		"action bright-spots-analysis is not done yet (owner: Ravi Patel)",
		"channel.culture.momentum.dev/all-hands",
		"customer-first-weekly-why",
		"recognitioncampaign.culture.momentum.dev/customer-heroes",
		// The playbook (--playbook).
		"commitment.culture.momentum.dev/dana-lee",
		"cultureassessment.culture.momentum.dev/culture-assessment",
		"initiative.culture.momentum.dev/customer-culture",
		"measurement-and-rewards is the weakest discipline: 2.8 < target 3.5 (assessment culture-assessment)",
	} {
		if !strings.Contains(string(printed), want) {
			t.Errorf("demo output lacks %q:\n%s", want, printed)
		}
	}
}
