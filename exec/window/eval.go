package window

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/kernels"
)

// group holds the sorted rows of one exec partition: parts are the window
// partition starts followed by n, and [peerStart[i], peerEnd[i]) is the peer
// group of row i.
type group struct {
	mem       memory.Allocator
	n         int
	parts     []int
	peerStart []int32
	peerEnd   []int32
}

func satAdd(a, b int64) int64 {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return s
}

// frame returns, for every row, its frame [lo, hi) (empty when hi <= lo).
func (g *group) frame(f Frame, key arrow.Array, desc, nullsFirst bool, kind keyKind) (lo, hi []int32, err error) {
	lo = make([]int32, g.n)
	hi = make([]int32, g.n)
	var ik []int64
	var fk []float64
	valueBounds := f.Range && (f.Start.Kind == Preceding || f.Start.Kind == Following || f.End.Kind == Preceding || f.End.Kind == Following)
	if valueBounds {
		if key == nil {
			return nil, nil, fmt.Errorf("frame %s needs one ORDER BY key", f)
		}
		if kind == floatKey {
			fk = floatValues(key)
		} else {
			ik = intValues(key)
		}
	}
	for pi := 0; pi+1 < len(g.parts); pi++ {
		ps, pe := g.parts[pi], g.parts[pi+1]
		// [ns, ne): rows of the partition whose key is not null.
		ns, ne := ps, pe
		if valueBounds && key.NullN() > 0 {
			if nullsFirst {
				for ns < pe && key.IsNull(ns) {
					ns++
				}
			} else {
				for ne > ps && key.IsNull(ne-1) {
					ne--
				}
			}
		}
		// search returns the first row j in [ns, ne) past which the key
		// reaches the bound of row i shifted by the offset of b; strict
		// selects "after" rather than "not before".
		search := func(i int, b Bound, strict bool) int {
			sgn := int64(1)
			if b.Kind == Preceding {
				sgn = -1
			}
			if desc {
				sgn = -sgn
			}
			if fk != nil {
				t := fk[i] + float64(sgn)*b.FloatOffset
				if b.FloatOffset == 0 {
					t = fk[i] + float64(sgn)*float64(b.Offset)
				}
				return ns + sort.Search(ne-ns, func(k int) bool {
					x := fk[ns+k]
					nan := math.IsNaN(x)
					switch {
					case !desc && strict:
						return nan || x > t
					case !desc:
						return nan || x >= t
					case strict:
						return !nan && x < t
					}
					return !nan && x <= t
				})
			}
			t := satAdd(ik[i], sgn*b.Offset)
			if b.Months {
				t = addMonthsToDays(ik[i], sgn*b.Offset)
			}
			return ns + sort.Search(ne-ns, func(k int) bool {
				x := ik[ns+k]
				switch {
				case !desc && strict:
					return x > t
				case !desc:
					return x >= t
				case strict:
					return x < t
				}
				return x <= t
			})
		}
		isNull := func(i int) bool {
			if key == nil || key.NullN() == 0 {
				return false
			}
			if key.IsNull(i) {
				return true
			}
			return fk != nil && math.IsNaN(fk[i])
		}
		for i := ps; i < pe; i++ {
			var l, h int64
			switch f.Start.Kind {
			case UnboundedPreceding:
				l = int64(ps)
			case CurrentRow:
				l = int64(i)
				if f.Range {
					l = int64(g.peerStart[i])
				}
			case Preceding, Following:
				switch {
				case !f.Range && f.Start.Kind == Preceding:
					l = satAdd(int64(i), -f.Start.Offset)
				case !f.Range:
					l = satAdd(int64(i), f.Start.Offset)
				case isNull(i) || (fk != nil && math.IsNaN(fk[i])):
					l = int64(g.peerStart[i])
				default:
					l = int64(search(i, f.Start, false))
				}
			}
			switch f.End.Kind {
			case UnboundedFollowing:
				h = int64(pe)
			case CurrentRow:
				h = int64(i) + 1
				if f.Range {
					h = int64(g.peerEnd[i])
				}
			case Preceding, Following:
				switch {
				case !f.Range && f.End.Kind == Preceding:
					h = satAdd(int64(i), 1-f.End.Offset)
				case !f.Range:
					h = satAdd(satAdd(int64(i), f.End.Offset), 1)
				case isNull(i) || (fk != nil && math.IsNaN(fk[i])):
					h = int64(g.peerEnd[i])
				default:
					h = int64(search(i, f.End, true))
				}
			}
			l = min(max(l, int64(ps)), int64(pe))
			h = min(max(h, l), int64(pe))
			lo[i], hi[i] = int32(l), int32(h)
		}
	}
	return lo, hi, nil
}

func int32Array(mem memory.Allocator, v []int32) arrow.Array {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	b.AppendValues(v, nil)
	return b.NewArray()
}

func int64Array(mem memory.Allocator, v []int64, valid []bool) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.AppendValues(v, valid)
	return b.NewArray()
}

func float64Array(mem memory.Allocator, v []float64, valid []bool) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	b.AppendValues(v, valid)
	return b.NewArray()
}

// eval evaluates sp over the sorted rows; in is its input column and lo/hi
// the frames of frame-based functions.
func (g *group) eval(sp Spec, in arrow.Array, lo, hi []int32) (arrow.Array, error) {
	n := g.n
	switch sp.Func {
	case RowNumber, Rank, DenseRank, Ntile:
		out := make([]int32, n)
		for pi := 0; pi+1 < len(g.parts); pi++ {
			ps, pe := g.parts[pi], g.parts[pi+1]
			m := int64(pe - ps)
			dense := int32(0)
			var q, rem int64
			if sp.Func == Ntile {
				q, rem = m/sp.N, m%sp.N
			}
			for i := ps; i < pe; i++ {
				switch sp.Func {
				case RowNumber:
					out[i] = int32(i - ps + 1)
				case Rank:
					out[i] = g.peerStart[i] - int32(ps) + 1
				case DenseRank:
					if int(g.peerStart[i]) == i {
						dense++
					}
					out[i] = dense
				case Ntile:
					r := int64(i - ps)
					if r < (q+1)*rem {
						out[i] = int32(r/(q+1) + 1)
					} else {
						out[i] = int32(rem + (r-(q+1)*rem)/q + 1)
					}
				}
			}
		}
		return int32Array(g.mem, out), nil
	case PercentRank, CumeDist:
		out := make([]float64, n)
		for pi := 0; pi+1 < len(g.parts); pi++ {
			ps, pe := g.parts[pi], g.parts[pi+1]
			m := float64(pe - ps)
			for i := ps; i < pe; i++ {
				if sp.Func == CumeDist {
					out[i] = float64(int(g.peerEnd[i])-ps) / m
				} else if pe-ps > 1 {
					out[i] = float64(int(g.peerStart[i])-ps) / (m - 1)
				}
			}
		}
		return float64Array(g.mem, out, nil), nil
	case Lag, Lead:
		idx := make([]int32, n)
		def := int32(-1)
		if sp.Default != nil && sp.Default.IsValid(0) {
			def = int32(n)
		}
		for pi := 0; pi+1 < len(g.parts); pi++ {
			ps, pe := g.parts[pi], g.parts[pi+1]
			for i := ps; i < pe; i++ {
				var j int64
				if sp.Func == Lag {
					j = satAdd(int64(i), -sp.N)
				} else {
					j = satAdd(int64(i), sp.N)
				}
				if j >= int64(ps) && j < int64(pe) {
					idx[i] = int32(j)
				} else {
					idx[i] = def
				}
			}
		}
		if def < 0 {
			return takeAny(g.mem, in, idx)
		}
		src, err := array.Concatenate([]arrow.Array{in, sp.Default}, g.mem)
		if err != nil {
			return nil, err
		}
		defer src.Release()
		return takeAny(g.mem, src, idx)
	case FirstValue, LastValue, NthValue:
		idx := make([]int32, n)
		var cnt, pos []int32
		if sp.IgnoreNulls && in.NullN() > 0 {
			cnt, pos = validPrefix(in)
		}
		for i := range n {
			l, h := lo[i], hi[i]
			idx[i] = -1
			if cnt == nil {
				switch sp.Func {
				case FirstValue:
					if l < h {
						idx[i] = l
					}
				case LastValue:
					if l < h {
						idx[i] = h - 1
					}
				case NthValue:
					if int64(l)+sp.N-1 < int64(h) {
						idx[i] = l + int32(sp.N-1)
					}
				}
				continue
			}
			cl, ch := cnt[l], cnt[h]
			switch sp.Func {
			case FirstValue:
				if cl < ch {
					idx[i] = pos[cl]
				}
			case LastValue:
				if cl < ch {
					idx[i] = pos[ch-1]
				}
			case NthValue:
				if int64(cl)+sp.N-1 < int64(ch) {
					idx[i] = pos[cl+int32(sp.N-1)]
				}
			}
		}
		return takeAny(g.mem, in, idx)
	case CountStar:
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(hi[i] - lo[i])
		}
		return int64Array(g.mem, out, nil), nil
	case Count:
		out := make([]int64, n)
		cnt, _ := validPrefix(in)
		for i := range out {
			out[i] = int64(cnt[hi[i]] - cnt[lo[i]])
		}
		return int64Array(g.mem, out, nil), nil
	case Sum, Avg:
		return g.sumAvg(sp, in, lo, hi)
	case Min, Max:
		return g.minMax(sp, in, lo, hi)
	}
	return nil, fmt.Errorf("unknown window function %d", int(sp.Func))
}

// validPrefix returns cnt, where cnt[i] is the number of valid rows before
// row i (len n+1), and the positions of the valid rows.
func validPrefix(in arrow.Array) (cnt, pos []int32) {
	n := in.Len()
	cnt = make([]int32, n+1)
	pos = make([]int32, 0, n-in.NullN())
	for i := range n {
		cnt[i+1] = cnt[i]
		if in.IsValid(i) {
			cnt[i+1]++
			pos = append(pos, int32(i))
		}
	}
	return cnt, pos
}

// running reports whether the frames of sp all start at their partition
// start, so that a frame's aggregate extends the previous row's.
func running(sp Spec) bool { return sp.Frame.Start.Kind == UnboundedPreceding }

// suffix reports whether the frames of sp all end at their partition end, so
// that a frame's aggregate extends the next row's (evaluated backwards; used
// where the result does not depend on the order of accumulation).
func suffix(sp Spec) bool { return sp.Frame.End.Kind == UnboundedFollowing }

func (g *group) sumAvg(sp Spec, in arrow.Array, lo, hi []int32) (arrow.Array, error) {
	if id := in.DataType().ID(); id == arrow.DECIMAL64 || id == arrow.DECIMAL128 {
		return g.decimalSumAvg(sp, in, lo, hi)
	}
	n := g.n
	cnt, _ := validPrefix(in)
	valid := make([]bool, n)
	for i := range valid {
		valid[i] = cnt[hi[i]] > cnt[lo[i]]
	}
	isInt := in.DataType().ID() != arrow.FLOAT32 && in.DataType().ID() != arrow.FLOAT64
	if isInt && sp.Func == Sum {
		v := intValues(in)
		if in.NullN() > 0 {
			for i := range v {
				if in.IsNull(i) {
					v[i] = 0
				}
			}
		}
		out := make([]int64, n)
		add := func(s, x int64) (int64, bool) {
			r := s + x
			return r, (x > 0 && r < s) || (x < 0 && r > s)
		}
		var ovf bool
		if running(sp) {
			for pi := 0; pi+1 < len(g.parts) && !ovf; pi++ {
				ps, pe := g.parts[pi], g.parts[pi+1]
				var s int64
				r := ps
				for i := ps; i < pe && !ovf; i++ {
					for ; r < int(hi[i]); r++ {
						var o bool
						if s, o = add(s, v[r]); o {
							ovf = true
							break
						}
					}
					out[i] = s
				}
			}
		} else if suffix(sp) {
			for pi := 0; pi+1 < len(g.parts) && !ovf; pi++ {
				ps, pe := g.parts[pi], g.parts[pi+1]
				var s int64
				r := pe
				for i := pe - 1; i >= ps && !ovf; i-- {
					for r > int(lo[i]) {
						r--
						var o bool
						if s, o = add(s, v[r]); o {
							ovf = true
							break
						}
					}
					out[i] = s
				}
			}
		} else {
			for i := 0; i < n && !ovf; i++ {
				var s int64
				for r := lo[i]; r < hi[i]; r++ {
					var o bool
					if s, o = add(s, v[r]); o {
						ovf = true
						break
					}
				}
				out[i] = s
			}
		}
		if ovf {
			return nil, fmt.Errorf("integer sum: %w", aggregate.ErrOverflow)
		}
		return int64Array(g.mem, out, valid), nil
	}
	var v []float64
	if isInt {
		iv := intValues(in)
		v = make([]float64, n)
		for i, x := range iv {
			v[i] = float64(x)
		}
	} else {
		v = floatValues(in)
	}
	if in.NullN() > 0 {
		for i := range v {
			if in.IsNull(i) {
				v[i] = 0
			}
		}
	}
	out := make([]float64, n)
	if running(sp) {
		for pi := 0; pi+1 < len(g.parts); pi++ {
			ps, pe := g.parts[pi], g.parts[pi+1]
			var s float64
			r := ps
			for i := ps; i < pe; i++ {
				for ; r < int(hi[i]); r++ {
					s += v[r]
				}
				out[i] = s
			}
		}
	} else {
		for i := range n {
			var s float64
			for r := lo[i]; r < hi[i]; r++ {
				s += v[r]
			}
			out[i] = s
		}
	}
	if sp.Func == Avg {
		for i := range out {
			if c := cnt[hi[i]] - cnt[lo[i]]; c > 0 {
				out[i] /= float64(c)
			}
		}
	}
	return float64Array(g.mem, out, valid), nil
}

// better returns whether valid row i should replace valid row j as the
// extreme of a frame (strictly smaller for min, larger for max; NaN is the
// largest float).
func better(in arrow.Array, isMax bool) (func(i, j int32) bool, error) {
	pick := func(c int) bool {
		if isMax {
			return c > 0
		}
		return c < 0
	}
	switch a := in.(type) {
	case *array.Int8, *array.Int16, *array.Int32, *array.Int64, *array.Date32, *array.Timestamp, *array.Decimal64:
		v := intValues(a)
		return func(i, j int32) bool {
			if isMax {
				return v[i] > v[j]
			}
			return v[i] < v[j]
		}, nil
	case *array.Float32, *array.Float64:
		v := floatValues(a)
		return func(i, j int32) bool {
			x, y := v[i], v[j]
			c := 0
			switch xn, yn := math.IsNaN(x), math.IsNaN(y); {
			case xn && yn:
			case xn:
				c = 1
			case yn:
				c = -1
			case x < y:
				c = -1
			case x > y:
				c = 1
			}
			return pick(c)
		}, nil
	case *array.Decimal128:
		v := a.Values()
		return func(i, j int32) bool { return pick(v[i].Cmp(v[j])) }, nil
	case *array.Boolean:
		return func(i, j int32) bool {
			x, y := a.Value(int(i)), a.Value(int(j))
			if isMax {
				return x && !y
			}
			return !x && y
		}, nil
	case *array.String:
		return func(i, j int32) bool {
			return pick(bytes.Compare([]byte(a.Value(int(i))), []byte(a.Value(int(j)))))
		}, nil
	case *array.Binary:
		return func(i, j int32) bool { return pick(bytes.Compare(a.Value(int(i)), a.Value(int(j)))) }, nil
	}
	return nil, fmt.Errorf("unsupported input type %s", in.DataType())
}

func (g *group) minMax(sp Spec, in arrow.Array, lo, hi []int32) (arrow.Array, error) {
	b, err := better(in, sp.Func == Max)
	if err != nil {
		return nil, err
	}
	n := g.n
	idx := make([]int32, n)
	nulls := in.NullN() > 0
	if running(sp) {
		for pi := 0; pi+1 < len(g.parts); pi++ {
			ps, pe := g.parts[pi], g.parts[pi+1]
			cur := int32(-1)
			r := int32(ps)
			for i := ps; i < pe; i++ {
				for ; r < hi[i]; r++ {
					if nulls && in.IsNull(int(r)) {
						continue
					}
					if cur < 0 || b(r, cur) {
						cur = r
					}
				}
				idx[i] = cur
			}
		}
	} else if suffix(sp) {
		for pi := 0; pi+1 < len(g.parts); pi++ {
			ps, pe := g.parts[pi], g.parts[pi+1]
			cur := int32(-1)
			r := int32(pe)
			for i := pe - 1; i >= ps; i-- {
				for r > lo[i] {
					r--
					if nulls && in.IsNull(int(r)) {
						continue
					}
					if cur < 0 || b(r, cur) {
						cur = r
					}
				}
				idx[i] = cur
			}
		}
	} else {
		for i := range n {
			cur := int32(-1)
			for r := lo[i]; r < hi[i]; r++ {
				if nulls && in.IsNull(int(r)) {
					continue
				}
				if cur < 0 || b(r, cur) {
					cur = r
				}
			}
			idx[i] = cur
		}
	}
	return takeAny(g.mem, in, idx)
}

// takeAny is kernels.Take that also handles dictionary arrays (by taking
// their indices).
func takeAny(mem memory.Allocator, arr arrow.Array, idx []int32) (arrow.Array, error) {
	d, ok := arr.(*array.Dictionary)
	if !ok {
		return kernels.Take(mem, arr, idx)
	}
	ind, err := kernels.Take(mem, d.Indices(), idx)
	if err != nil {
		return nil, err
	}
	defer ind.Release()
	return array.NewDictionaryArray(d.DataType(), ind, d.Dictionary()), nil
}

// addMonthsToDays adds months to a date given as days since 1970-01-01, as
// Spark's add_months: the day of the month is kept, or clamped to the last
// day of a shorter month.
func addMonthsToDays(days, months int64) int64 {
	if months > 1<<31 || months < -(1<<31) {
		if months > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	d := time.Unix(days*86400, 0).UTC()
	total := int64(d.Year())*12 + int64(d.Month()) - 1 + months
	y, m := int(total/12), int(total%12) // m: 0-based month
	if m < 0 {
		y, m = y-1, m+12
	}
	last := time.Date(y, time.Month(m+2), 0, 0, 0, 0, 0, time.UTC).Day()
	day := min(d.Day(), last)
	return time.Date(y, time.Month(m+1), day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}
