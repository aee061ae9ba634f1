package optim

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// Trees go to Parquet one row per node and come back identical, weights
// included (forests and boosted ensembles save this way).
func TestWriteAndReadTrees(t *testing.T) {
	trees := [][]TreeNode{
		{{Feature: 2, Threshold: 0.5, Left: 1, Right: 2, Prediction: 1, Impurity: 0.4, Gain: 0.2, Count: 10, Stats: []float64{4, 6}},
			{Leaf: true, Left: -1, Right: -1, Prediction: 0, Count: 4, Stats: []float64{4, 0}},
			{Leaf: true, Left: -1, Right: -1, Prediction: 1, Count: 6, Stats: []float64{0, 6}}},
		{{Leaf: true, Left: -1, Right: -1, Prediction: 2.5, Count: 3, Stats: []float64{}}},
	}
	dir := filepath.Join(t.TempDir(), "m")
	if err := WriteTrees(dir, trees, []float64{1, 0.1}); err != nil {
		t.Fatal(err)
	}
	back, weights, err := ReadTrees(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back) != fmt.Sprint(trees) || fmt.Sprint(weights) != "[1 0.1]" {
		t.Fatalf("got %v %v\nwant %v", back, weights, trees)
	}
}
