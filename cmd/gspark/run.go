package main

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gspark/gspark/ml/jobs"
)

// newRun is `gspark run job.yaml [--param k=v …]`: it validates the whole
// job file, then runs its steps, one progress line each on stderr.
func newRun(g *globalFlags) *cobra.Command {
	var params []string
	cmd := &cobra.Command{
		Use:   "run JOB.yaml [--param name=value …]",
		Short: "Validate and run a pipeline job file",
		Long: "Run a job file of named steps (sql, split, fit, evaluate, transform, save).\n" +
			"The whole file is checked first — step kinds, stage classes, params, grids and the\n" +
			"columns every stage reads — and nothing runs if any check fails. Each step prints\n" +
			"one line with its rows and time on stderr; a failed step exits non-zero and leaves\n" +
			"what earlier steps wrote in place. --param overrides a default of the file's params:.\n" +
			"--partitions overrides the file's partitions:.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			overrides := map[string]string{}
			for _, p := range params {
				k, v, ok := strings.Cut(p, "=")
				if !ok || k == "" {
					return fmt.Errorf("--param %q: want name=value", p)
				}
				overrides[k] = v
			}
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			job, err := jobs.Parse(args[0], src, overrides)
			if err != nil {
				return err
			}
			if g.partitions == 0 {
				local := *g
				local.partitions = job.Partitions
				g = &local
			}
			s, err := g.session()
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd.Context())
			defer stop()
			res, err := jobs.Run(ctx, job, jobs.Options{Session: s, Progress: cmd.ErrOrStderr()})
			if err != nil {
				return err
			}
			for _, k := range slices.Sorted(maps.Keys(res.Metrics)) {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%v\n", k, res.Metrics[k])
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&params, "param", nil, "name=value overriding a param of the job file (repeatable)")
	return cmd
}
