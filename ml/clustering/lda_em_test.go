package clustering

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

// An em fit through Fit: the model is a DistributedLDAModel whose topics
// separate the corpus's two vocabularies; its topic distributions are by
// row number and sum to 1; describeTopics weights are N_wk/N_k (summing to
// 1 over all terms); ToLocal's topics are N_wk; the model saved in gspark's
// layout and in Spark's (metadata + oldModel/ as mllib's SaveLoadV1_0
// writes it) loads back the same; Spark's requirements on the priors are
// enforced.
func TestLDAEMModel(t *testing.T) {
	s, _ := newSession(t)
	rows := corpus()
	df := s.CreateDataFrame(rows).Repartition(3)
	fitted, err := NewLDA().SetOptimizer("em").SetK(2).SetMaxIter(30).SetSeed(4).SetKeepLastCheckpoint(false).Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := fitted.(*DistributedLDAModel)
	if !ok {
		t.Fatalf("em fit returned a %T", fitted)
	}
	topics := m.DescribeTopics(10)
	for ti, tp := range topics {
		g := tp.TermIndices[0] / 5
		for j, w := range tp.TermIndices[:5] {
			if w/5 != g {
				t.Errorf("topic %d mixes groups: %v", ti, tp.TermIndices)
			}
			if want := m.TopicsMatrix()[w][ti] / m.GlobalTopicTotals()[ti]; tp.TermWeights[j] != want {
				t.Errorf("topic %d term %d weight %v, want N_wk/N_k = %v", ti, w, tp.TermWeights[j], want)
			}
		}
		sum := 0.0
		for _, v := range tp.TermWeights {
			sum += v
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("topic %d weights sum to %v", ti, sum)
		}
	}
	tds := m.TopicDistributions()
	if len(tds) != len(rows) {
		t.Fatalf("%d topic distributions for %d documents", len(tds), len(rows))
	}
	for i, dt := range tds {
		if dt.DocID != int64(i) || math.Abs(dt.Topics[0]+dt.Topics[1]-1) > 1e-12 {
			t.Errorf("document %d: %+v", i, dt)
		}
	}
	local, err := m.ToLocal()
	if err != nil {
		t.Fatal(err)
	}
	for w, row := range m.TopicsMatrix() {
		if !slices.Equal(row, local.TopicsMatrix()[w]) {
			t.Errorf("toLocal term %d: %v, want %v", w, local.TopicsMatrix()[w], row)
		}
	}
	x := linalg.Dense(3, 0, 1, 0, 0, 0, 2, 0, 0, 0)
	want, err := local.TopicDistribution(x)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	check := func(layout string, back *DistributedLDAModel) {
		t.Helper()
		if !slices.EqualFunc(back.TopicsMatrix(), m.TopicsMatrix(), slices.Equal[[]float64]) ||
			!slices.EqualFunc(back.TopicDistributions(), tds, func(a, b DocTopics) bool { return a.DocID == b.DocID && slices.Equal(a.Topics, b.Topics) }) ||
			back.TrainingLogLikelihood() != m.TrainingLogLikelihood() || back.LogPrior() != m.LogPrior() ||
			!slices.Equal(back.EstimatedDocConcentration(), m.EstimatedDocConcentration()) || back.TopicConcentration() != 1.1 {
			t.Errorf("%s layout: loaded model differs", layout)
		}
		if got, err := back.TopicDistribution(x); err != nil || !slices.Equal(got, want) {
			t.Errorf("%s layout: transform %v, want %v (%v)", layout, got, want, err)
		}
		if back.Params().ExplainParams() != m.Params().ExplainParams() {
			t.Errorf("%s layout: params\n%s\nwant\n%s", layout, back.Params().ExplainParams(), m.Params().ExplainParams())
		}
	}
	if err := m.Save(filepath.Join(dir, "g")); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*DistributedLDAModel](ctx, filepath.Join(dir, "g"), Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	check("gspark", back)

	sp := filepath.Join(dir, "spark")
	if err := m.SaveSpark(sp); err != nil {
		t.Fatal(err)
	}
	back, err = ml.LoadAs[*DistributedLDAModel](ctx, sp, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	check("spark", back)
	// Spark's metadata line and column names (mllib's case classes).
	b, err := os.ReadFile(filepath.Join(sp, "metadata", "part-00000"))
	if err != nil || !bytes.Contains(b, []byte(`"class":"org.apache.spark.ml.clustering.DistributedLDAModel"`)) ||
		!bytes.Contains(b, []byte(`"optimizer":"em"`)) {
		t.Errorf("Spark metadata %s (%v)", b, err)
	}
	b, err = os.ReadFile(filepath.Join(sp, "oldModel", "metadata", "part-00000"))
	if err != nil {
		t.Fatal(err)
	}
	var omd map[string]any
	if err := json.Unmarshal(b, &omd); err != nil {
		t.Fatal(err)
	}
	for key, v := range map[string]any{"class": "org.apache.spark.mllib.clustering.DistributedLDAModel", "version": "1.0",
		"k": 2.0, "vocabSize": 10.0, "topicConcentration": 1.1, "gammaShape": 100.0} {
		if omd[key] != v {
			t.Errorf("oldModel metadata %s = %v, want %v", key, omd[key], v)
		}
	}
	for sub, cols := range map[string][]string{"globalTopicTotals": {"globalTopicTotals"},
		"topicCounts": {"id", "topicWeights"}, "tokenCounts": {"srcId", "dstId", "tokenCounts"}} {
		d, err := ml.ReadSparkData(ctx, filepath.Join(sp, "oldModel", "data"), sub)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(d.Columns(), cols) {
			t.Errorf("oldModel/data/%s columns %v, want %v", sub, d.Columns(), cols)
		}
		n := d.NumRows()
		d.Release()
		// Spark reads vector columns back by the schema in the footer:
		// mllib's VectorUDT, as mllib's case classes hold mllib vectors.
		files, _ := filepath.Glob(filepath.Join(sp, "oldModel", "data", sub, "*.parquet"))
		if b, err := os.ReadFile(files[0]); sub != "tokenCounts" && (err != nil || !bytes.Contains(b, []byte("org.apache.spark.mllib.linalg.VectorUDT"))) {
			t.Errorf("oldModel/data/%s: no mllib VectorUDT in the Spark schema (%v)", sub, err)
		}
		// 60 documents + 10 terms; one edge per (document, term).
		if wantN := map[string]int{"globalTopicTotals": 1, "topicCounts": 70, "tokenCounts": edges(rows)}[sub]; n != wantN {
			t.Errorf("oldModel/data/%s has %d rows, want %d", sub, n, wantN)
		}
	}

	for _, tc := range []struct {
		est  *LDA
		want string
	}{
		{NewLDA().SetOptimizer("em").SetDocConcentration(0.5), "docConcentration > 1"},
		{NewLDA().SetOptimizer("em").SetTopicConcentration(0.5), "topicConcentration > 1"},
		{NewLDA().SetOptimizer("em").SetK(2).SetDocConcentration(2, 3), "symmetric"},
	} {
		if _, err := tc.est.Fit(ctx, df); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
	if _, err := NewLDA().SetOptimizer("em").FitModel(ctx, df); err == nil || !strings.Contains(err.Error(), "FitDistributed") {
		t.Errorf("FitModel with em: err = %v", err)
	}
}

func edges(rows []ldaRow) int {
	n := 0
	for _, r := range rows {
		for _, v := range r.Features.ToArray() {
			if v != 0 {
				n++
			}
		}
	}
	return n
}
