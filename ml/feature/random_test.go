package feature

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

// Random data with nulls and NaNs against naive row-at-a-time references.
func TestRandomAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	words := []string{"a", "b", "c", "d", "e", "f"}
	var rows [][]any
	for i := 0; i < 400; i++ {
		var x, y any = r.NormFloat64(), float64(r.IntN(3))
		switch r.IntN(12) {
		case 0:
			x = nil
		case 1:
			x = nan
		}
		if r.IntN(15) == 0 {
			y = nil
		}
		var v any
		if r.IntN(8) > 0 {
			v = randVectors(r, 1, 3)[0]
			if v == linalg.Vector(nil) {
				v = nil
			}
		}
		var w any = words[min(r.IntN(len(words)), r.IntN(len(words)))]
		if r.IntN(20) == 0 {
			w = nil
		}
		rows = append(rows, []any{int64(i), x, y, v, w})
	}
	names := []string{"id", "x", "y", "v", "w"}
	types := []arrow.DataType{tInt, tFloat, tFloat, tVec, tString}
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, names, types, rows, parts)

		// VectorAssembler, keep: nulls and NaNs become NaN; a null vector is an error in keep,
		// so assemble x, y only and x, v with skip.
		got := transformRows(t, NewVectorAssembler().SetInputCols("x", "y").SetOutputCol("f").SetHandleInvalid("keep"), df)
		for i, row := range rows {
			want := []float64{nan, nan}
			if row[1] != nil {
				want[0] = row[1].(float64)
			}
			if row[2] != nil {
				want[1] = row[2].(float64)
			}
			vecNear(t, fmt.Sprintf("keep row %d", i), got[i][5], linalg.Dense(want...), 0)
		}
		got = transformRows(t, NewVectorAssembler().SetInputCols("x", "v").SetOutputCol("f").SetHandleInvalid("skip"), df)
		k := 0
		for i, row := range rows {
			if row[1] == nil || math.IsNaN(row[1].(float64)) || row[3] == nil {
				continue
			}
			want := append([]float64{row[1].(float64)}, row[3].(linalg.Vector).ToArray()...)
			if got[k][0] != int64(i) {
				t.Fatalf("skip: row %d kept as %v", i, got[k])
			}
			vecNear(t, fmt.Sprintf("skip row %d", i), got[k][5], linalg.Dense(want...), 0)
			k++
		}
		if k != len(got) {
			t.Fatalf("skip kept %d rows, want %d", len(got), k)
		}

		// StringIndexer: frequency order with alphabetical ties, nulls ignored.
		counts := map[string]int{}
		for _, row := range rows {
			if row[4] != nil {
				counts[row[4].(string)]++
			}
		}
		var labels []string
		for w := range counts {
			labels = append(labels, w)
		}
		sort.Slice(labels, func(i, j int) bool {
			if counts[labels[i]] != counts[labels[j]] {
				return counts[labels[i]] > counts[labels[j]]
			}
			return labels[i] < labels[j]
		})
		m := fit(t, NewStringIndexer().SetInputCol("w").SetOutputCol("wi").SetHandleInvalid("keep"), df).(*StringIndexerModel)
		if !slices.Equal(m.Labels(), labels) {
			t.Fatalf("labels %v, want %v", m.Labels(), labels)
		}
		got = transformRows(t, m, df)
		for i, row := range rows {
			want := float64(len(labels))
			if row[4] != nil {
				want = float64(slices.Index(labels, row[4].(string)))
			}
			if got[i][5] != want {
				t.Fatalf("index row %d: %v, want %v", i, got[i][5], want)
			}
		}

		// Bucketizer against a linear scan.
		splits := []float64{math.Inf(-1), -1, -0.25, 0, 0.5, 2, math.Inf(1)}
		got = transformRows(t, NewBucketizer().SetInputCol("x").SetOutputCol("b").SetSplits(splits...).SetHandleInvalid("keep"), df)
		for i, row := range rows {
			var want any
			if row[1] != nil {
				x := row[1].(float64)
				want = float64(len(splits) - 1)
				for b := 0; b+1 < len(splits); b++ {
					if x >= splits[b] && (x < splits[b+1] || b+2 == len(splits)) {
						want = float64(b)
						break
					}
				}
			}
			if got[i][5] != want {
				t.Fatalf("bucket row %d (x=%v): %v, want %v", i, row[1], got[i][5], want)
			}
		}

		// Imputer mean against a direct average.
		sum, n := 0.0, 0
		for _, row := range rows {
			if row[1] != nil && !math.IsNaN(row[1].(float64)) {
				sum += row[1].(float64)
				n++
			}
		}
		im := fit(t, NewImputer().SetInputCol("x").SetOutputCol("xi"), df).(*ImputerModel)
		if !near(im.Surrogates()[0], sum/float64(n), 1e-12) {
			t.Fatalf("mean %v, want %v", im.Surrogates()[0], sum/float64(n))
		}
	}
}
