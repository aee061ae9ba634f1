package optim

import (
	"context"

	"github.com/gspark/gspark/ml/progress"
)

// Boost fits maxIter regression trees by gradient boosting, as Spark's GBTs
// do: the first tree fits first(y) with weight 1, each later one the
// pseudo-residuals residual(y, F) of the current prediction F with weight
// step. The features are binned once for all trees (see GrowTree), and each
// row's prediction is updated from the leaf it reached while its tree grew.
// first and residual are called from one goroutine per block at once.
func Boost(ctx context.Context, blocks []*Block, cfg TreeConfig, maxIter int, step float64,
	first func(y float64) float64, residual func(y, f float64) float64) ([][]TreeNode, []float64, error) {
	if err := checkTreeConfig(cfg); err != nil {
		return nil, nil, err
	}
	bd, err := binBlocks(ctx, blocks, cfg)
	if err != nil {
		return nil, nil, err
	}
	// work holds the current targets, F the predictions, leaf each row's leaf.
	work, F, ws := make([][]float64, len(blocks)), make([][]float64, len(blocks)), make([][]float64, len(blocks))
	leaf := make([][]int32, len(blocks))
	for p, b := range blocks {
		work[p], F[p], ws[p], leaf[p] = make([]float64, b.N), make([]float64, b.N), b.W, make([]int32, b.N)
		for i, v := range b.Y {
			work[p][i] = first(v)
		}
	}
	var trees [][]TreeNode
	var weights []float64
	for it := 0; it < maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		nodes, err := growBinned(ctx, bd, ws, work, cfg, leaf)
		if err != nil {
			return nil, nil, err
		}
		w := 1.0
		if it > 0 {
			w = step
		}
		trees, weights = append(trees, nodes), append(weights, w)
		progress.Report(ctx, "tree", it+1, maxIter)
		last := it == maxIter-1
		if err := parallel(ctx, len(blocks), "Boost", func(p int) error {
			b := blocks[p]
			for i, l := range leaf[p] {
				if l >= 0 {
					F[p][i] += w * nodes[l].Prediction
				} else {
					F[p][i] += w * PredictTree(nodes, b.Row(i)).Prediction
				}
				if !last {
					work[p][i] = residual(b.Y[i], F[p][i])
				}
			}
			return nil
		}); err != nil {
			return nil, nil, err
		}
	}
	return trees, weights, nil
}
