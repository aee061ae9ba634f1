package mathfn

import (
	"math"
	"testing"
)

// TestWidthBucketValues checks hand-computed buckets: [0, 10) in 5 buckets
// of width 2, its reverse (10, 0], and the null cases.
func TestWidthBucketValues(t *testing.T) {
	mem := alloc(t)
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		x, lo, hi float64
		n         int64
		want      any
	}{
		{-0.1, 0, 10, 5, int64(0)}, {0, 0, 10, 5, int64(1)}, {1.9, 0, 10, 5, int64(1)}, {2, 0, 10, 5, int64(2)},
		{9.99, 0, 10, 5, int64(5)}, {10, 0, 10, 5, int64(6)}, {1e300, 0, 10, 5, int64(6)}, {-inf, 0, 10, 5, int64(0)},
		{10.1, 10, 0, 5, int64(0)}, {10, 10, 0, 5, int64(1)}, {8.5, 10, 0, 5, int64(1)}, {0.5, 10, 0, 5, int64(5)}, {0, 10, 0, 5, int64(6)},
		{5.3, 0.2, 10.6, 5, int64(3)}, {-0.9, 5.2, 0.5, 2, int64(3)},
		{1, 0, 10, 0, nil}, {1, 0, 10, -1, nil}, {1, 0, 10, math.MaxInt64, nil}, {nan, 0, 10, 5, nil}, {1, 3, 3, 5, nil},
		{1, nan, 10, 5, nil}, {1, 0, inf, 5, nil}, {1, -inf, 0, 5, nil},
	}
	xs, los, his, ns := make([]any, len(cases)+1), make([]any, len(cases)+1), make([]any, len(cases)+1), make([]any, len(cases)+1)
	want := make([]any, len(cases)+1)
	for i, c := range cases {
		xs[i], los[i], his[i], ns[i], want[i] = c.x, c.lo, c.hi, c.n, c.want
	}
	// the last row: a null value
	los[len(cases)], his[len(cases)], ns[len(cases)] = 0.0, 1.0, int64(2)
	cx, clo, chi, cn := build(mem, f64, xs), build(mem, f64, los), build(mem, f64, his), build(mem, i64, ns)
	defer cx.Release()
	defer clo.Release()
	defer chi.Release()
	defer cn.Release()
	e, err := WidthBucket(col(0, cx), col(1, clo), col(2, chi), col(3, cn))
	if err != nil {
		t.Fatal(err)
	}
	got, err := eval(mem, e, len(want), cx, clo, chi, cn)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	expectValues(t, "width_bucket", got, want)
}
