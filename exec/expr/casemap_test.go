package expr_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// evalStrings evaluates e over one string column holding vals (nil = null)
// and returns the results (nil = null) or the error.
func evalStrings(t *testing.T, mem memory.Allocator, e expr.Expr, vals []any) ([]any, error) {
	t.Helper()
	str := arrow.BinaryTypes.String
	a := build(mem, str, vals)
	defer a.Release()
	b := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "c0", Type: str, Nullable: true}}, nil), []arrow.Array{a}, int64(len(vals)))
	defer b.Release()
	out, err := e.Eval(mem, b)
	if err != nil {
		return nil, err
	}
	defer out.Release()
	res := make([]any, out.Len())
	for i := range res {
		if out.IsNull(i) {
			continue
		}
		switch o := out.(type) {
		case *array.String:
			res[i] = o.Value(i)
		case *array.Float64:
			res[i] = o.Value(i)
		case *array.Float32:
			res[i] = float64(o.Value(i))
		default:
			t.Fatalf("unexpected result type %s", out.DataType())
		}
	}
	return res, nil
}

// TestUpperLowerFullCaseMapping checks that non-ASCII text is mapped as
// Java's toUpperCase/toLowerCase do (full case mapping: ß → SS, ﬀ → FF,
// final sigma), and ASCII text byte by byte.
func TestUpperLowerFullCaseMapping(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer func() {
		if n := mem.CurrentAlloc(); n != 0 {
			t.Errorf("%d bytes not released", n)
		}
	}()
	str := arrow.BinaryTypes.String
	cases := []struct{ in, upper, lower string }{
		{"straße", "STRASSE", "straße"},
		{"ﬀ", "FF", "ﬀ"},
		{"ÄÖÜ straße", "ÄÖÜ STRASSE", "äöü straße"},
		{"hello World 123", "HELLO WORLD 123", "hello world 123"},
		{"", "", ""},
		{"ǅ", "Ǆ", "ǆ"},
		{"ΟΔΟΣ", "ΟΔΟΣ", "οδος"},
		{"AΣ b", "AΣ B", "aς b"},
		{"ŉ", "ʼN", "ŉ"},
		{"日本語abc", "日本語ABC", "日本語abc"},
		{"ﬁx ß", "FIX SS", "ﬁx ß"},
		{"a\xffb", "A\xffB", "a\xffb"},
	}
	var in []any
	for _, c := range cases {
		in = append(in, c.in)
	}
	in = append(in, nil)
	for _, upper := range []bool{true, false} {
		e := expr.Lower(col(0, str))
		if upper {
			e = expr.Upper(col(0, str))
		}
		got, err := evalStrings(t, mem, e, in)
		if err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		for i, c := range cases {
			want := c.lower
			if upper {
				want = c.upper
			}
			if got[i] != want {
				t.Errorf("%s of %q = %q, want %q", e, c.in, got[i], want)
			}
		}
		if got[len(cases)] != nil {
			t.Errorf("%s of NULL = %v, want NULL", e, got[len(cases)])
		}
	}
}

// TestCastStringSpecialFloats checks the infinity and NaN spellings Spark
// accepts when casting strings to DOUBLE and FLOAT, and that near misses
// still fail.
func TestCastStringSpecialFloats(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer func() {
		if n := mem.CurrentAlloc(); n != 0 {
			t.Errorf("%d bytes not released", n)
		}
	}()
	str := arrow.BinaryTypes.String
	good := map[string]float64{
		"inf": math.Inf(1), "+inf": math.Inf(1), "-inf": math.Inf(-1), "INF": math.Inf(1),
		"Infinity": math.Inf(1), "-Infinity": math.Inf(-1), "+INFINITY": math.Inf(1), " infinity ": math.Inf(1),
		"NaN": math.NaN(), "nan": math.NaN(), "NAN": math.NaN(), "1.5": 1.5, "2d": 2, "-3e2": -300, "1e400": math.Inf(1),
	}
	for _, to := range []arrow.DataType{arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Float32} {
		for s, want := range good {
			got, err := evalStrings(t, mem, must(expr.Cast(col(0, str), to)), []any{s, nil})
			if err != nil {
				t.Errorf("CAST(%q AS %s): %v", s, to, err)
				continue
			}
			f := got[0].(float64)
			if !(f == want || math.IsNaN(f) && math.IsNaN(want)) || got[1] != nil {
				t.Errorf("CAST(%q AS %s) = %v, want %v", s, to, got, want)
			}
		}
		for _, s := range []string{"in", "infinit", "infinityd", "infd", "nand", "-", "", "i nf", "0x1p3", "1_0", "++inf", "infinity1"} {
			if _, err := evalStrings(t, mem, must(expr.Cast(col(0, str), to)), []any{s}); err == nil {
				t.Errorf("CAST(%q AS %s): expected an error", s, to)
			}
			got, err := evalStrings(t, mem, must(expr.TryCast(col(0, str), to)), []any{s, "inf"})
			if err != nil || got[0] != nil || got[1] != math.Inf(1) {
				t.Errorf("TRY_CAST(%q, 'inf' AS %s) = %v, %v; want NULL, +Inf", s, to, got, err)
			}
		}
	}
}

// caseMapBench builds a batch of n random strings of 8..40 characters;
// nonASCII is the share of strings that hold one non-ASCII letter.
func caseMapBench(mem memory.Allocator, nonASCII float64) arrow.RecordBatch {
	r := rand.New(rand.NewPCG(3, 4))
	vals := make([]any, benchRows)
	for i := range vals {
		var sb strings.Builder
		n := 8 + r.IntN(33)
		for range n {
			sb.WriteByte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ 0123456789"[r.IntN(47)])
		}
		if r.Float64() < nonASCII {
			sb.WriteString("é")
		}
		vals[i] = sb.String()
	}
	str := arrow.BinaryTypes.String
	a := build(mem, str, vals)
	defer a.Release()
	return array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "c0", Type: str}}, nil), []arrow.Array{a}, benchRows)
}

func BenchmarkUpperASCII(b *testing.B) {
	mem := memory.NewGoAllocator()
	batch := caseMapBench(mem, 0)
	defer batch.Release()
	benchEval(b, expr.Upper(col(0, arrow.BinaryTypes.String)), batch, mem)
}

func BenchmarkLowerASCII(b *testing.B) {
	mem := memory.NewGoAllocator()
	batch := caseMapBench(mem, 0)
	defer batch.Release()
	benchEval(b, expr.Lower(col(0, arrow.BinaryTypes.String)), batch, mem)
}

func BenchmarkUpperMixed(b *testing.B) {
	mem := memory.NewGoAllocator()
	batch := caseMapBench(mem, 0.2)
	defer batch.Release()
	benchEval(b, expr.Upper(col(0, arrow.BinaryTypes.String)), batch, mem)
}
