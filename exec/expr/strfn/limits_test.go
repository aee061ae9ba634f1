package strfn

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// sizeCheck returns the per-row size check of the kernel e.
func sizeCheck(t *testing.T, e expr.Expr, err error) func(c []col, i int) error {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	k, ok := e.(*kernel)
	if !ok || k.check == nil {
		t.Fatalf("%s has no size check", e)
	}
	return k.check
}

func strCol(s string) col { return col{konst: true, cstr: []byte(s)} }
func intCol(n int) col    { return col{konst: true, ci32: int32(n)} }

func TestStringSizeBoundary(t *testing.T) {
	x := expr.Column(0, "x", arrow.BinaryTypes.String)
	n := expr.Column(1, "n", arrow.PrimitiveTypes.Int32)
	p := expr.Column(2, "p", arrow.BinaryTypes.String)
	rep, err := Repeat(x, n)
	repeat := sizeCheck(t, rep, err)
	lp, err := Lpad(x, n, p)
	lpad := sizeCheck(t, lp, err)
	rp, err := Rpad(x, n, nil)
	rpad := sizeCheck(t, rp, err)
	const m = MaxStringBytes // 268435456 = 2^28
	for _, c := range []struct {
		name  string
		check func(c []col, i int) error
		args  []col
		bytes int64 // the result's size, by hand
	}{
		{"repeat", repeat, []col{strCol("abcd"), intCol(m / 4)}, m},
		{"repeat", repeat, []col{strCol("abcd"), intCol(m/4 + 1)}, m + 4},
		{"repeat", repeat, []col{strCol("x"), intCol(2000000000)}, 2000000000},
		{"repeat", repeat, []col{strCol("x"), intCol(-5)}, 0},
		// "é" is 2 bytes: s = "ab" then (m-2)/2 copies of "é" are m-2 bytes... plus 2 = m.
		{"lpad", lpad, []col{strCol("ab"), intCol(2 + (m-2)/2), strCol("é")}, m},
		{"lpad", lpad, []col{strCol("ab"), intCol(2 + (m-2)/2 + 1), strCol("é")}, m + 2},
		// A 3-character pad "xyz" cut after "xy": s + k*3 + 2 bytes.
		{"lpad", lpad, []col{strCol("a"), intCol(1 + 3*((m-3)/3) + 2), strCol("xyz")}, 1 + 3*((m-3)/3) + 2},
		{"lpad", lpad, []col{strCol("a"), intCol(2147483647), strCol("xyz")}, 2147483647},
		{"lpad", lpad, []col{strCol("a"), intCol(2147483647), strCol("")}, 1},
		{"rpad", rpad, []col{strCol("abc"), intCol(m)}, m},
		{"rpad", rpad, []col{strCol("abc"), intCol(m + 1)}, m + 1},
		{"rpad", rpad, []col{strCol("abcdef"), intCol(2)}, 2},
	} {
		err := c.check(c.args, 0)
		if c.bytes <= m {
			if err != nil {
				t.Errorf("%s of %d bytes: %v", c.name, c.bytes, err)
			}
			continue
		}
		if err == nil || !errors.Is(err, expr.ErrOverflow) {
			t.Errorf("%s of %d bytes: err = %v, want an overflow error", c.name, c.bytes, err)
			continue
		}
		for _, w := range []string{c.name + ":", " " + itoa(c.bytes) + " bytes", "268435456"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not contain %q", err, w)
			}
		}
	}
}

func itoa(n int64) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}

func TestHugeRepeatFailsWithoutAllocating(t *testing.T) {
	mem := exectest.Alloc(t)
	sc := schemaFor("sis")
	c := columns(sc)
	b := exectest.Batch(mem, sc, [][]any{{"x", int32(2000000000), " "}})
	defer b.Release()
	rep, err := Repeat(c[0], c[1])
	if err != nil {
		t.Fatal(err)
	}
	lp, err := Lpad(c[0], c[1], c[2])
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []expr.Expr{rep, lp} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err := e.Eval(mem, b)
		if !errors.Is(err, expr.ErrOverflow) || !strings.Contains(err.Error(), "2000000000") {
			t.Fatalf("%s: err = %v", e, err)
		}
		runtime.ReadMemStats(&after)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s took %v", e, d)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
			t.Errorf("%s allocated %d bytes before failing", e, grown)
		}
	}
}
