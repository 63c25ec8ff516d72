package approve

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Edit changes nothing but the inserted approval: every comment, quote and
// indentation of the input survives (testdata/*.golden.yaml).
func TestEditGolden(t *testing.T) {
	cases := map[string]Approval{
		"samples": {Initiative: "customer-first", Stage: "Embedding", By: "Dana Lee"},
		"missing": {Namespace: "support", Initiative: "support-first", Stage: "Initiation", By: "Ravi Patel"},
		"flow":    {Initiative: "flow-program", Stage: "Initiation", By: "Lee, Dana"},
		"block":   {Initiative: "block-program", Stage: "Implementation", By: "Priya Nair"},
	}
	for name, a := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			in, err := os.ReadFile(filepath.Join("testdata", name+".in.yaml"))
			g.Expect(err).NotTo(HaveOccurred())
			got, err := Edit(in, a)
			g.Expect(err).NotTo(HaveOccurred())
			golden := filepath.Join("testdata", name+".golden.yaml")
			if *update {
				g.Expect(os.WriteFile(golden, got, 0o600)).To(Succeed())
			}
			want, err := os.ReadFile(golden)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(string(got)).To(Equal(string(want)))
			// Approving again changes nothing.
			_, err = Edit(got, a)
			g.Expect(err).To(MatchError(ErrUnchanged))
		})
	}
}

func TestEditRefuses(t *testing.T) {
	in, err := os.ReadFile("testdata/samples.in.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		approval Approval
		err      string
	}{
		"undeclared stage":         {Approval{Initiative: "customer-first", Stage: "Launch", By: "X"}, `"Launch" is not a stage of the initiative (Initiation, Implementation, Embedding, Reinforcement)`},
		"approved by someone else": {Approval{Initiative: "customer-first", Stage: "Initiation", By: "Ravi Patel"}, "stage Initiation is already approved by Dana Lee"},
		"no such initiative":       {Approval{Initiative: "nope", Stage: "Initiation", By: "X"}, `no Initiative "nope" in the file`},
		"other namespace":          {Approval{Namespace: "sales", Initiative: "customer-first", Stage: "Initiation", By: "X"}, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := Edit(in, tc.approval)
			if tc.err == "" {
				g.Expect(err).To(HaveOccurred()) // the sample has no namespace: it matches any; see "approved by someone else"
				return
			}
			g.Expect(err).To(MatchError(tc.err))
		})
	}
}

func TestPatch(t *testing.T) {
	g := NewWithT(t)
	g.Expect(Patch(Approval{Namespace: "culture", Initiative: "customer-first", Stage: "Embedding", By: "Dana Lee"})).To(Equal(`# Approve leaving stage Embedding: add this entry to spec.approvals of the
# Initiative's manifest and commit it (or run approve with --file to edit it).
apiVersion: culture.momentum.dev/v1alpha1
kind: Initiative
metadata:
  name: customer-first
  namespace: culture
spec:
  approvals:
  - {stage: Embedding, approvedBy: Dana Lee}
`))
}

func TestScalar(t *testing.T) {
	cases := map[string]string{
		"Dana Lee":  "Dana Lee",
		"Lee, Dana": `"Lee, Dana"`,
		"yes":       `"yes"`,
		"O'Brien":   "O'Brien",
		"#1 fan":    `"#1 fan"`,
		"Dana: COO": `"Dana: COO"`,
		"Embedding": "Embedding",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			NewWithT(t).Expect(scalar(in)).To(Equal(want))
		})
	}
}
