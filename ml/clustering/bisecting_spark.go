package clustering

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

// Spark's BisectingKMeansModel directory holds the ml metadata and, under
// data/, the model as Spark's older mllib package saves it: a JSON line in
// data/metadata/part-00000 (class, format version, the root node's id, the
// distance measure, the training cost) and a Parquet row per tree node in
// data/data (mllib's BisectingKMeansModel SaveLoadV3_0, written by Spark 3.x;
// 1.0 and 2.0, without the cost and the measure, are read too).
const (
	sparkMllibBisectingClass = "org.apache.spark.mllib.clustering.BisectingKMeansModel"
	sparkBisectingVersion    = "3.0"
)

// SparkClassName implements ml.SparkWriter.
func (m *BisectingKMeansModel) SparkClassName() string {
	return sparkClusteringPrefix + "BisectingKMeansModel"
}

// SparkVersion implements ml.SparkVersioner: the mllib data is in the
// layout Spark 3.0 introduced (Spark 2.4 cannot read it).
func (m *BisectingKMeansModel) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's
// BisectingKMeansModel (weightCol is written only when set).
func (m *BisectingKMeansModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "predictionCol", "weightCol", "k", "maxIter", "seed",
		"minDivisibleClusterSize", "distanceMeasure"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *BisectingKMeansModel) SparkExtra() map[string]any { return nil }

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.BisectingKMeansModel).
func (m *BisectingKMeansModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// sparkBisectingMeta is the JSON line of data/metadata/part-00000.
type sparkBisectingMeta struct {
	Class           string   `json:"class"`
	Version         string   `json:"version"`
	RootID          *int     `json:"rootId"`
	DistanceMeasure string   `json:"distanceMeasure,omitempty"`
	TrainingCost    *float64 `json:"trainingCost,omitempty"`
}

// sparkIDs numbers the nodes as Spark does: leaves by their cluster
// index (0, 1, …), inner nodes −1, −2, … in preorder.
func (m *BisectingKMeansModel) sparkIDs() []int {
	ids := make([]int, len(m.nodes))
	next := -1
	var walk func(i int)
	walk = func(i int) {
		n := m.nodes[i]
		if n.Left < 0 {
			ids[i] = n.Leaf
			return
		}
		ids[i] = next
		next--
		walk(n.Left)
		walk(n.Right)
	}
	walk(0)
	return ids
}

// WriteSparkData implements ml.SparkWriter: data/metadata and data/data as
// mllib's SaveLoadV3_0 writes them, a row per node of Data(index: Int,
// size: Long, center: mllib Vector, norm: Double, cost: Double, height:
// Double, children: Seq[Int]); height is the largest distance from the
// node's center to a child's.
func (m *BisectingKMeansModel) WriteSparkData(dir string) error {
	measure := m.distanceMeasure.Get(m.Params())
	dist := func(a, b []float64) float64 { return math.Sqrt(sqDist(a, b)) }
	if measure == "cosine" {
		dist = cosineDist
	}
	ids := m.sparkIDs()
	cost := 0.0
	for _, n := range m.nodes {
		if n.Left < 0 {
			cost += n.Cost
		}
	}
	root := ids[0]
	line, err := json.Marshal(sparkBisectingMeta{Class: sparkMllibBisectingClass, Version: sparkBisectingVersion,
		RootID: &root, DistanceMeasure: measure, TrainingCost: &cost})
	if err != nil {
		return err
	}
	md := filepath.Join(dir, "data", "metadata")
	if err := os.MkdirAll(md, 0o755); err != nil {
		return err
	}
	if err := errors.Join(os.WriteFile(filepath.Join(md, "part-00000"), append(line, '\n'), 0o644),
		os.WriteFile(filepath.Join(md, "_SUCCESS"), nil, 0o644)); err != nil {
		return err
	}
	oldVector := arrow.NewMetadata([]string{ml.SparkUDTKey}, []string{ml.SparkOldVectorUDT})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "index", Type: arrow.PrimitiveTypes.Int32},
		{Name: "size", Type: arrow.PrimitiveTypes.Int64},
		{Name: "center", Type: ml.SparkVectorType(), Nullable: true, Metadata: oldVector},
		{Name: "norm", Type: arrow.PrimitiveTypes.Float64},
		{Name: "cost", Type: arrow.PrimitiveTypes.Float64},
		{Name: "height", Type: arrow.PrimitiveTypes.Float64},
		{Name: "children", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true},
	}, nil)
	rows := make([][]any, len(m.nodes))
	for i, n := range m.nodes {
		height := 0.0
		children := []int{}
		if n.Left >= 0 {
			height = max(dist(n.Center, m.nodes[n.Left].Center), dist(n.Center, m.nodes[n.Right].Center))
			children = []int{ids[n.Left], ids[n.Right]}
		}
		rows[i] = []any{ids[i], n.Size, n.Center, linalg.NormOf(n.Center, 2), n.Cost, height, children}
	}
	return ml.WriteSparkRows(dir, filepath.Join("data", "data"), schema, rows...)
}

// loadSparkBisectingKMeansModel reads Spark's layout (mllib data format
// 1.0, 2.0 or 3.0): the tree is rebuilt from rootId through the children
// ids; leaves keep their ids as cluster indices, which must be 0…k−1.
func loadSparkBisectingKMeansModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	metaPath := filepath.Join(dir, "data", "metadata", "part-00000")
	raw, err := os.ReadFile(metaPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	var meta sparkBisectingMeta
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", md.UID, metaPath, err)
	}
	switch {
	case meta.Class != sparkMllibBisectingClass:
		return nil, fmt.Errorf("%s: %s: class %q, want %s", md.UID, metaPath, meta.Class, sparkMllibBisectingClass)
	case meta.Version != "1.0" && meta.Version != "2.0" && meta.Version != "3.0":
		return nil, fmt.Errorf("%s: %s: format version %q, want 1.0, 2.0 or 3.0", md.UID, metaPath, meta.Version)
	case meta.RootID == nil:
		return nil, fmt.Errorf("%s: %s: no rootId", md.UID, metaPath)
	}
	d, err := ml.ReadSparkData(ctx, dir, filepath.Join("data", "data"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	type sparkNode struct {
		size     int64
		center   []float64
		cost     float64
		children []int64
		row      int
		taken    bool
	}
	byID := map[int64]*sparkNode{}
	for r := 0; r < d.NumRows(); r++ {
		id, err := d.Int("index", r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		if byID[id] != nil {
			return nil, fmt.Errorf("%s: model data row %d: node id %d repeated", md.UID, r, id)
		}
		n := &sparkNode{row: r}
		if n.size, err = d.Int("size", r); err == nil {
			var v linalg.Vector
			if v, err = d.Vector("center", r); err == nil {
				n.center = v.ToArray()
				if n.cost, err = d.Float64("cost", r); err == nil {
					n.children, err = d.Ints("children", r)
				}
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		byID[id] = n
	}
	var nodes []BisectNode
	var build func(id int64) (int, error)
	build = func(id int64) (int, error) {
		n := byID[id]
		switch {
		case n == nil:
			return 0, fmt.Errorf("model data has no node %d", id)
		case n.taken:
			return 0, fmt.Errorf("model data: node %d (row %d) is reached twice", id, n.row)
		case len(n.children) != 0 && len(n.children) != 2:
			return 0, fmt.Errorf("model data: node %d (row %d) has %d children, want 0 or 2", id, n.row, len(n.children))
		case len(nodes) > 0 && len(n.center) != len(nodes[0].Center):
			return 0, fmt.Errorf("model data: node %d (row %d) has a center of size %d, the root %d", id, n.row, len(n.center), len(nodes[0].Center))
		}
		n.taken = true
		i := len(nodes)
		nodes = append(nodes, BisectNode{Center: n.center, Left: -1, Right: -1, Leaf: -1, Size: n.size, Cost: n.cost})
		if len(n.children) == 0 {
			nodes[i].Leaf = int(id)
			return i, nil
		}
		l, err := build(n.children[0])
		if err != nil {
			return 0, err
		}
		r, err := build(n.children[1])
		if err != nil {
			return 0, err
		}
		nodes[i].Left, nodes[i].Right = l, r
		return i, nil
	}
	if _, err := build(int64(*meta.RootID)); err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	var leaves []int
	for _, n := range nodes {
		if n.Leaf >= 0 || n.Left < 0 {
			leaves = append(leaves, n.Leaf)
		}
	}
	seen := make([]bool, len(leaves))
	for _, l := range leaves {
		if l < 0 || l >= len(leaves) || seen[l] {
			return nil, fmt.Errorf("%s: model data: leaf ids %v are not 0…%d", md.UID, leaves, len(leaves)-1)
		}
		seen[l] = true
	}
	m := newBisectingKMeansModel(md.UID, nodes)
	if err := md.ApplySparkParams(m.Params()); err != nil {
		return nil, err
	}
	if meta.DistanceMeasure != "" {
		// The mllib model's own measure is the one it predicts with.
		if err := m.distanceMeasure.Set(m.Params(), meta.DistanceMeasure); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", md.UID, metaPath, err)
		}
	}
	return m, nil
}

var _ ml.SparkWriter = (*BisectingKMeansModel)(nil)
