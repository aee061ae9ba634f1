package arrayfn_test

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/values/vectors"
)

// TestVectorToArrayRandom checks vector_to_array on random dense, sparse
// and null vectors (in a sliced batch) against Vector.ToArray, and
// array_to_vector on its result back to the same elements.
func TestVectorToArrayRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	mem := exectest.Alloc(t)
	const rows = 200
	vs := make([]vectors.Vector, rows)
	for k := range vs {
		n := r.IntN(6)
		switch r.IntN(3) {
		case 0:
			vs[k] = nil
		case 1:
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = float64(r.IntN(9)) - 4
			}
			vs[k] = vectors.Dense(xs...)
		default:
			var idx []int
			var xs []float64
			for i := 0; i < n; i++ {
				if r.IntN(2) == 0 {
					idx = append(idx, i)
					xs = append(xs, float64(r.IntN(9))+0.5)
				}
			}
			sp, err := vectors.Sparse(n, idx, xs)
			if err != nil {
				t.Fatal(err)
			}
			vs[k] = sp
		}
	}
	arr := vectors.NewVectorArray(mem, vs)
	defer arr.Release()
	sc := arrow.NewSchema([]arrow.Field{{Name: "v", Type: vectors.VectorType(), Nullable: true}}, nil)
	full := array.NewRecordBatch(sc, []arrow.Array{arr}, rows)
	defer full.Release()
	b := full.NewSlice(7, rows)
	defer b.Release()
	vs = vs[7:]
	v := expr.Column(0, "v", vectors.VectorType())

	for _, f32 := range []bool{false, true} {
		e, err := arrayfn.VectorToArray(v, f32)
		got, err := eval(t, mem, e, err, b)
		if err != nil {
			t.Fatal(err)
		}
		for k, w := range vs {
			var want any
			if w != nil {
				xs := make([]any, w.Size())
				for i, x := range w.ToArray() {
					if f32 {
						xs[i] = float32(x)
					} else {
						xs[i] = x
					}
				}
				want = xs
			}
			if !reflect.DeepEqual(got[k], want) {
				t.Fatalf("f32=%v row %d (%v): got %v, want %v", f32, k, w, got[k], want)
			}
		}
		// Round trip: array_to_vector(vector_to_array(v)) is v made dense.
		back, err := arrayfn.ArrayToVector(e)
		if !f32 {
			out, err := eval(t, mem, back, err, b)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range vs {
				g, _ := out[k].(vectors.Vector)
				if (w == nil) != (g == nil) || (w != nil && (!vectors.Equal(g, w) || reflect.TypeOf(g) != reflect.TypeOf(&vectors.DenseVector{}))) {
					t.Fatalf("round trip row %d: got %v, want %v", k, out[k], w)
				}
			}
		} else if err != nil {
			t.Fatalf("array_to_vector of floats: %v", err)
		}
	}
}

// TestArrayItem checks arr[i] from 0 (an error outside the array, Spark 4
// with ANSI on) and get(arr, i) (null outside).
func TestArrayItem(t *testing.T) {
	mem := exectest.Alloc(t)
	b := batch(t, mem, column{"a", arrow.ListOf(i64), []any{[]any{int64(10), int64(20), nil}, nil, []any{}, []any{int64(5)}}},
		column{"i", i32, []any{int32(1), int32(0), nil, int32(0)}})
	defer b.Release()
	e, err := arrayfn.ArrayItem(col(b, 0), col(b, 1), false)
	check(t, mem, e, err, b, "[20 NULL NULL 5]")
	g, err := arrayfn.ArrayItem(col(b, 0), lit(t, int64(0), i32), true)
	check(t, mem, g, err, b, "[10 NULL NULL 5]")
	g, err = arrayfn.ArrayItem(col(b, 0), lit(t, int64(2), i32), true)
	check(t, mem, g, err, b, "[NULL NULL NULL NULL]")
	b2 := batch(t, mem, column{"a", arrow.ListOf(i64), []any{[]any{int64(10), int64(20)}}})
	defer b2.Release()
	for _, k := range []int32{2, -1} {
		e, err := arrayfn.ArrayItem(col(b2, 0), lit(t, int64(k), i32), false)
		if _, err := eval(t, mem, e, err, b2); !errors.Is(err, arrayfn.ErrInvalidArrayIndex) {
			t.Errorf("[10, 20][%d]: %v", k, err)
		}
	}
}
