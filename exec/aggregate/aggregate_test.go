package aggregate_test

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/values"
)

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k1", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "k2", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "k3", Type: &arrow.Decimal128Type{Precision: 20, Scale: 2}, Nullable: true},
	{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "d", Type: &arrow.Decimal64Type{Precision: 12, Scale: 2}, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "dt", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
}, nil)

var strs = []string{"", "a", "b", "abcdefg", "abcdefgh", "a longer string value", "A"}

func randRows(r *rand.Rand, n int) [][]any {
	rows := make([][]any, n)
	maybe := func(v any) any {
		if r.IntN(6) == 0 {
			return nil
		}
		return v
	}
	for i := range rows {
		rows[i] = []any{
			maybe(int32(r.IntN(5) - 2)),
			maybe(strs[r.IntN(len(strs))]),
			maybe(int64(r.IntN(3) * 12345)),
			maybe(r.Int64N(2000000) - 1000000),
			maybe(float64(r.IntN(1000)) / 8),
			maybe(r.Int64N(100000000000) - 50000000000),
			maybe(strs[r.IntN(len(strs))]),
			maybe(r.IntN(2) == 0),
			maybe(int32(r.IntN(20000))),
			maybe(int8(r.IntN(200) - 100)),
		}
	}
	return rows
}

var allSpecs = []aggregate.Spec{
	{Func: aggregate.Count, Input: 3, Name: "cnt_i"},
	{Func: aggregate.CountStar, Name: "cnt"},
	{Func: aggregate.Sum, Input: 3, Name: "sum_i"},
	{Func: aggregate.Sum, Input: 9, Name: "sum_i8"},
	{Func: aggregate.Sum, Input: 4, Name: "sum_f"},
	{Func: aggregate.Sum, Input: 5, Name: "sum_d"},
	{Func: aggregate.Avg, Input: 3, Name: "avg_i"},
	{Func: aggregate.Avg, Input: 4, Name: "avg_f"},
	{Func: aggregate.Avg, Input: 5, Name: "avg_d"},
	{Func: aggregate.Min, Input: 3, Name: "min_i"},
	{Func: aggregate.Max, Input: 3, Name: "max_i"},
	{Func: aggregate.Min, Input: 5, Name: "min_d"},
	{Func: aggregate.Max, Input: 5, Name: "max_d"},
	{Func: aggregate.Min, Input: 6, Name: "min_s"},
	{Func: aggregate.Max, Input: 6, Name: "max_s"},
	{Func: aggregate.Min, Input: 7, Name: "min_b"},
	{Func: aggregate.Max, Input: 7, Name: "max_b"},
	{Func: aggregate.Min, Input: 8, Name: "min_dt"},
	{Func: aggregate.Max, Input: 8, Name: "max_dt"},
	{Func: aggregate.Min, Input: 4, Name: "min_f"},
	{Func: aggregate.Max, Input: 2, Name: "max_k3"},
	{Func: aggregate.Sum, Input: 2, Name: "sum_k3"},
}

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case float64:
		return strconv.FormatFloat(x, 'g', 10, 64)
	case values.Decimal:
		return x.String()
	case time.Time:
		return x.Format("2006-01-02")
	}
	return fmt.Sprint(v)
}

// reference aggregates rows one at a time with plain Go values.
func reference(rows [][]any, groups []int, specs []aggregate.Spec) []string {
	type state struct {
		key  []any
		rows [][]any
	}
	m := map[string]*state{}
	var order []string
	for _, r := range rows {
		var kb strings.Builder
		key := make([]any, len(groups))
		for i, g := range groups {
			key[i] = r[g]
			fmt.Fprintf(&kb, "%#v|", r[g])
		}
		st := m[kb.String()]
		if st == nil {
			st = &state{key: key}
			m[kb.String()] = st
			order = append(order, kb.String())
		}
		st.rows = append(st.rows, r)
	}
	if len(groups) == 0 && len(m) == 0 {
		m[""] = &state{}
		order = append(order, "")
	}
	var out []string
	for _, k := range order {
		st := m[k]
		var cells []string
		for i, v := range st.key {
			cells = append(cells, refKey(testSchema.Field(groups[i]).Type, v))
		}
		for _, sp := range specs {
			cells = append(cells, refAgg(sp, st.rows))
		}
		out = append(out, strings.Join(cells, ","))
	}
	sort.Strings(out)
	return out
}

func refKey(dt arrow.DataType, v any) string {
	if v == nil {
		return "NULL"
	}
	if d, ok := dt.(*arrow.Decimal128Type); ok {
		return values.Decimal{Unscaled: decimal128.FromI64(v.(int64)), Scale: d.Scale}.String()
	}
	if dt.ID() == arrow.DATE32 {
		return time.Unix(int64(v.(int32))*86400, 0).UTC().Format("2006-01-02")
	}
	return fmt.Sprint(v)
}

func decStr(n *big.Int, scale int32) string {
	return values.Decimal{Unscaled: decimal128.FromBigInt(n), Scale: scale}.String()
}

func refAgg(sp aggregate.Spec, rows [][]any) string {
	dt := testSchema.Field(sp.Input).Type
	var vals []any
	for _, r := range rows {
		if sp.Func == aggregate.CountStar || r[sp.Input] != nil {
			vals = append(vals, r[sp.Input])
		}
	}
	switch sp.Func {
	case aggregate.Count, aggregate.CountStar:
		return strconv.Itoa(len(vals))
	}
	if len(vals) == 0 {
		return "NULL"
	}
	scale := int32(0)
	isDec := false
	if p, ok := dt.(*arrow.Decimal64Type); ok {
		scale, isDec = p.Scale, true
	}
	if p, ok := dt.(*arrow.Decimal128Type); ok {
		scale, isDec = p.Scale, true
	}
	toBig := func(v any) *big.Int {
		switch x := v.(type) {
		case int64:
			return big.NewInt(x)
		case int8:
			return big.NewInt(int64(x))
		}
		panic(v)
	}
	switch sp.Func {
	case aggregate.Sum, aggregate.Avg:
		if _, ok := vals[0].(float64); ok {
			s := 0.0
			for _, v := range vals {
				s += v.(float64)
			}
			if sp.Func == aggregate.Avg {
				s /= float64(len(vals))
			}
			return cell(s)
		}
		sum := new(big.Int)
		for _, v := range vals {
			sum.Add(sum, toBig(v))
		}
		if sp.Func == aggregate.Sum {
			if isDec {
				return decStr(sum, scale)
			}
			return sum.String()
		}
		if !isDec {
			f, _ := new(big.Rat).SetFrac(sum, big.NewInt(int64(len(vals)))).Float64()
			return cell(f)
		}
		// HALF_UP to scale+4.
		n := new(big.Int).Mul(sum, big.NewInt(10000))
		c := big.NewInt(int64(len(vals)))
		q, r := new(big.Int).QuoRem(n, c, new(big.Int))
		if new(big.Int).Lsh(new(big.Int).Abs(r), 1).Cmp(c) >= 0 {
			q.Add(q, big.NewInt(int64(n.Sign())))
		}
		return decStr(q, scale+4)
	}
	best := vals[0]
	less := func(a, b any) bool {
		switch x := a.(type) {
		case int64:
			return x < b.(int64)
		case float64:
			return x < b.(float64)
		case string:
			return x < b.(string)
		case bool:
			return !x && b.(bool)
		case int32:
			return x < b.(int32)
		}
		panic(a)
	}
	for _, v := range vals[1:] {
		if (sp.Func == aggregate.Min && less(v, best)) || (sp.Func == aggregate.Max && less(best, v)) {
			best = v
		}
	}
	switch x := best.(type) {
	case int64:
		if isDec {
			return decStr(big.NewInt(x), scale)
		}
	case int32:
		return time.Unix(int64(x)*86400, 0).UTC().Format("2006-01-02")
	case float64:
		return cell(x)
	}
	return fmt.Sprint(best)
}

func rowStrings(rows [][]any) []string {
	var out []string
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = cell(v)
		}
		out = append(out, strings.Join(cells, ","))
	}
	sort.Strings(out)
	return out
}

func inputTypes(specs []aggregate.Spec) []arrow.DataType {
	ts := make([]arrow.DataType, len(specs))
	for i, sp := range specs {
		if sp.Func == aggregate.CountStar {
			ts[i] = arrow.PrimitiveTypes.Int64
		} else {
			ts[i] = testSchema.Field(sp.Input).Type
		}
	}
	return ts
}

// plan builds source → partial → exchange → final.
func plan(t testing.TB, env *exec.Env, src exec.Operator, groups []int, specs []aggregate.Spec) exec.Operator {
	t.Helper()
	part, err := aggregate.NewPartial(env, src, groups, specs)
	if err != nil {
		t.Fatal(err)
	}
	var mid exec.Operator
	keys := make([]int, len(groups))
	for i := range keys {
		keys[i] = i
	}
	if len(groups) == 0 {
		mid = exchange.NewGather(env, part)
	} else {
		mid = exchange.NewHashRepartition(env, part, keys, src.Partitions())
	}
	fin, err := aggregate.NewFinal(env, mid, len(groups), specs, inputTypes(specs))
	if err != nil {
		t.Fatal(err)
	}
	return fin
}

func source(t testing.TB, env *exec.Env, r *rand.Rand, parts, batches int) (*exec.MemorySource, [][]any) {
	var all [][]any
	ps := make([][]arrow.RecordBatch, parts)
	for p := range ps {
		for b := 0; b < batches; b++ {
			n := r.IntN(300)
			if b%3 == 1 {
				n = 0
			}
			rows := randRows(r, n)
			all = append(all, rows...)
			ps[p] = append(ps[p], exectest.Batch(env.Mem, testSchema, rows))
		}
	}
	src := exec.NewMemorySource(testSchema, ps)
	for _, p := range ps {
		exec.ReleaseAll(p)
	}
	t.Cleanup(src.Release)
	return src, all
}

func TestRandomAgainstReference(t *testing.T) {
	groupings := [][]int{{0}, {1}, {0, 1}, {2, 1}, {}, {7, 8}, {4}}
	for _, parts := range exectest.PartitionCounts(1, 2, 7) {
		for _, groups := range groupings {
			t.Run(fmt.Sprintf("p%d_g%v", parts, groups), func(t *testing.T) {
				mem := exectest.Alloc(t)
				env := &exec.Env{Mem: mem, BatchSize: 5}
				r := rand.New(rand.NewPCG(uint64(parts), uint64(len(groups))))
				src, rows := source(t, env, r, parts, 4)
				op := plan(t, env, src, groups, allSpecs)
				got := rowStrings(exectest.Rows(t, op))
				want := reference(rows, groups, allSpecs)
				if len(got) != len(want) {
					t.Fatalf("got %d groups, want %d", len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("row %d:\n got %s\nwant %s", i, got[i], want[i])
					}
				}
			})
		}
	}
}

func TestEmptyInput(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 100}
	src := exec.NewMemorySource(testSchema, make([][]arrow.RecordBatch, 3))
	global := rowStrings(exectest.Rows(t, plan(t, env, src, nil, allSpecs)))
	want := reference(nil, nil, allSpecs)
	if len(global) != 1 || global[0] != want[0] {
		t.Fatalf("global on empty input: got %v want %v", global, want)
	}
	if !strings.HasPrefix(global[0], "0,0,NULL") {
		t.Fatalf("unexpected %s", global[0])
	}
	if rows := exectest.Rows(t, plan(t, env, src, []int{0}, allSpecs)); len(rows) != 0 {
		t.Fatalf("grouped on empty input: %v", rows)
	}
}

func TestAvgHalfUp(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	s := arrow.NewSchema([]arrow.Field{{Name: "d", Type: &arrow.Decimal64Type{Precision: 5, Scale: 0}, Nullable: true}}, nil)
	// avg(1, 1, 0) = 0.66666.. → 0.6667; avg(-1,-1,0) → -0.6667; avg(1,0,0,0,0,0,0,0) = 0.125 → 0.1250
	cases := []struct {
		in   []any
		want string
	}{
		{[]any{1, 1, 0}, "0.6667"},
		{[]any{-1, -1, 0}, "-0.6667"},
		{[]any{1, 0, 0, 0, 0, 0, 0, 0}, "0.1250"},
		{[]any{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, nil}, "0.0313"}, // 1/32 = 0.03125
		{[]any{-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "-0.0313"},
	}
	for _, c := range cases {
		var rows [][]any
		for _, v := range c.in {
			rows = append(rows, []any{v})
		}
		b := exectest.Batch(mem, s, rows)
		src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{b}})
		b.Release()
		specs := []aggregate.Spec{{Func: aggregate.Avg, Input: 0, Name: "a"}}
		part, _ := aggregate.NewPartial(env, src, nil, specs)
		fin, err := aggregate.NewFinal(env, part, 0, specs, []arrow.DataType{s.Field(0).Type})
		if err != nil {
			t.Fatal(err)
		}
		if rt := fin.Schema().Field(0).Type.String(); rt != "decimal64(9, 4)" {
			t.Errorf("avg type %s", rt)
		}
		got := exectest.Rows(t, fin)
		if len(got) != 1 || cell(got[0][0]) != c.want {
			t.Errorf("avg %v = %v, want %s", c.in, got, c.want)
		}
		src.Release()
	}
}

func TestDecimalOverflow(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	dt := &arrow.Decimal128Type{Precision: 38, Scale: 0}
	s := arrow.NewSchema([]arrow.Field{{Name: "d", Type: dt, Nullable: true}}, nil)
	big38, _ := decimal128.FromString("99999999999999999999999999999999999999", 38, 0)
	// (10^38-1) * 2 does not fit decimal(38,0).
	bld := newDec128Batch(mem, s, []decimal128.Num{big38, big38})
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{bld}})
	bld.Release()
	defer src.Release()
	specs := []aggregate.Spec{{Func: aggregate.Sum, Input: 0, Name: "s"}}
	part, _ := aggregate.NewPartial(env, src, nil, specs)
	fin, err := aggregate.NewFinal(env, exchange.NewGather(env, part), 0, specs, []arrow.DataType{dt})
	if err != nil {
		t.Fatal(err)
	}
	_, err = exec.Collect(t.Context(), fin)
	if !errors.Is(err, aggregate.ErrOverflow) {
		t.Fatalf("want overflow error, got %v", err)
	}

	// bigint overflow
	s2 := arrow.NewSchema([]arrow.Field{{Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b2 := exectest.Batch(mem, s2, [][]any{{int64(1) << 62}, {int64(1) << 62}})
	src2 := exec.NewMemorySource(s2, [][]arrow.RecordBatch{{b2}})
	b2.Release()
	defer src2.Release()
	part2, _ := aggregate.NewPartial(env, src2, nil, specs)
	if _, err := exec.Collect(t.Context(), part2); !errors.Is(err, aggregate.ErrOverflow) {
		t.Fatalf("want bigint overflow, got %v", err)
	}
}

func TestResultType(t *testing.T) {
	cases := []struct {
		f    aggregate.Func
		in   arrow.DataType
		want string
	}{
		{aggregate.Sum, arrow.PrimitiveTypes.Int32, "int64"},
		{aggregate.Sum, arrow.PrimitiveTypes.Float32, "float64"},
		{aggregate.Sum, &arrow.Decimal64Type{Precision: 8, Scale: 2}, "decimal64(18, 2)"},
		{aggregate.Sum, &arrow.Decimal64Type{Precision: 12, Scale: 2}, "decimal(22, 2)"},
		{aggregate.Sum, &arrow.Decimal128Type{Precision: 35, Scale: 2}, "decimal(38, 2)"},
		{aggregate.Avg, &arrow.Decimal64Type{Precision: 12, Scale: 2}, "decimal64(16, 6)"},
		{aggregate.Avg, arrow.PrimitiveTypes.Int64, "float64"},
		{aggregate.Count, arrow.BinaryTypes.String, "int64"},
		{aggregate.Max, arrow.BinaryTypes.String, "utf8"},
	}
	for _, c := range cases {
		got, err := aggregate.ResultType(c.f, c.in)
		if err != nil || got.String() != c.want {
			t.Errorf("ResultType(%s, %s) = %v, %v; want %s", c.f, c.in, got, err, c.want)
		}
	}
	if _, err := aggregate.ResultType(aggregate.Sum, arrow.BinaryTypes.String); err == nil {
		t.Error("sum(string) accepted")
	}
}
