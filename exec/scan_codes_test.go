package exec_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// fakeCodes hands out the dictionary codes of some columns of one batch.
type fakeCodes struct {
	dicts map[int]arrow.Array
	codes map[int][]int32
	asked map[int]int
}

func (f *fakeCodes) Codes(col int) (arrow.Array, []int32, bool) {
	f.asked[col]++
	d, ok := f.dicts[col]
	return d, f.codes[col], ok
}

// TestShapeCodedMatchesRows filters random batches through ScanOutput with
// the dictionary codes of two string columns and compares the kept rows
// with the predicate worked out row by row in Go:
//
//	a >= lo AND s IN ('v1', 'v3', 'v7', 'a long value 5') AND s <> 'v3'
//	AND NOT (t LIKE 'MEDIUM%') AND u = 'x'
//
// s has nulls and both short and long values; u has no codes, so its
// conjunct runs over the plain strings. The integer
// conjunct keeps under half of the rows, so the string conjuncts run over
// copies of the batch (their codes gathered through the rows kept so far),
// and some batches come without codes.
func TestShapeCodedMatchesRows(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Int64},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "t", Type: arrow.BinaryTypes.String},
		{Name: "u", Type: arrow.BinaryTypes.String},
	}, nil)
	sDict := []string{"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "a long value 5", "a long value 6"}
	tDict := []string{"MEDIUM POLISHED TIN", "SMALL BRUSHED COPPER", "MEDIUM", "LARGE MEDIUM", "medium anodized"}
	uVals := []string{"x", "y"}
	a := expr.Column(0, "a", arrow.PrimitiveTypes.Int64)
	s := expr.Column(1, "s", arrow.BinaryTypes.String)
	tc := expr.Column(2, "t", arrow.BinaryTypes.String)
	u := expr.Column(3, "u", arrow.BinaryTypes.String)
	str := func(v string) expr.Expr { return mustLit(t, v, arrow.BinaryTypes.String) }
	var lits []expr.Expr
	for _, v := range []string{"v1", "v3", "v7", "a long value 5"} {
		lits = append(lits, str(v))
	}
	in, ok := expr.InSet(s, lits)
	if !ok {
		t.Fatal("no IN set")
	}
	like, err := expr.Like(tc, "MEDIUM%")
	if err != nil {
		t.Fatal(err)
	}
	notLike, err := expr.Not(like)
	if err != nil {
		t.Fatal(err)
	}
	strDict := func(vals []string) arrow.Array {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendValues(vals, nil)
		return b.NewArray()
	}
	sd, td := strDict(sDict), strDict(tDict)
	defer sd.Release()
	defer td.Release()
	r := rand.New(rand.NewPCG(11, 12))
	usedCodes := 0
	for round := 0; round < 40; round++ {
		n := r.IntN(3000)
		if round == 0 {
			n = 0
		}
		lo := int64(r.IntN(n + 1))
		if round%3 == 0 {
			lo = int64(n * 3 / 5)
		}
		pred := mustBinary(t, expr.And,
			mustBinary(t, expr.And,
				mustBinary(t, expr.And, mustBinary(t, expr.GtEq, a, mustLit(t, lo, arrow.PrimitiveTypes.Int64)), in),
				mustBinary(t, expr.And, mustBinary(t, expr.NotEq, s, str("v3")), notLike)),
			mustBinary(t, expr.Eq, u, str("x")))
		rows := make([][]any, n)
		sc, tcs := make([]int32, n), make([]int32, n)
		var want []int64
		for i := range rows {
			sc[i], tcs[i] = int32(r.IntN(len(sDict))), int32(r.IntN(len(tDict)))
			var sv any = sDict[sc[i]]
			if r.IntN(8) == 0 {
				sv, sc[i] = nil, int32(r.IntN(len(sDict))) // any code under a null
			}
			uv := uVals[r.IntN(2)]
			rows[i] = []any{int64(i), sv, tDict[tcs[i]], uv}
			keep := int64(i) >= lo && sv != nil && uv == "x" && !strings.HasPrefix(tDict[tcs[i]], "MEDIUM")
			if keep {
				switch sv.(string) {
				case "v1", "v7", "a long value 5":
				default:
					keep = false
				}
			}
			if keep {
				want = append(want, int64(i))
			}
		}
		codes := &fakeCodes{dicts: map[int]arrow.Array{}, codes: map[int][]int32{1: sc, 2: tcs}, asked: map[int]int{}}
		if round%4 != 1 {
			codes.dicts[1], codes.dicts[2] = sd, td
		}
		so := exec.NewScanOutput(exec.NewEnv(mem), pred, arrow.NewSchema([]arrow.Field{schema.Field(0)}, nil), []int{0}, -1)
		out, err := so.ShapeCoded(exectest.Batch(mem, schema, rows), codes)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		if out != nil {
			got = append(got, out.Column(0).(*array.Int64).Int64Values()...)
			out.Release()
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d (n %d, lo %d): kept %v, want %v", round, n, lo, got, want)
		}
		if codes.asked[0] != 0 {
			t.Fatalf("round %d: codes asked for the integer column", round)
		}
		usedCodes += codes.asked[1]
	}
	if usedCodes == 0 {
		t.Fatal("the string conjuncts never asked for codes")
	}
}

// countingAlloc adds up the bytes allocated through it.
type countingAlloc struct {
	memory.Allocator
	bytes int
}

func (c *countingAlloc) Allocate(size int) []byte {
	c.bytes += size
	return c.Allocator.Allocate(size)
}

func (c *countingAlloc) Reallocate(size int, b []byte) []byte {
	c.bytes += size
	return c.Allocator.Reallocate(size, b)
}

// TestShapeCodedSkipsLargeDictionaries filters a batch of 100 rows whose
// string column has a dictionary of 400,000 entries: evaluating the
// conjunct once per entry would cost more than once per row (and allocate
// a 50 KB answer per entry), so the rows are evaluated. The answer is
// checked either way.
func TestShapeCodedSkipsLargeDictionaries(t *testing.T) {
	mem := &countingAlloc{Allocator: exectest.Alloc(t)}
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}}, nil)
	const entries, n = 400000, 100
	db := array.NewStringBuilder(mem)
	for i := 0; i < entries; i++ {
		db.Append(fmt.Sprintf("k%d", i))
	}
	dict := db.NewArray()
	db.Release()
	defer dict.Release()
	rows := make([][]any, n)
	codes := make([]int32, n)
	for i := range rows {
		codes[i] = int32(i * 3999)
		rows[i] = []any{fmt.Sprintf("k%d", codes[i])}
	}
	like, err := expr.Like(expr.Column(0, "s", arrow.BinaryTypes.String), "k1%")
	if err != nil {
		t.Fatal(err)
	}
	b := exectest.Batch(mem, schema, rows)
	so := exec.NewScanOutput(exec.NewEnv(mem), like, schema, []int{0}, -1)
	before := mem.bytes
	out, err := so.ShapeCoded(b, &fakeCodes{dicts: map[int]arrow.Array{0: dict}, codes: map[int][]int32{0: codes}, asked: map[int]int{}})
	if err != nil {
		t.Fatal(err)
	}
	allocated := mem.bytes - before
	var got []string
	if out != nil {
		for i := 0; i < int(out.NumRows()); i++ {
			got = append(got, out.Column(0).(*array.String).Value(i))
		}
		out.Release()
	}
	var want []string
	for _, r := range rows {
		if s := r[0].(string); strings.HasPrefix(s, "k1") {
			want = append(want, s)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("kept %v, want %v", got, want)
	}
	if allocated > 20000 {
		t.Fatalf("filtering 100 rows allocated %d bytes: the dictionary was evaluated whole", allocated)
	}
}
