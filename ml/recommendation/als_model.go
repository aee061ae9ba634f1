package recommendation

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// ALSModel holds the user and item factors ALS fitted; it predicts a
// rating as the dot product of a user's and an item's factors.
type ALSModel struct {
	ml.StageBase
	modelParams
	rank         int
	users, items []int32
	userF, itemF [][]float64
	uIdx, iIdx   map[int32]int
}

func newALSModel(uid string, rank int, users []int32, userF [][]float64, items []int32, itemF [][]float64) *ALSModel {
	m := &ALSModel{StageBase: ml.NewStageBase(uid), rank: rank, users: users, items: items, userF: userF, itemF: itemF,
		uIdx: indexOf(users), iIdx: indexOf(items)}
	m.modelParams = defineModel(m.Params())
	return m
}

// ClassName implements ml.Stage.
func (m *ALSModel) ClassName() string { return classPrefix + "ALSModel" }

// SparkClassName is the class of the same stage in Apache Spark.
func (m *ALSModel) SparkClassName() string { return sparkPrefix + "ALSModel" }

// Rank is the factors' size.
func (m *ALSModel) Rank() int { return m.rank }

// UserFactor returns the factor of user id, and whether the user is known.
func (m *ALSModel) UserFactor(id int32) ([]float64, bool) {
	k, ok := m.uIdx[id]
	if !ok {
		return nil, false
	}
	return slices.Clone(m.userF[k]), true
}

// ItemFactor returns the factor of item id, and whether the item is known.
func (m *ALSModel) ItemFactor(id int32) ([]float64, bool) {
	k, ok := m.iIdx[id]
	if !ok {
		return nil, false
	}
	return slices.Clone(m.itemF[k]), true
}

// Predict returns the predicted rating of (user, item), NaN if either is
// unknown.
func (m *ALSModel) Predict(user, item int32) float64 {
	u, ok1 := m.uIdx[user]
	i, ok2 := m.iIdx[item]
	if !ok1 || !ok2 {
		return math.NaN()
	}
	return dot(m.userF[u], m.itemF[i])
}

func dot(a, b []float64) float64 {
	s := 0.0
	for k, v := range a {
		s += v * b[k]
	}
	return s
}

// SetUserCol sets the user id column.
func (m *ALSModel) SetUserCol(c string) *ALSModel { m.userCol.Set(m.Params(), c); return m }

// SetItemCol sets the item id column.
func (m *ALSModel) SetItemCol(c string) *ALSModel { m.itemCol.Set(m.Params(), c); return m }

// SetPredictionCol sets the prediction column.
func (m *ALSModel) SetPredictionCol(c string) *ALSModel { m.predictionCol.Set(m.Params(), c); return m }

// SetColdStartStrategy sets the cold-start strategy: "nan" or "drop".
func (m *ALSModel) SetColdStartStrategy(s string) *ALSModel {
	m.coldStartStrategy.Set(m.Params(), s)
	return m
}

// factorsFrame returns ids and factors as Spark's userFactors/itemFactors:
// columns id (int) and features (array<float>).
func factorsFrame(s *frame.Session, ids []int32, fs [][]float64) *frame.DataFrame {
	rows := make([][]any, len(ids))
	for k, id := range ids {
		f := make([]any, len(fs[k]))
		for j, v := range fs[k] {
			f[j] = float32(v)
		}
		rows[k] = []any{id, f}
	}
	return s.CreateDataFrameRows(rows, "id INT, features ARRAY<FLOAT>")
}

// UserFactors returns the user factors as Spark's userFactors DataFrame.
func (m *ALSModel) UserFactors(s *frame.Session) *frame.DataFrame {
	return factorsFrame(s, m.users, m.userF)
}

// ItemFactors returns the item factors as Spark's itemFactors DataFrame.
func (m *ALSModel) ItemFactors(s *frame.Session) *frame.DataFrame {
	return factorsFrame(s, m.items, m.itemF)
}

// TransformSchema implements ml.Stage.
func (m *ALSModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in)
}

// Transform adds the prediction column (float, as Spark's): the dot product
// of the user's and the item's factors, NaN when either id is null or was
// not seen in training; with coldStartStrategy "drop" those rows are
// dropped instead.
func (m *ALSModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, uc, ic, pc := m.UID(), m.userCol.Get(ps), m.itemCol.Get(ps), m.predictionCol.Get(ps)
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		us, err := ml.Float64Column(args[0], nil)
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, uc, err)
		}
		is, err := ml.Float64Column(args[1], nil)
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, ic, err)
		}
		b := array.NewFloat32Builder(mem)
		defer b.Release()
		b.Reserve(len(us))
		for r := range us {
			p := math.NaN()
			if !args[0].IsNull(r) && !args[1].IsNull(r) {
				u, err := checkedID(us[r], uc)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", uid, err)
				}
				it, err := checkedID(is[r], ic)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", uid, err)
				}
				p = m.Predict(u, it)
			}
			b.Append(float32(p))
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(pc, frame.UDF("alsPredict", arrow.PrimitiveTypes.Float32, fn, frame.Col(uc), frame.Col(ic)))
	if m.coldStartStrategy.Get(ps) == "drop" {
		res = res.Filter(frame.Call("isnan", frame.Col(pc)).Not())
	}
	return res, res.Err()
}

// Recommendation is an id and its predicted rating.
type Recommendation struct {
	ID     int32
	Rating float64
}

// topK returns the k other-side ids with the largest predicted rating for
// factor f, best first (ties by id).
func topK(f []float64, ids []int32, fs [][]float64, k int) []Recommendation {
	recs := make([]Recommendation, len(ids))
	for j, id := range ids {
		recs[j] = Recommendation{ID: id, Rating: dot(f, fs[j])}
	}
	slices.SortFunc(recs, func(a, b Recommendation) int {
		if c := cmp.Compare(b.Rating, a.Rating); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return recs[:min(k, len(recs))]
}

// RecommendationsForUser returns the numItems items of largest predicted
// rating for user, best first; false if the user is unknown.
func (m *ALSModel) RecommendationsForUser(user int32, numItems int) ([]Recommendation, bool) {
	u, ok := m.uIdx[user]
	if !ok {
		return nil, false
	}
	return topK(m.userF[u], m.items, m.itemF, numItems), true
}

// recFrame builds Spark's recommendations DataFrame: the id column named
// idCol and recommendations, an array of struct<otherCol int, rating float>.
func recFrame(s *frame.Session, idCol, otherCol string, ids []int32, fs [][]float64, others []int32, ofs [][]float64, k int) *frame.DataFrame {
	rows := make([][]any, len(ids))
	for j, id := range ids {
		top := topK(fs[j], others, ofs, k)
		recs := make([]any, len(top))
		for q, r := range top {
			recs[q] = []any{r.ID, float32(r.Rating)}
		}
		rows[j] = []any{id, recs}
	}
	return s.CreateDataFrameRows(rows, fmt.Sprintf("`%s` INT, recommendations ARRAY<STRUCT<`%s`: INT, rating: FLOAT>>", idCol, otherCol))
}

// RecommendForAllUsers returns the top numItems items of every user, as
// Spark's recommendForAllUsers: columns userCol and recommendations
// (array<struct<itemCol, rating>>, best first).
func (m *ALSModel) RecommendForAllUsers(s *frame.Session, numItems int) *frame.DataFrame {
	ps := m.Params()
	return recFrame(s, m.userCol.Get(ps), m.itemCol.Get(ps), m.users, m.userF, m.items, m.itemF, numItems)
}

// RecommendForAllItems returns the top numUsers users of every item, as
// Spark's recommendForAllItems.
func (m *ALSModel) RecommendForAllItems(s *frame.Session, numUsers int) *frame.DataFrame {
	ps := m.Params()
	return recFrame(s, m.itemCol.Get(ps), m.userCol.Get(ps), m.items, m.itemF, m.users, m.userF, numUsers)
}

// subsetIDs reads the distinct known ids of column col of df.
func subsetIDs(ctx context.Context, df *frame.DataFrame, uid, col string, known map[int32]int) ([]int32, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(df.Schema(), uid, col, ml.Numeric); err != nil {
		return nil, err
	}
	rows, err := df.Select(frame.Col(col).CastTo(arrow.PrimitiveTypes.Float64)).Distinct().Collect(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	var ids []int32
	for _, r := range rows {
		if r[0] == nil {
			continue
		}
		id, err := checkedID(r[0].(float64), col)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", uid, err)
		}
		if _, ok := known[id]; ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// RecommendForUserSubset returns the top numItems items of the distinct
// users of df's userCol that the model knows (unknown users are left out),
// as Spark's recommendForUserSubset.
func (m *ALSModel) RecommendForUserSubset(ctx context.Context, df *frame.DataFrame, numItems int) (*frame.DataFrame, error) {
	ps := m.Params()
	ids, err := subsetIDs(ctx, df, m.UID(), m.userCol.Get(ps), m.uIdx)
	if err != nil {
		return nil, err
	}
	fs := make([][]float64, len(ids))
	for j, id := range ids {
		fs[j] = m.userF[m.uIdx[id]]
	}
	res := recFrame(df.Session(), m.userCol.Get(ps), m.itemCol.Get(ps), ids, fs, m.items, m.itemF, numItems)
	return res, res.Err()
}

// RecommendForItemSubset returns the top numUsers users of the distinct
// known items of df's itemCol, as Spark's recommendForItemSubset.
func (m *ALSModel) RecommendForItemSubset(ctx context.Context, df *frame.DataFrame, numUsers int) (*frame.DataFrame, error) {
	ps := m.Params()
	ids, err := subsetIDs(ctx, df, m.UID(), m.itemCol.Get(ps), m.iIdx)
	if err != nil {
		return nil, err
	}
	fs := make([][]float64, len(ids))
	for j, id := range ids {
		fs[j] = m.itemF[m.iIdx[id]]
	}
	res := recFrame(df.Session(), m.itemCol.Get(ps), m.userCol.Get(ps), ids, fs, m.users, m.userF, numUsers)
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *ALSModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (m *ALSModel) Save(path string) error { return ml.Save(m, path) }

// ExtraMetadata implements ml.ExtraMetadata: the rank, as Spark records it.
func (m *ALSModel) ExtraMetadata() map[string]any { return map[string]any{"rank": m.rank} }

// WriteData implements ml.DataWriter: one row per factor (columns
// features, side — 0 user, 1 item — and id).
func (m *ALSModel) WriteData(dir string) error {
	n := len(m.users) + len(m.items)
	side, ids := make([]float64, 0, n), make([]float64, 0, n)
	for _, id := range m.users {
		side, ids = append(side, 0), append(ids, float64(id))
	}
	for _, id := range m.items {
		side, ids = append(side, 1), append(ids, float64(id))
	}
	return ml.WriteColumns(dir, n, []string{"features"}, [][][]float64{slices.Concat(m.userF, m.itemF)},
		[]string{"side", "id"}, [][]float64{side, ids})
}

func loadALSModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var rank int
	if err := md.GetExtra("rank", &rank); err != nil {
		return nil, err
	}
	vecs, nums, n, err := ml.ReadColumns(ctx, dir, []string{"features"}, []string{"side", "id"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	var users, items []int32
	var userF, itemF [][]float64
	for r := 0; r < n; r++ {
		if len(vecs[0][r]) != rank {
			return nil, fmt.Errorf("%s: model data row %d: factor of size %d, rank is %d", md.UID, r+1, len(vecs[0][r]), rank)
		}
		id, err := checkedID(nums[1][r], "id")
		if err != nil {
			return nil, fmt.Errorf("%s: model data row %d: %w", md.UID, r+1, err)
		}
		switch nums[0][r] {
		case 0:
			users, userF = append(users, id), append(userF, vecs[0][r])
		case 1:
			items, itemF = append(items, id), append(itemF, vecs[0][r])
		default:
			return nil, fmt.Errorf("%s: model data row %d: side %v is neither 0 nor 1", md.UID, r+1, nums[0][r])
		}
	}
	m := newALSModel(md.UID, rank, users, userF, items, itemF)
	return m, md.ApplyParams(m.Params())
}

var _ ml.TypedEstimator[*ALSModel] = (*ALS)(nil)
