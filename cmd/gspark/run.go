package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gspark/gspark/ml/jobs"
	"github.com/gspark/gspark/ml/progress"
	"github.com/gspark/gspark/ml/tracking"
)

// newRun is `gspark run job.yaml [--param k=v …]`: it validates the whole
// job file, then runs its steps, one progress line each on stderr.
func newRun(g *globalFlags) *cobra.Command {
	var params []string
	var trackingDir string
	var noTracking bool
	var modelsDir string
	cmd := &cobra.Command{
		Use:   "run JOB.yaml [--param name=value …]",
		Short: "Validate and run a pipeline job file",
		Long: "Run a job file of named steps (sql, split, fit, evaluate, transform, save).\n" +
			"The whole file is checked first — step kinds, stage classes, params, grids and the\n" +
			"columns every stage reads — and nothing runs if any check fails. Each step prints\n" +
			"one line with its rows and time on stderr; a failed step exits non-zero and leaves\n" +
			"what earlier steps wrote in place. --param overrides a default of the file's params:.\n" +
			"--partitions overrides the file's partitions:.\n" +
			"On a terminal (or with GSPARK_PROGRESS=always) a long fit also shows one line of\n" +
			"progress: the folds of cross-validation, the trees of forests and boosting, the\n" +
			"optimizer's iterations.\n" +
			"Each run is recorded in MLflow's file layout under --tracking-dir (default: a local\n" +
			"MLFLOW_TRACKING_URI, else ./mlruns), in the experiment named after the job: every\n" +
			"stage's params, the metrics, tags and saved models, evaluation curves and model\n" +
			"coefficients, and the run's HTML report as artifacts/report.html (see `gspark runs`).\n" +
			"A save step with register: NAME adds a version of NAME to the model registry\n" +
			"--models-dir (default: $" + modelsDirEnv + ", else ./models; see `gspark models`).",
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
			if modelsDir == "" {
				modelsDir = defaultModelsDir()
			}
			opts := jobs.Options{Session: s, Progress: cmd.ErrOrStderr(), ModelsDir: modelsDir}
			if progressWanted(cmd.ErrOrStderr()) {
				// Long fits redraw one line of progress (iterations,
				// trees, folds) between the step lines.
				fp := newFitProgress(cmd.ErrOrStderr(), termWidth(cmd.ErrOrStderr()), progressTick)
				defer fp.done()
				opts.Progress = fp
				ctx = progress.WithFunc(ctx, fp.report)
			}
			var run *tracking.Run
			var store *tracking.Store
			if !noTracking {
				if store, run, err = startJobRun(ctx, trackingDir, job, args[0]); err != nil {
					return err
				}
				opts.Recorder = run
			}
			res, err := jobs.Run(ctx, job, opts)
			err = signalCause(ctx, err)
			if run != nil {
				status := tracking.StatusFinished
				if err != nil {
					status = tracking.StatusFailed
				}
				reportErr := logRunReport(store, run, status)
				if endErr := run.End(status); err == nil && endErr != nil {
					return endErr
				}
				if err == nil && reportErr != nil {
					return reportErr
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "run %s recorded in %s\n", run.ID(), run.Dir())
			}
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
	cmd.Flags().StringVar(&trackingDir, "tracking-dir", "", "directory of the recorded runs (default: a local MLFLOW_TRACKING_URI, else mlruns)")
	cmd.Flags().BoolVar(&noTracking, "no-tracking", false, "do not record the run")
	cmd.Flags().StringVar(&modelsDir, "models-dir", "", "model registry of save steps with register: (default: $"+modelsDirEnv+", else models)")
	return cmd
}

// startJobRun starts the tracking run of a job in dir (or the default
// directory), in the experiment named after the job, with the job file as
// an artifact.
func startJobRun(ctx context.Context, dir string, job *jobs.Job, file string) (*tracking.Store, *tracking.Run, error) {
	if dir == "" {
		var err error
		if dir, err = defaultTrackingDir(); err != nil {
			return nil, nil, err
		}
	}
	store, err := tracking.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	run, err := store.StartRun(ctx, job.Name, "")
	if err != nil {
		return nil, nil, err
	}
	if err := run.SetTag("gspark.version", gsparkVersion()); err != nil {
		_ = run.End(tracking.StatusFailed)
		return nil, nil, err
	}
	if err := run.LogArtifact(file, ""); err != nil {
		_ = run.End(tracking.StatusFailed)
		return nil, nil, err
	}
	return store, run, nil
}

// logRunReport writes the HTML report of the run (as `gspark runs report`
// does) into its artifacts as report.html. The run is still active, so the
// report shows the status it is about to end with and the current time as
// its end.
func logRunReport(store *tracking.Store, run *tracking.Run, status string) error {
	rec, err := store.Run(run.ID())
	if err != nil {
		return fmt.Errorf("run report: %w", err)
	}
	rec.Status, rec.EndTime = status, time.Now()
	dir, err := os.MkdirTemp("", "gspark-report-")
	if err != nil {
		return fmt.Errorf("run report: %w", err)
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "report.html")
	if err := writeReportFile(p, rec); err != nil {
		return fmt.Errorf("run report: %w", err)
	}
	if err := run.LogArtifact(p, ""); err != nil {
		return fmt.Errorf("run report: %w", err)
	}
	return nil
}

// defaultTrackingDir is MLflow's default: a local MLFLOW_TRACKING_URI (a
// path or a file: URI), else ./mlruns.
func defaultTrackingDir() (string, error) {
	uri := os.Getenv("MLFLOW_TRACKING_URI")
	switch {
	case uri == "":
		return "mlruns", nil
	case strings.HasPrefix(uri, "file://"):
		return strings.TrimPrefix(uri, "file://"), nil
	case strings.HasPrefix(uri, "file:"):
		return strings.TrimPrefix(uri, "file:"), nil
	case strings.Contains(uri, "://"):
		return "", fmt.Errorf("MLFLOW_TRACKING_URI %q names a tracking server; gspark records runs in a directory: pass --tracking-dir DIR or --no-tracking", uri)
	}
	return uri, nil
}

// gsparkVersion is the version of the gspark module this binary was built
// from, with its VCS revision when the build recorded one ("(devel)" for a
// build from a working tree).
func gsparkVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" {
			v += " " + s.Value
		}
	}
	return v
}
