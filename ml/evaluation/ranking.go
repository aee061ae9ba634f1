package evaluation

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// rankingMetricNames are the metric names Spark's RankingEvaluator accepts.
var rankingMetricNames = []string{"meanAveragePrecision", "meanAveragePrecisionAtK", "precisionAtK", "ndcgAtK", "recallAtK"}

// RankingEvaluator evaluates ranked predictions, as Spark's
// org.apache.spark.ml.evaluation.RankingEvaluator (RankingMetrics with
// binary relevance): the prediction column holds each query's ranked items
// and the label column its relevant items (arrays of doubles). Per query,
// with R the relevant set and p₁…pₙ the ranking: precisionAtK is
// |{p₁…p_k}∩R|/k; recallAtK |{p₁…p_k}∩R|/|R|; meanAveragePrecision
// Σ_{pᵢ∈R} (hits up to i)/i / |R|; meanAveragePrecisionAtK the same over
// the first k, divided by min(k, |R|); ndcgAtK DCG/ideal DCG over the first
// min(max(n, |R|), k) positions with gains 1/log(i+1). A query with no
// relevant items scores 0. The metric is the mean over queries; rows with
// a null array are skipped.
type RankingEvaluator struct {
	ml.StageBase
	labelCol, predictionCol, metricName param.Param[string]
	k                                   param.Param[int]
}

// NewRankingEvaluator returns an evaluator with Spark's defaults
// (meanAveragePrecision, k = 10).
func NewRankingEvaluator() *RankingEvaluator {
	return newRankingEvaluator(param.UID("RankingEvaluator"))
}

func newRankingEvaluator(uid string) *RankingEvaluator {
	e := &RankingEvaluator{StageBase: ml.NewStageBase(uid)}
	ps := e.Params()
	e.labelCol = param.Define(ps, "labelCol", "label column name (array of relevant items)", param.WithDefault("label"))
	e.predictionCol = param.Define(ps, "predictionCol", "prediction column name (array of ranked items)", param.WithDefault("prediction"))
	e.metricName = param.Define(ps, "metricName", "metric: "+strings.Join(rankingMetricNames, ", "),
		param.WithDefault("meanAveragePrecision"), param.WithValidator(param.OneOf(rankingMetricNames...)))
	e.k = param.Define(ps, "k", "the ranking position the …AtK metrics stop at (> 0)", param.WithDefault(10), param.WithValidator(param.Gt(0)))
	return e
}

// SetLabelCol sets the label column.
func (e *RankingEvaluator) SetLabelCol(c string) *RankingEvaluator {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the prediction column.
func (e *RankingEvaluator) SetPredictionCol(c string) *RankingEvaluator {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetMetricName sets the metric.
func (e *RankingEvaluator) SetMetricName(m string) *RankingEvaluator {
	e.metricName.Set(e.Params(), m)
	return e
}

// SetK sets k.
func (e *RankingEvaluator) SetK(k int) *RankingEvaluator { e.k.Set(e.Params(), k); return e }

// MetricName returns the metric evaluated.
func (e *RankingEvaluator) MetricName() string { return e.metricName.Get(e.Params()) }

// IsLargerBetter is true: every ranking metric grows with quality.
func (e *RankingEvaluator) IsLargerBetter() bool { return true }

// CopyEvaluator implements Evaluator.
func (e *RankingEvaluator) CopyEvaluator(extra param.ParamMap) (Evaluator, error) {
	b, err := e.CopyBase(extra)
	c := *e
	c.StageBase = b
	return &c, err
}

// RankingScore returns the named ranking metric of one query (pred the
// ranked items, lab the relevant ones), as Spark computes it.
func RankingScore(metric string, pred, lab []float64, k int) (float64, error) {
	rel := make(map[float64]bool, len(lab))
	for _, l := range lab {
		rel[l] = true
	}
	if len(rel) == 0 {
		return 0, nil
	}
	hitsIn := func(n int) float64 {
		c := 0.0
		for _, p := range pred[:min(n, len(pred))] {
			if rel[p] {
				c++
			}
		}
		return c
	}
	switch metric {
	case "precisionAtK":
		return hitsIn(k) / float64(k), nil
	case "recallAtK":
		return hitsIn(k) / float64(len(rel)), nil
	case "meanAveragePrecision", "meanAveragePrecisionAtK":
		n, denom := len(pred), float64(len(rel))
		if metric == "meanAveragePrecisionAtK" {
			n, denom = min(k, len(pred)), float64(min(k, len(rel)))
		}
		hits, sum := 0.0, 0.0
		for i, p := range pred[:n] {
			if rel[p] {
				hits++
				sum += hits / float64(i+1)
			}
		}
		return sum / denom, nil
	case "ndcgAtK":
		n := min(max(len(pred), len(rel)), k)
		dcg, ideal := 0.0, 0.0
		for i := 0; i < n; i++ {
			g := 1 / math.Log(float64(i+2))
			if i < len(pred) && rel[pred[i]] {
				dcg += g
			}
			if i < len(rel) {
				ideal += g
			}
		}
		return dcg / ideal, nil
	}
	return 0, fmt.Errorf("unknown ranking metric %q", metric)
}

type rankSums struct{ sum, n float64 }

// Evaluate implements Evaluator.
func (e *RankingEvaluator) Evaluate(ctx context.Context, df *frame.DataFrame) (float64, error) {
	if err := e.CheckParams(); err != nil {
		return 0, err
	}
	ps := e.Params()
	uid, lc, pc, metric, k := e.UID(), e.labelCol.Get(ps), e.predictionCol.Get(ps), e.MetricName(), e.k.Get(ps)
	if err := checkArrayCols(df, uid, lc, pc); err != nil {
		return 0, err
	}
	parts, err := frame.AggregatePartitions(ctx, df, func(int) *rankSums { return &rankSums{} },
		func(acc *rankSums, b arrow.RecordBatch) (*rankSums, error) {
			var ferr error
			err := eachArrayPair(b, uid, pc, lc, func(pred, lab []float64) {
				v, err := RankingScore(metric, pred, lab, k)
				if err != nil {
					ferr = err
				}
				acc.sum += v
				acc.n++
			})
			if err == nil {
				err = ferr
			}
			return acc, err
		})
	if err != nil {
		return 0, err
	}
	var t rankSums
	for _, p := range parts {
		t.sum += p.sum
		t.n += p.n
	}
	if t.n == 0 {
		return 0, fmt.Errorf("%s: no rows to evaluate", uid)
	}
	return t.sum / t.n, nil
}
