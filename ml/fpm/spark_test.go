package fpm

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
)

// SaveSpark writes Spark's FPGrowthModel layout, as Spark's
// FPGrowthModelWriter does (mllib/src/main/scala/org/apache/spark/ml/fpm/FPGrowth.scala):
// metadata with the class and a top-level numTrainingRecords, and data/ of
// (items array, freq bigint); the Spark-class loader reads it back, and
// without numTrainingRecords (Spark 2.4's files) the rules' lift and
// support are NaN.
func TestFPGrowthModelSparkLayout(t *testing.T) {
	s := newSession(t)
	df := s.CreateDataFrameRows([][]any{{[]any{"a", "b"}}, {[]any{"a", "c"}}, {[]any{"a", "b", "c"}}}, "items ARRAY<STRING>")
	m, err := NewFPGrowth().SetMinSupport(0.5).SetMinConfidence(0.5).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "spark-fp")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	mdPath := filepath.Join(dir, "metadata", "part-00000")
	b, err := os.ReadFile(mdPath)
	if err != nil {
		t.Fatal(err)
	}
	var md map[string]json.RawMessage
	if err := json.Unmarshal(b, &md); err != nil {
		t.Fatal(err)
	}
	if string(md["class"]) != `"org.apache.spark.ml.fpm.FPGrowthModel"` || string(md["numTrainingRecords"]) != "3" {
		t.Errorf("metadata class %s numTrainingRecords %s", md["class"], md["numTrainingRecords"])
	}
	bs, err := ml.ReadParquetDir(ctx, dir, "data", memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	sc := bs[0].Schema()
	if sc.NumFields() != 2 || sc.Field(0).Name != "items" || sc.Field(1).Name != "freq" || sc.Field(1).Type.ID() != arrow.INT64 {
		t.Errorf("data schema %v", sc)
	}
	for _, b := range bs {
		b.Release()
	}
	reg := Register(ml.NewRegistry())
	back, err := ml.LoadAs[*FPGrowthModel](ctx, dir, reg)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := ruleStrings(t, m.AssociationRules(s)), ruleStrings(t, back.AssociationRules(s)); !slices.Equal(a, b) || len(a) == 0 {
		t.Errorf("rules after the Spark layout %v, before %v", b, a)
	}

	// Spark 2.4 wrote no numTrainingRecords.
	old := strings.Replace(string(b), `,"numTrainingRecords":3`, "", 1)
	if old == string(b) {
		t.Fatal("numTrainingRecords not found in the metadata")
	}
	if err := os.WriteFile(mdPath, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	v24, err := ml.LoadAs[*FPGrowthModel](ctx, dir, reg)
	if err != nil {
		t.Fatal(err)
	}
	rules := v24.Rules()
	if len(rules) == 0 || !math.IsNaN(rules[0].Lift) || !math.IsNaN(rules[0].Support) || rules[0].Confidence <= 0 {
		t.Errorf("Spark 2.4 model rules %v", rules)
	}
}
