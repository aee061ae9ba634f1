package feature

import (
	"math"
	"testing"

	"github.com/gspark/gspark/ml/linalg"
)

func TestPCA(t *testing.T) {
	// pyspark.ml.feature.PCA docstring: first row → [1.648..., -4.013...], explained variance [0.794..., 0.205...]
	// (component signs may differ from LAPACK's, so magnitudes are compared).
	data := []linalg.Vector{sparse(t, 5, []int{1, 3}, []float64{1, 7}), linalg.Dense(2, 0, 3, 4, 5), linalg.Dense(4, 0, 0, 6, 7)}
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, data, parts)
		m := fit(t, NewPCA().SetK(2).SetInputCol("features").SetOutputCol("pca"), df).(*PCAModel)
		ev := m.ExplainedVariance().ToArray()
		if !near(ev[0], 0.7946, 1e-3) || !near(ev[1], 0.2053, 1e-3) {
			t.Fatalf("explained variance %v", ev)
		}
		rows := transformRows(t, m, df)
		p := rows[0][2].(linalg.Vector).ToArray()
		if !near(math.Abs(p[0]), 1.6485, 1e-3) || !near(math.Abs(p[1]), 4.0132, 1e-3) {
			t.Fatalf("projection %v", p)
		}
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		r, c := m.PC().Dims()
		if r != 5 || c != 2 {
			t.Fatalf("pc dims %d×%d", r, c)
		}
	}
}
