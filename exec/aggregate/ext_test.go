package aggregate_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
)

// extSpecs covers the functions of ext.go over fnSchema: (y, x) pairs are
// columns 1 and 2, the ordered keys int64 (3), a string (4) and a date (8).
var extSpecs = []aggregate.Spec{
	{Func: aggregate.Skewness, Input: 1, Name: "skew"},
	{Func: aggregate.Kurtosis, Input: 2, Name: "kurt"},
	{Func: aggregate.RegrSXX, Input: 1, Input2: 2, Name: "sxx"},
	{Func: aggregate.RegrSYY, Input: 1, Input2: 2, Name: "syy"},
	{Func: aggregate.RegrSXY, Input: 1, Input2: 2, Name: "sxy"},
	{Func: aggregate.RegrSlope, Input: 1, Input2: 2, Name: "slope"},
	{Func: aggregate.RegrIntercept, Input: 1, Input2: 2, Name: "icpt"},
	{Func: aggregate.RegrR2, Input: 1, Input2: 2, Name: "r2"},
	{Func: aggregate.Mode, Input: 3, Name: "mode_i"},
	{Func: aggregate.Mode, Input: 4, Name: "mode_s_desc", Desc: true},
	{Func: aggregate.Mode, Input: 8, Name: "mode_dt"},
	{Func: aggregate.ListAgg, Input: 4, Name: "listagg", Delimiter: ","},
	{Func: aggregate.ListAggOrdered, Input: 4, Input2: 3, Name: "listagg_i", Delimiter: "|", NullsFirst: true},
	{Func: aggregate.ListAggOrdered, Input: 4, Input2: 1, Name: "listagg_x_desc", Delimiter: "", Desc: true},
	{Func: aggregate.ListAggOrdered, Input: 4, Input2: 4, Name: "listagg_s_nl", Delimiter: "-"},
	{Func: aggregate.PercentileDisc, Input: 1, Name: "pdisc", Percentages: []float64{0.3}},
	{Func: aggregate.PercentileDisc, Input: 3, Name: "pdisc_desc", Percentages: []float64{0.75}, Desc: true},
	{Func: aggregate.Percentile, Input: 1, Name: "pcont_desc", Percentages: []float64{0.3}, Desc: true},
	{Func: aggregate.HistogramNumeric, Input: 3, Name: "hist", Bins: 5},
}

// extRef computes a function of ext.go the naive way: two-pass moments,
// sorting and counting.
func extRef(sp aggregate.Spec, rows [][]any) refValue {
	f := func(r []any, c int) (float64, bool) {
		switch v := r[c].(type) {
		case float64:
			return v, true
		case int64:
			return float64(v), true
		}
		return 0, false
	}
	null := refValue{s: "NULL"}
	switch sp.Func {
	case aggregate.Skewness, aggregate.Kurtosis:
		var xs []float64
		for _, r := range rows {
			if v, ok := f(r, sp.Input); ok {
				xs = append(xs, v)
			}
		}
		n := float64(len(xs))
		mean := 0.0
		for _, x := range xs {
			mean += x / n
		}
		var m2, m3, m4 float64
		for _, x := range xs {
			d := x - mean
			m2 += d * d
			m3 += d * d * d
			m4 += d * d * d * d
		}
		if n == 0 || m2 == 0 {
			return null
		}
		if sp.Func == aggregate.Skewness {
			return refValue{f: math.Sqrt(n) * m3 / math.Pow(m2, 1.5), isF: true}
		}
		return refValue{f: n*m4/(m2*m2) - 3, isF: true}
	case aggregate.RegrSXX, aggregate.RegrSYY, aggregate.RegrSXY, aggregate.RegrSlope, aggregate.RegrIntercept, aggregate.RegrR2:
		var ys, xs []float64
		for _, r := range rows {
			y, ok1 := f(r, sp.Input)
			x, ok2 := f(r, sp.Input2)
			if ok1 && ok2 {
				ys, xs = append(ys, y), append(xs, x)
			}
		}
		n := float64(len(xs))
		if n == 0 {
			return null
		}
		var ym, xm float64
		for i := range xs {
			ym, xm = ym+ys[i]/n, xm+xs[i]/n
		}
		var sxx, syy, sxy float64
		for i := range xs {
			sxx += (xs[i] - xm) * (xs[i] - xm)
			syy += (ys[i] - ym) * (ys[i] - ym)
			sxy += (xs[i] - xm) * (ys[i] - ym)
		}
		switch sp.Func {
		case aggregate.RegrSXX:
			return refValue{f: sxx, isF: true}
		case aggregate.RegrSYY:
			return refValue{f: syy, isF: true}
		case aggregate.RegrSXY:
			return refValue{f: sxy, isF: true}
		case aggregate.RegrSlope, aggregate.RegrIntercept:
			if sxx == 0 {
				return null
			}
			if sp.Func == aggregate.RegrSlope {
				return refValue{f: sxy / sxx, isF: true}
			}
			return refValue{f: ym - sxy/sxx*xm, isF: true}
		}
		switch {
		case syy == 0:
			return null
		case sxx == 0:
			return refValue{f: 1, isF: true}
		}
		return refValue{f: sxy * sxy / (sxx * syy), isF: true}
	case aggregate.Mode:
		counts := map[any]int{}
		var best any
		for _, r := range rows {
			v := r[sp.Input]
			if v == nil {
				continue
			}
			counts[v]++
		}
		for v, c := range counts {
			switch {
			case best == nil, c > counts[best]:
				best = v
			case c == counts[best] && (fnCmp(v, best) < 0) != sp.Desc:
				best = v
			}
		}
		if best == nil {
			return null
		}
		return refValue{s: fnFmt(sp.Input, best)}
	case aggregate.ListAgg, aggregate.ListAggOrdered:
		type item struct {
			v string
			k any
		}
		var items []item
		for _, r := range rows {
			if r[sp.Input] != nil {
				k := any(nil)
				if sp.Func == aggregate.ListAggOrdered {
					k = r[sp.Input2]
				}
				items = append(items, item{r[sp.Input].(string), k})
			}
		}
		if len(items) == 0 {
			return null
		}
		slices.SortStableFunc(items, func(a, b item) int {
			switch {
			case a.k == nil && b.k == nil:
				return 0
			case a.k == nil:
				if sp.NullsFirst {
					return -1
				}
				return 1
			case b.k == nil:
				if sp.NullsFirst {
					return 1
				}
				return -1
			}
			c := fnCmp(a.k, b.k)
			if sp.Desc {
				c = -c
			}
			return c
		})
		var parts []string
		for _, it := range items {
			parts = append(parts, it.v)
		}
		return refValue{s: strings.Join(parts, sp.Delimiter)}
	case aggregate.PercentileDisc, aggregate.Percentile:
		var xs []float64
		for _, r := range rows {
			if v, ok := f(r, sp.Input); ok {
				xs = append(xs, v)
			}
		}
		if len(xs) == 0 {
			return null
		}
		slices.Sort(xs)
		if sp.Desc {
			slices.Reverse(xs)
		}
		p := sp.Percentages[0]
		if sp.Func == aggregate.Percentile {
			pos := p * float64(len(xs)-1)
			lo := int(pos)
			if lo == len(xs)-1 {
				return refValue{f: xs[lo], isF: true}
			}
			return refValue{f: xs[lo] + (pos-float64(lo))*(xs[lo+1]-xs[lo]), isF: true}
		}
		// The first value whose share of the values at or before it reaches p.
		for i := range xs {
			if float64(i+1)/float64(len(xs)) >= p-1e-12 {
				return refValue{f: xs[i], isF: true}
			}
		}
		return refValue{f: xs[len(xs)-1], isF: true}
	case aggregate.HistogramNumeric:
		var xs []float64
		for _, r := range rows {
			if v, ok := f(r, sp.Input); ok {
				xs = append(xs, v)
			}
		}
		if len(xs) == 0 {
			return null
		}
		slices.Sort(xs)
		// Naive: bins as parallel slices, searched linearly.
		var cx, cy []float64
		for _, x := range xs {
			at := len(cx)
			for i := range cx {
				if cx[i] >= x {
					at = i
					break
				}
			}
			if at < len(cx) && cx[at] == x {
				cy[at]++
				continue
			}
			cx, cy = slices.Insert(cx, at, x), slices.Insert(cy, at, 1)
			for len(cx) > int(sp.Bins) {
				m, gap := -1, math.Inf(1)
				for i := 0; i+1 < len(cx); i++ {
					if cx[i+1]-cx[i] < gap {
						m, gap = i, cx[i+1]-cx[i]
					}
				}
				w := cy[m] + cy[m+1]
				cx[m], cy[m] = (cx[m]*cy[m]+cx[m+1]*cy[m+1])/w, w
				cx, cy = slices.Delete(cx, m+1, m+2), slices.Delete(cy, m+1, m+2)
			}
		}
		var parts []string
		for i := range cx {
			parts = append(parts, fmt.Sprintf("{%d, %.1f}", int64(cx[i]), cy[i]))
		}
		return refValue{s: "[" + strings.Join(parts, " ") + "]"}
	}
	panic(sp.Func)
}

// TestExtFuncsRandom runs the functions of ext.go over random input with
// nulls and empty batches, in 1 to 7 partitions, grouped and not, against
// extRef.
func TestExtFuncsRandom(t *testing.T) {
	for _, parts := range []int{1, 3, 7} {
		for _, groups := range [][]int{{}, {0}, {0, 5}} {
			t.Run(fmt.Sprintf("p%d_g%v", parts, groups), func(t *testing.T) {
				mem := exectest.Alloc(t)
				env := &exec.Env{Mem: mem, BatchSize: 7}
				r := rand.New(rand.NewPCG(uint64(parts)+300, uint64(len(groups))))
				src, all := fnSource(t, env, r, parts, 4)
				got := exectest.Rows(t, planOver(t, env, src, fnSchema, groups, extSpecs))
				checkExtResults(t, got, all, groups)
			})
		}
	}
}

// TestExtFuncsEmpty checks that a global aggregation over no rows gives
// NULL for every function of ext.go.
func TestExtFuncsEmpty(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem}
	src := exec.NewMemorySource(fnSchema, [][]arrow.RecordBatch{{}})
	defer src.Release()
	got := exectest.Rows(t, planOver(t, env, src, fnSchema, nil, extSpecs))
	if len(got) != 1 {
		t.Fatalf("got %d rows, want 1", len(got))
	}
	for i, v := range got[0] {
		if v != nil {
			t.Errorf("%s over no rows: got %v, want NULL", extSpecs[i].Name, v)
		}
	}
}

func checkExtResults(t *testing.T, got, all [][]any, groups []int) {
	t.Helper()
	byKey := map[string][][]any{}
	n := 0
	for _, r := range all {
		var kb []string
		for _, g := range groups {
			kb = append(kb, fnFmt(g, r[g]))
		}
		k := strings.Join(kb, ",")
		if _, ok := byKey[k]; !ok {
			n++
		}
		byKey[k] = append(byKey[k], r)
	}
	if len(groups) == 0 && n == 0 {
		n = 1
	}
	if len(got) != n {
		t.Fatalf("got %d groups, want %d", len(got), n)
	}
	for _, row := range got {
		var kb []string
		for i := range groups {
			kb = append(kb, cell(row[i]))
		}
		k := strings.Join(kb, ",")
		rows := byKey[k]
		for j, sp := range extSpecs {
			g := row[len(groups)+j]
			want := extRef(sp, rows)
			if want.isF {
				if f, ok := g.(float64); !ok || !closeFloat(f, want.f) && math.Abs(f-want.f) > 1e-9 {
					t.Errorf("group %q %s: got %v, want %v", k, sp.Name, g, want.f)
				}
				continue
			}
			gs := cell(g)
			if d, ok := g.(time.Time); ok {
				gs = d.Format("2006-01-02")
			}
			if gs != want.s {
				t.Errorf("group %q %s: got %s, want %s", k, sp.Name, gs, want.s)
			}
		}
	}
}
