package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gspark/gspark/frame"
)

// The whole job runs with 1 and 4 partitions (its random split, like
// Spark's, depends on the partitioning), its model generalizes, and the
// reloaded model predicts what the saved one did.
func TestPipelineJob(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		res, err := Pipeline(ctx, s, "../../testdata/ml/breast_cancer.csv", filepath.Join(t.TempDir(), "model"))
		if err != nil {
			t.Fatal(err)
		}
		if res.TestAUC < 0.95 || res.TestAccuracy < 0.9 || !res.ReloadedAgrees || len(res.CVMetrics) != 3 {
			t.Fatalf("partitions=%d: %+v", parts, res)
		}
	}
}
