package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/jobs"
)

// The job file examples/jobs/cancer.yaml does what this program does, with
// no Go: on the same data, seeds and partitioning its held-out metrics are
// exactly this program's.
func TestJobFileMatches(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		res, err := Pipeline(ctx, frame.NewSession(frame.WithPartitions(parts)), "../../testdata/ml/breast_cancer.csv", filepath.Join(t.TempDir(), "model"))
		if err != nil {
			t.Fatal(err)
		}
		job, err := jobs.RunFile(ctx, "../jobs/cancer.yaml", map[string]string{"out": t.TempDir()},
			jobs.Options{Session: frame.NewSession(frame.WithPartitions(parts))})
		if err != nil {
			t.Fatal(err)
		}
		if got := job.Metrics["heldout.areaUnderROC"]; got != res.TestAUC {
			t.Errorf("partitions=%d: job areaUnderROC %v, Go program %v", parts, got, res.TestAUC)
		}
		if got := job.Metrics["heldout.accuracy"]; got != res.TestAccuracy {
			t.Errorf("partitions=%d: job accuracy %v, Go program %v", parts, got, res.TestAccuracy)
		}
		best := res.CVMetrics[0]
		for _, m := range res.CVMetrics {
			best = max(best, m)
		}
		if got := job.Metrics["cv.areaUnderROC"]; got != best {
			t.Errorf("partitions=%d: job's best cross-validated areaUnderROC %v, Go program's %v", parts, got, best)
		}
	}
}
