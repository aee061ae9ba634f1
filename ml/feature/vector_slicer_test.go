package feature

import (
	"testing"

	"github.com/gspark/gspark/ml/linalg"
)

func TestVectorSlicer(t *testing.T) {
	s, _ := newSession(t)
	// pyspark docstring: indices [1, 4] of [-2.0, 2.3, 0.0, 0.0, 1.0] → [2.3, 1.0].
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(-2, 2.3, 0, 0, 1), linalg.Dense(0, 0, 0, 0, 0), sparse(t, 5, []int{4}, []float64{7})}, 2)
	vs := NewVectorSlicer().SetInputCol("features").SetOutputCol("sliced").SetIndices(1, 4)
	rows := transformRows(t, vs, df)
	vecNear(t, "doc", rows[0][2], linalg.Dense(2.3, 1), 0)
	if rows[2][2].(linalg.Vector).String() != "(2,[1],[7.0])" {
		t.Fatalf("sparse %v", rows[2][2])
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, vs), df))
	wantErr(t, runErr(NewVectorSlicer().SetInputCol("features").SetOutputCol("s").SetIndices(9), df), "index 9 is out of range")
}
