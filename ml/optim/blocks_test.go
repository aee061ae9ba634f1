package optim

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// TestReadBlocksAndMomentsVsNaive reads random dense and sparse rows with
// weights over 3 partitions (with empty batches) and compares the moments
// with a row-at-a-time computation.
func TestReadBlocksAndMomentsVsNaive(t *testing.T) {
	mem := exectest.Alloc(t)
	s := frame.NewSession(frame.WithAllocator(mem))
	r := rand.New(rand.NewPCG(5, 6))
	const d = 4
	schema := arrow.NewSchema([]arrow.Field{{Name: "f", Type: linalg.VectorType(), Nullable: true},
		{Name: "y", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "w", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	var xs [][]float64
	var ys, ws []float64
	parts := make([][]arrow.RecordBatch, 3)
	for p := range parts {
		for b := 0; b < 3; b++ {
			n := r.IntN(5) // may be 0: an empty batch
			vb := linalg.NewVectorBuilder(mem)
			yb := array.NewInt64Builder(mem)
			wb := array.NewFloat64Builder(mem)
			for i := 0; i < n; i++ {
				x := make([]float64, d)
				if r.IntN(2) == 0 {
					for j := range x {
						x[j] = math.Round(r.NormFloat64()*100) / 10
					}
					vb.AppendDense(x)
				} else {
					j := r.IntN(d)
					x[j] = r.Float64() * 5
					vb.AppendSparse(d, []int32{int32(j)}, []float64{x[j]})
				}
				y := int64(r.IntN(7))
				w := float64(r.IntN(3))
				yb.Append(y)
				wb.Append(w)
				xs, ys, ws = append(xs, x), append(ys, float64(y)), append(ws, w)
			}
			cols := []arrow.Array{vb.NewArray(), yb.NewArray(), wb.NewArray()}
			vb.Release()
			yb.Release()
			wb.Release()
			parts[p] = append(parts[p], array.NewRecordBatch(schema, cols, int64(n)))
			for _, c := range cols {
				c.Release()
			}
		}
	}
	df, err := s.FromBatches(schema, parts)
	for _, bs := range parts {
		for _, b := range bs {
			b.Release()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer df.Unpersist()
	blocks, err := ReadBlocks(context.Background(), df, Columns{UID: "t", FeaturesCol: "f", LabelCol: "y", WeightCol: "w"})
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 3 {
		t.Fatalf("%d blocks", len(blocks))
	}
	m, err := ComputeMoments(context.Background(), blocks, true)
	if err != nil {
		t.Fatal(err)
	}
	var W, W2, sy, syy float64
	sx, sxy := make([]float64, d), make([]float64, d)
	sxx := make([]float64, d*d)
	for i, x := range xs {
		w := ws[i]
		W += w
		W2 += w * w
		sy += w * ys[i]
		syy += w * ys[i] * ys[i]
		for j := range x {
			sx[j] += w * x[j]
			sxy[j] += w * x[j] * ys[i]
			for k := range x {
				sxx[j*d+k] += w * x[j] * x[k]
			}
		}
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
	near("W", m.W, W)
	near("W2", m.W2, W2)
	near("meanY", m.MeanY, sy/W)
	near("YY", m.YY, syy/W)
	if m.Count != len(xs) {
		t.Fatalf("count %d, want %d", m.Count, len(xs))
	}
	for j := 0; j < d; j++ {
		near("meanX", m.MeanX[j], sx[j]/W)
		near("XY", m.XY[j], sxy[j]/W)
		near("VarX", m.VarX[j], sxx[j*d+j]/W-(sx[j]/W)*(sx[j]/W))
		for k := 0; k < d; k++ {
			near("XX", m.XX[j*d+k], sxx[j*d+k]/W)
		}
	}
	// A label column of strings is refused with the column's name.
	bad := Columns{UID: "t", FeaturesCol: "y"}
	if _, err := ReadBlocks(context.Background(), df, bad); err == nil || !strings.Contains(err.Error(), `"y" must be vector`) {
		t.Fatalf("got %v", err)
	}
}

func TestReadBlocksErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	s := frame.NewSession(frame.WithAllocator(mem))
	schema := arrow.NewSchema([]arrow.Field{{Name: "f", Type: linalg.VectorType(), Nullable: true}, {Name: "y", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	mk := func(vecs [][]float64, ys []float64, nullVec bool) *frame.DataFrame {
		vb := linalg.NewVectorBuilder(mem)
		yb := array.NewFloat64Builder(mem)
		for i, v := range vecs {
			if nullVec && i == 0 {
				vb.AppendNull()
			} else {
				vb.AppendDense(v)
			}
			yb.Append(ys[i])
		}
		cols := []arrow.Array{vb.NewArray(), yb.NewArray()}
		vb.Release()
		yb.Release()
		b := array.NewRecordBatch(schema, cols, int64(len(ys)))
		cols[0].Release()
		cols[1].Release()
		df, err := s.FromBatches(schema, [][]arrow.RecordBatch{{b}})
		b.Release()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(df.Unpersist)
		return df
	}
	c := Columns{UID: "t", FeaturesCol: "f", LabelCol: "y"}
	for _, tc := range []struct {
		df   *frame.DataFrame
		want string
	}{
		{mk([][]float64{{1, 2}, {1}}, []float64{1, 2}, false), "different sizes"},
		{mk([][]float64{{1, 2}, {1, 3}}, []float64{1, math.NaN()}, false), "label column"},
		{mk([][]float64{{1, 2}, {1, 3}}, []float64{1, 2}, true), "null vector"},
		{mk([][]float64{{1, 2}, {1, math.Inf(-1)}}, []float64{1, 2}, false), "non-finite value -Inf"},
		{mk([][]float64{{math.NaN(), 2}, {1, 3}}, []float64{1, 2}, false), "non-finite value NaN"},
		{mk(nil, nil, false), "no rows"},
		{mk([][]float64{{}, {}}, []float64{1, 2}, false), "empty (size 0)"},
	} {
		if _, err := ReadBlocks(context.Background(), tc.df, c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}
