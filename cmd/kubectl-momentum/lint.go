package main

import (
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/momentum-dev/momentum/config/crd"
	"github.com/momentum-dev/momentum/internal/plugin/lint"
)

func newLint(a *app) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "lint DIR|FILE...",
		Short: "Check program manifests offline: CRD schema, CEL rules and references between objects",
		Long: `Lint validates every Momentum object in the given files (directories are read
recursively for *.yaml and *.yml) with the CRDs built into this plugin and
the API server's own validation code (OpenAPI schema, list keys, CEL rules),
then checks what only the controller would see: gates naming indicators that
are not defined, channels that are not defined, behaviors in nominations and
indicators, reminder stages and templates, live-source queries.

Exit status: 0 when clean, 1 when a problem is found, 2 when the files
cannot be read. Suitable for a Git pre-commit hook and CI.`,
		Example: `  kubectl momentum lint config/samples
  kubectl momentum lint program/ --output json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "text" && output != "json" {
				return fmt.Errorf("--output must be text or json, not %q", output)
			}
			bases, err := fs.Sub(crd.Bases, "bases")
			if err != nil {
				return err
			}
			schemas, err := lint.LoadSchemas(bases)
			if err != nil {
				return err
			}
			problems, files, err := lint.Files(cmd.Context(), schemas, args)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if output == "json" {
				err = lint.WriteJSON(a.streams.Out, problems)
			} else {
				err = lint.WriteText(a.streams.Out, problems, files)
			}
			if err != nil {
				return err
			}
			if len(problems) > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "Output format: text or json")
	return cmd
}
