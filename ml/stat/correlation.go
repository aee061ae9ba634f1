package stat

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/gspark/gspark/frame"
)

// Correlation methods, as Spark's Correlation.corr names them.
const (
	Pearson  = "pearson"
	Spearman = "spearman"
)

// Corr returns the correlation matrix of the features in vector column col
// of df, as Spark's Correlation.corr: method "pearson" (the default when
// empty) or "spearman" (Pearson's on ranks, ties given their average rank).
// A feature with zero variance has NaN correlations with the others and 1
// on the diagonal, as in Spark. Null vectors are skipped.
func Corr(ctx context.Context, df *frame.DataFrame, col, method string) ([][]float64, error) {
	switch method {
	case "", Pearson:
		return pearson(ctx, df, col)
	case Spearman:
		return spearman(ctx, df, col)
	}
	return nil, fmt.Errorf("Correlation: method %q is not %q or %q", method, Pearson, Spearman)
}

// comoments accumulates the means and co-moments of the rows it is given.
type comoments struct {
	size int
	n    float64
	mean []float64
	c    []float64 // size×size, row-major
	d    []float64
	row  []float64
}

func newComoments() *comoments { return &comoments{size: -1} }

func (m *comoments) init(n int) {
	m.size = n
	m.mean, m.c, m.d = make([]float64, n), make([]float64, n*n), make([]float64, n)
}

func (m *comoments) add(x []float64) {
	m.n++
	for j, v := range x {
		m.d[j] = v - m.mean[j]
		m.mean[j] += m.d[j] / m.n
	}
	// C += (n-1)/n · d dᵀ, with d the deviation from the old mean.
	f := (m.n - 1) / m.n
	for a := range x {
		for b := range x {
			m.c[a*m.size+b] += f * m.d[a] * m.d[b]
		}
	}
}

func (m *comoments) merge(o *comoments) {
	if o.size < 0 || o.n == 0 {
		return
	}
	if m.size < 0 || m.n == 0 {
		*m = *o
		return
	}
	n := m.n + o.n
	for j := range m.d {
		m.d[j] = o.mean[j] - m.mean[j]
	}
	f := m.n * o.n / n
	for a := range m.d {
		for b := range m.d {
			m.c[a*m.size+b] += o.c[a*m.size+b] + f*m.d[a]*m.d[b]
		}
	}
	for j := range m.mean {
		m.mean[j] += m.d[j] * o.n / n
	}
	m.n = n
}

// correlations turns co-moments into a correlation matrix.
func (m *comoments) correlations() [][]float64 {
	k := m.size
	out := make([][]float64, k)
	for a := range out {
		out[a] = make([]float64, k)
		for b := range out[a] {
			switch sa, sb := m.c[a*k+a], m.c[b*k+b]; {
			case a == b:
				out[a][b] = 1
			case sa == 0 || sb == 0:
				out[a][b] = math.NaN()
			default:
				out[a][b] = math.Max(-1, math.Min(1, m.c[a*k+b]/math.Sqrt(sa*sb)))
			}
		}
	}
	return out
}

func pearson(ctx context.Context, df *frame.DataFrame, col string) ([][]float64, error) {
	const what = "Correlation"
	accs, err := foldRows(ctx, df, what, col, nil, newComoments, func(m *comoments, r row) error {
		if m.size < 0 {
			m.init(r.vc.Size(r.i))
		}
		if err := checkSize(what, col, &m.size, r.vc.Size(r.i)); err != nil {
			return err
		}
		m.row = denseRow(r.vc, r.i, m.row)
		m.add(m.row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	tot := newComoments()
	for _, a := range accs {
		if a.size >= 0 && tot.size >= 0 && a.size != tot.size {
			return nil, fmt.Errorf("%s: vectors in column %q have sizes %d and %d", what, col, tot.size, a.size)
		}
		tot.merge(a)
	}
	if tot.size < 0 {
		return nil, fmt.Errorf("%s: column %q has no rows", what, col)
	}
	return tot.correlations(), nil
}

// rowsOf collects the dense rows of a partition.
type rowsOf struct {
	size int
	rows [][]float64
}

func spearman(ctx context.Context, df *frame.DataFrame, col string) ([][]float64, error) {
	const what = "Correlation"
	accs, err := foldRows(ctx, df, what, col, nil, func() *rowsOf { return &rowsOf{size: -1} }, func(p *rowsOf, r row) error {
		if err := checkSize(what, col, &p.size, r.vc.Size(r.i)); err != nil {
			return err
		}
		p.rows = append(p.rows, denseRow(r.vc, r.i, nil))
		return nil
	})
	if err != nil {
		return nil, err
	}
	size := -1
	var rows [][]float64
	for _, a := range accs {
		if a.size < 0 {
			continue
		}
		if err := checkSize(what, col, &size, a.size); err != nil {
			return nil, err
		}
		rows = append(rows, a.rows...)
	}
	if size < 0 {
		return nil, fmt.Errorf("%s: column %q has no rows", what, col)
	}
	// Replace each feature by its ranks (1-based, ties averaged).
	order := make([]int, len(rows))
	ranks := make([]float64, len(rows))
	for j := 0; j < size; j++ {
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(rows[a][j], rows[b][j]) })
		for lo := 0; lo < len(order); {
			hi := lo + 1
			for hi < len(order) && rows[order[hi]][j] == rows[order[lo]][j] {
				hi++
			}
			r := float64(lo+hi+1) / 2 // average of ranks lo+1 … hi
			for k := lo; k < hi; k++ {
				ranks[order[k]] = r
			}
			lo = hi
		}
		for i := range rows {
			rows[i][j] = ranks[i]
		}
	}
	m := newComoments()
	m.init(size)
	for _, r := range rows {
		m.add(r)
	}
	return m.correlations(), nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
