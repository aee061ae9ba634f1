package feature

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

var nan = math.NaN()

// Spark's pyspark.ml.feature.VectorAssembler docstring examples.
func TestVectorAssemblerSparkDoc(t *testing.T) {
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, []string{"a", "b", "c"}, []arrow.DataType{tInt, tInt, tInt}, [][]any{{int64(1), int64(0), int64(3)}}, parts)
		va := NewVectorAssembler().SetInputCols("a", "b", "c").SetOutputCol("features")
		rows := transformRows(t, va, df)
		vecNear(t, "features", rows[0][3], linalg.Dense(1, 0, 3), 0)
		sameForm(t, "features", rows[0][3], linalg.Dense(1, 0, 3))

		df2 := makeDF(t, s, mem, []string{"a", "b", "c"}, []arrow.DataType{tFloat, tFloat, tFloat},
			[][]any{{1.0, 2.0, nil}, {3.0, nan, 4.0}, {5.0, 6.0, 7.0}}, parts)
		va.SetHandleInvalid("keep")
		rows = transformRows(t, va, df2)
		vecNear(t, "keep 0", rows[0][3], linalg.Dense(1, 2, nan), 0)
		vecNear(t, "keep 1", rows[1][3], linalg.Dense(3, nan, 4), 0)
		vecNear(t, "keep 2", rows[2][3], linalg.Dense(5, 6, 7), 0)
		va.SetHandleInvalid("skip")
		rows = transformRows(t, va, df2)
		if len(rows) != 1 {
			t.Fatalf("skip kept %d rows", len(rows))
		}
		vecNear(t, "skip", rows[0][3], linalg.Dense(5, 6, 7), 0)
		va.SetHandleInvalid("error")
		nullRow := makeDF(t, s, mem, []string{"a", "b", "c"}, []arrow.DataType{tFloat, tFloat, tFloat}, [][]any{{1.0, 2.0, nil}}, parts)
		wantErr(t, runErr(va, nullRow), `encountered null in column "c" while assembling a row with handleInvalid = "error"`)
		df3 := makeDF(t, s, mem, []string{"a", "b", "c"}, []arrow.DataType{tFloat, tFloat, tFloat}, [][]any{{3.0, nan, 4.0}}, parts)
		wantErr(t, runErr(va, df3), `encountered NaN in column "b"`)
	}
}

func TestVectorAssemblerMixed(t *testing.T) {
	s, mem := newSession(t)
	sp := sparse(t, 10, []int{2}, []float64{5})
	df := makeDF(t, s, mem, []string{"id", "x", "v", "flag"}, []arrow.DataType{tInt, tFloat, tVec, arrow.FixedWidthTypes.Boolean},
		[][]any{{int64(0), 1.5, linalg.Dense(1, 2), true}, {int64(1), 0.0, sp, false}, {int64(2), 2.0, nil, true}}, 2)
	va := NewVectorAssembler().SetInputCols("x", "v", "flag").SetOutputCol("f").SetHandleInvalid("skip")
	rows := transformRows(t, va, df)
	if len(rows) != 2 {
		t.Fatalf("rows %v", rows)
	}
	vecNear(t, "dense", rows[0][4], linalg.Dense(1.5, 1, 2, 1), 0)
	want := sparse(t, 12, []int{3}, []float64{5})
	vecNear(t, "sparse", rows[1][4], want, 0)
	sameForm(t, "sparse", rows[1][4], want)
	if rows[1][4].(linalg.Vector).String() != "(12,[3],[5.0])" {
		t.Fatalf("sparse prints %v", rows[1][4])
	}
	// Schema errors name the stage and the column, before any data moves.
	_, err := NewVectorAssembler().SetInputCols("x", "nope").Transform(df)
	wantErr(t, err, `input column "nope" does not exist`)
	df2 := makeDF(t, s, mem, []string{"name"}, []arrow.DataType{tString}, [][]any{{"a"}}, 1)
	va2 := NewVectorAssembler().SetInputCols("name")
	_, err = va2.Transform(df2)
	wantErr(t, err, va2.UID()+`: input column "name" must be numeric or boolean or vector, got string`)
	roundTrip(t, va)
}

// naiveStats computes mean, sample std, min, max per feature row by row.
func naiveStats(vs []linalg.Vector) (mean, std, lo, hi []float64) {
	var rows [][]float64
	for _, v := range vs {
		if v != nil {
			rows = append(rows, v.ToArray())
		}
	}
	d := len(rows[0])
	mean, std, lo, hi = make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	for j := 0; j < d; j++ {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for _, r := range rows {
			mean[j] += r[j]
			lo[j] = math.Min(lo[j], r[j])
			hi[j] = math.Max(hi[j], r[j])
		}
		mean[j] /= float64(len(rows))
		for _, r := range rows {
			std[j] += (r[j] - mean[j]) * (r[j] - mean[j])
		}
		std[j] = math.Sqrt(std[j] / float64(len(rows)-1))
	}
	return
}

func randVectors(r *rand.Rand, n, d int) []linalg.Vector {
	vs := make([]linalg.Vector, n)
	for i := range vs {
		if r.IntN(10) == 0 {
			continue // null
		}
		x := make([]float64, d)
		for j := range x {
			if r.IntN(3) > 0 {
				x[j] = r.NormFloat64()*float64(j+1) + float64(j)
			}
		}
		x[d-1] = 7 // a constant feature
		if r.IntN(2) == 0 {
			vs[i] = linalg.Dense(x...).ToSparse()
		} else {
			vs[i] = linalg.Dense(x...)
		}
	}
	return vs
}

func vectorFrame(t *testing.T, s *frame.Session, vs []linalg.Vector, parts int) *frame.DataFrame {
	mem := exectestAllocOf(s)
	rows := make([][]any, len(vs))
	for i, v := range vs {
		rows[i] = []any{int64(i), nil}
		if v != nil {
			rows[i][1] = v
		}
	}
	return makeDF(t, s, mem, []string{"id", "features"}, []arrow.DataType{tInt, tVec}, rows, parts)
}

func TestStandardScaler(t *testing.T) {
	// pyspark.ml.feature.StandardScaler docstring: [0.0], [2.0] → mean 1.0, std 1.4142.
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(0), linalg.Dense(2)}, parts)
		ss := NewStandardScaler().SetInputCol("features").SetOutputCol("scaled")
		m := fit(t, ss, df).(*StandardScalerModel)
		vecNear(t, "mean", m.Mean(), linalg.Dense(1), 1e-12)
		vecNear(t, "std", m.Std(), linalg.Dense(math.Sqrt2), 1e-12)
		rows := transformRows(t, m, df)
		vecNear(t, "row0", rows[0][2], linalg.Dense(0), 1e-12)
		vecNear(t, "row1", rows[1][2], linalg.Dense(math.Sqrt2), 1e-12)
	}
	// Random data with sparse rows, nulls and a constant feature, against a naive reference.
	r := rand.New(rand.NewPCG(5, 6))
	vs := randVectors(r, 300, 5)
	mean, std, _, _ := naiveStats(vs)
	for _, parts := range partitionCounts {
		for _, withMean := range []bool{false, true} {
			s, _ := newSession(t)
			df := vectorFrame(t, s, vs, parts)
			ss := NewStandardScaler().SetInputCol("features").SetOutputCol("scaled").SetWithMean(withMean)
			m := fit(t, ss, df).(*StandardScalerModel)
			vecNear(t, "mean", m.Mean(), linalg.Dense(mean...), 1e-9)
			vecNear(t, "std", m.Std(), linalg.Dense(std...), 1e-9)
			rows := transformRows(t, m, df)
			for i, v := range vs {
				if v == nil {
					vecNear(t, "null", rows[i][2], nil, 0)
					continue
				}
				x := v.ToArray()
				for j := range x {
					if withMean {
						x[j] -= mean[j]
					}
					if std[j] != 0 {
						x[j] /= std[j]
					} else {
						x[j] = 0
					}
				}
				vecNear(t, fmt.Sprintf("row %d", i), rows[i][2], linalg.Dense(x...), 1e-9)
				if !withMean {
					sameForm(t, "form", rows[i][2], v)
				}
			}
			loaded := roundTrip(t, m)
			sameRows(t, rows, transformRows(t, loaded, df))
		}
	}
}

func TestMinMaxAndMaxAbsScaler(t *testing.T) {
	// pyspark docstrings: MinMaxScaler on [0.0], [2.0] → originalMin 0, originalMax 2, scaled [0.0], [1.0];
	// MaxAbsScaler on [1.0], [2.0] → maxAbs 2, scaled [0.5], [1.0].
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(0), linalg.Dense(2)}, parts)
		mm := fit(t, NewMinMaxScaler().SetInputCol("features").SetOutputCol("scaled"), df).(*MinMaxScalerModel)
		vecNear(t, "min", mm.OriginalMin(), linalg.Dense(0), 0)
		vecNear(t, "max", mm.OriginalMax(), linalg.Dense(2), 0)
		rows := transformRows(t, mm, df)
		vecNear(t, "row1", rows[1][2], linalg.Dense(1), 0)
		df2 := vectorFrame(t, s, []linalg.Vector{linalg.Dense(1), linalg.Dense(2)}, parts)
		ma := fit(t, NewMaxAbsScaler().SetInputCol("features").SetOutputCol("scaled"), df2).(*MaxAbsScalerModel)
		vecNear(t, "maxAbs", ma.MaxAbs(), linalg.Dense(2), 0)
		rows = transformRows(t, ma, df2)
		vecNear(t, "row0", rows[0][2], linalg.Dense(0.5), 0)
	}
	r := rand.New(rand.NewPCG(7, 8))
	vs := randVectors(r, 200, 4)
	_, _, lo, hi := naiveStats(vs)
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, vs, parts)
		mm := fit(t, NewMinMaxScaler().SetInputCol("features").SetOutputCol("s").SetMin(-1).SetMax(3), df).(*MinMaxScalerModel)
		ma := fit(t, NewMaxAbsScaler().SetInputCol("features").SetOutputCol("s"), df).(*MaxAbsScalerModel)
		rowsMM := transformRows(t, mm, df)
		rowsMA := transformRows(t, ma, df)
		for i, v := range vs {
			if v == nil {
				continue
			}
			x, y := v.ToArray(), v.ToArray()
			for j := range x {
				if hi[j] == lo[j] {
					x[j] = 1 // (max+min)/2
				} else {
					x[j] = (x[j]-lo[j])/(hi[j]-lo[j])*4 - 1
				}
				if m := math.Max(math.Abs(lo[j]), math.Abs(hi[j])); m != 0 {
					y[j] /= m
				}
			}
			vecNear(t, "minmax", rowsMM[i][2], linalg.Dense(x...), 1e-9)
			vecNear(t, "maxabs", rowsMA[i][2], linalg.Dense(y...), 1e-9)
			sameForm(t, "maxabs form", rowsMA[i][2], v)
		}
		sameRows(t, rowsMM, transformRows(t, roundTrip(t, mm), df))
		sameRows(t, rowsMA, transformRows(t, roundTrip(t, ma), df))
	}
	_, err := NewMinMaxScaler().SetInputCol("features").SetMin(2).SetMax(1).TransformSchema(schemaOf([]string{"features"}, []arrow.DataType{tVec}))
	wantErr(t, err, "min (2) must be less than max (1)")
}

func TestNormalizer(t *testing.T) {
	// pyspark docstring: [3,-4] → [0.6,-0.8]; (4,{1:4,3:3}) → (4,{1:0.8,3:0.6}); p=inf: [0.75,-1.0].
	s, _ := newSession(t)
	sv := sparse(t, 4, []int{1, 3}, []float64{4, 3})
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(3, -4), sv, linalg.Dense(0, 0), nil}, 2)
	n := NewNormalizer().SetInputCol("features").SetOutputCol("n")
	rows := transformRows(t, n, df)
	vecNear(t, "dense", rows[0][2], linalg.Dense(0.6, -0.8), 1e-12)
	vecNear(t, "sparse", rows[1][2], sparse(t, 4, []int{1, 3}, []float64{0.8, 0.6}), 1e-12)
	sameForm(t, "sparse", rows[1][2], sv)
	vecNear(t, "zero", rows[2][2], linalg.Dense(0, 0), 0)
	vecNear(t, "null", rows[3][2], nil, 0)
	n.SetP(math.Inf(1))
	rows = transformRows(t, n, df)
	vecNear(t, "inf", rows[0][2], linalg.Dense(0.75, -1), 1e-12)
	sameRows(t, rows, transformRows(t, roundTrip(t, n), df))
	n.SetP(0.5)
	_, err := n.Transform(df)
	wantErr(t, err, "param p: must be >= 1, got 0.5")
}

func TestVectorSizeMismatch(t *testing.T) {
	s, _ := newSession(t)
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(1, 2), linalg.Dense(3, 4)}, 1)
	m := fit(t, NewStandardScaler().SetInputCol("features").SetOutputCol("s"), df)
	df2 := vectorFrame(t, s, []linalg.Vector{linalg.Dense(1, 2, 3)}, 1)
	err := runErr(m, df2)
	wantErr(t, err, `vector in column "features" has size 3, expected 2`)
	if !strings.Contains(err.Error(), m.UID()) {
		t.Fatalf("error does not name the stage: %v", err)
	}
	df3 := vectorFrame(t, s, []linalg.Vector{linalg.Dense(1, 2), linalg.Dense(3)}, 2)
	_, err = NewStandardScaler().SetInputCol("features").Fit(ctx, df3)
	wantErr(t, err, "has size")
}

func TestCanceledFitAndBadFrame(t *testing.T) {
	s, _ := newSession(t)
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(1), linalg.Dense(2)}, 2)
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewStandardScaler().SetInputCol("features").Fit(c, df); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled fit: %v", err)
	}
	bad := df.Select(frame.Col("nope"))
	if _, err := NewStandardScaler().SetInputCol("features").Fit(ctx, bad); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("bad frame fit: %v", err)
	}
	if _, err := NewNormalizer().SetInputCol("features").Transform(bad); err == nil {
		t.Fatal("bad frame transform")
	}
}
