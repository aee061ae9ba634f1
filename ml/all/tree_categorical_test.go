package all

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/attribute"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/regression"
)

// catRefNode is one row of Spark's node table with its split as saved:
// numCategories -1 for a continuous split (threshold), else the categories
// going left.
type catRefNode struct {
	prediction    float64
	stats         []float64
	left, right   int
	feature       int
	numCategories int
	values        []float64 // leftCategoriesOrThreshold
}

// readCatRefTrees reads a tree model's node table in Spark's layout under
// dir/data straight from Parquet, by tree id and node id.
func readCatRefTrees(t *testing.T, dir string) map[int]map[int]catRefNode {
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
	fields := map[string]arrow.Array{}
	if nd := col("nodeData"); nd != nil {
		ids := col("treeID").(*array.Int32)
		for i := range treeIDs {
			treeIDs[i] = int(ids.Value(i))
		}
		s := nd.(*array.Struct)
		for i, f := range s.DataType().(*arrow.StructType).Fields() {
			fields[f.Name] = s.Field(i)
		}
	} else {
		for _, f := range tbl.Schema().Fields() {
			fields[f.Name] = col(f.Name)
		}
	}
	split := fields["split"].(*array.Struct)
	vals := split.Field(1).(*array.List)
	stats := fields["impurityStats"].(*array.List)
	out := map[int]map[int]catRefNode{}
	for i := range treeIDs {
		if out[treeIDs[i]] == nil {
			out[treeIDs[i]] = map[int]catRefNode{}
		}
		n := catRefNode{
			prediction:    fields["prediction"].(*array.Float64).Value(i),
			left:          int(fields["leftChild"].(*array.Int32).Value(i)),
			right:         int(fields["rightChild"].(*array.Int32).Value(i)),
			feature:       int(split.Field(0).(*array.Int32).Value(i)),
			numCategories: int(split.Field(2).(*array.Int32).Value(i)),
		}
		s, e := stats.ValueOffsets(i)
		n.stats = stats.ListValues().(*array.Float64).Float64Values()[s:e]
		s, e = vals.ValueOffsets(i)
		n.values = vals.ListValues().(*array.Float64).Float64Values()[s:e]
		out[treeIDs[i]][int(fields["id"].(*array.Int32).Value(i))] = n
	}
	return out
}

// catWalk follows x from node 0 as Spark's splits decide: a continuous
// split sends x[f] <= threshold left; a categorical split with left set L
// of k categories keeps L when |L| <= k/2 (x goes left iff x ∈ L), else its
// complement R = {0..k−1} \ L (x goes left iff x ∉ R).
func catWalk(tree map[int]catRefNode, x []float64) catRefNode {
	n := tree[0]
	for n.left >= 0 {
		v := x[n.feature]
		var left bool
		if n.numCategories < 0 {
			left = v <= n.values[0]
		} else if len(n.values) <= n.numCategories/2 {
			left = slices.Contains(n.values, v)
		} else {
			var right []float64
			for c := 0; c < n.numCategories; c++ {
				if !slices.Contains(n.values, float64(c)) {
					right = append(right, float64(c))
				}
			}
			left = !slices.Contains(right, v)
		}
		if left {
			n = tree[n.left]
		} else {
			n = tree[n.right]
		}
	}
	return n
}

// catRows are 240 rows of [c0 ∈ 0..3, c1 ∈ 0..2, x, label3, label2, y]:
// the labels depend on the category sets {1,3} of c0 and {2} of c1, which
// no threshold on the category index separates.
func catRows() [][]float64 {
	var rows [][]float64
	for i := 0; i < 240; i++ {
		c0, c1 := float64(i%4), float64((i/4)%3)
		x := math.Sin(float64(i)*1.7) * 3
		a, b := c0 == 1 || c0 == 3, c1 == 2
		l3, l2, y := 0.0, 0.0, 1.0+0.1*x
		switch {
		case a && b:
			l3, l2, y = 2, 1, y+5
		case a:
			l3, l2, y = 1, 1, y+3
		case b:
			l3, y = 1, y-2
		}
		if x > 2.5 {
			l3 = 0
		}
		rows = append(rows, []float64{c0, c1, x, l3, l2, y})
	}
	return rows
}

// catFrame is catRows with features [c0, c1, x] marked nominal (4 and 3
// values) and x numeric in the features' ML attributes, and the label from
// column labelSrc.
func catFrame(t *testing.T, rows [][]float64, labelSrc, parts int) *frame.DataFrame {
	t.Helper()
	s := frame.NewSession(frame.WithPartitions(parts))
	df := optimtest.Frame(t, s, memory.NewGoAllocator(), rows,
		[]optimtest.Col{{Name: "features", Src: []int{0, 1, 2}, Vec: true}, {Name: "label", Src: []int{labelSrc}}}, parts)
	g := attribute.NewGroup([]attribute.Attribute{
		attribute.NewNominalCount("c0", 4), attribute.NewNominal("c1", []string{"p", "q", "r"}), attribute.NewNumeric("x"),
	})
	return df.WithMetadata("features", g.Metadata(arrow.Metadata{}))
}

// TestTreesWithCategoricalFeatures: every tree estimator fitted on
// features with nominal attributes splits them as categories; 1 and 4
// partitions predict alike; the model saved by gspark and in Spark's layout
// loads back through Load and predicts the same, unseen categories
// included; and Spark's node table, walked directly with Spark's
// CategoricalSplit rule, gives the same predictions.
func TestTreesWithCategoricalFeatures(t *testing.T) {
	ctx := context.Background()
	rows := catRows()
	// Test rows: every category pair, unseen categories 4 and 9 of c0 and
	// 3 of c1, and x on both sides of 2.5.
	var test [][]float64
	for _, c0 := range []float64{0, 1, 2, 3, 4, 9} {
		for _, c1 := range []float64{0, 1, 2, 3} {
			for _, x := range []float64{-1, 2.9} {
				test = append(test, []float64{c0, c1, x, 0, 0, 0})
			}
		}
	}
	type estimator struct {
		name     string
		labelSrc int
		est      func() ml.Estimator
		// ref is the prediction from the node tables and tree weights.
		ref func(trees map[int]map[int]catRefNode, w map[int]float64, x []float64) float64
	}
	single := func(tr map[int]map[int]catRefNode, _ map[int]float64, x []float64) float64 {
		return catWalk(tr[0], x).prediction
	}
	votes := func(tr map[int]map[int]catRefNode, _ map[int]float64, x []float64) float64 {
		v := make([]float64, 3)
		for id := range len(tr) {
			leaf := catWalk(tr[id], x)
			tot := 0.0
			for _, c := range leaf.stats {
				tot += c
			}
			for k, c := range leaf.stats {
				v[k] += c / tot
			}
		}
		return float64(slices.Index(v, slices.Max(v)))
	}
	sum := func(tr map[int]map[int]catRefNode, w map[int]float64, x []float64) float64 {
		m := 0.0
		for id := range len(tr) {
			m += w[id] * catWalk(tr[id], x).prediction
		}
		return m
	}
	for _, e := range []estimator{
		{"dtc", 3, func() ml.Estimator { return classification.NewDecisionTreeClassifier().SetMaxDepth(4) }, single},
		{"rfc", 3, func() ml.Estimator { return classification.NewRandomForestClassifier() }, votes},
		{"gbtc", 4, func() ml.Estimator { return classification.NewGBTClassifier() }, func(tr map[int]map[int]catRefNode, w map[int]float64, x []float64) float64 {
			if sum(tr, w, x) > 0 {
				return 1
			}
			return 0
		}},
		{"dtr", 5, func() ml.Estimator { return regression.NewDecisionTreeRegressor().SetMaxDepth(4) }, single},
		{"rfr", 5, func() ml.Estimator { return regression.NewRandomForestRegressor() }, func(tr map[int]map[int]catRefNode, w map[int]float64, x []float64) float64 {
			return sum(tr, w, x) / float64(len(tr))
		}},
		{"gbtr", 5, func() ml.Estimator { return regression.NewGBTRegressor().SetMaxIter(5) }, sum},
	} {
		t.Run(e.name, func(t *testing.T) {
			var first []float64
			for _, parts := range []int{1, 4} {
				m, err := e.est().Fit(ctx, catFrame(t, rows, e.labelSrc, parts))
				if err != nil {
					t.Fatal(err)
				}
				testDF := catFrame(t, test, 3, parts)
				predict := func(st ml.Stage) []float64 {
					out, err := st.(ml.Transformer).Transform(testDF)
					if err != nil {
						t.Fatal(err)
					}
					_, p := collect(t, out, "prediction")
					return p
				}
				preds := predict(m)
				if parts == 1 {
					first = preds
				} else {
					for i := range preds {
						if math.Abs(preds[i]-first[i]) > 1e-9*math.Max(1, math.Abs(first[i])) {
							t.Fatalf("row %v: 4 partitions predict %v, 1 partition %v", test[i], preds[i], first[i])
						}
					}
				}
				dir := t.TempDir()
				if err := m.Save(filepath.Join(dir, "gspark")); err != nil {
					t.Fatal(err)
				}
				if err := m.(interface{ SaveSpark(string) error }).SaveSpark(filepath.Join(dir, "spark")); err != nil {
					t.Fatal(err)
				}
				trees := readCatRefTrees(t, filepath.Join(dir, "spark"))
				var weights map[int]float64
				if _, err := os.Stat(filepath.Join(dir, "spark", "treesMetadata")); err == nil {
					weights = readTreeWeights(t, filepath.Join(dir, "spark"))
				}
				nCat := 0
				for _, tree := range trees {
					for _, n := range tree {
						if n.left >= 0 && n.numCategories >= 0 {
							nCat++
							if n.numCategories != []int{4, 3}[n.feature] {
								t.Fatalf("split on feature %d has %d categories", n.feature, n.numCategories)
							}
						}
					}
				}
				if nCat == 0 {
					t.Fatal("no categorical split in Spark's node table")
				}
				for _, sub := range []string{"gspark", "spark"} {
					back, err := Load(ctx, filepath.Join(dir, sub))
					if err != nil {
						t.Fatal(err)
					}
					if got := predict(back); !slices.Equal(got, preds) {
						t.Fatalf("%s files: predictions\n%v\nwant\n%v", sub, got, preds)
					}
				}
				for i, x := range test {
					if want := e.ref(trees, weights, x); math.Abs(preds[i]-want) > 1e-12*math.Max(1, math.Abs(want)) {
						t.Fatalf("%d partitions, row %v: prediction %v, Spark's node table gives %v", parts, x, preds[i], want)
					}
				}
			}
		})
	}
}

// TestVectorIndexerThenTree is Spark's usual pipeline: VectorIndexer marks
// the features with at most maxCategories distinct values as categorical,
// and the tree grown on its output is the tree grown on the same features
// marked by hand, with categorical splits.
func TestVectorIndexerThenTree(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	df := optimtest.Frame(t, s, memory.NewGoAllocator(), catRows(),
		[]optimtest.Col{{Name: "raw", Src: []int{0, 1, 2}, Vec: true}, {Name: "label", Src: []int{3}}}, 2)
	p := ml.NewPipeline(
		feature.NewVectorIndexer().SetInputCol("raw").SetOutputCol("features").SetMaxCategories(4),
		classification.NewDecisionTreeClassifier().SetMaxDepth(3),
	)
	pm, err := p.Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	got := pm.(*ml.PipelineModel).Stages()[1].(*classification.DecisionTreeClassificationModel).Nodes()
	m, err := classification.NewDecisionTreeClassifier().SetMaxDepth(3).FitModel(ctx, catFrame(t, catRows(), 3, 2))
	if err != nil {
		t.Fatal(err)
	}
	want := m.Nodes()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after VectorIndexer the tree is\n%+v\nwith attributes set by hand\n%+v", got, want)
	}
	if !slices.ContainsFunc(got, func(n optim.TreeNode) bool { return n.Categorical() }) {
		t.Fatalf("no categorical split in %+v", got)
	}
}
