package aggregate_test

import (
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/aggregate"
)

// naiveVarSamp is the sample variance of the valid values of xs[lo:hi]
// (ok false below two values).
func naiveVarSamp(xs []float64, valid []bool, lo, hi int) (float64, bool) {
	var vals []float64
	for i := lo; i < hi; i++ {
		if valid[i] {
			vals = append(vals, xs[i])
		}
	}
	if len(vals) < 2 {
		return 0, false
	}
	var mean float64
	for _, v := range vals {
		mean += v
	}
	mean /= float64(len(vals))
	var ss float64
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	return ss / float64(len(vals)-1), true
}

func TestEvalFramesMatchesNaive(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const n = 1600 // a running frame over n rows is n²/2 > 2^20 pairs: several chunks
	xs := make([]float64, n)
	valid := make([]bool, n)
	for i := range xs {
		xs[i] = float64((i*37)%101) / 7
		valid[i] = i%5 != 3
	}
	b := array.NewFloat64Builder(mem)
	b.AppendValues(xs, valid)
	in := b.NewArray()
	b.Release()
	defer in.Release()
	frames := map[string]func(i int) (int, int){
		"whole":   func(int) (int, int) { return 0, n },
		"running": func(i int) (int, int) { return 0, i + 1 },
		"sliding": func(i int) (int, int) { return max(0, i-2), min(n, i+3) },
		"empty":   func(i int) (int, int) { return min(n, i+5), min(n, i+5) },
		"reverse": func(i int) (int, int) { return i + 1, i }, // hi < lo: empty
	}
	for name, fr := range frames {
		lo, hi := make([]int32, n), make([]int32, n)
		for i := range lo {
			l, h := fr(i)
			lo[i], hi[i] = int32(l), int32(min(h, n))
			if name == "reverse" {
				lo[i], hi[i] = int32(min(l, n)), int32(h)
			}
		}
		got, err := aggregate.EvalFrames(mem, aggregate.Spec{Func: aggregate.VarSamp}, in, nil, lo, hi)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res := got.(*array.Float64)
		if res.Len() != n {
			t.Fatalf("%s: %d results for %d rows", name, res.Len(), n)
		}
		for i := range n {
			l, h := int(lo[i]), int(hi[i])
			want, ok := naiveVarSamp(xs, valid, l, max(l, h))
			if ok != res.IsValid(i) || (ok && math.Abs(want-res.Value(i)) > 1e-9*math.Max(1, math.Abs(want))) {
				t.Fatalf("%s row %d: got %v (valid %v), want %v (valid %v)", name, i, res.Value(i), res.IsValid(i), want, ok)
			}
		}
		got.Release()
	}
}

func TestEvalFramesCollectAndTwoInputs(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ib := array.NewInt64Builder(mem)
	ib.AppendValues([]int64{1, 2, 0, 4}, []bool{true, true, false, true})
	x := ib.NewArray()
	ib.AppendValues([]int64{5, 9, 7, 1}, nil)
	y := ib.NewArray()
	ib.Release()
	defer x.Release()
	defer y.Release()
	lo := []int32{0, 0, 1, 4}
	hi := []int32{1, 3, 4, 4}
	got, err := aggregate.EvalFrames(mem, aggregate.Spec{Func: aggregate.CollectList}, x, nil, lo, hi)
	if err != nil {
		t.Fatal(err)
	}
	if s, want := got.String(), "[[1] [1 2] [2 4] []]"; s != want {
		t.Errorf("collect_list over frames: got %s, want %s", s, want)
	}
	got.Release()
	// max_by(x, y): x of the row with the greatest y, even a null x.
	got, err = aggregate.EvalFrames(mem, aggregate.Spec{Func: aggregate.MaxBy}, x, y, []int32{0, 1, 2, 0}, []int32{2, 3, 4, 0})
	if err != nil {
		t.Fatal(err)
	}
	if s, want := got.String(), "[2 2 (null) (null)]"; s != want {
		t.Errorf("max_by over frames: got %s, want %s", s, want)
	}
	got.Release()
	if _, err := aggregate.EvalFrames(mem, aggregate.Spec{Func: aggregate.MaxBy}, x, nil, lo, hi); err == nil || !strings.Contains(err.Error(), "second input") {
		t.Errorf("max_by without its second input: got %v", err)
	}
	if _, err := aggregate.EvalFrames(mem, aggregate.Spec{Func: aggregate.CollectList}, x, nil, []int32{0}, []int32{9}); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("frame past the input: got %v", err)
	}
}
