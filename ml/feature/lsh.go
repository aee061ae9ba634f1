package feature

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/values"
)

// minHashPrime is the prime of MinHashLSH's hash functions (Spark's HASH_PRIME).
const minHashPrime = 2038074743

// registerLSH adds the LSH stages' loaders to r.
func registerLSH(r *ml.Registry) {
	r.Register(classPrefix+"MinHashLSH", loadParamsOnly(func(uid string) ml.Stage { return newMinHashLSH(uid) }))
	r.Register(classPrefix+"MinHashLSHModel", loadMinHashLSHModel)
	r.Register(classPrefix+"BucketedRandomProjectionLSH", loadParamsOnly(func(uid string) ml.Stage { return newBRPLSH(uid) }))
	r.Register(classPrefix+"BucketedRandomProjectionLSHModel", loadBRPLSHModel)
}

// lshParams are the params of the LSH estimators and models.
type lshParams struct {
	colParams
	numHashTables param.Param[int]
}

func defineLSH(ps *param.Params, uid string) lshParams {
	return lshParams{
		colParams:     defineCols(ps, uid),
		numHashTables: param.Define(ps, "numHashTables", "number of hash tables, used in OR-amplification (>= 1)", param.WithDefault(1), param.WithValidator(param.GtEq(1))),
	}
}

// lshOutputType is the type of the hash column: an array of vectors, one
// per hash table.
func lshOutputType() arrow.DataType { return arrow.ListOf(linalg.VectorType()) }

func (p lshParams) schema(ps *param.Params, in *arrow.Schema) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	in2, ok := p.inputCol.GetOK(ps)
	if !ok {
		return nil, fmt.Errorf("%s: inputCol must be set", ps.UID())
	}
	if _, err := ml.CheckColumn(in, ps.UID(), in2, ml.Vector); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.outputCol.Get(ps), Type: lshOutputType(), Nullable: true})
}

// hasher is what MinHash and random projection models differ in.
type hasher interface {
	// hash returns one value per hash table.
	hash(vc *linalg.VectorColumn, i int) ([]float64, error)
	// keyDistance is the distance of two vectors (rows i of a and j of b).
	keyDistance(a *linalg.VectorColumn, i int, b *linalg.VectorColumn, j int) float64
	// hashDistance is the distance of two hash arrays.
	hashDistance(x, y []float64) float64
}

// lshModel holds what the two LSH models share: Transform,
// ApproxNearestNeighbors and ApproxSimilarityJoin.
type lshModel struct {
	ml.StageBase
	lshParams
	h hasher
}

// TransformSchema implements ml.Stage.
func (m *lshModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in)
}

// hashColumn is the UDF computing the hashes of a vector column.
func (m *lshModel) hashColumn(uid, col string) frame.Column {
	h := m.h
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
		}
		b := array.NewListBuilder(mem, linalg.VectorType())
		defer b.Release()
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			hs, err := h.hash(vc, i)
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
			}
			row := make([]any, len(hs))
			for t, v := range hs {
				// A dense vector of one value in VectorUDT's storage form.
				row[t] = []any{int8(1), nil, nil, []any{v}}
			}
			if err := values.Append(b, row); err != nil {
				return nil, fmt.Errorf("%s: %w", uid, err)
			}
		}
		return b.NewArray(), nil
	}
	return frame.UDF("lshHash", lshOutputType(), fn, frame.Col(col))
}

func (m *lshModel) transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	res := df.WithColumn(m.outputCol.Get(ps), m.hashColumn(m.UID(), m.inputCol.Get(ps)))
	return res, res.Err()
}

// keyColumn returns a one-row vector column holding key.
func keyColumn(key linalg.Vector) (*linalg.VectorColumn, error) {
	b := linalg.NewVectorBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.Append(key)
	arr := b.NewArray()
	return linalg.Vectors(arr)
}

// ApproxNearestNeighbors returns at most numNearestNeighbors rows of df
// nearest to key, as Spark's approxNearestNeighbors with its single probe:
// the rows sharing a bucket with key in at least one hash table, with the
// hash column (outputCol, added when df lacks it) and distCol (the
// distance to key), nearest first.
func (m *lshModel) ApproxNearestNeighbors(df *frame.DataFrame, key linalg.Vector, numNearestNeighbors int, distCol string) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, in, out := m.UID(), m.inputCol.Get(ps), m.outputCol.Get(ps)
	if numNearestNeighbors <= 0 {
		return nil, fmt.Errorf("%s: numNearestNeighbors must be positive, got %d", uid, numNearestNeighbors)
	}
	if distCol == "" {
		distCol = "distCol"
	}
	kc, err := keyColumn(key)
	if err != nil {
		return nil, fmt.Errorf("%s: key: %w", uid, err)
	}
	keyHash, err := m.h.hash(kc, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: key: %w", uid, err)
	}
	ds := df
	if ml.FieldIndex(df.Schema(), out) < 0 {
		if ds, err = m.transform(df); err != nil {
			return nil, err
		}
	} else if _, err := ml.CheckColumn(df.Schema(), uid, in, ml.Vector); err != nil {
		return nil, err
	}
	h := m.h
	same := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.Append(false)
				continue
			}
			hs, err := h.hash(vc, i)
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
			}
			match := false
			for t, v := range hs {
				match = match || v == keyHash[t]
			}
			b.Append(match)
		}
		return b.NewArray(), nil
	}
	dist := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			b.Append(h.keyDistance(vc, i, kc, 0))
		}
		return b.NewArray(), nil
	}
	res := ds.Filter(frame.UDF("lshSameBucket", arrow.FixedWidthTypes.Boolean, same, frame.Col(in))).
		WithColumn(distCol, frame.UDF("lshKeyDistance", arrow.PrimitiveTypes.Float64, dist, frame.Col(in))).
		OrderBy(frame.Col(distCol)).Limit(numNearestNeighbors)
	return res, res.Err()
}

// ApproxSimilarityJoin joins the rows of a and b whose vectors (inputCol)
// share a bucket in at least one hash table and lie closer than threshold,
// as Spark's approxSimilarityJoin: columns datasetA and datasetB (structs
// of each side's columns) and distCol. The inputs are read twice (once to
// find the pairs, once to join them), so they must give the same rows each
// time, as Spark also requires.
func (m *lshModel) ApproxSimilarityJoin(ctx context.Context, a, b *frame.DataFrame, threshold float64, distCol string) (*frame.DataFrame, error) {
	ps := m.Params()
	uid, in := m.UID(), m.inputCol.Get(ps)
	if distCol == "" {
		distCol = "distCol"
	}
	if math.IsNaN(threshold) {
		return nil, fmt.Errorf("%s: threshold is NaN", uid)
	}
	const idA, idB = "__lshRowA", "__lshRowB"
	type side struct {
		df   *frame.DataFrame
		ids  []int64
		vecs *linalg.VectorColumn
		rows []int
		hash [][]float64
	}
	sides := make([]*side, 2)
	for s, df := range []*frame.DataFrame{a, b} {
		if err := df.Err(); err != nil {
			return nil, err
		}
		if _, err := ml.CheckColumn(df.Schema(), uid, in, ml.Vector); err != nil {
			return nil, err
		}
		ds := df
		if ml.FieldIndex(df.Schema(), m.outputCol.Get(ps)) < 0 {
			var err error
			if ds, err = m.transform(df); err != nil {
				return nil, err
			}
		}
		idc := []string{idA, idB}[s]
		ds = ds.WithColumn(idc, frame.Call("monotonically_increasing_id"))
		bs, err := ds.Select(frame.Col(idc), frame.Col(in)).CollectBatches(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", uid, err)
		}
		sd := &side{df: ds}
		var ids []arrow.Array
		var vecs []arrow.Array
		for _, bt := range bs {
			ids = append(ids, bt.Column(0))
			vecs = append(vecs, bt.Column(1))
		}
		idArr, vecArr, err := concatPair(ids, vecs)
		for _, bt := range bs {
			bt.Release()
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", uid, err)
		}
		sd.ids = append([]int64(nil), idArr.(*array.Int64).Int64Values()...)
		idArr.Release()
		if sd.vecs, err = linalg.Vectors(vecArr); err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		for i := 0; i < sd.vecs.Len(); i++ {
			if sd.vecs.IsNull(i) {
				continue
			}
			h, err := m.h.hash(sd.vecs, i)
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
			}
			sd.rows = append(sd.rows, i)
			sd.hash = append(sd.hash, h)
		}
		sides[s] = sd
	}
	// Candidate pairs: equal hash values in some table.
	type bucket struct {
		table int
		v     float64
	}
	index := map[bucket][]int{}
	for q, h := range sides[1].hash {
		for t, v := range h {
			index[bucket{t, v}] = append(index[bucket{t, v}], q)
		}
	}
	var pairs [][]any
	for p, h := range sides[0].hash {
		seen := map[int]bool{}
		for t, v := range h {
			for _, q := range index[bucket{t, v}] {
				if seen[q] {
					continue
				}
				seen[q] = true
				i, j := sides[0].rows[p], sides[1].rows[q]
				d := m.h.keyDistance(sides[0].vecs, i, sides[1].vecs, j)
				if d < threshold {
					pairs = append(pairs, []any{sides[0].ids[i], sides[1].ids[j], d})
				}
			}
		}
	}
	s := a.Session()
	pdf := s.CreateDataFrameRows(pairs, fmt.Sprintf("`%s` BIGINT, `%s` BIGINT, `%s` DOUBLE", idA+"p", idB+"p", distCol))
	structOf := func(ds *frame.DataFrame, idc, name string) *frame.DataFrame {
		var cols []frame.Column
		for _, c := range ds.Columns() {
			if c != idc {
				cols = append(cols, frame.Col(c))
			}
		}
		return ds.Select(frame.Call("struct", cols...).Alias(name), frame.Col(idc))
	}
	sa, sb := structOf(sides[0].df, idA, "datasetA"), structOf(sides[1].df, idB, "datasetB")
	res := pdf.Join(sa, frame.Col(idA+"p").Eq(frame.Col(idA)), "inner").
		Join(sb, frame.Col(idB+"p").Eq(frame.Col(idB)), "inner").
		Select(frame.Col("datasetA"), frame.Col("datasetB"), frame.Col(distCol))
	return res, res.Err()
}

// concatPair concatenates the id and vector chunks of collected batches.
func concatPair(ids, vecs []arrow.Array) (arrow.Array, arrow.Array, error) {
	mem := memory.DefaultAllocator
	if len(ids) == 0 {
		ib := array.NewInt64Builder(mem)
		defer ib.Release()
		vb := linalg.NewVectorBuilder(mem)
		defer vb.Release()
		return ib.NewArray(), vb.NewArray(), nil
	}
	ia, err := array.Concatenate(ids, mem)
	if err != nil {
		return nil, nil, err
	}
	va, err := array.Concatenate(vecs, mem)
	if err != nil {
		ia.Release()
		return nil, nil, err
	}
	return ia, va, nil
}
