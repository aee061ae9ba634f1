package aggregate_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/values"
)

// collectSpecs covers the collecting functions over several input types
// (columns of fnSchema: 1 x double, 3 i bigint, 4 s string, 5 b boolean,
// 6 d decimal64, 7 D decimal128, 8 dt date, 9 i8 tinyint).
var collectSpecs = []aggregate.Spec{
	{Func: aggregate.CollectList, Input: 3, Name: "cl_i"},
	{Func: aggregate.CollectList, Input: 4, Name: "cl_s"},
	{Func: aggregate.CollectList, Input: 6, Name: "cl_d"},
	{Func: aggregate.CollectSet, Input: 4, Name: "cs_s"},
	{Func: aggregate.CollectSet, Input: 9, Name: "cs_i8"},
	{Func: aggregate.CollectSet, Input: 1, Name: "cs_x"},
	{Func: aggregate.CollectSet, Input: 5, Name: "cs_b"},
	{Func: aggregate.PercentileApprox, Input: 3, Name: "pa_i", Percentages: []float64{0.5}},
	{Func: aggregate.PercentileApprox, Input: 8, Name: "pa_dt", Percentages: []float64{0.25}, Accuracy: 100},
	{Func: aggregate.PercentileApprox, Input: 7, Name: "pa_D", Percentages: []float64{0.9}},
	{Func: aggregate.PercentileApproxArray, Input: 1, Name: "paa_x", Percentages: []float64{0, 0.1, 0.5, 1}},
	{Func: aggregate.Percentile, Input: 3, Name: "p_i", Percentages: []float64{0.3}},
	{Func: aggregate.PercentileArray, Input: 1, Name: "pa_x", Percentages: []float64{0.5, 0.75}},
	{Func: aggregate.Median, Input: 6, Name: "med_d"},
	{Func: aggregate.Median, Input: 9, Name: "med_i8"},
}

// toF converts a raw test value of column col to double.
func toF(col int, v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		if fnSchema.Field(col).Type.ID() == arrow.DECIMAL64 || fnSchema.Field(col).Type.ID() == arrow.DECIMAL128 {
			return float64(x) / 100
		}
		return float64(x)
	case int8:
		return float64(x)
	case int32:
		return float64(x)
	}
	panic(v)
}

// collectRef returns the expected result of sp over rows: a list of display
// strings (sorted, for collect_*), display strings per percentage, or floats.
func collectRef(sp aggregate.Spec, rows [][]any) (strs []string, floats []float64, null bool) {
	var vals []any
	for _, r := range rows {
		if v := r[sp.Input]; v != nil {
			vals = append(vals, v)
		}
	}
	switch sp.Func {
	case aggregate.CollectList, aggregate.CollectSet:
		seen := map[string]bool{}
		for _, v := range vals {
			s := fnFmt(sp.Input, v)
			if sp.Func == aggregate.CollectSet && seen[s] {
				continue
			}
			seen[s] = true
			strs = append(strs, s)
		}
		sort.Strings(strs)
		return strs, nil, false
	}
	if len(vals) == 0 {
		return nil, nil, true
	}
	ps := sp.Percentages
	if sp.Func == aggregate.Median {
		ps = []float64{0.5}
	}
	switch sp.Func {
	case aggregate.PercentileApprox, aggregate.PercentileApproxArray:
		slices.SortFunc(vals, fnCmp)
		for _, p := range ps {
			r := max(int(math.Ceil(p*float64(len(vals)))), 1)
			strs = append(strs, fnFmt(sp.Input, vals[r-1]))
		}
		return strs, nil, false
	}
	fs := make([]float64, len(vals))
	for i, v := range vals {
		fs[i] = toF(sp.Input, v)
	}
	sort.Float64s(fs)
	for _, p := range ps {
		pos := p * float64(len(fs)-1)
		lo, hi := math.Floor(pos), math.Ceil(pos)
		if lo == hi {
			floats = append(floats, fs[int(lo)])
		} else {
			floats = append(floats, (hi-pos)*fs[int(lo)]+(pos-lo)*fs[int(hi)])
		}
	}
	return nil, floats, false
}

func checkCollect(t *testing.T, got, all [][]any, groups []int, specs []aggregate.Spec) {
	t.Helper()
	byKey := map[string][][]any{}
	for _, r := range all {
		var kb []string
		for _, g := range groups {
			kb = append(kb, fnFmt(g, r[g]))
		}
		k := strings.Join(kb, ",")
		byKey[k] = append(byKey[k], r)
	}
	want := len(byKey)
	if len(groups) == 0 {
		want = 1
	}
	if len(got) != want {
		t.Fatalf("got %d groups, want %d", len(got), want)
	}
	for _, row := range got {
		var kb []string
		for i := range groups {
			kb = append(kb, cell(row[i]))
		}
		k := strings.Join(kb, ",")
		rows := byKey[k]
		for j, sp := range specs {
			g := row[len(groups)+j]
			ws, wf, wnull := collectRef(sp, rows)
			if wnull {
				if g != nil {
					t.Errorf("group %q %s: got %v, want NULL", k, sp.Name, g)
				}
				continue
			}
			var gs []any
			switch sp.Func {
			case aggregate.PercentileApprox, aggregate.Percentile, aggregate.Median:
				gs = []any{g}
			default:
				l, ok := g.([]any)
				if !ok {
					t.Fatalf("group %q %s: got %#v, want a list", k, sp.Name, g)
				}
				gs = l
			}
			if wf != nil {
				if len(gs) != len(wf) {
					t.Fatalf("group %q %s: got %v, want %v", k, sp.Name, gs, wf)
				}
				for i := range wf {
					if f, ok := gs[i].(float64); !ok || !closeFloat(f, wf[i]) {
						t.Errorf("group %q %s: got %v, want %v", k, sp.Name, gs, wf)
					}
				}
				continue
			}
			var strs []string
			for _, v := range gs {
				strs = append(strs, cell(v))
			}
			if sp.Func == aggregate.CollectList || sp.Func == aggregate.CollectSet {
				sort.Strings(strs)
			}
			if fmt.Sprint(strs) != fmt.Sprint(ws) {
				t.Errorf("group %q %s: got %v, want %v", k, sp.Name, strs, ws)
			}
		}
	}
}

func TestCollectAndPercentilesRandom(t *testing.T) {
	for _, parts := range []int{1, 3} {
		for _, groups := range [][]int{{}, {0}, {0, 5}} {
			t.Run(fmt.Sprintf("p%d_g%v", parts, groups), func(t *testing.T) {
				mem := exectest.Alloc(t)
				env := &exec.Env{Mem: mem, BatchSize: 3}
				r := rand.New(rand.NewPCG(uint64(parts)+7, uint64(len(groups))))
				src, all := fnSource(t, env, r, parts, 4)
				got := exectest.Rows(t, planOver(t, env, src, fnSchema, groups, collectSpecs))
				checkCollect(t, got, all, groups, collectSpecs)
			})
		}
	}
}

func TestCollectEmpty(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 100}
	src := exec.NewMemorySource(fnSchema, make([][]arrow.RecordBatch, 1))
	got := exectest.Rows(t, planOver(t, env, src, fnSchema, nil, collectSpecs))
	if len(got) != 1 {
		t.Fatalf("%d rows", len(got))
	}
	for j, sp := range collectSpecs {
		v := got[0][j]
		switch sp.Func {
		case aggregate.CollectList, aggregate.CollectSet:
			if l, ok := v.([]any); !ok || len(l) != 0 {
				t.Errorf("%s over no rows: %#v, want []", sp.Name, v)
			}
		default:
			if v != nil {
				t.Errorf("%s over no rows: %#v, want NULL", sp.Name, v)
			}
		}
	}
	if rows := exectest.Rows(t, planOver(t, env, src, fnSchema, []int{0}, collectSpecs)); len(rows) != 0 {
		t.Fatalf("grouped on empty input: %v", rows)
	}
}

func TestPercentileSparkDocExamples(t *testing.T) {
	ints := arrow.NewSchema([]arrow.Field{{Name: "c", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	rows := [][]any{{0}, {1}, {2}, {10}}
	// SELECT percentile_approx(col, array(0.5, 0.4, 0.1), 100) FROM VALUES (0), (1), (2), (10) → [1,1,0]
	got := runOne(t, ints, rows, 2, aggregate.Spec{Func: aggregate.PercentileApproxArray, Input: 0, Name: "p", Percentages: []float64{0.5, 0.4, 0.1}, Accuracy: 100})
	if s := values.FormatValue(got[0]); s != "[1, 1, 0]" {
		t.Errorf("percentile_approx array: %s", s)
	}
	// SELECT percentile_approx(col, 0.5, 100) FROM VALUES (0), (6), (7), (9), (10) → 7
	got = runOne(t, ints, [][]any{{0}, {6}, {7}, {9}, {10}}, 3, aggregate.Spec{Func: aggregate.PercentileApprox, Input: 0, Name: "p", Percentages: []float64{0.5}, Accuracy: 100})
	if got[0] != int64(7) {
		t.Errorf("percentile_approx: %v", got[0])
	}
	// SELECT median(col) FROM VALUES (0), (10) → 5.0
	got = runOne(t, ints, [][]any{{0}, {10}}, 2, aggregate.Spec{Func: aggregate.Median, Input: 0, Name: "m"})
	if got[0] != 5.0 {
		t.Errorf("median: %v", got[0])
	}
	// SELECT percentile(col, 0.3) FROM VALUES (0), (10) → 3.0
	got = runOne(t, ints, [][]any{{0}, {10}}, 1, aggregate.Spec{Func: aggregate.Percentile, Input: 0, Name: "p", Percentages: []float64{0.3}})
	if got[0] != 3.0 {
		t.Errorf("percentile: %v", got[0])
	}
	// SELECT percentile(col, array(0.25, 0.75)) FROM VALUES (0), (10) → [2.5, 7.5]
	got = runOne(t, ints, [][]any{{0}, {10}, {nil}}, 2, aggregate.Spec{Func: aggregate.PercentileArray, Input: 0, Name: "p", Percentages: []float64{0.25, 0.75}})
	if s := values.FormatValue(got[0]); s != "[2.5, 7.5]" {
		t.Errorf("percentile array: %s", s)
	}
	// SELECT collect_list(col) FROM VALUES (1), (2), (NULL), (1) → [1, 2, 1]; collect_set → [1, 2]
	got = runOne(t, ints, [][]any{{1}, {2}, {nil}, {1}}, 1,
		aggregate.Spec{Func: aggregate.CollectList, Input: 0, Name: "l"},
		aggregate.Spec{Func: aggregate.CollectSet, Input: 0, Name: "s"})
	if s := values.FormatValue(got[0]) + " " + values.FormatValue(got[1]); s != "[1, 2, 1] [1, 2]" {
		t.Errorf("collect_list, collect_set: %s", s)
	}
}

func TestCollectTypesAndErrors(t *testing.T) {
	i64, str := arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String
	for _, c := range []struct {
		f    aggregate.Func
		in   arrow.DataType
		want string
	}{
		{aggregate.CollectList, str, "array<string>"},
		{aggregate.CollectList, arrow.ListOf(i64), "array<array<bigint>>"},
		{aggregate.CollectSet, arrow.ListOf(i64), "array<array<bigint>>"},
		{aggregate.CollectSet, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: str}, "array<string>"},
		{aggregate.PercentileApprox, arrow.FixedWidthTypes.Date32, "date"},
		{aggregate.PercentileApproxArray, i64, "array<bigint>"},
		{aggregate.Percentile, arrow.PrimitiveTypes.Int32, "double"},
		{aggregate.PercentileArray, &arrow.Decimal64Type{Precision: 10, Scale: 2}, "array<double>"},
		{aggregate.Median, i64, "double"},
	} {
		rt, err := aggregate.ResultType(c.f, c.in)
		if err != nil || values.TypeName(rt) != c.want {
			t.Errorf("%s(%s): %v %v, want %s", c.f, c.in, rt, err, c.want)
		}
	}
	for _, c := range []struct {
		f  aggregate.Func
		in arrow.DataType
	}{
		{aggregate.CollectSet, arrow.MapOf(str, i64)},
		{aggregate.PercentileApprox, str},
		{aggregate.Median, arrow.FixedWidthTypes.Date32},
	} {
		if _, err := aggregate.ResultType(c.f, c.in); err == nil {
			t.Errorf("%s(%s) must be rejected", c.f, c.in)
		}
	}
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 10}
	src := exec.NewMemorySource(fnSchema, make([][]arrow.RecordBatch, 1))
	defer src.Release()
	for _, sp := range []aggregate.Spec{
		{Func: aggregate.Percentile, Input: 3, Name: "p", Percentages: []float64{1.5}},
		{Func: aggregate.PercentileApprox, Input: 3, Name: "p"},
		{Func: aggregate.PercentileApprox, Input: 3, Name: "p", Percentages: []float64{0.5}, Accuracy: -1},
	} {
		part, err := aggregate.NewPartial(env, src, nil, []aggregate.Spec{sp})
		if err == nil {
			_, err = exec.Collect(t.Context(), part)
		}
		if err == nil {
			t.Errorf("%+v must be rejected", sp)
		}
	}
}

// TestCollectNested collects a column of arrays and a dictionary column.
func TestCollectNested(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 2}
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "a", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64), Nullable: true},
		{Name: "d", Type: dict, Nullable: true},
	}, nil)
	rows := [][]any{
		{int64(1), []any{int64(1), nil}, "x"},
		{int64(2), nil, "y"},
		{int64(1), []any{}, nil},
		{int64(1), []any{int64(3)}, "x"},
		{int64(2), []any{int64(4)}, "z"},
		{int64(2), []any{int64(4)}, "z"},
	}
	var parts [][]arrow.RecordBatch
	for p := 0; p < 2; p++ {
		rb := array.NewRecordBuilder(mem, s)
		for i, row := range rows {
			if i%2 != p {
				continue
			}
			for c, v := range row {
				if c == 2 {
					db := rb.Field(2).(*array.BinaryDictionaryBuilder)
					if v == nil {
						db.AppendNull()
					} else if err := db.AppendString(v.(string)); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := values.Append(rb.Field(c), v); err != nil {
					t.Fatal(err)
				}
			}
		}
		parts = append(parts, []arrow.RecordBatch{rb.NewRecordBatch()})
		rb.Release()
	}
	src := exec.NewMemorySource(s, parts)
	for _, p := range parts {
		exec.ReleaseAll(p)
	}
	defer src.Release()
	specs := []aggregate.Spec{
		{Func: aggregate.CollectList, Input: 1, Name: "l"},
		{Func: aggregate.CollectSet, Input: 2, Name: "ds"},
		{Func: aggregate.CollectSet, Input: 1, Name: "ls"},
	}
	got := exectest.Rows(t, planOver(t, env, src, s, []int{0}, specs))
	res := map[string]string{}
	for _, r := range got {
		l := r[1].([]any)
		var parts []string
		for _, x := range l {
			parts = append(parts, values.FormatValue(x))
		}
		sort.Strings(parts)
		ds := r[2].([]any)
		var dparts []string
		for _, x := range ds {
			dparts = append(dparts, x.(string))
		}
		sort.Strings(dparts)
		var lparts []string
		for _, x := range r[3].([]any) {
			lparts = append(lparts, values.FormatValue(x))
		}
		sort.Strings(lparts)
		res[fmt.Sprint(r[0])] = fmt.Sprint(parts, dparts, lparts)
	}
	want := map[string]string{"1": "[[1, null] [3] []] [x] [[1, null] [3] []]", "2": "[[4] [4]] [y z] [[4]]"}
	if fmt.Sprint(res) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", res, want)
	}
}

func TestCollectAllNull(t *testing.T) {
	ints := arrow.NewSchema([]arrow.Field{{Name: "c", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	got := runOne(t, ints, [][]any{{nil}, {nil}, {nil}}, 2,
		aggregate.Spec{Func: aggregate.CollectSet, Input: 0, Name: "s"},
		aggregate.Spec{Func: aggregate.CollectList, Input: 0, Name: "l"},
		aggregate.Spec{Func: aggregate.Median, Input: 0, Name: "m"},
		aggregate.Spec{Func: aggregate.PercentileApproxArray, Input: 0, Name: "pa", Percentages: []float64{0.5}})
	if s := strings.Join([]string{values.FormatValue(got[0]), values.FormatValue(got[1]), values.FormatValue(got[2]), values.FormatValue(got[3])}, " "); s != "[] [] NULL NULL" {
		t.Errorf("over nulls: %s", s)
	}
}
