package feature

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

func TestBinarizer(t *testing.T) {
	s, mem := newSession(t)
	// pyspark docstring: 0.5 with threshold 1.0 → 0.0.
	df := makeDF(t, s, mem, []string{"id", "values"}, []arrow.DataType{tInt, tFloat}, [][]any{{int64(0), 0.5}, {int64(1), 1.5}, {int64(2), nil}}, 2)
	b := NewBinarizer().SetThreshold(1).SetInputCol("values").SetOutputCol("features")
	rows := transformRows(t, b, df)
	if rows[0][2] != 0.0 || rows[1][2] != 1.0 || rows[2][2] != nil {
		t.Fatalf("rows %v", rows)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, b), df))
	sv := sparse(t, 4, []int{1, 3}, []float64{0.2, 3})
	vdf := vectorFrame(t, s, []linalg.Vector{linalg.Dense(0.5, 1.5, -1), sv}, 2)
	vb := NewBinarizer().SetThreshold(0.3).SetInputCol("features").SetOutputCol("b")
	rows = transformRows(t, vb, vdf)
	vecNear(t, "dense", rows[0][2], linalg.Dense(1, 1, 0), 0)
	if rows[1][2].(linalg.Vector).String() != "(4,[3],[1.0])" {
		t.Fatalf("sparse %v", rows[1][2])
	}
	vb.SetThreshold(-1)
	rows = transformRows(t, vb, vdf)
	vecNear(t, "negative threshold", rows[1][2], linalg.Dense(1, 1, 1, 1), 0)
}
