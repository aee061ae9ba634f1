package feature

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// vecSummary accumulates per-feature statistics of a vector column, as
// Spark's Summarizer: the mean and M2 are kept over the nonzero entries and
// combined with the implicit zeros at the end, so sparse rows cost only
// their nonzeros.
type vecSummary struct {
	n    int64 // rows
	size int   // -1 until the first row
	nnz  []int64
	mean []float64
	m2   []float64
	min  []float64
	max  []float64
}

func newVecSummary() *vecSummary { return &vecSummary{size: -1} }

func (s *vecSummary) init(n int) {
	s.size = n
	s.nnz = make([]int64, n)
	s.mean = make([]float64, n)
	s.m2 = make([]float64, n)
	s.min = make([]float64, n)
	s.max = make([]float64, n)
	for j := range s.min {
		s.min[j] = math.Inf(1)
		s.max[j] = math.Inf(-1)
	}
}

func (s *vecSummary) addValue(j int, v float64) {
	if v == 0 {
		return
	}
	s.nnz[j]++
	d := v - s.mean[j]
	s.mean[j] += d / float64(s.nnz[j])
	s.m2[j] += d * (v - s.mean[j])
	if v < s.min[j] {
		s.min[j] = v
	}
	if v > s.max[j] {
		s.max[j] = v
	}
}

// add folds row i of vc (not null).
func (s *vecSummary) add(uid, col string, vc *linalg.VectorColumn, i int) error {
	n := vc.Size(i)
	if s.size < 0 {
		s.init(n)
	} else if n != s.size {
		return sizeMismatch(uid, col, s.size, n)
	}
	s.n++
	if d := vc.DenseValues(i); d != nil {
		for j, v := range d {
			s.addValue(j, v)
		}
		return nil
	}
	idx, vals := vc.Sparse(i)
	for k, j := range idx {
		s.addValue(int(j), vals[k])
	}
	return nil
}

// merge folds o into s (Chan et al.'s parallel mean and M2).
func (s *vecSummary) merge(uid, col string, o *vecSummary) error {
	if o.size < 0 {
		return nil
	}
	if s.size < 0 {
		*s = *o
		return nil
	}
	if o.size != s.size {
		return sizeMismatch(uid, col, s.size, o.size)
	}
	s.n += o.n
	for j := range s.mean {
		na, nb := float64(s.nnz[j]), float64(o.nnz[j])
		if nb == 0 {
			continue
		}
		nt := na + nb
		d := o.mean[j] - s.mean[j]
		s.mean[j] += d * nb / nt
		s.m2[j] += o.m2[j] + d*d*na*nb/nt
		s.nnz[j] += o.nnz[j]
		s.min[j] = math.Min(s.min[j], o.min[j])
		s.max[j] = math.Max(s.max[j], o.max[j])
	}
	return nil
}

// Mean returns the per-feature mean over all rows.
func (s *vecSummary) Mean() []float64 {
	out := make([]float64, s.size)
	for j := range out {
		out[j] = s.mean[j] * float64(s.nnz[j]) / float64(s.n)
	}
	return out
}

// Variance returns the per-feature sample variance (divisor n-1); 0 for one row.
func (s *vecSummary) Variance() []float64 {
	out := make([]float64, s.size)
	if s.n < 2 {
		return out
	}
	n := float64(s.n)
	for j := range out {
		k := float64(s.nnz[j])
		m2 := s.m2[j] + s.mean[j]*s.mean[j]*k*(n-k)/n
		out[j] = math.Max(m2/(n-1), 0)
	}
	return out
}

// Min returns the per-feature minimum (implicit zeros included).
func (s *vecSummary) Min() []float64 {
	out := make([]float64, s.size)
	for j := range out {
		out[j] = s.min[j]
		if s.nnz[j] < s.n {
			out[j] = math.Min(out[j], 0)
		}
	}
	return out
}

// Max returns the per-feature maximum (implicit zeros included).
func (s *vecSummary) Max() []float64 {
	out := make([]float64, s.size)
	for j := range out {
		out[j] = s.max[j]
		if s.nnz[j] < s.n {
			out[j] = math.Max(out[j], 0)
		}
	}
	return out
}

// summarize computes the statistics of vector column col of df in parallel
// over its partitions (null rows are skipped).
func summarize(ctx context.Context, df *frame.DataFrame, uid, col string) (*vecSummary, error) {
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(col)), func(int) *vecSummary { return newVecSummary() },
		func(acc *vecSummary, b arrow.RecordBatch) (*vecSummary, error) {
			vc, err := linalg.Vectors(b.Column(0))
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, col, err)
			}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					continue
				}
				if err := acc.add(uid, col, vc, i); err != nil {
					return acc, err
				}
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	tot := newVecSummary()
	for _, a := range accs {
		if err := tot.merge(uid, col, a); err != nil {
			return nil, err
		}
	}
	if tot.size < 0 {
		return nil, fmt.Errorf("%s: column %q has no non-null rows to fit on", uid, col)
	}
	return tot, nil
}
