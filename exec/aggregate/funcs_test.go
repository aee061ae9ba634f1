package aggregate_test

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/values"
)

var fnSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "y", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "d", Type: &arrow.Decimal64Type{Precision: 12, Scale: 2}, Nullable: true},
	{Name: "D", Type: &arrow.Decimal128Type{Precision: 20, Scale: 2}, Nullable: true},
	{Name: "dt", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
}, nil)

// fnSpecs covers every function added after Max, over several input types.
var fnSpecs = []aggregate.Spec{
	{Func: aggregate.StddevSamp, Input: 1, Name: "sds"},
	{Func: aggregate.StddevPop, Input: 1, Name: "sdp"},
	{Func: aggregate.VarSamp, Input: 2, Name: "vs"},
	{Func: aggregate.VarPop, Input: 2, Name: "vp"},
	{Func: aggregate.First, Input: 3, Name: "first_i"},
	{Func: aggregate.First, Input: 4, Name: "first_s_ign", IgnoreNulls: true},
	{Func: aggregate.Last, Input: 6, Name: "last_d"},
	{Func: aggregate.Last, Input: 5, Name: "last_b_ign", IgnoreNulls: true},
	{Func: aggregate.Last, Input: 8, Name: "last_dt"},
	{Func: aggregate.First, Input: 1, Name: "first_x"},
	{Func: aggregate.BoolAnd, Input: 5, Name: "band"},
	{Func: aggregate.BoolOr, Input: 5, Name: "bor"},
	{Func: aggregate.CountIf, Input: 5, Name: "cif"},
	{Func: aggregate.AnyValue, Input: 7, Name: "any_D"},
	{Func: aggregate.AnyValue, Input: 4, Name: "any_s_ign", IgnoreNulls: true},
	{Func: aggregate.Corr, Input: 1, Input2: 2, Name: "corr"},
	{Func: aggregate.CovarSamp, Input: 1, Input2: 2, Name: "cvs"},
	{Func: aggregate.CovarPop, Input: 2, Input2: 1, Name: "cvp"},
	{Func: aggregate.MaxBy, Input: 4, Input2: 1, Name: "maxby_s_x"},
	{Func: aggregate.MinBy, Input: 3, Input2: 8, Name: "minby_i_dt"},
	{Func: aggregate.MaxBy, Input: 7, Input2: 4, Name: "maxby_D_s"},
	{Func: aggregate.MinBy, Input: 5, Input2: 9, Name: "minby_b_i8"},
	{Func: aggregate.MaxBy, Input: 8, Input2: 6, Name: "maxby_dt_d"},
	{Func: aggregate.MinBy, Input: 6, Input2: 7, Name: "minby_d_D"},
	{Func: aggregate.MaxBy, Input: 1, Input2: 5, Name: "maxby_x_b"},
	{Func: aggregate.ApproxCountDistinct, Input: 3, Name: "acd_i"},
	{Func: aggregate.ApproxCountDistinct, Input: 4, Name: "acd_s"},
	{Func: aggregate.ApproxCountDistinct, Input: 1, Name: "acd_x"},
	{Func: aggregate.ApproxCountDistinct, Input: 7, Name: "acd_D"},
}

func fnRows(r *rand.Rand, n int) [][]any {
	rows := make([][]any, n)
	maybe := func(v any) any {
		if r.IntN(6) == 0 {
			return nil
		}
		return v
	}
	for i := range rows {
		rows[i] = []any{
			maybe(int32(r.IntN(5))),
			maybe(float64(r.IntN(2000)-1000) / 8),
			maybe(float64(r.IntN(64)) / 4),
			maybe(r.Int64N(400) - 200),
			maybe(strs[r.IntN(len(strs))]),
			maybe(r.IntN(7) != 0),
			maybe(r.Int64N(100) - 50),
			maybe(r.Int64N(1000000)),
			maybe(int32(r.IntN(30))),
			maybe(int8(r.IntN(10))),
		}
	}
	return rows
}

func fnSource(t testing.TB, env *exec.Env, r *rand.Rand, parts, batches int) (*exec.MemorySource, [][]any) {
	var all [][]any
	ps := make([][]arrow.RecordBatch, parts)
	for p := range ps {
		for b := 0; b < batches; b++ {
			n := r.IntN(200)
			if b%3 == 1 {
				n = 0
			}
			rows := fnRows(r, n)
			all = append(all, rows...)
			ps[p] = append(ps[p], exectest.Batch(env.Mem, fnSchema, rows))
		}
	}
	src := exec.NewMemorySource(fnSchema, ps)
	for _, p := range ps {
		exec.ReleaseAll(p)
	}
	t.Cleanup(src.Release)
	return src, all
}

// planOver builds source → partial → exchange → final over schema s.
func planOver(t testing.TB, env *exec.Env, src exec.Operator, s *arrow.Schema, groups []int, specs []aggregate.Spec) exec.Operator {
	t.Helper()
	part, err := aggregate.NewPartial(env, src, groups, specs)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]int, len(groups))
	for i := range keys {
		keys[i] = i
	}
	var mid exec.Operator
	if len(groups) == 0 {
		mid = exchange.NewGather(env, part)
	} else {
		mid = exchange.NewHashRepartition(env, part, keys, src.Partitions())
	}
	types := make([]arrow.DataType, len(specs))
	for i, sp := range specs {
		types[i] = s.Field(sp.Input).Type
	}
	fin, err := aggregate.NewFinal(env, mid, len(groups), specs, types)
	if err != nil {
		t.Fatal(err)
	}
	return fin
}

func fnFmt(col int, v any) string {
	if v == nil {
		return "NULL"
	}
	switch fnSchema.Field(col).Type.ID() {
	case arrow.DECIMAL64, arrow.DECIMAL128:
		return values.Decimal{Unscaled: decimal128.FromI64(v.(int64)), Scale: 2}.String()
	case arrow.DATE32:
		return time.Unix(int64(v.(int32))*86400, 0).UTC().Format("2006-01-02")
	case arrow.FLOAT64:
		return cell(v)
	}
	return fmt.Sprint(v)
}

// refValue is a reference result: a string to match exactly, a float64
// to match within a relative tolerance, or an approximate count.
type refValue struct {
	s      string
	f      float64
	isF    bool
	approx int64 // exact distinct count for approx_count_distinct
	isA    bool
}

func ratOf(v any) *big.Rat { return new(big.Rat).SetFloat64(v.(float64)) }

// fnCmp orders values of a column like Spark (NaN would be largest; the test
// data has none).
func fnCmp(a, b any) int {
	switch x := a.(type) {
	case float64:
		y := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case string:
		return bytes.Compare([]byte(x), []byte(b.(string)))
	case int32:
		return int(int64(x) - int64(b.(int32)))
	case int8:
		return int(x) - int(b.(int8))
	case bool:
		switch y := b.(bool); {
		case x == y:
			return 0
		case x:
			return 1
		}
		return -1
	case int64:
		y := b.(int64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	panic(a)
}

func fnRef(sp aggregate.Spec, rows [][]any) refValue {
	switch sp.Func {
	case aggregate.StddevSamp, aggregate.StddevPop, aggregate.VarSamp, aggregate.VarPop:
		var xs []*big.Rat
		for _, r := range rows {
			if r[sp.Input] != nil {
				xs = append(xs, ratOf(r[sp.Input]))
			}
		}
		n := int64(len(xs))
		samp := sp.Func == aggregate.StddevSamp || sp.Func == aggregate.VarSamp
		if n == 0 || (samp && n == 1) {
			return refValue{s: "NULL"}
		}
		mean := new(big.Rat)
		for _, x := range xs {
			mean.Add(mean, x)
		}
		mean.Quo(mean, big.NewRat(n, 1))
		m2 := new(big.Rat)
		for _, x := range xs {
			d := new(big.Rat).Sub(x, mean)
			m2.Add(m2, d.Mul(d, d))
		}
		div := n
		if samp {
			div = n - 1
		}
		v, _ := m2.Quo(m2, big.NewRat(div, 1)).Float64()
		if sp.Func == aggregate.StddevSamp || sp.Func == aggregate.StddevPop {
			v = math.Sqrt(v)
		}
		return refValue{f: v, isF: true}
	case aggregate.Corr, aggregate.CovarSamp, aggregate.CovarPop:
		var xs, ys []*big.Rat
		for _, r := range rows {
			if r[sp.Input] != nil && r[sp.Input2] != nil {
				xs = append(xs, ratOf(r[sp.Input]))
				ys = append(ys, ratOf(r[sp.Input2]))
			}
		}
		n := int64(len(xs))
		if n == 0 || (n == 1 && sp.Func != aggregate.CovarPop) {
			return refValue{s: "NULL"}
		}
		mx, my := new(big.Rat), new(big.Rat)
		for i := range xs {
			mx.Add(mx, xs[i])
			my.Add(my, ys[i])
		}
		mx.Quo(mx, big.NewRat(n, 1))
		my.Quo(my, big.NewRat(n, 1))
		ck, vx, vy := new(big.Rat), new(big.Rat), new(big.Rat)
		for i := range xs {
			dx := new(big.Rat).Sub(xs[i], mx)
			dy := new(big.Rat).Sub(ys[i], my)
			ck.Add(ck, new(big.Rat).Mul(dx, dy))
			vx.Add(vx, dx.Mul(dx, dx))
			vy.Add(vy, dy.Mul(dy, dy))
		}
		switch sp.Func {
		case aggregate.CovarPop:
			v, _ := ck.Quo(ck, big.NewRat(n, 1)).Float64()
			return refValue{f: v, isF: true}
		case aggregate.CovarSamp:
			v, _ := ck.Quo(ck, big.NewRat(n-1, 1)).Float64()
			return refValue{f: v, isF: true}
		}
		c, _ := ck.Float64()
		p, _ := vx.Mul(vx, vy).Float64()
		return refValue{f: c / math.Sqrt(p), isF: true}
	case aggregate.First, aggregate.AnyValue, aggregate.Last:
		var out any
		found := false
		for _, r := range rows {
			v := r[sp.Input]
			if sp.IgnoreNulls && v == nil {
				continue
			}
			if sp.Func == aggregate.Last || !found {
				out, found = v, true
			}
		}
		return refValue{s: fnFmt(sp.Input, out)}
	case aggregate.BoolAnd, aggregate.BoolOr, aggregate.CountIf:
		seen, and, or, cnt := false, true, false, 0
		for _, r := range rows {
			if v := r[sp.Input]; v != nil {
				seen = true
				and = and && v.(bool)
				or = or || v.(bool)
				if v.(bool) {
					cnt++
				}
			}
		}
		switch {
		case sp.Func == aggregate.CountIf:
			return refValue{s: strconv.Itoa(cnt)}
		case !seen:
			return refValue{s: "NULL"}
		case sp.Func == aggregate.BoolAnd:
			return refValue{s: fmt.Sprint(and)}
		}
		return refValue{s: fmt.Sprint(or)}
	case aggregate.MaxBy, aggregate.MinBy:
		var best, val any
		for _, r := range rows {
			o := r[sp.Input2]
			if o == nil {
				continue
			}
			c := 0
			if best != nil {
				c = fnCmp(o, best)
			}
			if best == nil || (sp.Func == aggregate.MaxBy && c > 0) || (sp.Func == aggregate.MinBy && c < 0) {
				best, val = o, r[sp.Input]
			}
		}
		return refValue{s: fnFmt(sp.Input, val)}
	case aggregate.ApproxCountDistinct:
		set := map[any]bool{}
		for _, r := range rows {
			if v := r[sp.Input]; v != nil {
				set[v] = true
			}
		}
		return refValue{approx: int64(len(set)), isA: true}
	}
	panic(sp.Func)
}

func closeFloat(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-9*math.Max(math.Abs(got), math.Abs(want))+1e-12
}

func checkFnResults(t *testing.T, got [][]any, all [][]any, groups []int, specs []aggregate.Spec) {
	t.Helper()
	byKey := map[string][][]any{}
	var order []string
	for _, r := range all {
		var kb []string
		for _, g := range groups {
			kb = append(kb, fnFmt(g, r[g]))
		}
		k := strings.Join(kb, ",")
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], r)
	}
	if len(groups) == 0 && len(order) == 0 {
		order = append(order, "")
		byKey[""] = nil
	}
	if len(got) != len(order) {
		t.Fatalf("got %d groups, want %d", len(got), len(order))
	}
	for _, row := range got {
		var kb []string
		for i := range groups {
			kb = append(kb, cell(row[i]))
		}
		k := strings.Join(kb, ",")
		rows, ok := byKey[k]
		if !ok && len(groups) > 0 {
			t.Fatalf("unexpected group %q", k)
		}
		for j, sp := range specs {
			g := row[len(groups)+j]
			want := fnRef(sp, rows)
			switch {
			case want.isA:
				n, ok := g.(int64)
				if !ok || math.Abs(float64(n-want.approx)) > 0.15*float64(want.approx)+1 {
					t.Errorf("group %q %s: got %v, exact %d", k, sp.Name, g, want.approx)
				}
			case want.isF:
				f, ok := g.(float64)
				if !ok || !closeFloat(f, want.f) {
					t.Errorf("group %q %s: got %v, want %v", k, sp.Name, g, want.f)
				}
			default:
				if cell(g) != want.s {
					t.Errorf("group %q %s: got %s, want %s", k, sp.Name, cell(g), want.s)
				}
			}
		}
	}
}

func TestNewFuncsRandom(t *testing.T) {
	for _, parts := range []int{1, 2, 7} {
		for _, groups := range [][]int{{}, {0}, {0, 5}, {4}} {
			t.Run(fmt.Sprintf("p%d_g%v", parts, groups), func(t *testing.T) {
				mem := exectest.Alloc(t)
				env := &exec.Env{Mem: mem, BatchSize: 7}
				r := rand.New(rand.NewPCG(uint64(parts)+100, uint64(len(groups))))
				src, all := fnSource(t, env, r, parts, 4)
				got := exectest.Rows(t, planOver(t, env, src, fnSchema, groups, fnSpecs))
				checkFnResults(t, got, all, groups, fnSpecs)
			})
		}
	}
}

func TestNewFuncsEmpty(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 100}
	for _, parts := range []int{1, 3} {
		src := exec.NewMemorySource(fnSchema, make([][]arrow.RecordBatch, parts))
		got := exectest.Rows(t, planOver(t, env, src, fnSchema, nil, fnSpecs))
		checkFnResults(t, got, nil, nil, fnSpecs)
		if rows := exectest.Rows(t, planOver(t, env, src, fnSchema, []int{0}, fnSpecs)); len(rows) != 0 {
			t.Fatalf("grouped on empty input: %v", rows)
		}
	}
}

// runOne aggregates one column batch of rows (split over parts partitions,
// round robin) with spec and returns the single global result.
func runOne(t *testing.T, s *arrow.Schema, rows [][]any, parts int, specs ...aggregate.Spec) []any {
	t.Helper()
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 64}
	split := make([][][]any, parts)
	for i, r := range rows {
		split[i%parts] = append(split[i%parts], r)
	}
	ps := make([][]arrow.RecordBatch, parts)
	for p := range ps {
		ps[p] = []arrow.RecordBatch{exectest.Batch(mem, s, split[p])}
	}
	src := exec.NewMemorySource(s, ps)
	for _, p := range ps {
		exec.ReleaseAll(p)
	}
	defer src.Release()
	got := exectest.Rows(t, planOver(t, env, src, s, nil, specs))
	if len(got) != 1 {
		t.Fatalf("got %d rows", len(got))
	}
	return got[0]
}

func TestSparkDocExamples(t *testing.T) {
	one := arrow.NewSchema([]arrow.Field{{Name: "c", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	two := arrow.NewSchema([]arrow.Field{
		{Name: "c1", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "c2", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	ints := arrow.NewSchema([]arrow.Field{{Name: "c", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	bools := arrow.NewSchema([]arrow.Field{{Name: "c", Type: arrow.FixedWidthTypes.Boolean, Nullable: true}}, nil)
	f123 := [][]any{{1.0}, {2.0}, {3.0}}
	pairs := [][]any{{3.0, 2.0}, {3.0, 3.0}, {6.0, 4.0}}
	for _, parts := range []int{1, 2, 7} {
		check := func(name string, got, want any) {
			t.Helper()
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("p%d %s = %v, want %v", parts, name, got, want)
			}
		}
		r := runOne(t, one, f123, parts,
			aggregate.Spec{Func: aggregate.StddevSamp, Name: "a"},
			aggregate.Spec{Func: aggregate.VarPop, Name: "b"},
			aggregate.Spec{Func: aggregate.VarSamp, Name: "c"},
			aggregate.Spec{Func: aggregate.StddevPop, Name: "d"})
		check("stddev_samp(1,2,3)", r[0], 1.0)
		check("var_pop(1,2,3)", r[1], 0.6666666666666666)
		check("var_samp(1,2,3)", r[2], 1.0)
		check("stddev_pop(1,2,3)", r[3], math.Sqrt(2.0/3))
		// One row: sample statistics are null, population ones 0.
		r = runOne(t, one, [][]any{{5.0}, {nil}}, parts,
			aggregate.Spec{Func: aggregate.StddevSamp, Name: "a"},
			aggregate.Spec{Func: aggregate.VarPop, Name: "b"})
		check("stddev_samp(5)", r[0], nil)
		check("var_pop(5)", r[1], 0.0)
		r = runOne(t, two, pairs, parts,
			aggregate.Spec{Func: aggregate.Corr, Input: 0, Input2: 1, Name: "a"},
			aggregate.Spec{Func: aggregate.CovarSamp, Input: 0, Input2: 1, Name: "b"},
			aggregate.Spec{Func: aggregate.CovarPop, Input: 0, Input2: 1, Name: "c"},
			aggregate.Spec{Func: aggregate.MaxBy, Input: 0, Input2: 1, Name: "d"},
			aggregate.Spec{Func: aggregate.MinBy, Input: 1, Input2: 0, Name: "e"})
		if math.Abs(r[0].(float64)-0.8660254037844387) > 1e-15 {
			t.Errorf("corr = %v", r[0])
		}
		// dx = -1,-1,2 and dy = -1,0,1: co-deviation sum 3.
		check("covar_samp", r[1], 1.5)
		check("covar_pop", r[2], 1.0)
		check("max_by", r[3], 6.0)
		check("min_by ties → first row", r[4], 2.0)
		// Spark docs: covar_samp/covar_pop over (1,1), (2,2), (3,3).
		r = runOne(t, two, [][]any{{1.0, 1.0}, {2.0, 2.0}, {3.0, 3.0}}, parts,
			aggregate.Spec{Func: aggregate.CovarSamp, Input: 0, Input2: 1, Name: "a"},
			aggregate.Spec{Func: aggregate.CovarPop, Input: 0, Input2: 1, Name: "b"})
		check("covar_samp docs", r[0], 1.0)
		check("covar_pop docs", r[1], 0.6666666666666666)
		// Zero variance: Spark divides 0 by 0.
		r = runOne(t, two, [][]any{{1.0, 2.0}, {1.0, 3.0}, {nil, 7.0}}, parts,
			aggregate.Spec{Func: aggregate.Corr, Input: 0, Input2: 1, Name: "a"},
			aggregate.Spec{Func: aggregate.Corr, Input: 1, Input2: 0, Name: "b"})
		check("corr zero variance", r[0], math.NaN())
		check("corr zero variance (swapped)", r[1], math.NaN())
		r = runOne(t, ints, [][]any{{1}, {1}, {2}, {2}, {3}}, parts,
			aggregate.Spec{Func: aggregate.ApproxCountDistinct, Name: "a"},
			aggregate.Spec{Func: aggregate.First, Name: "b"},
			aggregate.Spec{Func: aggregate.Last, Name: "c"})
		check("approx_count_distinct", r[0], int64(3))
		if parts == 1 {
			check("first", r[1], int64(1))
			check("last", r[2], int64(3))
		}
		r = runOne(t, bools, [][]any{{true}, {true}, {nil}}, parts,
			aggregate.Spec{Func: aggregate.BoolAnd, Name: "a"},
			aggregate.Spec{Func: aggregate.BoolOr, Name: "b"},
			aggregate.Spec{Func: aggregate.CountIf, Name: "c"},
			aggregate.Spec{Func: aggregate.First, Name: "d"},
			aggregate.Spec{Func: aggregate.Last, Name: "e"},
			aggregate.Spec{Func: aggregate.Last, Name: "f", IgnoreNulls: true})
		check("bool_and(true,true,null)", r[0], true)
		check("bool_or(true,true,null)", r[1], true)
		check("count_if", r[2], int64(2))
		check("first", r[3], true)
		if parts <= 2 { // round robin: row 2 (null) is the last row of partition 0 or 2
			check("last", r[4], map[int]any{1: nil, 2: true}[parts])
		}
		check("last ignore nulls", r[5], true)
		// count_if(col % 2 = 0) over 12, 17 → 1 (the predicate is computed by the planner).
		r = runOne(t, bools, [][]any{{true}, {false}}, parts, aggregate.Spec{Func: aggregate.CountIf, Name: "a"})
		check("count_if(12,17 even)", r[0], int64(1))
		// Spark docs: count_if(col % 2 = 0) over NULL, 0, 1, 2, 3 → 2.
		r = runOne(t, bools, [][]any{{nil}, {true}, {false}, {true}, {false}}, parts, aggregate.Spec{Func: aggregate.CountIf, Name: "a"})
		check("count_if docs", r[0], int64(2))
		r = runOne(t, bools, [][]any{{false}, {true}, {nil}}, parts,
			aggregate.Spec{Func: aggregate.BoolAnd, Name: "a"},
			aggregate.Spec{Func: aggregate.BoolOr, Name: "b"})
		check("bool_and(false,true,null)", r[0], false)
		check("bool_or(false,true,null)", r[1], true)
	}
}

func TestNewResultTypes(t *testing.T) {
	f64, i64, str := arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String
	dec := &arrow.Decimal128Type{Precision: 20, Scale: 2}
	cases := []struct {
		f       aggregate.Func
		in, in2 arrow.DataType
		want    string // "" means an error
	}{
		{aggregate.StddevSamp, f64, nil, "float64"},
		{aggregate.VarPop, i64, nil, ""},
		{aggregate.First, dec, nil, "decimal(20, 2)"},
		{aggregate.Last, str, nil, "utf8"},
		{aggregate.BoolAnd, arrow.FixedWidthTypes.Boolean, nil, "bool"},
		{aggregate.BoolOr, i64, nil, ""},
		{aggregate.CountIf, arrow.FixedWidthTypes.Boolean, nil, "int64"},
		{aggregate.AnyValue, arrow.FixedWidthTypes.Date32, nil, "date32"},
		{aggregate.Corr, f64, f64, "float64"},
		{aggregate.CovarSamp, f64, i64, ""},
		{aggregate.MaxBy, str, i64, "utf8"},
		{aggregate.MinBy, dec, str, "decimal(20, 2)"},
		{aggregate.MinBy, i64, dec, "int64"},
		{aggregate.MinBy, i64, arrow.BinaryTypes.Binary, "int64"}, // binaries order byte-wise
		{aggregate.MinBy, i64, arrow.MapOf(str, i64), ""},
		{aggregate.MaxBy, i64, nil, ""},
		{aggregate.ApproxCountDistinct, str, nil, "int64"},
	}
	for _, c := range cases {
		got, err := aggregate.ResultType2(c.f, c.in, c.in2)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("ResultType2(%s, %s, %v) accepted", c.f, c.in, c.in2)
		case c.want != "" && (err != nil || got.String() != c.want):
			t.Errorf("ResultType2(%s, %s, %v) = %v, %v; want %s", c.f, c.in, c.in2, got, err, c.want)
		}
	}
	if aggregate.ApproxCountDistinct.String() != "approx_count_distinct" || aggregate.Max != 5 {
		t.Error("function names or values changed")
	}
}

func TestNewFuncsDictionary(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 5}
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	ds := arrow.NewSchema([]arrow.Field{{Name: "a", Type: dict, Nullable: true}, {Name: "b", Type: dict, Nullable: true}, {Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	ps := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "b", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	r := rand.New(rand.NewPCG(5, 6))
	dparts := make([][]arrow.RecordBatch, 3)
	pparts := make([][]arrow.RecordBatch, 3)
	for p := range dparts {
		for k := 0; k < 3; k++ {
			rows := make([][]any, r.IntN(100))
			for i := range rows {
				rows[i] = []any{strs[r.IntN(3)], strs[r.IntN(len(strs))], r.Int64N(30)}
				if r.IntN(4) == 0 {
					rows[i][1] = nil
				}
				if r.IntN(5) == 0 {
					rows[i][2] = nil
				}
			}
			dparts[p] = append(dparts[p], dictBatch(mem, ds, r, rows))
			pparts[p] = append(pparts[p], exectest.Batch(mem, ps, rows))
		}
	}
	dsrc, psrc := exec.NewMemorySource(ds, dparts), exec.NewMemorySource(ps, pparts)
	for p := range dparts {
		exec.ReleaseAll(dparts[p])
		exec.ReleaseAll(pparts[p])
	}
	defer dsrc.Release()
	defer psrc.Release()
	specs := []aggregate.Spec{
		{Func: aggregate.First, Input: 1, Name: "f"},
		{Func: aggregate.Last, Input: 1, Name: "l", IgnoreNulls: true},
		{Func: aggregate.AnyValue, Input: 1, Name: "a"},
		{Func: aggregate.MaxBy, Input: 1, Input2: 2, Name: "mx"},
		{Func: aggregate.MinBy, Input: 1, Input2: 2, Name: "mn"},
		{Func: aggregate.ApproxCountDistinct, Input: 1, Name: "acd"},
	}
	got := rowStrings(exectest.Rows(t, planOver(t, env, dsrc, ds, []int{0}, specs)))
	want := rowStrings(exectest.Rows(t, planOver(t, env, psrc, ps, []int{0}, specs)))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("dictionary input:\n%s\nplain:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) != 3 {
		t.Errorf("%d groups", len(got))
	}
	if _, err := aggregate.NewPartial(env, dsrc, nil, []aggregate.Spec{{Func: aggregate.MaxBy, Input: 2, Input2: 1, Name: "x"}}); err == nil {
		t.Error("max_by ordered by a dictionary accepted")
	}
	if _, err := aggregate.NewPartial(env, dsrc, nil, []aggregate.Spec{{Func: aggregate.VarPop, Input: 2, Name: "x"}}); err == nil {
		t.Error("var_pop of bigint accepted (the planner must cast to double)")
	}
}

func TestMaxByNaNAndTimestamp(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	ts := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "t", Type: ts, Nullable: true},
		{Name: "o", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, s)
	tb := b.Field(0).(*array.TimestampBuilder)
	ob := b.Field(1).(*array.Float64Builder)
	for i, o := range []float64{1, math.NaN(), 3, math.Inf(1), math.NaN()} {
		tb.Append(arrow.Timestamp(1000 * (i + 1)))
		ob.Append(o)
	}
	tb.AppendNull()
	ob.Append(math.Inf(-1))
	rec := b.NewRecordBatch()
	b.Release()
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{rec}})
	rec.Release()
	defer src.Release()
	specs := []aggregate.Spec{
		{Func: aggregate.MaxBy, Input: 0, Input2: 1, Name: "mx"},
		{Func: aggregate.MinBy, Input: 0, Input2: 1, Name: "mn"},
		{Func: aggregate.Last, Input: 0, Name: "l"},
		{Func: aggregate.ApproxCountDistinct, Input: 0, Name: "acd"},
	}
	got := exectest.Rows(t, planOver(t, env, src, s, nil, specs))[0]
	// NaN is the greatest ordering value (the first NaN row wins the tie);
	// -Inf is the least, and its value is null.
	if got[0].(time.Time).UnixMicro() != 2000 || got[1] != nil || got[2] != nil || got[3] != int64(5) {
		t.Errorf("got %v", got)
	}
}
