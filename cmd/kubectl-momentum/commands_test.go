package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/internal/plugin/lint"
	"github.com/momentum-dev/momentum/internal/testenv"
)

func TestLintCommand(t *testing.T) {
	g := NewWithT(t)
	r := plugin(context.Background(), t0, "lint", filepath.Join(testenv.RepoRoot(), "config", "samples"))
	g.Expect(r.code).To(Equal(0), r.errOut)
	g.Expect(r.out).To(Equal("14 file(s) checked, no problems\n"))

	broken := filepath.Join(t.TempDir(), "broken.yaml")
	g.Expect(os.WriteFile(broken, []byte("apiVersion: culture.momentum.dev/v1alpha1\nkind: Channel\nmetadata: {name: all-hands}\nspec:\n  type: pager\n  secretRef: {name: s}\n"), 0o600)).To(Succeed())
	r = plugin(context.Background(), t0, "lint", broken, "--output", "json")
	g.Expect(r.code).To(Equal(1))
	var report struct{ Problems []lint.Problem }
	g.Expect(json.Unmarshal([]byte(r.out), &report)).To(Succeed())
	g.Expect(report.Problems).To(ConsistOf(lint.Problem{File: broken, Line: 5, Kind: "Channel", Name: "all-hands", Field: "spec.type",
		Message: `Unsupported value: "pager": supported values: "slack", "msteams", "webhook"`}))

	r = plugin(context.Background(), t0, "lint", filepath.Join(t.TempDir(), "missing.yaml"))
	g.Expect(r.code).To(Equal(2))
}

// approve --file edits the manifest in place exactly as the approve
// package's golden file says: comments and formatting kept.
func TestApproveFileCommand(t *testing.T) {
	g := NewWithT(t)
	in, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "samples", "initiative.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	file := filepath.Join(t.TempDir(), "initiative.yaml")
	g.Expect(os.WriteFile(file, in, 0o644)).To(Succeed())

	r := plugin(context.Background(), t0, "approve", "customer-first", "Embedding", "--by", "Dana Lee", "--file", file)
	g.Expect(r.code).To(Equal(0), r.errOut)
	got, err := os.ReadFile(file)
	g.Expect(err).NotTo(HaveOccurred())
	want, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "internal", "plugin", "approve", "testdata", "samples.golden.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(got)).To(Equal(string(want)))

	r = plugin(context.Background(), t0, "approve", "customer-first", "Launch", "--by", "Dana Lee", "--file", file)
	g.Expect(r.code).To(Equal(1))
	g.Expect(r.errOut).To(ContainSubstring(`"Launch" is not a stage of the initiative`))
}

// approve --live patches the cluster, with a warning about GitOps.
func TestApproveLive(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "")
	g.Expect(k8s.Create(context.Background(), twoStages(ns))).To(Succeed())
	r := plugin(context.Background(), t0, "approve", "program", "Initiation", "--by", "Dana Lee", "--live", "-n", ns)
	g.Expect(r.code).To(Equal(0), r.errOut)
	g.Expect(r.errOut).To(ContainSubstring("the next sync reverts this approval"))
	it := twoStages(ns)
	g.Expect(k8s.Get(context.Background(), client.ObjectKeyFromObject(it), it)).To(Succeed())
	g.Expect(it.Spec.Approvals).To(HaveLen(1))
	g.Expect(it.Spec.Approvals[0].ApprovedBy).To(Equal("Dana Lee"))
}
