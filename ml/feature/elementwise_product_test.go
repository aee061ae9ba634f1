package feature

import (
	"testing"

	"github.com/gspark/gspark/ml/linalg"
)

func TestElementwiseProduct(t *testing.T) {
	s, _ := newSession(t)
	// pyspark docstring: [2,1,3] ∘ [1,2,3] → [2,2,9].
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(2, 1, 3), sparse(t, 3, []int{2}, []float64{4})}, 2)
	ep := NewElementwiseProduct().SetScalingVec(1, 2, 3).SetInputCol("features").SetOutputCol("eprod")
	rows := transformRows(t, ep, df)
	vecNear(t, "dense", rows[0][2], linalg.Dense(2, 2, 9), 0)
	if rows[1][2].(linalg.Vector).String() != "(3,[2],[12.0])" {
		t.Fatalf("sparse %v", rows[1][2])
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, ep), df))
}
