package feature

import (
	"slices"
	"testing"

	"github.com/gspark/gspark/ml/linalg"
)

func TestVarianceThresholdSelector(t *testing.T) {
	// Hand-computed sample variances: [16.67, 0.667, 8.17, 10.17, 5.07, 11.47]; threshold 8.0 keeps 0, 2, 3, 5.
	data := []linalg.Vector{
		linalg.Dense(6.0, 7.0, 0.0, 7.0, 6.0, 0.0), linalg.Dense(0.0, 9.0, 6.0, 0.0, 5.0, 9.0),
		linalg.Dense(0.0, 9.0, 3.0, 0.0, 5.0, 5.0), linalg.Dense(0.0, 9.0, 8.0, 5.0, 6.0, 4.0),
		linalg.Dense(8.0, 9.0, 6.0, 5.0, 4.0, 4.0), linalg.Dense(8.0, 9.0, 6.0, 0.0, 0.0, 0.0),
	}
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, data, parts)
		sel := NewVarianceThresholdSelector().SetVarianceThreshold(8.0).SetOutputCol("selectedFeatures")
		m := fit(t, sel, df).(*VarianceThresholdSelectorModel)
		if !slices.Equal(m.SelectedFeatures(), []int{0, 2, 3, 5}) {
			t.Fatalf("selected %v", m.SelectedFeatures())
		}
		rows := transformRows(t, m, df)
		vecNear(t, "row0", rows[0][2], linalg.Dense(6, 0, 7, 0), 0)
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		m0 := fit(t, NewVarianceThresholdSelector(), df).(*VarianceThresholdSelectorModel)
		if !slices.Equal(m0.SelectedFeatures(), []int{0, 1, 2, 3, 4, 5}) {
			t.Fatalf("threshold 0: %v", m0.SelectedFeatures())
		}
	}
}
