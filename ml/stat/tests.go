package stat

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gspark/gspark/frame"
)

// TestResult holds one test per feature: its p-value, degrees of freedom
// and statistic (the chi-square statistic, or the F value).
type TestResult struct {
	PValues          []float64
	DegreesOfFreedom []int64
	Statistics       []float64
}

// maxCategories is Spark's limit on the distinct values of a categorical
// feature or label in ChiSquareTest.
const maxCategories = 10000

// chiCounts counts (feature value, label) pairs per feature.
type chiCounts struct {
	size   int
	pairs  []map[[2]float64]float64
	labels map[float64]float64
	row    []float64
}

// ChiSquareTest runs Pearson's chi-square independence test of every
// feature of vector column featuresCol against the label in labelCol, both
// taken as categorical, as Spark's ChiSquareTest.test: for feature j the
// contingency table has one row per distinct value of the feature and one
// column per distinct label; degrees of freedom are (rows−1)(columns−1) and
// the p-value is 1 − CDF of the chi-square distribution (so it is 0 where
// the tail is below double precision, as in Spark). At most 10000 distinct
// values per feature and label are allowed. Null vectors are skipped; a
// null label is an error.
func ChiSquareTest(ctx context.Context, df *frame.DataFrame, featuresCol, labelCol string) (*TestResult, error) {
	const what = "ChiSquareTest"
	accs, err := foldRows(ctx, df, what, featuresCol, []string{labelCol},
		func() *chiCounts { return &chiCounts{size: -1, labels: map[float64]float64{}} },
		func(c *chiCounts, r row) error {
			if c.size < 0 {
				c.size = r.vc.Size(r.i)
				c.pairs = make([]map[[2]float64]float64, c.size)
				for j := range c.pairs {
					c.pairs[j] = map[[2]float64]float64{}
				}
			}
			if err := checkSize(what, featuresCol, &c.size, r.vc.Size(r.i)); err != nil {
				return err
			}
			y := r.extra[0]
			c.labels[y]++
			if len(c.labels) > maxCategories {
				return fmt.Errorf("%s: label column %q has more than %d distinct values", what, labelCol, maxCategories)
			}
			c.row = denseRow(r.vc, r.i, c.row)
			for j, v := range c.row {
				c.pairs[j][[2]float64{v, y}]++
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	tot := &chiCounts{size: -1, labels: map[float64]float64{}}
	for _, a := range accs {
		if a.size < 0 {
			continue
		}
		if tot.size < 0 {
			tot.size, tot.pairs = a.size, a.pairs
			for y, n := range a.labels {
				tot.labels[y] += n
			}
			continue
		}
		if err := checkSize(what, featuresCol, &tot.size, a.size); err != nil {
			return nil, err
		}
		for y, n := range a.labels {
			tot.labels[y] += n
		}
		for j, m := range a.pairs {
			for k, n := range m {
				tot.pairs[j][k] += n
			}
		}
	}
	if tot.size < 0 {
		return nil, fmt.Errorf("%s: column %q has no rows", what, featuresCol)
	}
	if len(tot.labels) > maxCategories {
		return nil, fmt.Errorf("%s: label column %q has more than %d distinct values", what, labelCol, maxCategories)
	}
	// Sum in sorted order so that equal tables give bit-identical
	// statistics (Spark breaks p-value ties by feature index).
	labels := slices.Sorted(maps.Keys(tot.labels))
	var total float64
	for _, y := range labels {
		total += tot.labels[y]
	}
	res := &TestResult{PValues: make([]float64, tot.size), DegreesOfFreedom: make([]int64, tot.size), Statistics: make([]float64, tot.size)}
	for j, m := range tot.pairs {
		rowSum := map[float64]float64{}
		for k, n := range m {
			rowSum[k[0]] += n
		}
		if len(rowSum) > maxCategories {
			return nil, fmt.Errorf("%s: feature %d of column %q has more than %d distinct values", what, j, featuresCol, maxCategories)
		}
		var stat float64
		for _, v := range slices.Sorted(maps.Keys(rowSum)) {
			rs := rowSum[v]
			for _, y := range labels {
				e := rs * tot.labels[y] / total
				d := m[[2]float64{v, y}] - e
				stat += d * d / e
			}
		}
		dof := int64(len(rowSum)-1) * int64(len(tot.labels)-1)
		res.Statistics[j], res.DegreesOfFreedom[j] = stat, dof
		res.PValues[j] = 1
		if dof > 0 {
			res.PValues[j] = 1 - distuv.ChiSquared{K: float64(dof)}.CDF(stat)
		}
	}
	return res, nil
}

// anovaSums holds per-label counts and feature sums, and per-feature sums
// and sums of squares.
type anovaSums struct {
	size       int
	sum, sumSq []float64
	byLabel    map[float64]*labelSums
	row        []float64
}

type labelSums struct {
	n   float64
	sum []float64
}

// ANOVATest runs the one-way ANOVA F test of every continuous feature of
// featuresCol against the categorical label in labelCol, as Spark's
// ANOVATest (scikit-learn's f_classif): F = (SSB/(k−1)) / (SSW/(n−k)) for k
// labels and n rows; degreesOfFreedom is Spark's (k−1)+(n−k); the p-value
// is 1 − CDF of F(k−1, n−k).
func ANOVATest(ctx context.Context, df *frame.DataFrame, featuresCol, labelCol string) (*TestResult, error) {
	const what = "ANOVATest"
	accs, err := foldRows(ctx, df, what, featuresCol, []string{labelCol},
		func() *anovaSums { return &anovaSums{size: -1, byLabel: map[float64]*labelSums{}} },
		func(a *anovaSums, r row) error {
			if a.size < 0 {
				a.size = r.vc.Size(r.i)
				a.sum, a.sumSq = make([]float64, a.size), make([]float64, a.size)
			}
			if err := checkSize(what, featuresCol, &a.size, r.vc.Size(r.i)); err != nil {
				return err
			}
			y := r.extra[0]
			ls := a.byLabel[y]
			if ls == nil {
				ls = &labelSums{sum: make([]float64, a.size)}
				a.byLabel[y] = ls
			}
			ls.n++
			a.row = denseRow(r.vc, r.i, a.row)
			for j, v := range a.row {
				ls.sum[j] += v
				a.sum[j] += v
				a.sumSq[j] += v * v
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	tot := &anovaSums{size: -1, byLabel: map[float64]*labelSums{}}
	for _, a := range accs {
		if a.size < 0 {
			continue
		}
		if tot.size < 0 {
			tot.size = a.size
			tot.sum, tot.sumSq = make([]float64, a.size), make([]float64, a.size)
		}
		if err := checkSize(what, featuresCol, &tot.size, a.size); err != nil {
			return nil, err
		}
		for j := range a.sum {
			tot.sum[j] += a.sum[j]
			tot.sumSq[j] += a.sumSq[j]
		}
		for y, ls := range a.byLabel {
			t := tot.byLabel[y]
			if t == nil {
				t = &labelSums{sum: make([]float64, a.size)}
				tot.byLabel[y] = t
			}
			t.n += ls.n
			for j, v := range ls.sum {
				t.sum[j] += v
			}
		}
	}
	if tot.size < 0 {
		return nil, fmt.Errorf("%s: column %q has no rows", what, featuresCol)
	}
	labels := make([]float64, 0, len(tot.byLabel))
	var n float64
	for y, ls := range tot.byLabel {
		labels = append(labels, y)
		n += ls.n
	}
	slices.Sort(labels)
	k := float64(len(labels))
	dfb, dfw := k-1, n-k
	res := &TestResult{PValues: make([]float64, tot.size), DegreesOfFreedom: make([]int64, tot.size), Statistics: make([]float64, tot.size)}
	for j := 0; j < tot.size; j++ {
		sqSum := tot.sum[j] * tot.sum[j]
		ssTot := tot.sumSq[j] - sqSum/n
		var between float64
		for _, y := range labels {
			ls := tot.byLabel[y]
			between += ls.sum[j] * ls.sum[j] / ls.n
		}
		ssb := between - sqSum/n
		ssw := ssTot - ssb
		f := (ssb / dfb) / (ssw / dfw)
		res.Statistics[j] = f
		res.DegreesOfFreedom[j] = int64(dfb + dfw)
		res.PValues[j] = fPValue(f, dfb, dfw)
	}
	return res, nil
}

// fPValue is 1 − CDF of F(d1, d2) at f, as Spark computes it (NaN when the
// statistic or the degrees of freedom are not usable).
func fPValue(f, d1, d2 float64) float64 {
	if math.IsNaN(f) || d1 <= 0 || d2 <= 0 {
		return math.NaN()
	}
	if math.IsInf(f, 1) {
		return 0
	}
	return 1 - distuv.F{D1: d1, D2: d2}.CDF(f)
}

// regSums holds the sums for each feature's correlation with the label.
type regSums struct {
	size         int
	n, sy, syy   float64
	sx, sxx, sxy []float64
	row          []float64
}

// FValueTest runs the F test of every continuous feature of featuresCol
// against the continuous label in labelCol, as Spark's FValueTest
// (scikit-learn's f_regression): with r the Pearson correlation of the
// feature and the label over n rows, F = r²/(1−r²)·(n−2), n−2 degrees of
// freedom, and the p-value 1 − CDF of F(1, n−2).
func FValueTest(ctx context.Context, df *frame.DataFrame, featuresCol, labelCol string) (*TestResult, error) {
	const what = "FValueTest"
	accs, err := foldRows(ctx, df, what, featuresCol, []string{labelCol},
		func() *regSums { return &regSums{size: -1} },
		func(s *regSums, r row) error {
			if s.size < 0 {
				s.size = r.vc.Size(r.i)
				s.sx, s.sxx, s.sxy = make([]float64, s.size), make([]float64, s.size), make([]float64, s.size)
			}
			if err := checkSize(what, featuresCol, &s.size, r.vc.Size(r.i)); err != nil {
				return err
			}
			y := r.extra[0]
			s.n++
			s.sy += y
			s.syy += y * y
			s.row = denseRow(r.vc, r.i, s.row)
			for j, v := range s.row {
				s.sx[j] += v
				s.sxx[j] += v * v
				s.sxy[j] += v * y
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	tot := &regSums{size: -1}
	for _, a := range accs {
		if a.size < 0 {
			continue
		}
		if tot.size < 0 {
			tot.size = a.size
			tot.sx, tot.sxx, tot.sxy = make([]float64, a.size), make([]float64, a.size), make([]float64, a.size)
		}
		if err := checkSize(what, featuresCol, &tot.size, a.size); err != nil {
			return nil, err
		}
		tot.n += a.n
		tot.sy += a.sy
		tot.syy += a.syy
		for j := range a.sx {
			tot.sx[j] += a.sx[j]
			tot.sxx[j] += a.sxx[j]
			tot.sxy[j] += a.sxy[j]
		}
	}
	if tot.size < 0 {
		return nil, fmt.Errorf("%s: column %q has no rows", what, featuresCol)
	}
	n := tot.n
	dof := n - 2
	res := &TestResult{PValues: make([]float64, tot.size), DegreesOfFreedom: make([]int64, tot.size), Statistics: make([]float64, tot.size)}
	syy := tot.syy - tot.sy*tot.sy/n
	for j := 0; j < tot.size; j++ {
		sxx := tot.sxx[j] - tot.sx[j]*tot.sx[j]/n
		sxy := tot.sxy[j] - tot.sx[j]*tot.sy/n
		r := sxy / math.Sqrt(sxx*syy)
		f := r * r / (1 - r*r) * dof
		res.Statistics[j] = f
		res.DegreesOfFreedom[j] = int64(dof)
		res.PValues[j] = fPValue(f, 1, dof)
	}
	return res, nil
}
