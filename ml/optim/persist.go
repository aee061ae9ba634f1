package optim

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
)

// WriteTrees saves trees as Parquet under dir/data, one row per node, as
// Spark lays out tree models: treeID, nodeID, the node's fields and, per
// tree, its weight (1 when weights is nil).
func WriteTrees(dir string, trees [][]TreeNode, weights []float64) error {
	var stats, cats [][]float64
	nums := make([][]float64, 12)
	for t, tree := range trees {
		w := 1.0
		if weights != nil {
			w = weights[t]
		}
		for i, nd := range tree {
			leaf := 0.0
			if nd.Leaf {
				leaf = 1
			}
			for k, v := range []float64{float64(t), float64(i), leaf, float64(nd.Feature), nd.Threshold, float64(nd.Left), float64(nd.Right),
				nd.Prediction, nd.Impurity, nd.Gain, nd.Count, float64(nd.NumCategories)} {
				nums[k] = append(nums[k], v)
			}
			stats = append(stats, append([]float64{w}, nd.Stats...))
			cats = append(cats, append([]float64{}, nd.Categories...))
		}
	}
	names := append(treeColumns(), "numCategories")
	return ml.WriteColumns(dir, len(stats), []string{"weightAndStats", "leftCategories"}, [][][]float64{stats, cats}, names, nums)
}

// treeColumns are the numeric node columns every saved tree has; trees
// saved with categorical splits also have numCategories and the vector
// column leftCategories.
func treeColumns() []string {
	return []string{"treeID", "nodeID", "leaf", "feature", "threshold", "left", "right", "prediction", "impurity", "gain", "count"}
}

// ReadTrees reads what WriteTrees wrote: the trees and their weights.
func ReadTrees(ctx context.Context, dir string) ([][]TreeNode, []float64, error) {
	rec, err := ml.ReadData(ctx, dir, memory.NewGoAllocator())
	if err != nil {
		return nil, nil, err
	}
	withCats := ml.FieldIndex(rec.Schema(), "numCategories") >= 0
	rec.Release()
	names, vecNames := treeColumns(), []string{"weightAndStats"}
	if withCats {
		// Trees saved before categorical splits have neither column.
		names, vecNames = append(names, "numCategories"), append(vecNames, "leftCategories")
	}
	vecs, nums, n, err := ml.ReadColumns(ctx, dir, vecNames, names)
	if err != nil {
		return nil, nil, err
	}
	var trees [][]TreeNode
	var weights []float64
	for r := 0; r < n; r++ {
		t, i := int(nums[0][r]), int(nums[1][r])
		if t != len(trees)-1 {
			if t != len(trees) || i != 0 {
				return nil, nil, fmt.Errorf("tree data: row %d is node %d of tree %d, out of order", r, i, t)
			}
			trees = append(trees, nil)
			if len(vecs[0][r]) == 0 {
				return nil, nil, fmt.Errorf("tree data: row %d has no weight", r)
			}
			weights = append(weights, vecs[0][r][0])
		}
		if i != len(trees[t]) || len(vecs[0][r]) == 0 {
			return nil, nil, fmt.Errorf("tree data: row %d is node %d of tree %d, out of order", r, i, t)
		}
		trees[t] = append(trees[t], TreeNode{Leaf: nums[2][r] == 1, Feature: int(nums[3][r]), Threshold: nums[4][r],
			Left: int(nums[5][r]), Right: int(nums[6][r]), Prediction: nums[7][r], Impurity: nums[8][r], Gain: nums[9][r],
			Count: nums[10][r], Stats: vecs[0][r][1:]})
		if withCats {
			nd := &trees[t][i]
			nd.NumCategories = int(nums[11][r])
			if len(vecs[1][r]) > 0 {
				nd.Categories = vecs[1][r]
			}
		}
	}
	return trees, weights, nil
}
