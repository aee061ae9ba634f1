package window

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	xsort "github.com/gspark/gspark/exec/sort"
)

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "p", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "o", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

func randRows(r *rand.Rand, n int) [][]any {
	rows := make([][]any, n)
	maybe := func(v any) any {
		if r.IntN(6) == 0 {
			return nil
		}
		return v
	}
	for i := range rows {
		rows[i] = []any{int64(i), maybe(int64(r.IntN(4))), maybe(int32(r.IntN(6))), maybe(int64(r.IntN(101) - 50)),
			maybe(float64(r.IntN(200))/8 - 10), maybe(fmt.Sprintf("s%02d", r.IntN(30)))}
	}
	return rows
}

// source splits rows over nparts partitions by the value of column p, in
// batches of random size including empty ones.
func source(r *rand.Rand, mem memory.Allocator, rows [][]any, nparts int, byP bool) (*exec.MemorySource, [][][]any) {
	split := make([][][]any, nparts)
	for _, row := range rows {
		k := 0
		if byP && row[1] != nil {
			k = int(row[1].(int64)) % nparts
		}
		split[k] = append(split[k], row)
	}
	parts := make([][]arrow.RecordBatch, nparts)
	for p, rs := range split {
		for len(rs) > 0 {
			k := min(len(rs), r.IntN(40))
			parts[p] = append(parts[p], exectest.Batch(mem, testSchema, rs[:k]))
			rs = rs[k:]
		}
		parts[p] = append(parts[p], exectest.Batch(mem, testSchema, nil))
	}
	src := exec.NewMemorySource(testSchema, parts)
	for _, ps := range parts {
		exec.ReleaseAll(ps)
	}
	return src, split
}

func cmpVal(a, b any) int {
	switch x := a.(type) {
	case int64:
		return cmp.Compare(x, b.(int64))
	case int32:
		return cmp.Compare(x, b.(int32))
	case float64:
		return cmp.Compare(x, b.(float64))
	case string:
		return cmp.Compare(x, b.(string))
	}
	panic(fmt.Sprintf("cmpVal %T", a))
}

// orderCmp compares two rows by the order keys.
func orderCmp(a, b []any, keys []xsort.Key) int {
	for _, k := range keys {
		x, y := a[k.Col], b[k.Col]
		var c int
		switch {
		case x == nil && y == nil:
		case x == nil:
			c = 1
			if k.NullsFirst {
				c = -1
			}
		case y == nil:
			c = -1
			if k.NullsFirst {
				c = 1
			}
		default:
			c = cmpVal(x, y)
			if k.Desc {
				c = -c
			}
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// refFrame returns the positions of the frame of row k of the sorted window partition rs.
func refFrame(rs [][]any, k int, f Frame, keys []xsort.Key) []int {
	var out []int
	for j := range rs {
		in := true
		if !f.Range {
			lo, hi := math.MinInt, math.MaxInt
			switch f.Start.Kind {
			case Preceding:
				lo = k - int(f.Start.Offset)
			case CurrentRow:
				lo = k
			case Following:
				lo = k + int(f.Start.Offset)
			}
			switch f.End.Kind {
			case Preceding:
				hi = k - int(f.End.Offset)
			case CurrentRow:
				hi = k
			case Following:
				hi = k + int(f.End.Offset)
			}
			in = j >= lo && j <= hi
		} else {
			c := orderCmp(rs[j], rs[k], keys)
			for si, b := range []Bound{f.Start, f.End} {
				start := si == 0
				switch b.Kind {
				case CurrentRow:
					if (start && c < 0) || (!start && c > 0) {
						in = false
					}
				case Preceding, Following:
					key := keys[0]
					vk, vj := rs[k][key.Col], rs[j][key.Col]
					if vk == nil {
						if (start && c < 0) || (!start && c > 0) {
							in = false
						}
						continue
					}
					if vj == nil {
						// nulls first are before every value, nulls last after.
						if start == key.NullsFirst {
							in = false
						}
						continue
					}
					off := float64(b.Offset)
					if b.FloatOffset != 0 {
						off = b.FloatOffset
					}
					if b.Kind == Preceding {
						off = -off
					}
					if key.Desc {
						off = -off
					}
					t := toF(vk) + off
					x := toF(vj)
					d := cmp.Compare(x, t)
					if key.Desc {
						d = -d
					}
					if (start && d < 0) || (!start && d > 0) {
						in = false
					}
				}
			}
		}
		if in {
			out = append(out, j)
		}
	}
	return out
}

func toF(v any) float64 {
	switch x := v.(type) {
	case int32:
		return float64(x)
	case float64:
		return x
	}
	panic(fmt.Sprintf("toF %T", v))
}

func refEval(rs [][]any, k int, sp Spec, keys []xsort.Key) any {
	m := len(rs)
	rank := 1
	for rank-1 < k && orderCmp(rs[rank-1], rs[k], keys) != 0 {
		rank++
	}
	switch sp.Func {
	case RowNumber:
		return int32(k + 1)
	case Rank:
		return int32(rank)
	case DenseRank:
		d := 1
		for j := 1; j <= k; j++ {
			if orderCmp(rs[j-1], rs[j], keys) != 0 {
				d++
			}
		}
		return int32(d)
	case PercentRank:
		if m == 1 {
			return 0.0
		}
		return float64(rank-1) / float64(m-1)
	case CumeDist:
		c := 0
		for j := range rs {
			if orderCmp(rs[j], rs[k], keys) <= 0 {
				c++
			}
		}
		return float64(c) / float64(m)
	case Ntile:
		// Deal the rows one bucket at a time, the first m%n buckets one larger.
		n := int(sp.N)
		b, start := 0, 0
		for b = 0; b < n; b++ {
			size := m / n
			if b < m%n {
				size++
			}
			if k < start+size {
				break
			}
			start += size
		}
		return int32(b + 1)
	case Lag, Lead:
		j := k - int(sp.N)
		if sp.Func == Lead {
			j = k + int(sp.N)
		}
		if j >= 0 && j < m {
			return rs[j][sp.Input]
		}
		if sp.Default == nil || sp.Default.IsNull(0) {
			return nil
		}
		return sp.Default.(*array.Int64).Value(0)
	}
	fr := refFrame(rs, k, sp.Frame, keys)
	var vals []any
	for _, j := range fr {
		if sp.Func == CountStar {
			vals = append(vals, true)
			continue
		}
		v := rs[j][sp.Input]
		if v != nil || (!sp.IgnoreNulls && (sp.Func == FirstValue || sp.Func == LastValue || sp.Func == NthValue)) {
			vals = append(vals, v)
		}
	}
	switch sp.Func {
	case FirstValue:
		if len(vals) == 0 {
			return nil
		}
		return vals[0]
	case LastValue:
		if len(vals) == 0 {
			return nil
		}
		return vals[len(vals)-1]
	case NthValue:
		if len(vals) < int(sp.N) {
			return nil
		}
		return vals[sp.N-1]
	case Count, CountStar:
		return int64(len(vals))
	}
	if len(vals) == 0 {
		return nil
	}
	switch sp.Func {
	case Sum, Avg:
		if x, ok := vals[0].(int64); ok && sp.Func == Sum {
			s := x
			for _, v := range vals[1:] {
				s += v.(int64)
			}
			return s
		}
		var s float64
		for _, v := range vals {
			switch x := v.(type) {
			case int64:
				s += float64(x)
			case float64:
				s += x
			}
		}
		if sp.Func == Avg {
			return s / float64(len(vals))
		}
		return s
	case Min, Max:
		best := vals[0]
		for _, v := range vals[1:] {
			c := cmpVal(v, best)
			if (sp.Func == Min && c < 0) || (sp.Func == Max && c > 0) {
				best = v
			}
		}
		return best
	}
	panic("refEval")
}

// reference evaluates the specs row at a time and returns the results by id.
func reference(split [][][]any, partCols []int, keys []xsort.Key, specs []Spec) map[int64][]any {
	out := map[int64][]any{}
	for _, rs := range split {
		groups := map[any][][]any{}
		var order []any
		for _, r := range rs {
			var g any = "all"
			if len(partCols) > 0 {
				g = fmt.Sprint(r[partCols[0]])
			}
			if _, ok := groups[g]; !ok {
				order = append(order, g)
			}
			groups[g] = append(groups[g], r)
		}
		for _, g := range order {
			wp := slices.Clone(groups[g])
			slices.SortStableFunc(wp, func(a, b []any) int { return orderCmp(a, b, keys) })
			for k, r := range wp {
				res := make([]any, len(specs))
				for i, sp := range specs {
					res[i] = refEval(wp, k, sp, keys)
				}
				out[r[0].(int64)] = res
			}
		}
	}
	return out
}

func sameValue(a, b any) bool {
	if x, ok := a.(float64); ok {
		y, ok := b.(float64)
		return ok && (x == y || math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(x)))
	}
	return a == b
}

func TestWindowMatchesReference(t *testing.T) {
	rows := func(f Frame) Frame { return f }
	ub := Bound{Kind: UnboundedPreceding}
	uf := Bound{Kind: UnboundedFollowing}
	cur := Bound{Kind: CurrentRow}
	pre := func(n int64) Bound { return Bound{Kind: Preceding, Offset: n} }
	fol := func(n int64) Bound { return Bound{Kind: Following, Offset: n} }
	frames := []Frame{
		DefaultFrame(true),
		rows(Frame{Start: pre(2), End: fol(1)}),
		{Range: true, Start: pre(1), End: fol(2)},
		{Start: ub, End: uf},
		{Start: cur, End: uf},
		{Range: true, Start: cur, End: uf},
		{Start: fol(3), End: pre(1)},
		{Range: true, Start: ub, End: pre(1)},
		{Range: true, Start: fol(1), End: uf},
		{Start: ub, End: fol(2)},
		{Range: true, Start: Bound{Kind: Preceding, FloatOffset: 2.5}, End: Bound{Kind: Following, FloatOffset: 0.5}},
	}
	orders := [][]xsort.Key{
		{{Col: 2, NullsFirst: true}},
		{{Col: 2, Desc: true}},
		{{Col: 2}, {Col: 4, Desc: true, NullsFirst: true}},
		nil,
		{{Col: 4}},
		{{Col: 4, Desc: true, NullsFirst: true}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, nparts := range exectest.PartitionCounts(1, 2, 7) {
		for _, partCols := range [][]int{{1}, nil} {
			for oi, order := range orders {
				t.Run(fmt.Sprintf("parts=%d/pcols=%v/order=%d", nparts, partCols, oi), func(t *testing.T) {
					mem := exectest.Alloc(t)
					def := func() arrow.Array {
						b := array.NewInt64Builder(memory.DefaultAllocator)
						defer b.Release()
						b.Append(99)
						return b.NewArray()
					}()
					specs := []Spec{
						{Func: RowNumber}, {Func: Rank}, {Func: DenseRank}, {Func: PercentRank}, {Func: CumeDist},
						{Func: Ntile, N: 3}, {Func: Ntile, N: 50},
						{Func: Lag, Input: 3, N: 1}, {Func: Lag, Input: 3, N: 2, Default: def},
						{Func: Lead, Input: 5, N: 1}, {Func: Lead, Input: 3, N: 3, Default: def},
					}
					for _, f := range frames {
						if f.Range && (f.Start.Kind == Preceding || f.Start.Kind == Following || f.End.Kind == Preceding || f.End.Kind == Following) && len(order) != 1 {
							continue
						}
						if order == nil && f.Range {
							continue
						}
						if (f.Start.FloatOffset != 0 || f.End.FloatOffset != 0) && order[0].Col != 4 {
							continue
						}
						specs = append(specs,
							Spec{Func: FirstValue, Input: 3, Frame: f}, Spec{Func: FirstValue, Input: 3, Frame: f, IgnoreNulls: true},
							Spec{Func: LastValue, Input: 5, Frame: f}, Spec{Func: LastValue, Input: 5, Frame: f, IgnoreNulls: true},
							Spec{Func: NthValue, Input: 4, N: 2, Frame: f}, Spec{Func: NthValue, Input: 4, N: 2, Frame: f, IgnoreNulls: true},
							Spec{Func: Count, Input: 3, Frame: f}, Spec{Func: CountStar, Frame: f},
							Spec{Func: Sum, Input: 3, Frame: f}, Spec{Func: Sum, Input: 4, Frame: f},
							Spec{Func: Avg, Input: 3, Frame: f}, Spec{Func: Avg, Input: 4, Frame: f},
							Spec{Func: Min, Input: 5, Frame: f}, Spec{Func: Max, Input: 4, Frame: f},
							Spec{Func: Min, Input: 3, Frame: f}, Spec{Func: Max, Input: 5, Frame: f})
					}
					data := randRows(r, 160)
					if partCols == nil && nparts > 1 {
						// Without partition columns every row must be in one partition.
						t.Skip("whole-input window needs one partition")
					}
					src, split := source(r, mem, data, nparts, partCols != nil)
					env := &exec.Env{Mem: mem, BatchSize: 37}
					op, err := New(env, src, partCols, order, specs)
					if err != nil {
						t.Fatal(err)
					}
					if op.Partitions() != nparts {
						t.Fatalf("partitions %d", op.Partitions())
					}
					got := exectest.Rows(t, op)
					src.Release()
					want := reference(split, partCols, order, specs)
					if len(got) != len(data) {
						t.Fatalf("got %d rows, want %d", len(got), len(data))
					}
					for _, row := range got {
						id := row[0].(int64)
						for i, sp := range specs {
							if g, w := row[6+i], want[id][i]; !sameValue(g, w) {
								t.Fatalf("id %d spec %d %s %v (frame %s): got %v, want %v", id, i, sp.Func, sp, sp.Frame, g, w)
							}
						}
					}
				})
			}
		}
	}
}
