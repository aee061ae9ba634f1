package feature

import (
	"testing"

	"github.com/gspark/gspark/ml/linalg"
)

func TestRobustScaler(t *testing.T) {
	// pyspark.ml.feature.RobustScaler docstring: median [2,-2], range [2,2], row 1 → [0.5,-0.5].
	data := []linalg.Vector{linalg.Dense(0, 0), linalg.Dense(1, -1), linalg.Dense(2, -2), linalg.Dense(3, -3), linalg.Dense(4, -4)}
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, data, parts)
		rs := NewRobustScaler().SetInputCol("features").SetOutputCol("scaled")
		m := fit(t, rs, df).(*RobustScalerModel)
		vecNear(t, "median", m.Median(), linalg.Dense(2, -2), 0)
		vecNear(t, "range", m.Range(), linalg.Dense(2, 2), 0)
		rows := transformRows(t, m, df)
		vecNear(t, "row1", rows[1][2], linalg.Dense(0.5, -0.5), 0)
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		m2 := fit(t, NewRobustScaler().SetInputCol("features").SetOutputCol("scaled").SetWithCentering(true), df).(*RobustScalerModel)
		vecNear(t, "centered", transformRows(t, m2, df)[4][2], linalg.Dense(1, -1), 0)
	}
}
