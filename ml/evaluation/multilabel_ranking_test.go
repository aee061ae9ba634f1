package evaluation

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// arrayFrame builds a DataFrame of (prediction, label) arrays of doubles.
func arrayFrame(t *testing.T, s *frame.Session, preds, labels [][]float64, parts int) *frame.DataFrame {
	t.Helper()
	rows := make([][]any, len(preds))
	for i := range preds {
		p := make([]any, len(preds[i]))
		for j, v := range preds[i] {
			p[j] = v
		}
		l := make([]any, len(labels[i]))
		for j, v := range labels[i] {
			l[j] = v
		}
		rows[i] = []any{p, l}
	}
	df := s.CreateDataFrameRows(rows, "prediction ARRAY<DOUBLE>, label ARRAY<DOUBLE>").Repartition(parts)
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	return df
}

func floatLists(v any) [][]float64 {
	var out [][]float64
	for _, x := range v.([]any) {
		out = append(out, optimtest.Floats(x))
	}
	return out
}

// The multilabel metrics match scikit-learn (testdata/ml/make_multilabel_reference.py)
// on the example of Spark's MLlib evaluation guide and on random documents,
// with 1 and 4 partitions.
func TestMultilabelEvaluatorVsSklearn(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), "multilabel_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]map[string]any
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	s, _ := newSession(t)
	for _, name := range []string{"guide", "random"} {
		c := ref[name]
		for _, parts := range []int{1, 4} {
			df := arrayFrame(t, s, floatLists(c["predictions"]), floatLists(c["labels"]), parts)
			for _, m := range []string{"subsetAccuracy", "accuracy", "hammingLoss", "precision", "recall", "f1Measure", "microPrecision", "microRecall", "microF1Measure"} {
				e := NewMultilabelClassificationEvaluator().SetMetricName(m)
				got, err := e.Evaluate(ctx, df)
				if err != nil {
					t.Fatal(err)
				}
				checkMetric(t, fmt.Sprintf("%s/%s/parts=%d", name, m, parts), got, c[m].(float64))
				if e.IsLargerBetter() != (m != "hammingLoss") {
					t.Errorf("%s: IsLargerBetter wrong", m)
				}
			}
			for label, ms := range c["byLabel"].(map[string]any) {
				l, _ := strconv.ParseFloat(label, 64)
				for m, want := range ms.(map[string]any) {
					got, err := NewMultilabelClassificationEvaluator().SetMetricName(m).SetMetricLabel(l).Evaluate(ctx, df)
					if err != nil {
						t.Fatal(err)
					}
					checkMetric(t, fmt.Sprintf("%s/%s(%v)/parts=%d", name, m, l, parts), got, want.(float64))
				}
			}
		}
	}
}

// Spark's guide example by hand (MultilabelMetricsSuite's derivation):
// document-averaged precision (1/2+1/2+0+1+1+2/3+1)/7, per-label precision
// of class 1 = 2/3, default metric f1Measure.
func TestMultilabelEvaluatorGuideByHand(t *testing.T) {
	s, _ := newSession(t)
	preds := [][]float64{{0, 1}, {0, 2}, {}, {2}, {2, 0}, {0, 1, 2}, {1}}
	labels := [][]float64{{0, 2}, {0, 1}, {0}, {2}, {2, 0}, {0, 1}, {1, 2}}
	df := arrayFrame(t, s, preds, labels, 2)
	e := NewMultilabelClassificationEvaluator()
	f1, err := e.Evaluate(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	// 2|P∩L|/(|P|+|L|) per document.
	checkMetric(t, "f1Measure", f1, (2.0/4+2.0/4+0+1+1+4.0/5+2.0/3)/7)
	p, _ := e.SetMetricName("precision").Evaluate(ctx, df)
	checkMetric(t, "precision", p, (0.5+0.5+0+1+1+2.0/3+1)/7)
	sa, _ := e.SetMetricName("subsetAccuracy").Evaluate(ctx, df)
	checkMetric(t, "subsetAccuracy", sa, 2.0/7)
	p1, _ := e.SetMetricName("precisionByLabel").SetMetricLabel(1).Evaluate(ctx, df)
	checkMetric(t, "precisionByLabel(1)", p1, 2.0/3)
	if _, err := NewMultilabelClassificationEvaluator().SetMetricName("f1").Evaluate(ctx, df); err == nil || !strings.Contains(err.Error(), "metricName") {
		t.Errorf("metric f1: err = %v", err)
	}
	bad := s.CreateDataFrameRows([][]any{{1.0, []any{1.0}}}, "prediction DOUBLE, label ARRAY<DOUBLE>")
	if _, err := NewMultilabelClassificationEvaluator().Evaluate(ctx, bad); err == nil || !strings.Contains(err.Error(), `"prediction" must be array<double>`) {
		t.Errorf("double prediction column: err = %v", err)
	}
}

// Spark's RankingMetricsSuite example, every value derived by hand:
// query 1 ranks [1 6 2 7 8 3 9 10 4 5] with relevant {1..5}, query 2 ranks
// [4 1 5 6 2 7 3 8 9 10] with relevant {1 2 3}, query 3 has no relevant
// items (scores 0). Spark's suite states MAP ≈ 0.355026, ndcg@5 ≈ 0.328788
// and ndcg@10 ≈ 0.487913.
func TestRankingEvaluatorByHand(t *testing.T) {
	s, _ := newSession(t)
	preds := [][]float64{{1, 6, 2, 7, 8, 3, 9, 10, 4, 5}, {4, 1, 5, 6, 2, 7, 3, 8, 9, 10}, {1, 2, 3, 4, 5}}
	labels := [][]float64{{1, 2, 3, 4, 5}, {1, 2, 3}, {}}
	ln := func(i float64) float64 { return 1 / math.Log(i+1) } // gain of position i (1-based)
	idcg := func(n int) float64 {
		v := 0.0
		for i := 1; i <= n; i++ {
			v += ln(float64(i))
		}
		return v
	}
	cases := []struct {
		metric string
		k      int
		want   float64
	}{
		{"meanAveragePrecision", 10, ((1+2.0/3+3.0/6+4.0/9+5.0/10)/5 + (1.0/2+2.0/5+3.0/7)/3) / 3},
		{"precisionAtK", 1, 1.0 / 3},
		{"precisionAtK", 5, 0.8 / 3},
		{"precisionAtK", 15, 8.0 / 45},
		{"recallAtK", 5, (2.0/5 + 2.0/3) / 3},
		{"recallAtK", 10, 2.0 / 3},
		{"meanAveragePrecisionAtK", 2, (1.0/2 + (1.0/2)/2) / 3},
		{"meanAveragePrecisionAtK", 5, ((1+2.0/3)/5 + (1.0/2+2.0/5)/3) / 3},
		{"ndcgAtK", 3, ((ln(1)+ln(3))/idcg(3) + ln(2)/idcg(3)) / 3},
		{"ndcgAtK", 5, ((ln(1)+ln(3))/idcg(5) + (ln(2)+ln(5))/idcg(3)) / 3},
		{"ndcgAtK", 10, ((ln(1)+ln(3)+ln(6)+ln(9)+ln(10))/idcg(5) + (ln(2)+ln(5)+ln(7))/idcg(3)) / 3},
	}
	for _, parts := range []int{1, 3} {
		df := arrayFrame(t, s, preds, labels, parts)
		for _, c := range cases {
			got, err := NewRankingEvaluator().SetMetricName(c.metric).SetK(c.k).Evaluate(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			checkMetric(t, fmt.Sprintf("%s@%d/parts=%d", c.metric, c.k, parts), got, c.want)
		}
	}
	// The values Spark's suite states to 1e-5.
	df := arrayFrame(t, s, preds, labels, 1)
	for _, c := range []struct {
		metric string
		k      int
		want   float64
	}{{"meanAveragePrecision", 10, 0.355026}, {"ndcgAtK", 5, 0.328788}, {"ndcgAtK", 10, 0.487913}, {"ndcgAtK", 3, 1.0 / 3}} {
		got, _ := NewRankingEvaluator().SetMetricName(c.metric).SetK(c.k).Evaluate(ctx, df)
		if math.Abs(got-c.want) > 1e-5 {
			t.Errorf("%s@%d = %.7f, Spark's suite states %.6f", c.metric, c.k, got, c.want)
		}
	}
	e := NewRankingEvaluator()
	if e.MetricName() != "meanAveragePrecision" || e.k.Get(e.Params()) != 10 || !e.IsLargerBetter() {
		t.Errorf("defaults differ from Spark's")
	}
	if err := NewRankingEvaluator().SetK(0).CheckParams(); err == nil {
		t.Errorf("k = 0 accepted")
	}
}
