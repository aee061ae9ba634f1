package clustering

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/progress"
)

// PowerIterationClustering clusters the vertices of a weighted graph by
// power iteration clustering (Lin and Cohen), as Spark's
// org.apache.spark.ml.clustering.PowerIterationClustering, which like this
// type is not an estimator: AssignClusters reads the edges (srcCol, dstCol,
// optional weightCol; weight 1 if unset) and returns each vertex's cluster.
// Edges are made symmetric and self-loops dropped, the affinity matrix is
// normalized by rows (W = D⁻¹A), and from the initial vector — random
// (Gaussian, scaled to unit L1 norm) or degree (degrees over their sum) —
// v ← Wv/‖Wv‖₁ is iterated until the change of ‖vₜ − vₜ₋₁‖₁ between
// iterations is at most max(1e-5/n, 1e-8), or maxIter iterations. The
// values of v are then clustered into k groups by one-dimensional k-means
// (Lloyd's iterations from the values' quantiles, where Spark runs
// k-means|| with seed 0), so cluster numbers may differ from Spark's while
// the groups agree. Random draws depend on each vertex id only, not on the
// partitioning. Negative weights are errors, as in Spark; self-loops are
// dropped, and a vertex named only by self-loops is not in the result.
type PowerIterationClustering struct {
	ml.StageBase
	srcCol, dstCol, weightCol, initMode param.Param[string]
	k, maxIter                          param.Param[int]
}

// NewPowerIterationClustering returns a PowerIterationClustering with
// Spark's defaults (k 2, maxIter 20, initMode random, src and dst).
func NewPowerIterationClustering() *PowerIterationClustering {
	return newPIC(param.UID("PowerIterationClustering"))
}

func newPIC(uid string) *PowerIterationClustering {
	p := &PowerIterationClustering{StageBase: ml.NewStageBase(uid)}
	ps := p.Params()
	p.srcCol = param.Define(ps, "srcCol", "name of the input column of source vertex ids", param.WithDefault("src"))
	p.dstCol = param.Define(ps, "dstCol", "name of the input column of destination vertex ids", param.WithDefault("dst"))
	p.weightCol = param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)")
	p.initMode = param.Define(ps, "initMode", "initialization: random (a random vector) or degree (normalized degrees)",
		param.WithDefault("random"), param.WithValidator(param.OneOf("random", "degree")))
	p.k = param.Define(ps, "k", "number of clusters (> 1)", param.WithDefault(2), param.WithValidator(param.Gt(1)))
	p.maxIter = param.Define(ps, "maxIter", "maximum number of power iterations (> 0)", param.WithDefault(20), param.WithValidator(param.Gt(0)))
	return p
}

// SetK sets the number of clusters.
func (p *PowerIterationClustering) SetK(k int) *PowerIterationClustering {
	p.k.Set(p.Params(), k)
	return p
}

// SetMaxIter sets the maximum number of power iterations.
func (p *PowerIterationClustering) SetMaxIter(n int) *PowerIterationClustering {
	p.maxIter.Set(p.Params(), n)
	return p
}

// SetInitMode sets the initialization: "random" or "degree".
func (p *PowerIterationClustering) SetInitMode(m string) *PowerIterationClustering {
	p.initMode.Set(p.Params(), m)
	return p
}

// SetSrcCol sets the source id column.
func (p *PowerIterationClustering) SetSrcCol(c string) *PowerIterationClustering {
	p.srcCol.Set(p.Params(), c)
	return p
}

// SetDstCol sets the destination id column.
func (p *PowerIterationClustering) SetDstCol(c string) *PowerIterationClustering {
	p.dstCol.Set(p.Params(), c)
	return p
}

// SetWeightCol sets the edge weight column.
func (p *PowerIterationClustering) SetWeightCol(c string) *PowerIterationClustering {
	p.weightCol.Set(p.Params(), c)
	return p
}

// ClassName implements ml.Stage.
func (p *PowerIterationClustering) ClassName() string {
	return classPrefix + "PowerIterationClustering"
}

// SparkClassName is the class of the same stage in Apache Spark.
func (p *PowerIterationClustering) SparkClassName() string {
	return "org.apache.spark.ml.clustering.PowerIterationClustering"
}

// TransformSchema implements ml.Stage: it checks the edge columns (integer
// ids, a numeric weight) and returns AssignClusters' schema (id bigint,
// cluster int).
func (p *PowerIterationClustering) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := p.Params()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	for _, c := range []string{p.srcCol.Get(ps), p.dstCol.Get(ps)} {
		f, err := ml.CheckColumn(in, p.UID(), c, ml.Numeric)
		if err != nil {
			return nil, err
		}
		switch f.Type.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		default:
			return nil, fmt.Errorf("%s: input column %q must be int or bigint, got %s", p.UID(), c, ml.TypeName(f.Type))
		}
	}
	if wc := p.weightCol.Get(ps); wc != "" {
		if _, err := ml.CheckColumn(in, p.UID(), wc, ml.Numeric); err != nil {
			return nil, err
		}
	}
	return arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "cluster", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	}, nil), nil
}

// Copy implements ml.Stage.
func (p *PowerIterationClustering) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := p.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *p
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage (params only, as Spark's DefaultParamsWritable).
func (p *PowerIterationClustering) Save(path string) error { return ml.Save(p, path) }

// AssignClusters runs power iteration clustering on the edges of df and
// returns one row per vertex: id (bigint) and cluster (int), by id.
func (p *PowerIterationClustering) AssignClusters(ctx context.Context, df *frame.DataFrame) (*frame.DataFrame, error) {
	ids, clusters, err := p.Assignments(ctx, df)
	if err != nil {
		return nil, err
	}
	rows := make([][]any, len(ids))
	for j, id := range ids {
		rows[j] = []any{id, clusters[j]}
	}
	res := df.Session().CreateDataFrameRows(rows, "id BIGINT, cluster INT")
	return res, res.Err()
}

// Assignments is AssignClusters returning Go values: the vertex ids in
// ascending order and their clusters.
func (p *PowerIterationClustering) Assignments(ctx context.Context, df *frame.DataFrame) ([]int64, []int32, error) {
	if err := df.Err(); err != nil {
		return nil, nil, err
	}
	if _, err := p.TransformSchema(df.Schema()); err != nil {
		return nil, nil, err
	}
	ps := p.Params()
	uid, sc, dc, wc := p.UID(), p.srcCol.Get(ps), p.dstCol.Get(ps), p.weightCol.Get(ps)
	w := frame.Lit(1.0)
	if wc != "" {
		w = frame.Col(wc).CastTo(arrow.PrimitiveTypes.Float64)
	}
	rows, err := df.Select(frame.Col(sc).CastTo(arrow.PrimitiveTypes.Int64), frame.Col(dc).CastTo(arrow.PrimitiveTypes.Int64), w).Collect(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", uid, err)
	}
	type edge struct {
		i, j int64
		w    float64
	}
	edges := make([]edge, 0, len(rows))
	var ids []int64
	for r, row := range rows {
		if row[0] == nil || row[1] == nil || row[2] == nil {
			return nil, nil, fmt.Errorf("%s: edge %d has a null source, destination or weight", uid, r+1)
		}
		e := edge{row[0].(int64), row[1].(int64), row[2].(float64)}
		if e.w < 0 || math.IsNaN(e.w) || math.IsInf(e.w, 0) {
			return nil, nil, fmt.Errorf("%s: column %q, edge %d: similarity must be nonnegative but found %v", uid, wc, r+1, e.w)
		}
		if e.i != e.j { // self-loops are dropped, with the vertices only they name
			ids = append(ids, e.i, e.j)
			edges = append(edges, e)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	n := len(ids)
	if n == 0 {
		return nil, nil, fmt.Errorf("%s: no edges", uid)
	}
	idx := make(map[int64]int, n)
	for j, id := range ids {
		idx[id] = j
	}
	// Both directions of every edge, in a fixed order whatever the partitioning.
	type arc struct {
		to int
		w  float64
	}
	adj := make([][]arc, n)
	for _, e := range edges {
		a, b := idx[e.i], idx[e.j]
		adj[a] = append(adj[a], arc{b, e.w})
		adj[b] = append(adj[b], arc{a, e.w})
	}
	deg := make([]float64, n)
	for a := range adj {
		slices.SortFunc(adj[a], func(x, y arc) int {
			if x.to != y.to {
				return x.to - y.to
			}
			switch {
			case x.w < y.w:
				return -1
			case x.w > y.w:
				return 1
			}
			return 0
		})
		for _, e := range adj[a] {
			deg[a] += e.w
		}
	}
	v := make([]float64, n)
	if p.initMode.Get(ps) == "degree" {
		copy(v, deg)
	} else {
		for a, id := range ids {
			v[a] = rand.New(rand.NewPCG(uint64(id), 0x706963)).NormFloat64()
		}
	}
	l1Normalize(v)
	tol := math.Max(1e-5/float64(n), 1e-8)
	prevDelta, diffDelta := math.MaxFloat64, math.MaxFloat64
	maxIter := p.maxIter.Get(ps)
	next := make([]float64, n)
	for it := 0; it < maxIter && math.Abs(diffDelta) > tol; it++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for a := range adj {
			s := 0.0
			for _, e := range adj[a] {
				s += e.w / math.Max(deg[a], epsilon) * v[e.to]
			}
			next[a] = s
		}
		l1Normalize(next)
		delta := 0.0
		for a := range v {
			delta += math.Abs(next[a] - v[a])
		}
		diffDelta = math.Abs(delta - prevDelta)
		prevDelta = delta
		v, next = next, v
		progress.Report(ctx, "iterations", it+1, maxIter)
	}
	return ids, kmeans1D(v, p.k.Get(ps)), nil
}

// epsilon bounds degrees below when normalizing, as Spark's MLUtils.EPSILON.
const epsilon = 0x1p-52

func l1Normalize(v []float64) {
	s := 0.0
	for _, x := range v {
		s += math.Abs(x)
	}
	if s == 0 {
		return
	}
	for i := range v {
		v[i] /= s
	}
}

// kmeans1D clusters values into k groups by Lloyd's iterations from the
// values' quantiles; clusters are numbered by ascending center.
func kmeans1D(vals []float64, k int) []int32 {
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	distinct := slices.Compact(slices.Clone(sorted))
	k = min(k, len(distinct))
	centers := make([]float64, k)
	for c := range centers {
		centers[c] = distinct[(2*c+1)*len(distinct)/(2*k)]
	}
	assign := make([]int32, len(vals))
	nearest := func(x float64) int32 {
		best, bd := 0, math.Inf(1)
		for c, ctr := range centers {
			if d := math.Abs(x - ctr); d < bd {
				best, bd = c, d
			}
		}
		return int32(best)
	}
	for it := 0; it < 100; it++ {
		sums, cnt := make([]float64, k), make([]float64, k)
		for i, x := range vals {
			c := nearest(x)
			assign[i] = c
			sums[c] += x
			cnt[c]++
		}
		moved := false
		for c := range centers {
			if cnt[c] == 0 {
				continue
			}
			if nc := sums[c] / cnt[c]; nc != centers[c] {
				centers[c], moved = nc, true
			}
		}
		if !moved {
			break
		}
	}
	for i, x := range vals {
		assign[i] = nearest(x)
	}
	return assign
}
