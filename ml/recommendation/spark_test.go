package recommendation

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
)

// SaveSpark writes Spark's ALSModel layout, as Spark's ALSModelWriter does
// (mllib/src/main/scala/org/apache/spark/ml/recommendation/ALS.scala):
// metadata with the class and a top-level "rank", and the Parquet tables
// userFactors/ and itemFactors/ of (id int, features array<float>); the
// Spark-class loader reads it back with the factors rounded to float32.
func TestALSModelSparkLayout(t *testing.T) {
	ref := readALSRef(t)
	s := newSession(t)
	m, err := NewALS().SetRank(3).SetMaxIter(2).SetColdStartStrategy("drop").FitModel(ctx, ratingsFrame(t, s, ref.Ratings, 1))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "spark-als")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "metadata", "part-00000"))
	if err != nil {
		t.Fatal(err)
	}
	var md map[string]json.RawMessage
	if err := json.Unmarshal(b, &md); err != nil {
		t.Fatal(err)
	}
	if string(md["class"]) != `"org.apache.spark.ml.recommendation.ALSModel"` || string(md["rank"]) != "3" {
		t.Errorf("metadata class %s rank %s", md["class"], md["rank"])
	}
	var pm, dm map[string]any
	json.Unmarshal(md["paramMap"], &pm)
	json.Unmarshal(md["defaultParamMap"], &dm)
	if pm["coldStartStrategy"] != "drop" || dm["userCol"] != "user" || dm["itemCol"] != "item" || dm["predictionCol"] != "prediction" {
		t.Errorf("paramMap %v defaultParamMap %v", pm, dm)
	}
	for _, sub := range []string{"userFactors", "itemFactors"} {
		bs, err := ml.ReadParquetDir(ctx, dir, sub, memory.NewGoAllocator())
		if err != nil {
			t.Fatal(err)
		}
		sc := bs[0].Schema()
		if sc.NumFields() != 2 || sc.Field(0).Name != "id" || sc.Field(0).Type.ID() != arrow.INT32 ||
			sc.Field(1).Name != "features" || !arrow.TypeEqual(sc.Field(1).Type.(*arrow.ListType).Elem(), arrow.PrimitiveTypes.Float32) {
			t.Errorf("%s schema %v", sub, sc)
		}
		for _, b := range bs {
			b.Release()
		}
	}
	back, err := ml.LoadAs[*ALSModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if back.Rank() != 3 || back.coldStartStrategy.Get(back.Params()) != "drop" {
		t.Errorf("loaded rank %d, coldStartStrategy %s", back.Rank(), back.coldStartStrategy.Get(back.Params()))
	}
	for _, r := range ref.Ratings {
		u, i := int32(r[0]), int32(r[1])
		if a, b := m.Predict(u, i), back.Predict(u, i); math.Abs(a-b) > 1e-5*math.Max(1, math.Abs(a)) {
			t.Errorf("(%d, %d): %v before, %v after the Spark layout", u, i, a, b)
		}
	}
}
