package optim

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/attribute"
)

// catRow is one training row of the categorical tests.
type catRow struct {
	x    []float64
	y, w float64
}

// catBlocks spreads rows over parts blocks in contiguous runs.
func catBlocks(rows []catRow, parts int) []*Block {
	d := len(rows[0].x)
	per := (len(rows) + parts - 1) / parts
	var out []*Block
	for p := 0; p < parts; p++ {
		lo, hi := min(p*per, len(rows)), min((p+1)*per, len(rows))
		b := &Block{D: d}
		for _, r := range rows[lo:hi] {
			b.N++
			b.X = append(b.X, r.x...)
			b.Y = append(b.Y, r.y)
			b.W = append(b.W, r.w)
		}
		out = append(out, b)
	}
	return out
}

// naiveImpurity computes a node's impurity from its rows, row at a time:
// weighted gini over numClasses classes, or weighted variance when
// numClasses is 0.
func naiveImpurity(rows []catRow, numClasses int) float64 {
	w := 0.0
	for _, r := range rows {
		w += r.w
	}
	if numClasses == 0 {
		m, m2 := 0.0, 0.0
		for _, r := range rows {
			m += r.w * r.y / w
			m2 += r.w * r.y * r.y / w
		}
		return m2 - m*m
	}
	g := 1.0
	for c := 0; c < numClasses; c++ {
		p := 0.0
		for _, r := range rows {
			if int(r.y) == c {
				p += r.w / w
			}
		}
		g -= p * p
	}
	return g
}

// naiveGain is the gain of sending the rows whose feature j is in left to
// the left child.
func naiveGain(rows []catRow, j int, left map[float64]bool, numClasses int) float64 {
	var l, r []catRow
	wl, wr := 0.0, 0.0
	for _, row := range rows {
		if left[row.x[j]] {
			l, wl = append(l, row), wl+row.w
		} else {
			r, wr = append(r, row), wr+row.w
		}
	}
	if len(l) == 0 || len(r) == 0 {
		return math.Inf(-1)
	}
	return naiveImpurity(rows, numClasses) - wl/(wl+wr)*naiveImpurity(l, numClasses) - wr/(wl+wr)*naiveImpurity(r, numClasses)
}

// sameTree reports whether two trees have the same shape and splits, and
// the same statistics up to summation order (1e-12 relative).
func sameTree(a, b []TreeNode) bool {
	if len(a) != len(b) {
		return false
	}
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(y)) }
	for i := range a {
		x, y := a[i], b[i]
		if x.Leaf != y.Leaf || x.Feature != y.Feature || x.Threshold != y.Threshold || x.Left != y.Left || x.Right != y.Right ||
			x.NumCategories != y.NumCategories || !slices.Equal(x.Categories, y.Categories) || x.Count != y.Count ||
			!near(x.Prediction, y.Prediction) || !near(x.Impurity, y.Impurity) || !near(x.Gain, y.Gain) || len(x.Stats) != len(y.Stats) {
			return false
		}
		for k := range x.Stats {
			if !near(x.Stats[k], y.Stats[k]) {
				return false
			}
		}
	}
	return true
}

// bruteForceBest tries every split of every categorical feature into two
// non-empty sets (2^(k−1)−1 per feature: the subsets without category k−1)
// and returns the highest gain.
func bruteForceBest(rows []catRow, arity map[int]int, numClasses int) float64 {
	best := math.Inf(-1)
	for j, k := range arity {
		for s := 1; s < 1<<(k-1); s++ {
			left := map[float64]bool{}
			for c := 0; c < k; c++ {
				if s>>c&1 == 1 {
					left[float64(c)] = true
				}
			}
			best = max(best, naiveGain(rows, j, left, numClasses))
		}
	}
	return best
}

// TestCategoricalRootVsBruteForce: the root split of a tree over
// categorical features has the best gain among all 2^(k−1)−1 partitions of
// every feature, found by enumeration with a row-at-a-time impurity, for
// regression (ordered by mean label: optimal for variance), binary
// classification (ordered by the count of class 1, which is optimal here
// because every category has the same number of rows) and 3-class
// classification (unordered: every subset tried), with 1 and 4 blocks
// giving the same tree.
func TestCategoricalRootVsBruteForce(t *testing.T) {
	ctx := context.Background()
	arity := map[int]int{0: 5, 1: 4, 2: 3}
	for _, tc := range []struct {
		name       string
		numClasses int
		impurity   string
		weighted   bool
	}{
		{"regression", 0, "variance", true},
		{"binary", 2, "gini", false},
		{"multiclass", 3, "gini", true},
	} {
		for trial := 0; trial < 25; trial++ {
			r := rand.New(rand.NewPCG(uint64(trial), 15))
			// Per-category label tendencies, so that splits differ.
			effect := make([][]float64, 3)
			for j := range effect {
				effect[j] = make([]float64, 5)
				for c := range effect[j] {
					effect[j][c] = r.Float64()
				}
			}
			var rows []catRow
			for i := 0; i < 120; i++ {
				// i mod k: every category has 120/k rows.
				x := []float64{float64(i % 5), float64(i % 4), float64(r.IntN(3))}
				mean := effect[0][i%5] + effect[1][i%4]
				w := 1.0
				if tc.weighted {
					w = 0.5 + r.Float64()
				}
				var y float64
				switch tc.numClasses {
				case 0:
					y = 3*mean + r.NormFloat64()
				case 2:
					if r.Float64() < mean/2 {
						y = 1
					}
				default:
					y = float64(min(2, int(mean*1.5+r.Float64())))
				}
				rows = append(rows, catRow{x, y, w})
			}
			// Binary classification needs equal category sizes for
			// features 0 and 1 only; feature 2 is random but ordered by
			// the count of class 1, so leave it out there.
			ar := arity
			if tc.numClasses == 2 {
				ar = map[int]int{0: 5, 1: 4}
				for i := range rows {
					rows[i].x = rows[i].x[:2]
				}
			}
			cfg := TreeConfig{MaxDepth: 1, MaxBins: 32, MinInstancesPerNode: 1, Impurity: tc.impurity, NumClasses: tc.numClasses, Categorical: ar}
			var first []TreeNode
			for _, parts := range []int{1, 4} {
				nodes, err := GrowTree(ctx, catBlocks(rows, parts), cfg)
				if err != nil {
					t.Fatal(err)
				}
				if parts == 1 {
					first = nodes
				} else if !sameTree(nodes, first) {
					t.Fatalf("%s trial %d: 4 blocks grow\n%+v\n1 block grows\n%+v", tc.name, trial, nodes, first)
				}
			}
			root := first[0]
			if root.Leaf || !root.Categorical() || root.NumCategories != ar[root.Feature] {
				t.Fatalf("%s trial %d: root %+v is not a categorical split", tc.name, trial, root)
			}
			want := bruteForceBest(rows, ar, tc.numClasses)
			left := map[float64]bool{}
			for _, c := range root.Categories {
				left[c] = true
			}
			got := naiveGain(rows, root.Feature, left, tc.numClasses)
			if math.Abs(got-want) > 1e-12*math.Max(1, want) || math.Abs(root.Gain-want) > 1e-12*math.Max(1, want) {
				t.Fatalf("%s trial %d: root splits feature %d left %v with gain %v (naive %v); brute force best gain %v",
					tc.name, trial, root.Feature, root.Categories, root.Gain, got, want)
			}
			if !slices.IsSorted(root.Categories) {
				t.Fatalf("left categories %v are not sorted", root.Categories)
			}
		}
	}
}

// catTree grows a depth-1 tree over one categorical feature with the given
// rows of (category, label).
func catTree(t *testing.T, xy [][2]float64, k int, cfg TreeConfig) []TreeNode {
	t.Helper()
	var rows []catRow
	for _, v := range xy {
		rows = append(rows, catRow{[]float64{v[0]}, v[1], 1})
	}
	cfg.MaxDepth, cfg.MinInstancesPerNode, cfg.Categorical = 1, 1, map[int]int{0: k}
	if cfg.MaxBins == 0 {
		cfg.MaxBins = 32
	}
	nodes, err := GrowTree(context.Background(), catBlocks(rows, 1), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}

func repeat(n int, cat, y float64) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		out[i] = [2]float64{cat, y}
	}
	return out
}

// TestCategoricalHandComputed checks three small trees computed by hand.
func TestCategoricalHandComputed(t *testing.T) {
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }
	// Regression, categories with labels {1,1}, {5,5}, {2,2}: ordered by
	// mean 0 (1), 2 (2), 1 (5); candidates {0}|{1,2} with gain
	// 26/9 − (4/6)·2.25 = 25/18 and {0,2}|{1} with gain 26/9 − (4/6)·0.25
	// = 49/18 (parent variance 10 − 64/9 = 26/9).
	xy := slices.Concat(repeat(2, 0, 1), repeat(2, 1, 5), repeat(2, 2, 2))
	nodes := catTree(t, xy, 3, TreeConfig{Impurity: "variance"})
	root := nodes[0]
	if !reflect.DeepEqual(root.Categories, []float64{0, 2}) || root.NumCategories != 3 || !close(root.Gain, 49.0/18) || !close(root.Impurity, 26.0/9) {
		t.Fatalf("regression root %+v, want left {0,2} of 3, gain 49/18", root)
	}
	if l, r := nodes[root.Left], nodes[root.Right]; l.Prediction != 1.5 || r.Prediction != 5 {
		t.Fatalf("leaves predict %v and %v, want 1.5 and 5", l.Prediction, r.Prediction)
	}
	// Two left categories of 3 are more than 3/2 = 1, so Spark keeps the
	// right set {1}: an unseen category (3, 7, 0.5, −1) is not in it and
	// goes left, as Spark's CategoricalSplit decides.
	for _, c := range []struct{ x, want float64 }{{0, 1.5}, {1, 5}, {2, 1.5}, {3, 1.5}, {7, 1.5}, {0.5, 1.5}, {-1, 1.5}} {
		if got := PredictTree(nodes, []float64{c.x}).Prediction; got != c.want {
			t.Errorf("regression: category %v predicts %v, want %v", c.x, got, c.want)
		}
	}

	// Binary classification, Spark orders categories by the count of
	// class 1 (not its share): category 0 has 4 of 10 positive, 1 has 2 of
	// 2, 2 has 0 of 4, so the order is 2 (0), 1 (2), 0 (4) and the
	// candidates are {2}|{0,1} (gain 15/32 − (12/16)·0.5 = 3/32) and
	// {1,2}|{0} (gain 15/32 − (6/16)(4/9) − (10/16)(0.48) = 1/480); the
	// better split {0,2}|{1} (gain ≈ 0.1116) is not a candidate in Spark.
	xy = slices.Concat(repeat(4, 0, 1), repeat(6, 0, 0), repeat(2, 1, 1), repeat(4, 2, 0))
	nodes = catTree(t, xy, 3, TreeConfig{Impurity: "gini", NumClasses: 2})
	root = nodes[0]
	if !reflect.DeepEqual(root.Categories, []float64{2}) || !close(root.Gain, 3.0/32) || !close(root.Impurity, 15.0/32) {
		t.Fatalf("binary root %+v, want left {2}, gain 3/32", root)
	}
	// One left category of 3: Spark keeps the left set, so an unseen
	// category goes right (to {0,1}: 6 of 12 positive, predicted class 0).
	for _, c := range []struct{ x, want float64 }{{2, 0}, {5, 0}} {
		if got := PredictTree(nodes, []float64{c.x}); got.Prediction != c.want || (c.x == 5) != (got == &nodes[root.Right]) {
			t.Errorf("binary: category %v reaches %+v", c.x, got)
		}
	}

	// Three classes, 3 categories (≤ 5, so unordered for maxBins 32):
	// category 0 is class 0, category 1 class 1, category 2 class 2 twice
	// and class 0 once. Candidates {0}, {1}, {0,1}; parent gini over
	// (3, 2, 2) of 7 is 1 − (9+4+4)/49 = 32/49. {0,1}|{2}: left (2,2,0)
	// gini 1/2, right (1,0,2) gini 4/9, gain 32/49 − (4/7)/2 − (3/7)(4/9)
	// = 32/49 − 2/7 − 4/21 = 26/147; {0}|{1,2} gain 32/49 − (5/7)(1 −
	// (1+4+4)/25) = 32/49 − 16/35 = 48/245; {1}|{0,2} gain 32/49 −
	// (5/7)(1 − (9+4)/25) = 32/49 − 12/35 = 76/245, the best.
	xy = slices.Concat(repeat(2, 0, 0), repeat(2, 1, 1), repeat(2, 2, 2), repeat(1, 2, 0))
	nodes = catTree(t, xy, 3, TreeConfig{Impurity: "gini", NumClasses: 3})
	root = nodes[0]
	if !reflect.DeepEqual(root.Categories, []float64{1}) || !close(root.Gain, 76.0/245) {
		t.Fatalf("multiclass root %+v, want left {1}, gain 76/245", root)
	}
	if got := PredictTree(nodes, []float64{9}); got != &nodes[root.Right] {
		t.Fatalf("multiclass: unseen category reaches %+v, want the right leaf", got)
	}
	// Feature importance keeps its meaning: one split, all on feature 0.
	if imp := FeatureImportances(nodes, 2, true); imp[0] != 1 || imp[1] != 0 {
		t.Fatalf("importances %v", imp)
	}
}

// TestCategoricalMulticlassOrdered: with more categories than
// ⌊log2(⌊maxBins/2⌋+1)⌋+1 (maxBins capped at the number of rows) a
// multiclass feature is ordered by category impurity. Categories: 0 is
// class 0 ×4, 1 class 1 ×4, 2 classes 0 and 2 ×3 each, 3 classes 1 and 2
// ×3 each; parent gini over (7, 7, 6) of 20 is 0.665. maxBins 6 allows
// ⌊log2 4⌋+1 = 3 unordered categories, so the 4 categories are ordered
// 0, 1 (gini 0), 2, 3 (gini 1/2) and the candidates are {0} (gain 0.665 −
// 0.8·(1 − 94/256) = 0.15875), {0,1} (0.09) and {0,1,2} (≈ 0.0793): {0}
// wins. maxBins 20 allows ⌊log2 11⌋+1 = 4, every subset is tried and
// {0,2}|{1,3} wins (both sides gini 0.42, gain 0.245).
func TestCategoricalMulticlassOrdered(t *testing.T) {
	xy := slices.Concat(repeat(4, 0, 0), repeat(4, 1, 1),
		repeat(3, 2, 0), repeat(3, 2, 2), repeat(3, 3, 1), repeat(3, 3, 2))
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }
	nodes := catTree(t, xy, 4, TreeConfig{Impurity: "gini", NumClasses: 3, MaxBins: 6})
	if c := nodes[0].Categories; !slices.Equal(c, []float64{0}) || !close(nodes[0].Gain, 0.665-0.8*(1-94.0/256)) {
		t.Fatalf("ordered multiclass root %+v, want left {0}, gain 0.15875", nodes[0])
	}
	nodes = catTree(t, xy, 4, TreeConfig{Impurity: "gini", NumClasses: 3, MaxBins: 20})
	if c := nodes[0].Categories; !slices.Equal(c, []float64{0, 2}) || !close(nodes[0].Gain, 0.245) {
		t.Fatalf("unordered multiclass root %+v, want left {0,2}, gain 0.245", nodes[0])
	}
}

// TestCategoricalErrors: Spark's maxBins requirement (maxBins capped at the
// number of rows) and out-of-range categories.
func TestCategoricalErrors(t *testing.T) {
	ctx := context.Background()
	var rows []catRow
	for i := 0; i < 40; i++ {
		rows = append(rows, catRow{[]float64{float64(i % 3), float64(i)}, float64(i % 2), 1})
	}
	cfg := TreeConfig{MaxDepth: 2, MaxBins: 32, MinInstancesPerNode: 1, Impurity: "gini", NumClasses: 2, Categorical: map[int]int{0: 3, 1: 40}}
	_, err := GrowTree(ctx, catBlocks(rows, 2), cfg)
	want := "DecisionTree requires maxBins (= 32) to be at least as large as the number of values in each categorical feature, but categorical feature 1 has 40 values"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	cfg.MaxBins = 64 // 40 rows cap maxBins at 40: enough
	if _, err := GrowTree(ctx, catBlocks(rows, 2), cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Categorical = map[int]int{0: 3, 1: 41}
	if _, err := GrowTree(ctx, catBlocks(rows, 2), cfg); err == nil || !strings.Contains(err.Error(), "maxBins (= 40)") {
		t.Fatalf("got %v, want maxBins capped at 40 rows", err)
	}
	cfg.Categorical = map[int]int{0: 2}
	if _, err := GrowTree(ctx, catBlocks(rows, 2), cfg); err == nil || !strings.Contains(err.Error(), "Feature 0 is categorical with values in {0,...,1}, but a data point gives it value 2") {
		t.Fatalf("got %v", err)
	}
	cfg.Categorical = map[int]int{5: 2}
	if _, err := GrowTree(ctx, catBlocks(rows, 2), cfg); err == nil || !strings.Contains(err.Error(), "outside the 2 features") {
		t.Fatalf("got %v", err)
	}
}

// TestCategoricalPersist: categorical splits survive gspark's tree files
// and Spark's node table, where the split struct holds the sorted left
// categories and the number of categories (-1 for continuous splits).
func TestCategoricalPersist(t *testing.T) {
	ctx := context.Background()
	var rows []catRow
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		c := float64(r.IntN(4))
		x := r.NormFloat64()
		y := 0.0
		if c == 1 || c == 3 {
			y = 1
		}
		if x > 1 {
			y = 2
		}
		rows = append(rows, catRow{[]float64{c, x}, y, 1})
	}
	nodes, err := GrowTree(ctx, catBlocks(rows, 1), TreeConfig{MaxDepth: 3, MaxBins: 32, MinInstancesPerNode: 1, Impurity: "gini", NumClasses: 3, Categorical: map[int]int{0: 4}})
	if err != nil {
		t.Fatal(err)
	}
	nCat, nCont := 0, 0
	for _, n := range nodes {
		switch {
		case n.Categorical():
			nCat++
		case !n.Leaf:
			nCont++
		}
	}
	if nCat == 0 || nCont == 0 {
		t.Fatalf("want both kinds of split, got %d categorical and %d continuous", nCat, nCont)
	}
	dir := t.TempDir()
	if err := WriteTrees(filepath.Join(dir, "g"), [][]TreeNode{nodes}, nil); err != nil {
		t.Fatal(err)
	}
	back, _, err := ReadTrees(ctx, filepath.Join(dir, "g"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back[0], nodes) {
		t.Fatalf("gspark files give\n%+v\nwant\n%+v", back[0], nodes)
	}
	if err := WriteSparkTree(filepath.Join(dir, "s"), nodes); err != nil {
		t.Fatal(err)
	}
	sp, err := ReadSparkTree(ctx, filepath.Join(dir, "s"), true)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		x := []float64{float64(i % 6), float64(i)/25 - 2}
		if a, b := PredictTree(sp, x), PredictTree(nodes, x); a.Prediction != b.Prediction || !slices.Equal(a.Stats, b.Stats) {
			t.Fatalf("x %v: Spark layout predicts %v, original %v", x, a.Prediction, b.Prediction)
		}
	}
	// The raw split structs: root in preorder is node 0.
	recs, err := ml.ReadParquetDir(ctx, filepath.Join(dir, "s"), "data", memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	defer releaseAll(recs)
	seenCat := false
	for _, rec := range recs {
		split := rec.Column(ml.FieldIndex(rec.Schema(), "split")).(*array.Struct)
		feat := split.Field(0).(*array.Int32)
		cats := split.Field(1).(*array.List)
		vals := cats.ListValues().(*array.Float64)
		num := split.Field(2).(*array.Int32)
		for i := 0; i < int(rec.NumRows()); i++ {
			lo, hi := cats.ValueOffsets(i)
			got := vals.Float64Values()[lo:hi]
			switch {
			case num.Value(i) == 4:
				seenCat = true
				if feat.Value(i) != 0 || len(got) == 0 || len(got) >= 4 || !slices.IsSorted(got) {
					t.Fatalf("categorical split row %d: feature %d, left %v", i, feat.Value(i), got)
				}
			case num.Value(i) != -1:
				t.Fatalf("row %d: numCategories %d", i, num.Value(i))
			case feat.Value(i) == 1 && len(got) != 1:
				t.Fatalf("continuous split row %d: %v", i, got)
			}
		}
	}
	if !seenCat {
		t.Fatal("no categorical split in Spark's node table")
	}
	// A loaded tree with a category outside its feature is rejected.
	bad := slices.Clone(nodes)
	for i := range bad {
		if bad[i].Categorical() {
			bad[i].Categories = []float64{4}
			break
		}
	}
	if err := CheckTree(bad, 2, 3); err == nil || !strings.Contains(err.Error(), "not one of 0..3") {
		t.Fatalf("got %v", err)
	}
}

// TestCategoricalFeaturesFromAttributes reads Spark's
// categoricalFeaturesInfo from a vector column's ML attributes.
func TestCategoricalFeaturesFromAttributes(t *testing.T) {
	g := attribute.NewGroup([]attribute.Attribute{
		attribute.NewNumeric("a"), attribute.NewNominal("b", []string{"x", "y", "z"}),
		attribute.NewBinary("c"), attribute.NewNominalCount("d", 5),
	})
	s := arrow.NewSchema([]arrow.Field{{Name: "features", Type: arrow.BinaryTypes.Binary, Metadata: g.Metadata(arrow.Metadata{})}}, nil)
	got, err := CategoricalFeatures(s, "features")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int]int{1: 3, 2: 2, 3: 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	plain := arrow.NewSchema([]arrow.Field{{Name: "features", Type: arrow.BinaryTypes.Binary}}, nil)
	if got, err := CategoricalFeatures(plain, "features"); err != nil || len(got) != 0 {
		t.Fatalf("no attributes: got %v, %v", got, err)
	}
	unknown := attribute.NewGroup([]attribute.Attribute{{Type: attribute.Nominal, Index: -1, NumValues: -1}})
	s = arrow.NewSchema([]arrow.Field{{Name: "features", Type: arrow.BinaryTypes.Binary, Metadata: unknown.Metadata(arrow.Metadata{})}}, nil)
	if _, err := CategoricalFeatures(s, "features"); err == nil || !strings.Contains(err.Error(), "does not have the number of values") {
		t.Fatalf("got %v", err)
	}
}

// TestCategoricalSparkSuiteCases are cases of Spark's own RandomForestSuite
// (mllib/src/test/scala/org/apache/spark/ml/tree/impl), with its expected
// results.
func TestCategoricalSparkSuiteCases(t *testing.T) {
	ctx := context.Background()
	grow := func(xs [][]float64, ys []float64, cfg TreeConfig) []TreeNode {
		t.Helper()
		var rows []catRow
		for i, x := range xs {
			rows = append(rows, catRow{x, ys[i], 1})
		}
		cfg.MinInstancesPerNode = 1
		nodes, err := GrowTree(ctx, catBlocks(rows, 2), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return nodes
	}
	// "Use soft prediction for binary classification with ordered
	// categorical features": the best split is {1} vs. {0, 2}.
	xs := [][]float64{{0}, {0}, {0}, {0}, {1}, {1}, {1}, {1}, {2}, {2}, {2}, {2}}
	ys := []float64{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}
	nodes := grow(xs, ys, TreeConfig{MaxDepth: 1, MaxBins: 3, Impurity: "gini", NumClasses: 2, Categorical: map[int]int{0: 3}})
	if !nodes[0].Categorical() || !slices.Equal(nodes[0].Categories, []float64{1}) {
		t.Fatalf("soft prediction case: root %+v, Spark's left categories are [1]", nodes[0])
	}
	// "Avoid aggregation on the last level": categorical feature 0 (3
	// categories), depth 1; the children predict 0 and 1 and are pure.
	xs = [][]float64{{1, 0, 0}, {0, 1, 1}, {2, 0, 0}, {0, 2, 1}}
	ys = []float64{0, 1, 0, 1}
	nodes = grow(xs, ys, TreeConfig{MaxDepth: 1, MaxBins: 32, Impurity: "gini", NumClasses: 2, Categorical: map[int]int{0: 3}})
	l, r := nodes[nodes[0].Left], nodes[nodes[0].Right]
	if nodes[0].Impurity <= 0 || l.Prediction != 0 || r.Prediction != 1 || l.Impurity != 0 || r.Impurity != 0 {
		t.Fatalf("last level case: root %+v, left %+v, right %+v", nodes[0], l, r)
	}
	// "train with constant features": categorical features of 1 and 5
	// categories with maxBins 5 over 5 rows; the tree is a leaf
	// predicting the label.
	xs = [][]float64{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}}
	ys = []float64{1, 1, 1, 1, 1}
	nodes = grow(xs, ys, TreeConfig{MaxDepth: 2, MaxBins: 5, Impurity: "gini", NumClasses: 2, Categorical: map[int]int{0: 1, 1: 5}})
	if len(nodes) != 1 || nodes[0].Prediction != 1 {
		t.Fatalf("constant features case: %+v", nodes)
	}
}
