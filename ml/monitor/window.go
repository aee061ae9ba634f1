package monitor

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/values"
)

// MinWindowValues is the number of non-null values a column needs in a
// Window (or the window's whole size, when smaller) before Window.PSI
// reports it: fewer make the index noise.
const MinWindowValues = 100

// Window keeps the most recent values of the profiled numeric and
// categorical columns, up to size per column, for a running PSI (a
// server's drift gauges). It stores only each value's bin: two bytes per
// value and column. It is safe for concurrent use.
type Window struct {
	mu    sync.Mutex
	size  int
	rings []*ring
}

// ring is one column's last values, as bin indexes (-1: null).
type ring struct {
	col    *ColumnProfile
	bins   []int16
	next   int
	filled bool
}

// NewWindow is a window of the last size values (at least 1) of each
// numeric and categorical column of prof.
func NewWindow(prof *Profile, size int) *Window {
	size = max(size, 1)
	w := &Window{size: size}
	for i := range prof.Columns {
		c := &prof.Columns[i]
		if c.Kind == Numeric && prof.Rows > c.Nulls || c.Kind == Categorical && c.Categorical != nil && len(c.Categorical.Top) > 0 {
			w.rings = append(w.rings, &ring{col: c, bins: make([]int16, size)})
		}
	}
	return w
}

// Add appends the rows of b to the window: its columns are matched to the
// profile's by name (case-insensitive); profiled columns b lacks are left
// as they are.
func (w *Window) Add(b arrow.RecordBatch) {
	if b == nil || b.NumRows() == 0 {
		return
	}
	type binned struct {
		r    *ring
		bins []int16
	}
	// Bin outside the lock, then append under it.
	var work []binned
	s := b.Schema()
	for _, r := range w.rings {
		j := -1
		for k, f := range s.Fields() {
			if strings.EqualFold(f.Name, r.col.Name) {
				j = k
				break
			}
		}
		if j < 0 {
			continue
		}
		work = append(work, binned{r, r.col.binAll(b.Column(j))})
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, x := range work {
		bins := x.bins
		if len(bins) > w.size {
			bins = bins[len(bins)-w.size:]
		}
		for _, v := range bins {
			x.r.bins[x.r.next] = v
			x.r.next++
			if x.r.next == w.size {
				x.r.next, x.r.filled = 0, true
			}
		}
	}
}

// PSI returns the PSI of each column's values in the window against its
// training shares, by column name; a column with fewer than
// MinWindowValues non-null values in the window (or the window's size,
// when smaller) is absent.
func (w *Window) PSI() map[string]float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]float64{}
	for _, r := range w.rings {
		n := r.next
		if r.filled {
			n = w.size
		}
		exp := r.col.shares()
		counts := make([]int64, len(exp))
		total := int64(0)
		for _, v := range r.bins[:n] {
			if v >= 0 {
				counts[v]++
				total++
			}
		}
		if total < int64(min(MinWindowValues, w.size)) {
			continue
		}
		out[r.col.Name] = PSI(exp, shares(counts, total))
	}
	return out
}

// shares are the training shares of the column's PSI bins.
func (c *ColumnProfile) shares() []float64 {
	if c.Kind == Numeric {
		return c.Numeric.Shares
	}
	out := make([]float64, 0, len(c.Categorical.Top)+1)
	for _, cat := range c.Categorical.Top {
		out = append(out, cat.Share)
	}
	return append(out, c.Categorical.OtherShare)
}

// binAll is the PSI bin of each value of arr (see bin), with fast paths
// for doubles and strings.
func (c *ColumnProfile) binAll(arr arrow.Array) []int16 {
	bins := make([]int16, arr.Len())
	switch a := arr.(type) {
	case *array.Float64:
		if c.Kind == Numeric {
			for i := range bins {
				if a.IsNull(i) {
					bins[i] = -1
				} else {
					bins[i] = c.numBin(a.Value(i))
				}
			}
			return bins
		}
	case *array.String:
		if c.Kind == Categorical {
			for i := range bins {
				if a.IsNull(i) {
					bins[i] = -1
				} else {
					bins[i] = c.catBin(a.Value(i))
				}
			}
			return bins
		}
	}
	for i := range bins {
		bins[i] = c.bin(values.Value(arr, i))
	}
	return bins
}

// bin is the PSI bin of a row value of the column, -1 for null (and for
// NaN and ±Inf in a numeric column).
func (c *ColumnProfile) bin(v any) int16 {
	if v == nil {
		return -1
	}
	if c.Kind == Numeric {
		f, ok := values.Float64(v)
		if !ok {
			return -1
		}
		return c.numBin(f)
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case bool:
		s = "false"
		if x {
			s = "true"
		}
	default:
		return -1
	}
	return c.catBin(s)
}

// numBin is the bin of a number: the index of the first edge ≥ f, since
// bins are (edge[i-1], edge[i]]; -1 for NaN and ±Inf.
func (c *ColumnProfile) numBin(f float64) int16 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return -1
	}
	i, _ := slices.BinarySearch(c.Numeric.Edges, f)
	return int16(i)
}

// catBin is the bin of a category: its index in Top, len(Top) for "other".
func (c *ColumnProfile) catBin(s string) int16 {
	for i, cat := range c.Categorical.Top {
		if cat.Value == s {
			return int16(i)
		}
	}
	return int16(len(c.Categorical.Top))
}
