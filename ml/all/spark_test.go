package all

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/regression"
)

// sparkModels holds model directories saved by Apache Spark 2.4 (see
// testdata/ml/README.md).
var sparkModels = filepath.Join("..", "..", "testdata", "ml", "spark-models")

// refNode is one row of Spark's node table, read by the test itself.
type refNode struct {
	prediction  float64
	stats       []float64
	left, right int
	feature     int
	threshold   float64
}

// readRefTrees reads Spark's tree data under dir/data straight from
// Parquet: a single tree (columns id, prediction, …) or an ensemble
// (treeID, nodeData struct). It returns the trees' nodes by id.
func readRefTrees(t *testing.T, dir string) map[int]map[int]refNode {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "data", "*.parquet"))
	if err != nil || len(files) != 1 {
		t.Fatalf("%s: data files %v %v", dir, files, err)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mem := memory.NewGoAllocator()
	tbl, err := pqarrow.ReadTable(context.Background(), f, parquet.NewReaderProperties(mem), pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	col := func(name string) arrow.Array {
		idx := tbl.Schema().FieldIndices(name)
		if len(idx) != 1 {
			return nil
		}
		return tbl.Column(idx[0]).Data().Chunk(0)
	}
	treeIDs := make([]int, tbl.NumRows())
	var fields map[string]arrow.Array
	if nd := col("nodeData"); nd != nil {
		ids := col("treeID").(*array.Int32)
		for i := range treeIDs {
			treeIDs[i] = int(ids.Value(i))
		}
		s := nd.(*array.Struct)
		fields = map[string]arrow.Array{}
		for i, f := range s.DataType().(*arrow.StructType).Fields() {
			fields[f.Name] = s.Field(i)
		}
	} else {
		fields = map[string]arrow.Array{}
		for _, f := range tbl.Schema().Fields() {
			fields[f.Name] = col(f.Name)
		}
	}
	split := fields["split"].(*array.Struct)
	thr := split.Field(1).(*array.List)
	stats := fields["impurityStats"].(*array.List)
	out := map[int]map[int]refNode{}
	for i := range treeIDs {
		if out[treeIDs[i]] == nil {
			out[treeIDs[i]] = map[int]refNode{}
		}
		n := refNode{
			prediction: fields["prediction"].(*array.Float64).Value(i),
			left:       int(fields["leftChild"].(*array.Int32).Value(i)),
			right:      int(fields["rightChild"].(*array.Int32).Value(i)),
			feature:    int(split.Field(0).(*array.Int32).Value(i)),
		}
		s, e := stats.ValueOffsets(i)
		n.stats = stats.ListValues().(*array.Float64).Float64Values()[s:e]
		if s, e := thr.ValueOffsets(i); e > s {
			n.threshold = thr.ListValues().(*array.Float64).Value(int(s))
		}
		out[treeIDs[i]][int(fields["id"].(*array.Int32).Value(i))] = n
	}
	return out
}

// walk follows x down a tree from node 0 as Spark's continuous splits do
// (left when x[feature] <= threshold) and returns the leaf.
func walk(tree map[int]refNode, x []float64) refNode {
	n := tree[0]
	for n.left >= 0 {
		if x[n.feature] <= n.threshold {
			n = tree[n.left]
		} else {
			n = tree[n.right]
		}
	}
	return n
}

// readTreeWeights reads treesMetadata's weights by tree id.
func readTreeWeights(t *testing.T, dir string) map[int]float64 {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "treesMetadata", "*.parquet"))
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mem := memory.NewGoAllocator()
	tbl, err := pqarrow.ReadTable(context.Background(), f, parquet.NewReaderProperties(mem), pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	ids := tbl.Column(0).Data().Chunk(0).(*array.Int32)
	ws := tbl.Column(2).Data().Chunk(0).(*array.Float64)
	out := map[int]float64{}
	for i := 0; i < ids.Len(); i++ {
		out[int(ids.Value(i))] = ws.Value(i)
	}
	return out
}

// collect returns the features and prediction of every row of df.
func collect(t *testing.T, df *frame.DataFrame, predCol string) ([][]float64, []float64) {
	t.Helper()
	bs, err := df.CollectBatches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var xs [][]float64
	var ps []float64
	for _, b := range bs {
		fi := b.Schema().FieldIndices("features")[0]
		pi := b.Schema().FieldIndices(predCol)[0]
		vc, err := linalg.Vectors(b.Column(fi))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < vc.Len(); i++ {
			v, _ := vc.At(i)
			xs = append(xs, v.ToArray())
		}
		ps = append(ps, b.Column(pi).(*array.Float64).Float64Values()...)
		b.Release()
	}
	return xs, ps
}

// treeRefs computes, by Spark model directory, the reference prediction of
// a row from the saved trees (by tree id and node id) and tree weights, as
// Spark's models predict.
var treeRefs = map[string]func(trees map[int]map[int]refNode, w map[int]float64, x []float64) float64{
	"dtc-2.4.7": func(tr map[int]map[int]refNode, _ map[int]float64, x []float64) float64 {
		return walk(tr[0], x).prediction
	},
	"dtr-2.4.7": func(tr map[int]map[int]refNode, _ map[int]float64, x []float64) float64 {
		return walk(tr[0], x).prediction
	},
	"rfc-2.4.7": func(tr map[int]map[int]refNode, _ map[int]float64, x []float64) float64 {
		// Spark: votes are the leaves' normalized class counts, summed.
		votes := make([]float64, 2)
		for id := range len(tr) {
			tree := tr[id]
			leaf := walk(tree, x)
			tot := leaf.stats[0] + leaf.stats[1]
			votes[0] += leaf.stats[0] / tot
			votes[1] += leaf.stats[1] / tot
		}
		if votes[1] > votes[0] {
			return 1
		}
		return 0
	},
	"rfr-2.4.7": func(tr map[int]map[int]refNode, _ map[int]float64, x []float64) float64 {
		s := 0.0
		for id := range len(tr) {
			tree := tr[id]
			s += walk(tree, x).prediction
		}
		return s / float64(len(tr))
	},
	"gbtc-2.4.7": func(tr map[int]map[int]refNode, w map[int]float64, x []float64) float64 {
		m := 0.0
		for id := range len(tr) {
			tree := tr[id]
			m += w[id] * walk(tree, x).prediction
		}
		if m > 0 {
			return 1
		}
		return 0
	},
	"gbtr-2.4.7": func(tr map[int]map[int]refNode, w map[int]float64, x []float64) float64 {
		m := 0.0
		for id := range len(tr) {
			tree := tr[id]
			m += w[id] * walk(tree, x).prediction
		}
		return m
	},
}

// Every tree model Spark saved loads with its params and predicts on
// sample_libsvm_data exactly as a direct walk of its saved node table.
func TestSparkTreeModels(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join("..", "..", "testdata", "ml", "sample_libsvm_data.txt")
	for _, c := range []struct {
		dir, class string
		// params Spark saved (paramMap and defaultParamMap) that the
		// model must report.
		params map[string]any
	}{
		{"dtc-2.4.7", "*classification.DecisionTreeClassificationModel", map[string]any{"maxDepth": 5, "impurity": "gini", "seed": int64(159147643), "maxBins": 32}},
		{"dtr-2.4.7", "*regression.DecisionTreeRegressionModel", map[string]any{"impurity": "variance", "seed": int64(926680331)}},
		{"rfc-2.4.7", "*classification.RandomForestClassificationModel", map[string]any{"seed": int64(207336481), "maxDepth": 5, "impurity": "gini"}},
		{"rfr-2.4.7", "*regression.RandomForestRegressionModel", map[string]any{"seed": int64(235498149)}},
		{"gbtc-2.4.7", "*classification.GBTClassificationModel", map[string]any{"seed": int64(-1287390502), "maxDepth": 5}},
		{"gbtr-2.4.7", "*regression.GBTRegressionModel", map[string]any{"seed": int64(-131597770)}},
	} {
		t.Run(c.dir, func(t *testing.T) {
			dir := filepath.Join(sparkModels, c.dir)
			st, err := Load(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(st); got != c.class {
				t.Fatalf("loaded a %s, want %s", got, c.class)
			}
			var md map[string]any
			b, _ := os.ReadFile(filepath.Join(dir, "metadata", "part-00000"))
			if err := json.Unmarshal(b, &md); err != nil {
				t.Fatal(err)
			}
			if st.UID() != md["uid"] {
				t.Fatalf("uid %s, Spark saved %v", st.UID(), md["uid"])
			}
			for name, want := range c.params {
				got, ok := st.Params().Get(name)
				if !ok || got != want {
					t.Errorf("param %s = %v (%T), Spark saved %v", name, got, got, want)
				}
			}
			trees := readRefTrees(t, dir)
			var weights map[int]float64
			if _, err := os.Stat(filepath.Join(dir, "treesMetadata")); err == nil {
				weights = readTreeWeights(t, dir)
			}
			if nt, ok := md["numTrees"]; ok && float64(len(trees)) != nt {
				t.Fatalf("node table has %d trees, metadata %v", len(trees), nt)
			}
			for _, parts := range []int{1, 4} {
				s := frame.NewSession(frame.WithPartitions(parts))
				out, err := st.(ml.Transformer).Transform(s.Read().Format("libsvm").Load(data))
				if err != nil {
					t.Fatal(err)
				}
				xs, preds := collect(t, out, "prediction")
				if len(preds) != 100 {
					t.Fatalf("%d predictions, want 100", len(preds))
				}
				for i, x := range xs {
					if want := treeRefs[c.dir](trees, weights, x); preds[i] != want {
						t.Fatalf("%d partitions, row %d: prediction %v, the saved trees give %v", parts, i, preds[i], want)
					}
				}
			}
		})
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *classification.DecisionTreeClassificationModel:
		return "*classification.DecisionTreeClassificationModel"
	case *classification.RandomForestClassificationModel:
		return "*classification.RandomForestClassificationModel"
	case *classification.GBTClassificationModel:
		return "*classification.GBTClassificationModel"
	case *regression.DecisionTreeRegressionModel:
		return "*regression.DecisionTreeRegressionModel"
	case *regression.RandomForestRegressionModel:
		return "*regression.RandomForestRegressionModel"
	case *regression.GBTRegressionModel:
		return "*regression.GBTRegressionModel"
	}
	return "other"
}

// The decision tree Spark saved was trained on sample_libsvm_data: its
// leaves' class counts (43 and 57 rows at the root, pure leaves of 43, 1
// and 56 rows, one mixed node split into pure leaves) say it classifies
// every training row right.
func TestSparkDecisionTreeFitsItsTrainingData(t *testing.T) {
	ctx := context.Background()
	st, err := Load(ctx, filepath.Join(sparkModels, "dtc-2.4.7"))
	if err != nil {
		t.Fatal(err)
	}
	s := frame.NewSession()
	df := s.Read().Format("libsvm").Load(filepath.Join("..", "..", "testdata", "ml", "sample_libsvm_data.txt"))
	out, err := st.(ml.Transformer).Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := out.Select(frame.Col("label"), frame.Col("prediction")).CollectBatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bs {
		l, p := b.Column(0).(*array.Float64), b.Column(1).(*array.Float64)
		for i := 0; i < l.Len(); i++ {
			if l.Value(i) != p.Value(i) {
				t.Errorf("row %d: label %v, prediction %v", n, l.Value(i), p.Value(i))
			}
			n++
		}
		b.Release()
	}
	if n != 100 {
		t.Fatalf("%d rows", n)
	}
}

// Spark's MultilayerPerceptronClassificationModel (layers 4, 5, 2) loads
// and predicts as a forward pass written here from Spark's documented
// layout: per layer an m×n column-major weight matrix then m biases,
// sigmoid hidden layers, softmax output.
func TestSparkMLP(t *testing.T) {
	ctx := context.Background()
	st, err := Load(ctx, filepath.Join(sparkModels, "mlp-2.4.4"))
	if err != nil {
		t.Fatal(err)
	}
	m, ok := st.(*classification.MultilayerPerceptronClassificationModel)
	if !ok {
		t.Fatalf("loaded %T", st)
	}
	if l := m.Layers(); len(l) != 3 || l[0] != 4 || l[1] != 5 || l[2] != 2 || m.UID() != "mlpc_30aa2f44dacc" {
		t.Fatalf("layers %v uid %s", l, m.UID())
	}
	w := m.Weights().ToArray()
	if len(w) != 4*5+5+5*2+2 || w[0] != 0.562493954827742 || w[1] != -2.921111622795348 {
		t.Fatalf("weights %v", w[:2])
	}
	ref := func(x []float64) (raw, prob []float64) {
		h := make([]float64, 5)
		for i := range h {
			s := w[20+i]
			for j := 0; j < 4; j++ {
				s += w[i+5*j] * x[j]
			}
			h[i] = 1 / (1 + math.Exp(-s))
		}
		raw = make([]float64, 2)
		for i := range raw {
			s := w[25+10+i]
			for j := 0; j < 5; j++ {
				s += w[25+i+2*j] * h[j]
			}
			raw[i] = s
		}
		e0, e1 := math.Exp(raw[0]), math.Exp(raw[1])
		return raw, []float64{e0 / (e0 + e1), e1 / (e0 + e1)}
	}
	s := frame.NewSession(frame.WithPartitions(4))
	df := s.Read().Format("libsvm").Load(filepath.Join("..", "..", "testdata", "ml", "sample_multiclass_classification_data.txt"))
	out, err := m.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := out.CollectBatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, ones := 0, 0
	for _, b := range bs {
		sc := b.Schema()
		feats, _ := linalg.Vectors(b.Column(sc.FieldIndices("features")[0]))
		raws, _ := linalg.Vectors(b.Column(sc.FieldIndices("rawPrediction")[0]))
		probs, _ := linalg.Vectors(b.Column(sc.FieldIndices("probability")[0]))
		preds := b.Column(sc.FieldIndices("prediction")[0]).(*array.Float64)
		for i := 0; i < feats.Len(); i++ {
			x, _ := feats.At(i)
			raw, prob := ref(x.ToArray())
			gr, gp := raws.DenseValues(i), probs.DenseValues(i)
			for k := range 2 {
				if math.Abs(gr[k]-raw[k]) > 1e-12 || math.Abs(gp[k]-prob[k]) > 1e-12 {
					t.Fatalf("row %d: raw %v prob %v, want %v %v", n, gr, gp, raw, prob)
				}
			}
			want := 0.0
			if prob[1] > prob[0] {
				want, ones = 1, ones+1
			}
			if preds.Value(i) != want {
				t.Fatalf("row %d: prediction %v, want %v", n, preds.Value(i), want)
			}
			n++
		}
		b.Release()
	}
	if n != 150 || ones == 0 || ones == 150 {
		t.Fatalf("%d rows, %d predicted 1", n, ones)
	}
}

// StringIndexerModel and HashingTF saved by Spark load with Spark's params
// and labels.
func TestSparkFeatureStages(t *testing.T) {
	ctx := context.Background()
	st, err := Load(ctx, filepath.Join(sparkModels, "strIndexerModel-2.4.4"))
	if err != nil {
		t.Fatal(err)
	}
	si, ok := st.(*feature.StringIndexerModel)
	if !ok {
		t.Fatalf("loaded %T", st)
	}
	for name, want := range map[string]any{"inputCol": "myInputCol", "outputCol": "myOutputCol", "handleInvalid": "skip"} {
		if got, _ := si.Params().Get(name); got != want {
			t.Errorf("param %s = %v, Spark saved %v", name, got, want)
		}
	}
	csv := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(csv, []byte("myInputCol\na\nb\nz\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := frame.NewSession()
	out, err := si.Transform(s.Read().Option("header", "true").CSV(csv))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := out.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// labels ["b", "c", "a"]: a→2, b→0, c→1; the unseen "z" is skipped.
	want := map[string]float64{"a": 2, "b": 0, "c": 1}
	if len(rows) != 3 {
		t.Fatalf("rows %v", rows)
	}
	for _, r := range rows {
		if r[1] != want[r[0].(string)] {
			t.Errorf("row %v, want index %v", r, want[r[0].(string)])
		}
	}

	st, err = Load(ctx, filepath.Join(sparkModels, "hashingTF-2.4.4"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]any{"numFeatures": 100, "binary": true, "inputCol": "words", "outputCol": "features"} {
		if got, _ := st.Params().Get(name); got != want {
			t.Errorf("HashingTF param %s = %v (%T), Spark saved %v", name, got, got, want)
		}
	}
	if _, ok := st.(*feature.HashingTF); !ok || st.UID() != "hashingTF_f4565fe7f7da" {
		t.Fatalf("loaded %T %s", st, st.UID())
	}
}

// A perceptron loaded from Spark saves in gspark's format and loads back
// with the same layers, weights and params.
func TestMLPSavesAndLoads(t *testing.T) {
	ctx := context.Background()
	st, err := Load(ctx, filepath.Join(sparkModels, "mlp-2.4.4"))
	if err != nil {
		t.Fatal(err)
	}
	m := st.(*classification.MultilayerPerceptronClassificationModel)
	m.Params().Set("predictionCol", "p")
	dir := filepath.Join(t.TempDir(), "mlp")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	b, ok := back.(*classification.MultilayerPerceptronClassificationModel)
	if !ok || b.ClassName() != "gspark.ml.classification.MultilayerPerceptronClassificationModel" || !linalg.Equal(b.Weights(), m.Weights()) ||
		len(b.Layers()) != 3 || b.Params().ExplainParams() != m.Params().ExplainParams() {
		t.Fatalf("loaded back %T %v", back, b.Params().ExplainParams())
	}
}
