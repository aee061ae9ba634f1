package clustering

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// bisectCosineRows are two groups of directions (near the x axis and near the y
// axis) with very different lengths, so that only the cosine distance
// splits them by direction.
var bisectCosineRows = [][]float64{{1, 0.1}, {10, 1.5}, {100, 5}, {3, 0.2}, {0.1, 1}, {2, 10}, {5, 100}, {0.3, 4}}

// TestBisectingKMeansCosine: with distanceMeasure cosine and k = 2 the
// leaves are the normalised means of each group's unit vectors and the
// cost is Σ (1 − cos); the expected values were computed by a plain Python
// script (u = x/‖x‖, c = mean(u)/‖mean(u)‖, cost = Σ 1 − u·c), 1 and 4
// partitions agree.
func TestBisectingKMeansCosine(t *testing.T) {
	s, mem := newSession(t)
	wantA := []float64{0.9958380703904619, 0.09114020825629882}
	wantB := []float64{0.1052512529274511, 0.9944456615407409}
	const wantCost = 0.009100950298849053
	for _, parts := range []int{1, 4} {
		df := optimtest.Frame(t, s, mem, bisectCosineRows, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}}, parts)
		m, err := NewBisectingKMeans().SetK(2).SetSeed(5).SetDistanceMeasure("cosine").FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		cs := m.ClusterCenters()
		if len(cs) != 2 {
			t.Fatalf("parts=%d: %d leaves", parts, len(cs))
		}
		a, b := cs[0].ToArray(), cs[1].ToArray()
		if a[0] < b[0] {
			a, b = b, a
		}
		for j := range 2 {
			if math.Abs(a[j]-wantA[j]) > 1e-12 || math.Abs(b[j]-wantB[j]) > 1e-12 {
				t.Fatalf("parts=%d: centers %v %v, want %v %v", parts, a, b, wantA, wantB)
			}
		}
		if g := m.Summary().TrainingCost; math.Abs(g-wantCost) > 1e-12 {
			t.Fatalf("parts=%d: cost %v, want %v", parts, g, wantCost)
		}
		for i, r := range bisectCosineRows {
			c, err := m.Predict(linalg.Dense(r...))
			if err != nil {
				t.Fatal(err)
			}
			if got := cs[c].ToArray()[0] > 0.5; got != (i < 4) {
				t.Fatalf("row %v predicted cluster %d (%v)", r, c, cs[c])
			}
		}
	}
	df := optimtest.Frame(t, s, mem, [][]float64{{1, 0}, {0, 0}}, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}}, 1)
	if _, err := NewBisectingKMeans().SetK(2).SetDistanceMeasure("cosine").FitModel(ctx, df); err == nil {
		t.Fatal("a zero vector was accepted with the cosine distance")
	}
	if err := NewBisectingKMeans().SetDistanceMeasure("manhattan").Params().Err(); err == nil {
		t.Fatal("distanceMeasure manhattan accepted")
	}
}

// TestBisectingKMeansSparkLayout: SaveSpark writes Spark's directory
// (metadata; data/metadata with mllib's class, format 3.0, the root id,
// measure and cost; data/data with a row per node in Spark's numbering:
// leaves 0…k−1, inner nodes −1, −2, …, the height as the largest cosine
// distance to a child, computed by hand in Python) and loads back
// predicting the same, in both layouts.
func TestBisectingKMeansSparkLayout(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Frame(t, s, mem, bisectCosineRows, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}}, 2)
	m, err := NewBisectingKMeans().SetK(2).SetSeed(5).SetDistanceMeasure("cosine").FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	reg := Register(ml.NewRegistry())
	dir := filepath.Join(t.TempDir(), "bkm")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "data", "metadata", "part-00000"))
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	if meta["class"] != "org.apache.spark.mllib.clustering.BisectingKMeansModel" || meta["version"] != "3.0" ||
		meta["rootId"] != -1.0 || meta["distanceMeasure"] != "cosine" || math.Abs(meta["trainingCost"].(float64)-0.009100950298849053) > 1e-12 {
		t.Fatalf("mllib metadata %s", raw)
	}
	d, err := ml.ReadSparkData(ctx, dir, filepath.Join("data", "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	if g := d.Columns(); !slices.Equal(g, []string{"index", "size", "center", "norm", "cost", "height", "children"}) {
		t.Fatalf("data columns %v", g)
	}
	found := 0
	for r := 0; r < d.NumRows(); r++ {
		id, _ := d.Int("index", r)
		size, _ := d.Int("size", r)
		h, _ := d.Float64("height", r)
		norm, _ := d.Float64("norm", r)
		ch, _ := d.Ints("children", r)
		switch id {
		case -1:
			found++
			if size != 8 || math.Abs(h-0.2270952332889561) > 1e-12 || math.Abs(norm-1) > 1e-12 || !slices.Equal(ch, []int64{0, 1}) {
				t.Fatalf("root row: size %d height %v norm %v children %v", size, h, norm, ch)
			}
		case 0, 1:
			found++
			if size != 4 || h != 0 || len(ch) != 0 {
				t.Fatalf("leaf %d: size %d height %v children %v", id, size, h, ch)
			}
		default:
			t.Fatalf("node id %d", id)
		}
	}
	if found != 3 {
		t.Fatalf("%d nodes", found)
	}
	back, err := ml.LoadAs[*BisectingKMeansModel](ctx, dir, reg)
	if err != nil {
		t.Fatal(err)
	}
	if back.UID() != m.UID() || back.distanceMeasure.Get(back.Params()) != "cosine" {
		t.Fatalf("loaded %s with %s", back.UID(), back.distanceMeasure.Get(back.Params()))
	}
	for _, r := range append(slices.Clone(bisectCosineRows), []float64{7, 2}, []float64{-1, 3}) {
		g, _ := back.Predict(linalg.Dense(r...))
		w, _ := m.Predict(linalg.Dense(r...))
		if g != w {
			t.Fatalf("%v: loaded model predicts %d, fitted %d", r, g, w)
		}
	}
	// gspark's own layout keeps sizes and costs for a later SaveSpark.
	own := filepath.Join(t.TempDir(), "own")
	if err := m.Save(own); err != nil {
		t.Fatal(err)
	}
	again, err := ml.LoadAs[*BisectingKMeansModel](ctx, own, reg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.nodes[0].Center, m.nodes[0].Center) || again.nodes[0].Size != 8 || again.nodes[0].Cost != m.nodes[0].Cost {
		t.Fatalf("own layout: root %+v, want %+v", again.nodes[0], m.nodes[0])
	}
}

// TestBisectingKMeansSparkFixture reads a directory laid out as Spark 3.x
// writes it (node rows in Spark's postorder, a three-leaf tree rooted at
// −1 with children −2 and 2, −2 with 0 and 1), Euclidean distance.
func TestBisectingKMeansSparkFixture(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spark")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "metadata"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "data", "metadata"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "metadata", "part-00000"), []byte(`{"class":"org.apache.spark.ml.clustering.BisectingKMeansModel","timestamp":1700000000000,"sparkVersion":"3.5.1","uid":"BisectingKMeans_4f1c2ab2e1d3","paramMap":{"k":3,"seed":1},"defaultParamMap":{"featuresCol":"features","predictionCol":"prediction","maxIter":20,"minDivisibleClusterSize":1.0,"distanceMeasure":"euclidean","k":4,"seed":566573821}}`+"\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "data", "metadata", "part-00000"), []byte(`{"class":"org.apache.spark.mllib.clustering.BisectingKMeansModel","version":"3.0","rootId":-1,"distanceMeasure":"euclidean","trainingCost":3.0}`+"\n"), 0o644))
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "index", Type: arrow.PrimitiveTypes.Int32},
		{Name: "size", Type: arrow.PrimitiveTypes.Int64},
		{Name: "center", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "norm", Type: arrow.PrimitiveTypes.Float64},
		{Name: "cost", Type: arrow.PrimitiveTypes.Float64},
		{Name: "height", Type: arrow.PrimitiveTypes.Float64},
		{Name: "children", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true},
	}, nil)
	must(ml.WriteSparkRows(dir, filepath.Join("data", "data"), schema,
		[]any{0, int64(2), []float64{0, 0}, 0.0, 1.0, 0.0, []int{}},
		[]any{1, int64(2), []float64{0, 10}, 10.0, 1.0, 0.0, []int{}},
		[]any{-2, int64(4), []float64{0, 5}, 5.0, 50.0, 5.0, []int{0, 1}},
		[]any{2, int64(2), []float64{10, 0}, 10.0, 1.0, 0.0, []int{}},
		[]any{-1, int64(6), []float64{10.0 / 3, 10.0 / 3}, 4.7, 90.0, 6.0, []int{-2, 2}},
	))
	m, err := ml.LoadAs[*BisectingKMeansModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if m.UID() != "BisectingKMeans_4f1c2ab2e1d3" || m.k.Get(m.Params()) != 3 {
		t.Fatalf("uid %s k %d", m.UID(), m.k.Get(m.Params()))
	}
	for _, c := range []struct {
		x    []float64
		want int
	}{{[]float64{0.5, 1}, 0}, {[]float64{-1, 9}, 1}, {[]float64{9, 1}, 2}, {[]float64{6, 4}, 2}} {
		if g, err := m.Predict(linalg.Dense(c.x...)); err != nil || g != c.want {
			t.Fatalf("%v: cluster %d (%v), want %d", c.x, g, err, c.want)
		}
	}
	if cs := m.ClusterCenters(); len(cs) != 3 || cs[2].ToArray()[0] != 10 {
		t.Fatalf("centers %v", cs)
	}
	// A leaf id outside 0…k−1 is refused.
	bad := filepath.Join(t.TempDir(), "bad")
	must(os.CopyFS(bad, os.DirFS(dir)))
	must(os.WriteFile(filepath.Join(bad, "data", "metadata", "part-00000"), []byte(`{"class":"org.apache.spark.mllib.clustering.BisectingKMeansModel","version":"3.0","rootId":2}`), 0o644))
	if _, err := ml.LoadAs[*BisectingKMeansModel](ctx, bad, Register(ml.NewRegistry())); err == nil {
		t.Fatal("a tree whose only leaf is 2 was accepted")
	}
}
