package optim

import (
	"context"

	"github.com/gspark/gspark/ml/progress"
)

// Boost fits maxIter regression trees by gradient boosting, as Spark's GBTs
// do: the first tree fits first(y) with weight 1, each later one the
// pseudo-residuals residual(y, F) of the current prediction F with weight
// step. Every block's rows are visited on the caller's goroutine; GrowTree
// spreads its statistics over the blocks.
func Boost(ctx context.Context, blocks []*Block, cfg TreeConfig, maxIter int, step float64,
	first func(y float64) float64, residual func(y, f float64) float64) ([][]TreeNode, []float64, error) {
	// work holds the blocks with the current targets; F the predictions.
	work := make([]*Block, len(blocks))
	F := make([][]float64, len(blocks))
	for p, b := range blocks {
		y := make([]float64, b.N)
		for i, v := range b.Y {
			y[i] = first(v)
		}
		work[p] = &Block{N: b.N, D: b.D, X: b.X, W: b.W, Y: y}
		F[p] = make([]float64, b.N)
	}
	var trees [][]TreeNode
	var weights []float64
	for it := 0; it < maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if it > 0 {
			for p, b := range blocks {
				for i, y := range b.Y {
					work[p].Y[i] = residual(y, F[p][i])
				}
			}
		}
		nodes, err := GrowTree(ctx, work, cfg)
		if err != nil {
			return nil, nil, err
		}
		w := 1.0
		if it > 0 {
			w = step
		}
		trees, weights = append(trees, nodes), append(weights, w)
		progress.Report(ctx, "tree", it+1, maxIter)
		for p, b := range blocks {
			for i := 0; i < b.N; i++ {
				F[p][i] += w * PredictTree(nodes, b.Row(i)).Prediction
			}
		}
	}
	return trees, weights, nil
}
