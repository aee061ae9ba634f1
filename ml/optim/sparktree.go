package optim

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
)

// Spark saves a tree model's data as one Parquet row per node (Spark's
// DecisionTreeModelReadWrite.NodeData): id (preorder, root 0), prediction,
// impurity, impurityStats (class counts, or count/sum/sum of squares for
// variance), gain, leftChild and rightChild (-1 at leaves), and split
// {featureIndex, leftCategoriesOrThreshold, numCategories} where a
// continuous split (numCategories -1) sends x[featureIndex] <= threshold
// left, and a categorical split (numCategories k ≥ 0) lists the categories
// going left. Ensembles save rows {treeID, nodeData} under data/ and the trees'
// weights under treesMetadata/ {treeID, metadata, weights}.

// sparkNodeFields are the node columns in Spark's order.
var sparkNodeFields = []string{"id", "prediction", "impurity", "impurityStats", "gain", "leftChild", "rightChild", "split"}

// ReadSparkTree reads the single tree Spark saved under dir/data;
// classif says its statistics are class counts (else variance statistics).
func ReadSparkTree(ctx context.Context, dir string, classif bool) ([]TreeNode, error) {
	mem := memory.NewGoAllocator()
	recs, err := ml.ReadParquetDir(ctx, dir, "data", mem)
	if err != nil {
		return nil, err
	}
	defer releaseAll(recs)
	var rows []sparkNode
	for _, rec := range recs {
		cols, err := columnsByName(rec.Schema().Fields(), rec.Columns(), sparkNodeFields, "node data")
		if err != nil {
			return nil, err
		}
		rs, err := sparkNodes(cols)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return sparkTree(rows, classif)
}

// ReadSparkEnsemble reads the trees and weights of an ensemble Spark saved
// under dir/data and dir/treesMetadata, in treeID order; classif as for
// ReadSparkTree (false for GBT classifiers, whose trees are regression trees).
func ReadSparkEnsemble(ctx context.Context, dir string, classif bool) ([][]TreeNode, []float64, error) {
	mem := memory.NewGoAllocator()
	recs, err := ml.ReadParquetDir(ctx, dir, "data", mem)
	if err != nil {
		return nil, nil, err
	}
	defer releaseAll(recs)
	byTree := map[int][]sparkNode{}
	for _, rec := range recs {
		top, err := columnsByName(rec.Schema().Fields(), rec.Columns(), []string{"treeID", "nodeData"}, "ensemble data")
		if err != nil {
			return nil, nil, err
		}
		ids, ok := top[0].(*array.Int32)
		nd, ok2 := top[1].(*array.Struct)
		if !ok || !ok2 {
			return nil, nil, fmt.Errorf("ensemble data: treeID is %s and nodeData %s, want int and struct", top[0].DataType(), top[1].DataType())
		}
		st := nd.DataType().(*arrow.StructType)
		fieldArrs := make([]arrow.Array, nd.NumField())
		for i := range fieldArrs {
			fieldArrs[i] = nd.Field(i)
		}
		cols, err := columnsByName(st.Fields(), fieldArrs, sparkNodeFields, "ensemble nodeData")
		if err != nil {
			return nil, nil, err
		}
		rs, err := sparkNodes(cols)
		if err != nil {
			return nil, nil, err
		}
		for i, r := range rs {
			t := int(ids.Value(i))
			byTree[t] = append(byTree[t], r)
		}
	}
	wrecs, err := ml.ReadParquetDir(ctx, dir, "treesMetadata", mem)
	if err != nil {
		return nil, nil, err
	}
	defer releaseAll(wrecs)
	weightOf := map[int]float64{}
	for _, rec := range wrecs {
		cols, err := columnsByName(rec.Schema().Fields(), rec.Columns(), []string{"treeID", "weights"}, "treesMetadata")
		if err != nil {
			return nil, nil, err
		}
		ids, ok := cols[0].(*array.Int32)
		ws, ok2 := cols[1].(*array.Float64)
		if !ok || !ok2 {
			return nil, nil, fmt.Errorf("treesMetadata: treeID is %s and weights %s, want int and double", cols[0].DataType(), cols[1].DataType())
		}
		for i := 0; i < ids.Len(); i++ {
			weightOf[int(ids.Value(i))] = ws.Value(i)
		}
	}
	n := len(byTree)
	if n == 0 {
		return nil, nil, fmt.Errorf("ensemble data has no trees")
	}
	trees := make([][]TreeNode, n)
	weights := make([]float64, n)
	for t := 0; t < n; t++ {
		rows, ok := byTree[t]
		if !ok {
			return nil, nil, fmt.Errorf("ensemble data: tree %d is missing (tree ids must be 0..%d)", t, n-1)
		}
		w, ok := weightOf[t]
		if !ok {
			return nil, nil, fmt.Errorf("treesMetadata: no weight for tree %d", t)
		}
		if trees[t], err = sparkTree(rows, classif); err != nil {
			return nil, nil, fmt.Errorf("tree %d: %w", t, err)
		}
		weights[t] = w
	}
	return trees, weights, nil
}

func releaseAll(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

// columnsByName picks the arrays of the named fields.
func columnsByName(fields []arrow.Field, arrs []arrow.Array, names []string, what string) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(names))
	for i, name := range names {
		k := slices.IndexFunc(fields, func(f arrow.Field) bool { return f.Name == name })
		if k < 0 {
			return nil, fmt.Errorf("%s has no field %q", what, name)
		}
		out[i] = arrs[k]
	}
	return out, nil
}

// sparkNode is one row of Spark's node table.
type sparkNode struct {
	id, left, right, feature, numCategories int
	prediction, impurity, gain              float64
	stats, leftOrThreshold                  []float64
}

func float64List(a arrow.Array, what string) (*array.List, *array.Float64, error) {
	l, ok := a.(*array.List)
	if !ok {
		return nil, nil, fmt.Errorf("node field %s is %s, want a list of doubles", what, a.DataType())
	}
	v, ok := l.ListValues().(*array.Float64)
	if !ok {
		return nil, nil, fmt.Errorf("node field %s is %s, want a list of doubles", what, a.DataType())
	}
	return l, v, nil
}

func listAt(l *array.List, v *array.Float64, i int) []float64 {
	if l.IsNull(i) {
		return nil
	}
	s, e := l.ValueOffsets(i)
	return append([]float64(nil), v.Float64Values()[s:e]...)
}

// sparkNodes decodes node columns (in sparkNodeFields order).
func sparkNodes(cols []arrow.Array) ([]sparkNode, error) {
	ints := make([]*array.Int32, 0, 3)
	for _, k := range []int{0, 5, 6} {
		a, ok := cols[k].(*array.Int32)
		if !ok {
			return nil, fmt.Errorf("node field %s is %s, want int", sparkNodeFields[k], cols[k].DataType())
		}
		ints = append(ints, a)
	}
	dbls := make([]*array.Float64, 0, 3)
	for _, k := range []int{1, 2, 4} {
		a, ok := cols[k].(*array.Float64)
		if !ok {
			return nil, fmt.Errorf("node field %s is %s, want double", sparkNodeFields[k], cols[k].DataType())
		}
		dbls = append(dbls, a)
	}
	statsL, statsV, err := float64List(cols[3], "impurityStats")
	if err != nil {
		return nil, err
	}
	split, ok := cols[7].(*array.Struct)
	if !ok {
		return nil, fmt.Errorf("node field split is %s, want a struct", cols[7].DataType())
	}
	st := split.DataType().(*arrow.StructType)
	sf := make([]arrow.Array, split.NumField())
	for i := range sf {
		sf[i] = split.Field(i)
	}
	sc, err := columnsByName(st.Fields(), sf, []string{"featureIndex", "leftCategoriesOrThreshold", "numCategories"}, "node field split")
	if err != nil {
		return nil, err
	}
	feat, ok := sc[0].(*array.Int32)
	ncat, ok2 := sc[2].(*array.Int32)
	if !ok || !ok2 {
		return nil, fmt.Errorf("split.featureIndex is %s and split.numCategories %s, want int", sc[0].DataType(), sc[2].DataType())
	}
	thrL, thrV, err := float64List(sc[1], "split.leftCategoriesOrThreshold")
	if err != nil {
		return nil, err
	}
	n := cols[0].Len()
	out := make([]sparkNode, n)
	for i := range out {
		out[i] = sparkNode{
			id: int(ints[0].Value(i)), left: int(ints[1].Value(i)), right: int(ints[2].Value(i)),
			prediction: dbls[0].Value(i), impurity: dbls[1].Value(i), gain: dbls[2].Value(i),
			stats: listAt(statsL, statsV, i), feature: int(feat.Value(i)), numCategories: int(ncat.Value(i)),
			leftOrThreshold: listAt(thrL, thrV, i),
		}
	}
	return out, nil
}

// sparkTree turns node rows into TreeNodes indexed by Spark's node ids,
// which must be 0..n-1 with children after their parent.
func sparkTree(rows []sparkNode, classif bool) ([]TreeNode, error) {
	n := len(rows)
	if n == 0 {
		return nil, fmt.Errorf("tree has no nodes")
	}
	nodes := make([]TreeNode, n)
	seen := make([]bool, n)
	for _, r := range rows {
		if r.id < 0 || r.id >= n || seen[r.id] {
			return nil, fmt.Errorf("node id %d is out of range or repeated (ids must be 0..%d)", r.id, n-1)
		}
		seen[r.id] = true
		nd := TreeNode{Prediction: r.prediction, Impurity: r.impurity, Stats: r.stats}
		if classif {
			for _, v := range r.stats {
				nd.Count += v
			}
		} else if len(r.stats) > 0 {
			// Variance statistics are [count, sum, sum of squares].
			nd.Count = r.stats[0]
		}
		switch {
		case r.left < 0 && r.right < 0:
			nd.Leaf = true
		case r.left < 0 || r.right < 0:
			return nil, fmt.Errorf("node %d has one child", r.id)
		case r.numCategories == 0:
			return nil, fmt.Errorf("node %d splits feature %d as categorical with 0 categories", r.id, r.feature)
		case r.numCategories > 0:
			// Spark's CategoricalSplit: the categories going left.
			cats := append([]float64{}, r.leftOrThreshold...)
			slices.Sort(cats)
			nd.Feature, nd.Categories, nd.NumCategories, nd.Left, nd.Right, nd.Gain = r.feature, cats, r.numCategories, r.left, r.right, r.gain
		case len(r.leftOrThreshold) != 1:
			return nil, fmt.Errorf("node %d: a continuous split has %d thresholds, want 1", r.id, len(r.leftOrThreshold))
		default:
			nd.Feature, nd.Threshold, nd.Left, nd.Right, nd.Gain = r.feature, r.leftOrThreshold[0], r.left, r.right, r.gain
		}
		nodes[r.id] = nd
	}
	return nodes, nil
}
