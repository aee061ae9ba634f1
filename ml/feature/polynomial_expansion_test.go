package feature

import (
	"testing"

	"github.com/gspark/gspark/ml/linalg"
)

func TestPolynomialExpansion(t *testing.T) {
	s, _ := newSession(t)
	// pyspark docstring: [0.5, 2.0] degree 2 → [0.5, 0.25, 2.0, 1.0, 4.0].
	sv := sparse(t, 3, []int{1}, []float64{3})
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(0.5, 2), sv, linalg.Dense(2, 3)}, 2)
	pe := NewPolynomialExpansion().SetInputCol("features").SetOutputCol("poly")
	rows := transformRows(t, pe, df)
	vecNear(t, "doc", rows[0][2], linalg.Dense(0.5, 0.25, 2, 1, 4), 0)
	// (x0, x1, x2) degree 2, Spark's order: x0, x0², x1, x0x1, x1², x2, x0x2, x1x2, x2².
	vecNear(t, "sparse", rows[1][2], sparse(t, 9, []int{2, 4}, []float64{3, 9}), 0)
	sameForm(t, "sparse", rows[1][2], sv)
	pe.SetDegree(3)
	rows = transformRows(t, pe, df)
	// (x, y) degree 3: x, x², x³, y, xy, x²y, y², xy², y³.
	vecNear(t, "deg3", rows[2][2], linalg.Dense(2, 4, 8, 3, 6, 12, 9, 18, 27), 0)
	sameRows(t, rows, transformRows(t, roundTrip(t, pe), df))
}
