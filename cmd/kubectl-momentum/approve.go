package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/plugin/approve"
)

func newApprove(a *app) *cobra.Command {
	var by, file string
	var live bool
	cmd := &cobra.Command{
		Use:   "approve INITIATIVE STAGE --by NAME",
		Short: "Approve leaving a stage: print the patch to commit, edit the manifest (--file) or patch the cluster (--live)",
		Long: `Approvals are commits. By default approve prints the manifest patch to commit;
with --file it adds the approval to the Initiative in that manifest in place,
keeping its comments and formatting. --live patches the object in the
cluster instead: a GitOps tool (Flux, Argo CD) will revert that on its next
sync unless the same change is committed.`,
		Example: `  kubectl momentum approve customer-first Initiation --by "Dana Lee"
  kubectl momentum approve customer-first Initiation --by "Dana Lee" --file programs/customer-first.yaml`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if by == "" {
				return fmt.Errorf("--by is required: who approves leaving stage %s", args[1])
			}
			if file != "" && live {
				return fmt.Errorf("--file and --live exclude each other")
			}
			ns, err := a.namespace()
			if err != nil {
				return err
			}
			if f := cmd.Flag("namespace"); !live && (f == nil || !f.Changed) {
				ns = "" // offline without -n: match by name alone, print no namespace
			}
			ap := approve.Approval{Namespace: ns, Initiative: args[0], Stage: args[1], By: by}
			switch {
			case file != "":
				return a.approveFile(file, ap)
			case live:
				return a.approveLive(cmd, ap)
			}
			_, err = fmt.Fprint(a.streams.Out, approve.Patch(ap))
			return err
		},
	}
	cmd.Flags().StringVar(&by, "by", "", "Who approves (recorded in spec.approvals[].approvedBy)")
	cmd.Flags().StringVar(&file, "file", "", "Add the approval to this manifest in place")
	cmd.Flags().BoolVar(&live, "live", false, "Patch the live object (a GitOps tool will revert it)")
	return cmd
}

func (a *app) approveFile(path string, ap approve.Approval) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := approve.Edit(data, ap)
	if errors.Is(err, approve.ErrUnchanged) {
		_, err = fmt.Fprintf(a.streams.Out, "%s: stage %s is already approved by %s; nothing changed\n", path, ap.Stage, ap.By)
		return err
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, out, info.Mode().Perm()); err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.streams.Out, "%s: approved leaving stage %s of initiative %s (by %s); commit the change\n", path, ap.Stage, ap.Initiative, ap.By)
	return err
}

// approveLive adds the approval with a JSON merge patch of spec.approvals,
// after reading the list so that other approvals are kept.
func (a *app) approveLive(cmd *cobra.Command, ap approve.Approval) error {
	fmt.Fprintln(a.streams.ErrOut, "Warning: patching the live object; if the initiative is managed by GitOps (Flux, Argo CD), the next sync reverts this approval unless it is committed to Git too.")
	c, err := a.client()
	if err != nil {
		return err
	}
	it := &v1alpha1.Initiative{}
	if err := c.Get(cmd.Context(), types.NamespacedName{Namespace: ap.Namespace, Name: ap.Initiative}, it); err != nil {
		return err
	}
	for _, existing := range it.Spec.Approvals {
		if existing.Stage == ap.Stage {
			return fmt.Errorf("stage %s of initiative %s is already approved by %s", ap.Stage, ap.Initiative, existing.ApprovedBy)
		}
	}
	patch := client.MergeFrom(it.DeepCopy())
	it.Spec.Approvals = append(it.Spec.Approvals, v1alpha1.Approval{Stage: ap.Stage, ApprovedBy: ap.By})
	if err := c.Patch(cmd.Context(), it, patch); err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.streams.Out, "initiative.culture.momentum.dev/%s patched: stage %s approved by %s\n", ap.Initiative, ap.Stage, ap.By)
	return err
}
