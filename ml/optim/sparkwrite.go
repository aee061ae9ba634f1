package optim

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
)

// sparkDoubles is Spark's array<double> with non-null elements.
func sparkDoubles() *arrow.ListType {
	return arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64})
}

// SparkNodeFields returns the fields of Spark's node table, with the types
// and nullability of Spark's files.
func SparkNodeFields() []arrow.Field {
	split := arrow.StructOf(
		arrow.Field{Name: "featureIndex", Type: arrow.PrimitiveTypes.Int32},
		arrow.Field{Name: "leftCategoriesOrThreshold", Type: sparkDoubles(), Nullable: true},
		arrow.Field{Name: "numCategories", Type: arrow.PrimitiveTypes.Int32},
	)
	return []arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "prediction", Type: arrow.PrimitiveTypes.Float64},
		{Name: "impurity", Type: arrow.PrimitiveTypes.Float64},
		{Name: "impurityStats", Type: sparkDoubles(), Nullable: true},
		{Name: "gain", Type: arrow.PrimitiveTypes.Float64},
		{Name: "leftChild", Type: arrow.PrimitiveTypes.Int32},
		{Name: "rightChild", Type: arrow.PrimitiveTypes.Int32},
		{Name: "split", Type: split, Nullable: true},
	}
}

// preorder returns the node indices of a tree in preorder (Spark's node ids).
func preorder(nodes []TreeNode) []int {
	var order []int
	var visit func(i int)
	visit = func(i int) {
		order = append(order, i)
		if !nodes[i].Leaf {
			visit(nodes[i].Left)
			visit(nodes[i].Right)
		}
	}
	visit(0)
	return order
}

// appendSparkNodes appends a tree's nodes, renumbered in preorder as Spark
// numbers them, to the builders of SparkNodeFields (leaves get gain -1 and
// the split {-1, [], -1}, continuous splits {feature, [threshold], -1},
// categorical splits {feature, left categories, number of categories}).
func appendSparkNodes(b *array.StructBuilder, fields []array.Builder, nodes []TreeNode) int {
	order := preorder(nodes)
	id := make([]int, len(nodes))
	for k, i := range order {
		id[i] = k
	}
	for _, i := range order {
		n := nodes[i]
		if b != nil {
			b.Append(true)
		}
		fields[0].(*array.Int32Builder).Append(int32(id[i]))
		fields[1].(*array.Float64Builder).Append(n.Prediction)
		fields[2].(*array.Float64Builder).Append(n.Impurity)
		sb := fields[3].(*array.ListBuilder)
		sb.Append(true)
		sb.ValueBuilder().(*array.Float64Builder).AppendValues(n.Stats, nil)
		split := fields[7].(*array.StructBuilder)
		split.Append(true)
		thr := split.FieldBuilder(1).(*array.ListBuilder)
		thr.Append(true)
		if n.Leaf {
			fields[4].(*array.Float64Builder).Append(-1)
			fields[5].(*array.Int32Builder).Append(-1)
			fields[6].(*array.Int32Builder).Append(-1)
			split.FieldBuilder(0).(*array.Int32Builder).Append(-1)
		} else {
			fields[4].(*array.Float64Builder).Append(n.Gain)
			fields[5].(*array.Int32Builder).Append(int32(id[n.Left]))
			fields[6].(*array.Int32Builder).Append(int32(id[n.Right]))
			split.FieldBuilder(0).(*array.Int32Builder).Append(int32(n.Feature))
			if n.Categorical() {
				thr.ValueBuilder().(*array.Float64Builder).AppendValues(n.Categories, nil)
			} else {
				thr.ValueBuilder().(*array.Float64Builder).Append(n.Threshold)
			}
		}
		numCats := int32(-1)
		if n.Categorical() {
			numCats = int32(n.NumCategories)
		}
		split.FieldBuilder(2).(*array.Int32Builder).Append(numCats)
	}
	return len(order)
}

// WriteSparkTree writes one tree under dir/data as Spark does: one row per
// node with the fields of SparkNodeFields.
func WriteSparkTree(dir string, nodes []TreeNode) error {
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema(SparkNodeFields(), nil)
	rb := array.NewRecordBuilder(mem, schema)
	defer rb.Release()
	appendSparkNodes(nil, rb.Fields(), nodes)
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return ml.WriteSparkParquet(dir, "data", rec)
}

// WriteSparkEnsemble writes trees as Spark's ensembles: dir/data with rows
// {treeID, nodeData}, and dir/treesMetadata with rows {treeID, metadata,
// weights}, where metadata[t] is tree t's metadata JSON (Spark writes each
// tree's own DecisionTree*Model metadata there).
func WriteSparkEnsemble(dir string, trees [][]TreeNode, weights []float64, metadata []string) error {
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "treeID", Type: arrow.PrimitiveTypes.Int32},
		{Name: "nodeData", Type: arrow.StructOf(SparkNodeFields()...), Nullable: true},
	}, nil)
	rb := array.NewRecordBuilder(mem, schema)
	defer rb.Release()
	nd := rb.Field(1).(*array.StructBuilder)
	fields := make([]array.Builder, nd.NumField())
	for i := range fields {
		fields[i] = nd.FieldBuilder(i)
	}
	for t, nodes := range trees {
		n := appendSparkNodes(nd, fields, nodes)
		for range n {
			rb.Field(0).(*array.Int32Builder).Append(int32(t))
		}
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	if err := ml.WriteSparkParquet(dir, "data", rec); err != nil {
		return err
	}
	mschema := arrow.NewSchema([]arrow.Field{
		{Name: "treeID", Type: arrow.PrimitiveTypes.Int32},
		{Name: "metadata", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "weights", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	mb := array.NewRecordBuilder(mem, mschema)
	defer mb.Release()
	for t := range trees {
		mb.Field(0).(*array.Int32Builder).Append(int32(t))
		mb.Field(1).(*array.StringBuilder).Append(metadata[t])
		w := 1.0
		if weights != nil {
			w = weights[t]
		}
		mb.Field(2).(*array.Float64Builder).Append(w)
	}
	mrec := mb.NewRecordBatch()
	defer mrec.Release()
	return ml.WriteSparkParquet(dir, "treesMetadata", mrec)
}
