package evaluation

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// ClusteringEvaluator evaluates cluster assignments with the silhouette
// (metricName "silhouette"), using Spark's default distanceMeasure
// "squaredEuclidean": a point's dissimilarity to a cluster is its mean
// squared Euclidean distance to the cluster's points (excluding itself for
// its own cluster), and its silhouette is (b − a)/max(a, b), 0 in a
// single-point cluster; the result is the mean over points. This equals
// scikit-learn's silhouette_score(X, labels, metric="sqeuclidean"). It takes
// two passes over the data. With distanceMeasure "cosine" the
// dissimilarity is the mean cosine distance 1 − x·y/(‖x‖‖y‖), Spark's
// CosineSilhouette, equal to silhouette_score(X, labels, metric="cosine");
// zero vectors are an error there.
type ClusteringEvaluator struct {
	ml.StageBase
	featuresCol, predictionCol, metricName, distanceMeasure param.Param[string]
}

// NewClusteringEvaluator returns an evaluator with Spark's defaults.
func NewClusteringEvaluator() *ClusteringEvaluator {
	return newClusteringEvaluator(param.UID("cluEval"))
}

func newClusteringEvaluator(uid string) *ClusteringEvaluator {
	e := &ClusteringEvaluator{StageBase: ml.NewStageBase(uid)}
	ps := e.Params()
	e.featuresCol = param.Define(ps, "featuresCol", "features column name", param.WithDefault("features"))
	e.predictionCol = param.Define(ps, "predictionCol", "cluster prediction column name", param.WithDefault("prediction"))
	e.metricName = param.Define(ps, "metricName", "metric: silhouette", param.WithDefault("silhouette"),
		param.WithValidator(param.OneOf("silhouette")))
	e.distanceMeasure = param.Define(ps, "distanceMeasure", "distance measure: squaredEuclidean or cosine",
		param.WithDefault("squaredEuclidean"), param.WithValidator(param.OneOf("squaredEuclidean", "cosine")))
	return e
}

// SetFeaturesCol sets the features column.
func (e *ClusteringEvaluator) SetFeaturesCol(c string) *ClusteringEvaluator {
	e.featuresCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the cluster column.
func (e *ClusteringEvaluator) SetPredictionCol(c string) *ClusteringEvaluator {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetDistanceMeasure sets the distance measure: squaredEuclidean or cosine.
func (e *ClusteringEvaluator) SetDistanceMeasure(m string) *ClusteringEvaluator {
	e.distanceMeasure.Set(e.Params(), m)
	return e
}

// IsLargerBetter is true for the silhouette.
func (e *ClusteringEvaluator) IsLargerBetter() bool { return true }

// CopyEvaluator implements Evaluator.
func (e *ClusteringEvaluator) CopyEvaluator(extra param.ParamMap) (Evaluator, error) {
	b, err := e.CopyBase(extra)
	c := *e
	c.StageBase = b
	return &c, err
}

type clusterStats struct {
	n      float64
	sum    []float64
	sqNorm float64
}

// Evaluate implements Evaluator.
func (e *ClusteringEvaluator) Evaluate(ctx context.Context, df *frame.DataFrame) (float64, error) {
	if err := e.CheckParams(); err != nil {
		return 0, err
	}
	ps := e.Params()
	uid, fc, pc := e.UID(), e.featuresCol.Get(ps), e.predictionCol.Get(ps)
	cosine := e.distanceMeasure.Get(ps) == "cosine"
	if err := checkCols(df, uid, map[string][]ml.ColumnKind{fc: {ml.Vector}, pc: {ml.Numeric}}); err != nil {
		return 0, err
	}
	// visit calls fn for each non-null row with its dense features.
	visit := func(b arrow.RecordBatch, buf []float64, fn func(x []float64, c float64) error) ([]float64, error) {
		fa := b.Column(ml.FieldIndex(b.Schema(), fc))
		vc, err := linalg.Vectors(fa)
		if err != nil {
			return buf, fmt.Errorf("%s: column %q: %w", uid, fc, err)
		}
		cs, ca, err := numericCol(b, uid, pc)
		if err != nil {
			return buf, err
		}
		for i := range cs {
			if fa.IsNull(i) || ca.IsNull(i) {
				continue
			}
			n := vc.Size(i)
			if cap(buf) < n {
				buf = make([]float64, n)
			}
			buf = buf[:n]
			clear(buf)
			vc.AddTo(i, 1, buf)
			if cosine {
				nrm := 0.0
				for _, v := range buf {
					nrm += v * v
				}
				if nrm == 0 {
					return buf, fmt.Errorf("%s: column %q: the cosine silhouette needs nonzero vectors", uid, fc)
				}
				nrm = math.Sqrt(nrm)
				for j := range buf {
					buf[j] /= nrm
				}
			}
			if err := fn(buf, cs[i]); err != nil {
				return buf, err
			}
		}
		return buf, nil
	}
	type pass1 struct {
		stats map[float64]*clusterStats
		buf   []float64
		dim   int
	}
	parts, err := frame.AggregatePartitions(ctx, df, func(int) *pass1 { return &pass1{stats: map[float64]*clusterStats{}, dim: -1} },
		func(acc *pass1, b arrow.RecordBatch) (*pass1, error) {
			var err error
			acc.buf, err = visit(b, acc.buf, func(x []float64, c float64) error {
				if acc.dim < 0 {
					acc.dim = len(x)
				} else if acc.dim != len(x) {
					return fmt.Errorf("%s: vectors in column %q have different sizes %d and %d", uid, fc, acc.dim, len(x))
				}
				s := acc.stats[c]
				if s == nil {
					s = &clusterStats{sum: make([]float64, len(x))}
					acc.stats[c] = s
				}
				s.n++
				for j, v := range x {
					s.sum[j] += v
					s.sqNorm += v * v
				}
				return nil
			})
			return acc, err
		})
	if err != nil {
		return 0, err
	}
	stats := map[float64]*clusterStats{}
	dim := -1
	for _, p := range parts {
		if p.dim >= 0 {
			if dim >= 0 && dim != p.dim {
				return 0, fmt.Errorf("%s: vectors in column %q have different sizes %d and %d", uid, fc, dim, p.dim)
			}
			dim = p.dim
		}
		for c, s := range p.stats {
			t := stats[c]
			if t == nil {
				t = &clusterStats{sum: make([]float64, len(s.sum))}
				stats[c] = t
			}
			t.n += s.n
			t.sqNorm += s.sqNorm
			for j, v := range s.sum {
				t.sum[j] += v
			}
		}
	}
	if len(stats) < 2 {
		return 0, fmt.Errorf("%s: the number of clusters must be greater than one, got %d", uid, len(stats))
	}
	ids := make([]float64, 0, len(stats))
	for c := range stats {
		ids = append(ids, c)
	}
	slices.Sort(ids)
	cl := make([]clusterStats, len(ids))
	index := make(map[float64]int, len(ids))
	for i, c := range ids {
		cl[i] = *stats[c]
		index[c] = i
	}
	type pass2 struct {
		sum, n float64
		buf    []float64
	}
	parts2, err := frame.AggregatePartitions(ctx, df, func(int) *pass2 { return &pass2{} },
		func(acc *pass2, b arrow.RecordBatch) (*pass2, error) {
			var err error
			acc.buf, err = visit(b, acc.buf, func(x []float64, c float64) error {
				own, ok := index[c]
				if !ok {
					return fmt.Errorf("%s: cluster %v appeared in the second pass only (is the input deterministic?)", uid, c)
				}
				norm := 0.0
				for _, v := range x {
					norm += v * v
				}
				acc.n++
				if cl[own].n <= 1 {
					return nil // silhouette 0
				}
				var a, bmin float64
				first := true
				for k := range cl {
					s := &cl[k]
					dotp := 0.0
					for j, v := range x {
						dotp += v * s.sum[j]
					}
					d := norm + s.sqNorm/s.n - 2*dotp/s.n
					if cosine {
						d = 1 - dotp/s.n
					}
					if k == own {
						a = d * s.n / (s.n - 1)
						continue
					}
					if first || d < bmin {
						bmin, first = d, false
					}
				}
				switch {
				case a < bmin:
					acc.sum += 1 - a/bmin
				case a > bmin:
					acc.sum += bmin/a - 1
				}
				return nil
			})
			return acc, err
		})
	if err != nil {
		return 0, err
	}
	var sum, n float64
	for _, p := range parts2 {
		sum += p.sum
		n += p.n
	}
	return sum / n, nil
}
