package stat

import (
	"context"
	"fmt"
	"math"

	"github.com/gspark/gspark/frame"
)

// Summary holds Spark's Summarizer metrics of a vector column. Rows with
// weight 0 are left out, as Spark does.
type Summary struct {
	// Count is the number of rows counted; WeightSum the sum of their weights.
	Count     int64
	WeightSum float64
	// Mean, Sum, Variance (weighted, unbiased: Σw(x−mean)² / (Σw − Σw²/Σw))
	// and Std per feature.
	Mean, Sum, Variance, Std []float64
	// NumNonZeros counts the rows whose value is not 0, per feature.
	NumNonZeros []float64
	// Max and Min per feature (a sparse vector's missing entries are 0).
	Max, Min []float64
	// NormL1 is Σw|x| and NormL2 is sqrt(Σw·x²), per feature.
	NormL1, NormL2 []float64
}

// summarizer accumulates one partition's statistics with Welford's update.
type summarizer struct {
	size          int
	n             int64
	wSum, wSqSum  float64
	mean, m2, nnz []float64
	max, min      []float64
	l1, l2        []float64
	row           []float64
}

func newSummarizer() *summarizer { return &summarizer{size: -1} }

func (s *summarizer) init(n int) {
	s.size = n
	s.mean, s.m2, s.nnz = make([]float64, n), make([]float64, n), make([]float64, n)
	s.max, s.min = make([]float64, n), make([]float64, n)
	s.l1, s.l2 = make([]float64, n), make([]float64, n)
	for j := range s.max {
		s.max[j], s.min[j] = math.Inf(-1), math.Inf(1)
	}
}

// add adds a row with weight w; a row of weight 0 is skipped.
func (s *summarizer) add(x []float64, w float64) {
	if w == 0 {
		return
	}
	s.n++
	s.wSum += w
	s.wSqSum += w * w
	for j, v := range x {
		d := v - s.mean[j]
		s.mean[j] += d * w / s.wSum
		s.m2[j] += w * d * (v - s.mean[j])
		if v != 0 {
			s.nnz[j]++
		}
		s.max[j] = math.Max(s.max[j], v)
		s.min[j] = math.Min(s.min[j], v)
		s.l1[j] += w * math.Abs(v)
		s.l2[j] += w * v * v
	}
}

func (s *summarizer) merge(o *summarizer) {
	if o.size < 0 || o.wSum == 0 {
		return
	}
	if s.size < 0 || s.wSum == 0 {
		*s = *o
		return
	}
	tot := s.wSum + o.wSum
	for j := range s.mean {
		d := o.mean[j] - s.mean[j]
		s.m2[j] += o.m2[j] + d*d*s.wSum*o.wSum/tot
		s.mean[j] += d * o.wSum / tot
		s.nnz[j] += o.nnz[j]
		s.max[j] = math.Max(s.max[j], o.max[j])
		s.min[j] = math.Min(s.min[j], o.min[j])
		s.l1[j] += o.l1[j]
		s.l2[j] += o.l2[j]
	}
	s.n += o.n
	s.wSum = tot
	s.wSqSum += o.wSqSum
}

// Summarize computes the Summarizer metrics of vector column featuresCol
// of df, each row weighted by numeric column weightCol ("" for weight 1),
// as Spark's Summarizer.metrics(...).summary(col, weightCol). Null vectors
// are skipped; a negative weight or vectors of different sizes are errors.
func Summarize(ctx context.Context, df *frame.DataFrame, featuresCol, weightCol string) (*Summary, error) {
	const what = "Summarizer"
	var extra []string
	if weightCol != "" {
		extra = []string{weightCol}
	}
	accs, err := foldRows(ctx, df, what, featuresCol, extra, newSummarizer, func(s *summarizer, r row) error {
		if s.size < 0 {
			s.init(r.vc.Size(r.i))
		}
		if err := checkSize(what, featuresCol, &s.size, r.vc.Size(r.i)); err != nil {
			return err
		}
		w := 1.0
		if weightCol != "" {
			w = r.extra[0]
			if w < 0 || math.IsNaN(w) {
				return fmt.Errorf("%s: weight column %q has the invalid weight %v", what, weightCol, w)
			}
		}
		s.row = denseRow(r.vc, r.i, s.row)
		s.add(s.row, w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	tot := newSummarizer()
	for _, a := range accs {
		if a.size >= 0 && tot.size >= 0 && a.size != tot.size {
			return nil, fmt.Errorf("%s: vectors in column %q have sizes %d and %d", what, featuresCol, tot.size, a.size)
		}
		tot.merge(a)
	}
	if tot.size < 0 || tot.n == 0 {
		return nil, fmt.Errorf("%s: column %q has no rows to summarize", what, featuresCol)
	}
	n := tot.size
	out := &Summary{Count: tot.n, WeightSum: tot.wSum,
		Mean: tot.mean, Sum: make([]float64, n), Variance: make([]float64, n), Std: make([]float64, n),
		NumNonZeros: tot.nnz, Max: tot.max, Min: tot.min, NormL1: tot.l1, NormL2: make([]float64, n)}
	den := tot.wSum - tot.wSqSum/tot.wSum
	for j := 0; j < n; j++ {
		out.Sum[j] = tot.mean[j] * tot.wSum
		if den > 0 {
			out.Variance[j] = math.Max(tot.m2[j]/den, 0)
		}
		out.Std[j] = math.Sqrt(out.Variance[j])
		out.NormL2[j] = math.Sqrt(tot.l2[j])
	}
	return out, nil
}
