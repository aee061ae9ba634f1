package clustering

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

type bkmParams struct {
	featuresCol, predictionCol, weightCol param.Param[string]
	distanceMeasure                       param.Param[string]
	k, maxIter                            param.Param[int]
	minDivisibleClusterSize               param.Param[float64]
	seed                                  param.Param[int64]
}

func defineBKM(ps *param.Params) bkmParams {
	return bkmParams{
		featuresCol:             param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		predictionCol:           param.Define(ps, "predictionCol", "cluster index column name", param.WithDefault("prediction")),
		weightCol:               param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		k:                       param.Define(ps, "k", "desired number of leaf clusters (> 1)", param.WithDefault(4), param.WithValidator(param.Gt(1))),
		maxIter:                 param.Define(ps, "maxIter", "iterations of each bisection's 2-means (>= 0)", param.WithDefault(20), param.WithValidator(param.GtEq(0))),
		minDivisibleClusterSize: param.Define(ps, "minDivisibleClusterSize", "minimum rows (>= 1) or share of rows (< 1) of a divisible cluster", param.WithDefault(1.0), param.WithValidator(param.Gt(0.0))),
		seed:                    param.Define(ps, "seed", "random seed", param.WithDefault(int64(566573821))),
		distanceMeasure: param.Define(ps, "distanceMeasure", "distance measure: euclidean or cosine", param.WithDefault("euclidean"),
			param.WithValidator(param.OneOf("euclidean", "cosine"))),
	}
}

// BisectingKMeans clusters top-down as Spark's BisectingKMeans: starting
// from one cluster of all rows, each round splits every divisible leaf (at
// least minDivisibleClusterSize rows and a cost above 2.2e-16 per row; the
// largest first when fewer splits are needed to reach k) in two by 2-means
// started from the leaf's center ± 1e-4·‖center‖·noise (seeded per
// cluster), until there are k leaves or none is divisible. Rows are
// predicted by walking the tree to the nearer child. Sums are aggregated
// per partition in parallel; results do not depend on the partitioning
// beyond rounding.
//
// With distanceMeasure "cosine" the distance is 1 − cos(x, c), as Spark's
// CosineDistanceMeasure: every center (and each split's two starting
// centers) is the normalised mean of the normalised rows, the cost of a
// cluster is Σ w·(1 − cos), and a zero vector is an error.
type BisectingKMeans struct {
	ml.StageBase
	bkmParams
}

// NewBisectingKMeans returns an estimator with Spark's defaults (k = 4).
func NewBisectingKMeans() *BisectingKMeans { return newBisectingKMeans(param.UID("bisecting-kmeans")) }

func newBisectingKMeans(uid string) *BisectingKMeans {
	b := &BisectingKMeans{StageBase: ml.NewStageBase(uid)}
	b.bkmParams = defineBKM(b.Params())
	return b
}

// SetK sets the number of leaf clusters.
func (b *BisectingKMeans) SetK(k int) *BisectingKMeans { b.k.Set(b.Params(), k); return b }

// SetMaxIter sets the iterations of each bisection.
func (b *BisectingKMeans) SetMaxIter(n int) *BisectingKMeans { b.maxIter.Set(b.Params(), n); return b }

// SetSeed sets the random seed.
func (b *BisectingKMeans) SetSeed(s int64) *BisectingKMeans { b.seed.Set(b.Params(), s); return b }

// SetMinDivisibleClusterSize sets the minimum size of a divisible cluster.
func (b *BisectingKMeans) SetMinDivisibleClusterSize(v float64) *BisectingKMeans {
	b.minDivisibleClusterSize.Set(b.Params(), v)
	return b
}

// SetDistanceMeasure sets the distance measure: "euclidean" or "cosine".
func (b *BisectingKMeans) SetDistanceMeasure(m string) *BisectingKMeans {
	b.distanceMeasure.Set(b.Params(), m)
	return b
}

// SetFeaturesCol sets the features column.
func (b *BisectingKMeans) SetFeaturesCol(c string) *BisectingKMeans {
	b.featuresCol.Set(b.Params(), c)
	return b
}

// ClassName implements ml.Stage.
func (b *BisectingKMeans) ClassName() string { return classPrefix + "BisectingKMeans" }

func (p bkmParams) schema(ps *param.Params, in *arrow.Schema, fit bool) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c := optim.Columns{UID: ps.UID(), FeaturesCol: p.featuresCol.Get(ps)}
	if fit {
		c.WeightCol = p.weightCol.Get(ps)
	}
	if err := c.Check(in); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Int32, Nullable: true})
}

// TransformSchema implements ml.Stage.
func (b *BisectingKMeans) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return b.schema(b.Params(), in, true)
}

// Copy implements ml.Stage.
func (b *BisectingKMeans) Copy(extra param.ParamMap) (ml.Stage, error) {
	base, err := b.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *b
	c.StageBase = base
	return &c, nil
}

// Save implements ml.Stage.
func (b *BisectingKMeans) Save(path string) error { return ml.Save(b, path) }

// Fit implements ml.Estimator.
func (b *BisectingKMeans) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := b.FitBisecting(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// BisectNode is a node of the cluster tree: Left and Right are child node
// indices (−1 for a leaf) and Leaf the leaf's cluster index (−1 inside);
// Size is the number of training rows of the cluster and Cost their total
// (weighted) distance to Center (0 when unknown).
type BisectNode struct {
	Center []float64 `json:"center"`
	Left   int       `json:"left"`
	Right  int       `json:"right"`
	Leaf   int       `json:"leaf"`
	Size   int64     `json:"size"`
	Cost   float64   `json:"cost"`
}

// FitBisecting is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (b *BisectingKMeans) FitBisecting(ctx context.Context, df *frame.DataFrame) (*BisectingKMeansModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := b.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := b.Params()
	uid := b.UID()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: b.featuresCol.Get(ps), WeightCol: b.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	d, k := blocks[0].D, b.k.Get(ps)
	cosine := b.distanceMeasure.Get(ps) == "cosine"
	if cosine {
		// Cosine distance and centroids only see directions: work on the
		// normalised rows (the blocks are this fit's own copy).
		if err := normalizeRows(blocks, uid); err != nil {
			return nil, err
		}
	}
	// dist is the distance the cost sums (for unit rows and centers the
	// cosine distance is half the squared Euclidean one).
	dist := sqDist
	if cosine {
		dist = func(x, c []float64) float64 { return sqDist(x, c) / 2 }
	}
	// center turns a weighted mean into a center.
	center := func(c []float64) {
		if cosine {
			unit(c)
		}
	}
	minSize := b.minDivisibleClusterSize.Get(ps)
	if minSize < 1 {
		minSize = math.Ceil(minSize * float64(totalRows(blocks)))
	}
	// assign[p][i] is the tree node row i of block p currently sits in.
	assign := make([][]int, len(blocks))
	for p, bl := range blocks {
		assign[p] = make([]int, bl.N)
	}
	index := map[*optim.Block]int{}
	for p, bl := range blocks {
		index[bl] = p
	}
	// stats returns, per node in nodes, [weight, rows, Σx (d), cost].
	stats := func(nodes []BisectNode, ids []int) (map[int][]float64, error) {
		slot := map[int]int{}
		for s, id := range ids {
			slot[id] = s
		}
		S := d + 3
		acc, err := optim.Reduce(ctx, blocks, len(ids)*S, func(bl *optim.Block, a []float64) {
			p := index[bl]
			for i := 0; i < bl.N; i++ {
				s, ok := slot[assign[p][i]]
				if !ok {
					continue
				}
				x, w := bl.Row(i), bl.W[i]
				row := a[s*S : s*S+S]
				row[0] += w
				row[1]++
				for j, v := range x {
					row[2+j] += w * v
				}
				row[S-1] += w * dist(x, nodes[assign[p][i]].Center)
			}
		})
		if err != nil {
			return nil, err
		}
		out := map[int][]float64{}
		for s, id := range ids {
			out[id] = acc[s*S : s*S+S]
		}
		return out, nil
	}
	root := BisectNode{Center: make([]float64, d), Left: -1, Right: -1}
	nodes := []BisectNode{root}
	// Root center: the weighted mean.
	st, err := stats(nodes, []int{0})
	if err != nil {
		return nil, err
	}
	for j := 0; j < d; j++ {
		nodes[0].Center[j] = st[0][2+j] / st[0][0]
	}
	center(nodes[0].Center)
	leaves := []int{0}
	seed := uint64(b.seed.Get(ps))
	for len(leaves) < k {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := stats(nodes, leaves)
		if err != nil {
			return nil, err
		}
		var divisible []int
		for _, id := range leaves {
			nodes[id].Size, nodes[id].Cost = int64(st[id][1]), st[id][d+2]
			// Spark's rule: large enough, and a cost above machine
			// epsilon per row.
			if s := st[id]; s[1] >= minSize && s[len(s)-1] > epsilon*s[1] {
				divisible = append(divisible, id)
			}
		}
		if len(divisible) == 0 {
			break
		}
		if need := k - len(leaves); len(divisible) > need {
			// The largest clusters (by rows) are split first, as in Spark.
			slices.SortStableFunc(divisible, func(a, c int) int {
				ca, cc := st[a][1], st[c][1]
				switch {
				case ca > cc:
					return -1
				case ca < cc:
					return 1
				}
				return 0
			})
			divisible = divisible[:need]
		}
		// Start the children of each divisible node.
		children := map[int][2]int{}
		for _, id := range divisible {
			c := nodes[id].Center
			r := rand.New(rand.NewPCG(seed, uint64(id)+1))
			level := 1e-4 * linalg.NormOf(c, 2)
			if level == 0 {
				level = 1e-4
			}
			l, rr := make([]float64, d), make([]float64, d)
			for j := range c {
				noise := r.NormFloat64()
				l[j], rr[j] = c[j]-level*noise, c[j]+level*noise
			}
			center(l)
			center(rr)
			li, ri := len(nodes), len(nodes)+1
			nodes = append(nodes, BisectNode{Center: l, Left: -1, Right: -1}, BisectNode{Center: rr, Left: -1, Right: -1})
			nodes[id].Left, nodes[id].Right = li, ri
			children[id] = [2]int{li, ri}
		}
		// 2-means within each divided node.
		S := 2 * (d + 1)
		ids := make([]int, 0, len(children))
		for _, id := range divisible {
			ids = append(ids, id)
		}
		slot := map[int]int{}
		for s, id := range ids {
			slot[id] = s
		}
		for it := 0; it < b.maxIter.Get(ps); it++ {
			acc, err := optim.Reduce(ctx, blocks, len(ids)*S, func(bl *optim.Block, a []float64) {
				p := index[bl]
				for i := 0; i < bl.N; i++ {
					s, ok := slot[assign[p][i]]
					if !ok {
						continue
					}
					ch := children[assign[p][i]]
					x, w := bl.Row(i), bl.W[i]
					side := 0
					if sqDist(x, nodes[ch[1]].Center) < sqDist(x, nodes[ch[0]].Center) {
						side = 1
					}
					row := a[s*S+side*(d+1):]
					row[0] += w
					for j, v := range x {
						row[1+j] += w * v
					}
				}
			})
			if err != nil {
				return nil, err
			}
			moved := false
			for s, id := range ids {
				for side := 0; side < 2; side++ {
					row := acc[s*S+side*(d+1):]
					if row[0] == 0 {
						continue
					}
					c := nodes[children[id][side]].Center
					v := make([]float64, d)
					for j := range v {
						v[j] = row[1+j] / row[0]
					}
					center(v)
					if !slices.Equal(v, c) {
						moved = true
					}
					copy(c, v)
				}
			}
			if !moved {
				break
			}
		}
		// Move the rows to their child and update the leaves.
		if _, err := optim.Reduce(ctx, blocks, 0, func(bl *optim.Block, _ []float64) {
			p := index[bl]
			for i := 0; i < bl.N; i++ {
				ch, ok := children[assign[p][i]]
				if !ok {
					continue
				}
				x := bl.Row(i)
				if sqDist(x, nodes[ch[1]].Center) < sqDist(x, nodes[ch[0]].Center) {
					assign[p][i] = ch[1]
				} else {
					assign[p][i] = ch[0]
				}
			}
		}); err != nil {
			return nil, err
		}
		var next []int
		for _, id := range leaves {
			if ch, ok := children[id]; ok {
				next = append(next, ch[0], ch[1])
			} else {
				next = append(next, id)
			}
		}
		leaves = next
	}
	for i := range nodes {
		nodes[i].Leaf = -1
	}
	for li, id := range leaves {
		nodes[id].Leaf = li
	}
	st, err = stats(nodes, leaves)
	if err != nil {
		return nil, err
	}
	// An inner node keeps the rows and cost it had as a leaf.
	for _, id := range leaves {
		nodes[id].Size, nodes[id].Cost = int64(st[id][1]), st[id][d+2]
	}
	sum := &KMeansSummary{ClusterSizes: make([]float64, len(leaves))}
	for li, id := range leaves {
		sum.ClusterSizes[li] = st[id][1]
		sum.TrainingCost += st[id][d+2]
	}
	m := newBisectingKMeansModel(uid, nodes)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	m.summary = sum
	return m, nil
}

// BisectingKMeansModel assigns rows to the leaves of a cluster tree.
type BisectingKMeansModel struct {
	ml.StageBase
	bkmParams
	nodes   []BisectNode
	summary *KMeansSummary
}

func newBisectingKMeansModel(uid string, nodes []BisectNode) *BisectingKMeansModel {
	m := &BisectingKMeansModel{StageBase: ml.NewStageBase(uid), nodes: nodes}
	m.bkmParams = defineBKM(m.Params())
	return m
}

// ClusterCenters returns the leaf centers, by leaf index.
func (m *BisectingKMeansModel) ClusterCenters() []linalg.Vector {
	var out []linalg.Vector
	for _, n := range m.nodes {
		if n.Leaf >= 0 {
			for len(out) <= n.Leaf {
				out = append(out, nil)
			}
			out[n.Leaf] = linalg.Dense(append([]float64(nil), n.Center...)...)
		}
	}
	return out
}

// Summary returns the training summary (cost = Σ squared distances to the
// leaf centers), nil for a loaded model.
func (m *BisectingKMeansModel) Summary() *KMeansSummary { return m.summary }

func (m *BisectingKMeansModel) predict(x []float64) int {
	dist := sqDist
	if m.distanceMeasure.Get(m.Params()) == "cosine" {
		dist = cosineDist
	}
	n := &m.nodes[0]
	for n.Left >= 0 {
		l, r := &m.nodes[n.Left], &m.nodes[n.Right]
		if dist(x, r.Center) < dist(x, l.Center) {
			n = r
		} else {
			n = l
		}
	}
	return n.Leaf
}

// Predict returns the leaf cluster of x.
func (m *BisectingKMeansModel) Predict(x linalg.Vector) (int, error) {
	if x.Size() != len(m.nodes[0].Center) {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), len(m.nodes[0].Center))
	}
	return m.predict(x.ToArray()), nil
}

// ClassName implements ml.Stage.
func (m *BisectingKMeansModel) ClassName() string { return classPrefix + "BisectingKMeansModel" }

// TransformSchema implements ml.Stage.
func (m *BisectingKMeansModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in, false)
}

// Transform adds the cluster column (int32; null for a null vector).
func (m *BisectingKMeansModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	d := len(m.nodes[0].Center)
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
		}
		b := array.NewInt32Builder(mem)
		defer b.Release()
		x := make([]float64, d)
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			if vc.Size(i) != d {
				return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), d)
			}
			clear(x)
			vc.AddTo(i, 1, x)
			b.Append(int32(m.predict(x)))
		}
		return b.NewArray(), nil
	}
	out := df.WithColumn(m.predictionCol.Get(ps), frame.UDF("bisectingKMeans", arrow.PrimitiveTypes.Int32, fn, frame.Col(fc)))
	return out, out.Err()
}

// Copy implements ml.Stage.
func (m *BisectingKMeansModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: the cluster tree as Parquet, one row
// per node (center, children, leaf cluster index, rows, cost).
func (m *BisectingKMeansModel) WriteData(dir string) error {
	n := len(m.nodes)
	centers := make([][]float64, n)
	left, right, leaf, size, cost := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, nd := range m.nodes {
		centers[i], left[i], right[i], leaf[i] = nd.Center, float64(nd.Left), float64(nd.Right), float64(nd.Leaf)
		size[i], cost[i] = float64(nd.Size), nd.Cost
	}
	return ml.WriteColumns(dir, n, []string{"center"}, [][][]float64{centers},
		[]string{"left", "right", "leaf", "size", "cost"}, [][]float64{left, right, leaf, size, cost})
}

// Save implements ml.Stage.
func (m *BisectingKMeansModel) Save(path string) error { return ml.Save(m, path) }

func loadBisectingKMeansModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	vecs, nums, n, err := ml.ReadColumns(ctx, dir, []string{"center"}, []string{"left", "right", "leaf", "size", "cost"})
	if err != nil {
		// Models saved before the rows and costs were kept.
		vecs, nums, n, err = ml.ReadColumns(ctx, dir, []string{"center"}, []string{"left", "right", "leaf"})
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	nodes := make([]BisectNode, n)
	for i := range nodes {
		nodes[i] = BisectNode{Center: vecs[0][i], Left: int(nums[0][i]), Right: int(nums[1][i]), Leaf: int(nums[2][i])}
		if len(nums) == 5 {
			nodes[i].Size, nodes[i].Cost = int64(nums[3][i]), nums[4][i]
		}
	}
	if len(nodes) == 0 {
		return nil, fmt.Errorf("%s: empty cluster tree", md.UID)
	}
	for i, n := range nodes {
		if len(n.Center) != len(nodes[0].Center) || (n.Left >= 0) != (n.Right >= 0) || n.Left >= len(nodes) || n.Right >= len(nodes) ||
			(n.Left >= 0 && (n.Left <= i || n.Right <= i)) || (n.Left < 0 && n.Leaf < 0) {
			return nil, fmt.Errorf("%s: malformed cluster tree node %d", md.UID, i)
		}
	}
	m := newBisectingKMeansModel(md.UID, nodes)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (b *BisectingKMeans) FitModel(ctx context.Context, df *frame.DataFrame) (*BisectingKMeansModel, error) {
	return b.FitBisecting(ctx, df)
}

var _ ml.TypedEstimator[*BisectingKMeansModel] = (*BisectingKMeans)(nil)

// normalizeRows scales every row of blocks to unit length; a zero row is an
// error (the cosine distance is undefined for it).
func normalizeRows(blocks []*optim.Block, uid string) error {
	row := 0
	for _, bl := range blocks {
		for i := 0; i < bl.N; i++ {
			if !unit(bl.Row(i)) {
				return fmt.Errorf("%s: row %d: cosine distance is not defined for a zero vector", uid, row+i)
			}
		}
		row += bl.N
	}
	return nil
}

// cosineDist is 1 − cos(x, c), Spark's cosine distance.
func cosineDist(x, c []float64) float64 {
	dot := 0.0
	for j, v := range x {
		dot += v * c[j]
	}
	return 1 - dot/linalg.NormOf(x, 2)/linalg.NormOf(c, 2)
}
