package recommendation

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/progress"
)

// modelParams are the params ALS and ALSModel share.
type modelParams struct {
	userCol, itemCol, predictionCol, coldStartStrategy param.Param[string]
	blockSize                                          param.Param[int]
}

func defineModel(ps *param.Params) modelParams {
	return modelParams{
		userCol:       param.Define(ps, "userCol", "column of user ids (integers in the int range)", param.WithDefault("user")),
		itemCol:       param.Define(ps, "itemCol", "column of item ids (integers in the int range)", param.WithDefault("item")),
		predictionCol: param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		coldStartStrategy: param.Define(ps, "coldStartStrategy", "how to handle unknown or unseen ids at prediction: nan (predict NaN) or drop (drop those rows)",
			param.WithDefault("nan"), param.WithValidator(param.OneOf("nan", "drop"))),
		blockSize: param.Define(ps, "blockSize", "block size for stacking input data in matrices (> 0); recorded for compatibility",
			param.WithDefault(4096), param.WithValidator(param.Gt(0))),
	}
}

// ALS factorizes a matrix of user–item ratings into user and item factors
// of size rank by alternating least squares, as Spark's
// org.apache.spark.ml.recommendation.ALS. Each iteration solves for every
// item's factor with the user factors fixed, then for every user's factor
// with the item factors fixed (Spark's order). Explicit feedback
// minimizes Σ(r − uᵀv)² + regParam·(nᵤ‖u‖² + nᵥ‖v‖²), n being an id's
// number of ratings (the "ALS-WR" scaling Spark uses); implicit feedback
// (implicitPrefs) is Hu, Koren and Volinsky's: preference p = [r > 0],
// confidence c = 1 + alpha·|r|, with YᵀY + Yᵀ(C − I)Y + regParam·n·I on the
// left (n counting the positive ratings) and YᵀCp on the right.
// nonnegative solves each least-squares problem with x ≥ 0 (an active-set
// NNLS) instead of by Cholesky.
//
// Factors are initialized as in Spark — Gaussian entries scaled to unit
// norm — from a generator seeded by the seed and the id, so a fit does not
// depend on the partitioning; factors are float64 (Spark keeps float32).
// Ratings of the same pair are not merged, as in Spark.
type ALS struct {
	ml.StageBase
	modelParams
	ratingCol, intermediateStorageLevel, finalStorageLevel param.Param[string]
	rank, maxIter, numUserBlocks, numItemBlocks            param.Param[int]
	checkpointInterval                                     param.Param[int]
	regParam, alpha                                        param.Param[float64]
	implicitPrefs, nonnegative                             param.Param[bool]
	seed                                                   param.Param[int64]

	// initFactor, when set (by tests), gives the initial factor of an id
	// (side 0 users, 1 items) instead of the seeded random one.
	initFactor func(side int, id int32) []float64
}

// NewALS returns an estimator with Spark's defaults (rank 10, maxIter 10,
// regParam 0.1, alpha 1, explicit feedback).
func NewALS() *ALS { return newALS(param.UID("als")) }

func newALS(uid string) *ALS {
	a := &ALS{StageBase: ml.NewStageBase(uid)}
	ps := a.Params()
	a.modelParams = defineModel(ps)
	a.ratingCol = param.Define(ps, "ratingCol", "column of ratings", param.WithDefault("rating"))
	a.intermediateStorageLevel = param.Define(ps, "intermediateStorageLevel", "Spark's storage level of intermediate RDDs; recorded for compatibility", param.WithDefault("MEMORY_AND_DISK"))
	a.finalStorageLevel = param.Define(ps, "finalStorageLevel", "Spark's storage level of the factor RDDs; recorded for compatibility", param.WithDefault("MEMORY_AND_DISK"))
	a.rank = param.Define(ps, "rank", "rank of the factorization (>= 1)", param.WithDefault(10), param.WithValidator(param.GtEq(1)))
	a.maxIter = param.Define(ps, "maxIter", "number of iterations (>= 0)", param.WithDefault(10), param.WithValidator(param.GtEq(0)))
	a.numUserBlocks = param.Define(ps, "numUserBlocks", "number of user blocks (>= 1); recorded for compatibility", param.WithDefault(10), param.WithValidator(param.GtEq(1)))
	a.numItemBlocks = param.Define(ps, "numItemBlocks", "number of item blocks (>= 1); recorded for compatibility", param.WithDefault(10), param.WithValidator(param.GtEq(1)))
	a.checkpointInterval = param.Define(ps, "checkpointInterval", "checkpoint interval (>= 1) or -1 to disable; recorded for compatibility", param.WithDefault(10))
	a.regParam = param.Define(ps, "regParam", "regularization parameter (>= 0)", param.WithDefault(0.1), param.WithValidator(param.GtEq(0.0)))
	a.alpha = param.Define(ps, "alpha", "confidence scale of implicit feedback (>= 0)", param.WithDefault(1.0), param.WithValidator(param.GtEq(0.0)))
	a.implicitPrefs = param.Define(ps, "implicitPrefs", "whether ratings are implicit feedback", param.WithDefault(false))
	a.nonnegative = param.Define(ps, "nonnegative", "whether to constrain the factors to be nonnegative", param.WithDefault(false))
	a.seed = param.Define(ps, "seed", "random seed", param.WithDefault(int64(1994790107)))
	return a
}

// SetRank sets the rank.
func (a *ALS) SetRank(n int) *ALS { a.rank.Set(a.Params(), n); return a }

// SetMaxIter sets the number of iterations.
func (a *ALS) SetMaxIter(n int) *ALS { a.maxIter.Set(a.Params(), n); return a }

// SetRegParam sets the regularization parameter.
func (a *ALS) SetRegParam(v float64) *ALS { a.regParam.Set(a.Params(), v); return a }

// SetAlpha sets the implicit-feedback confidence scale.
func (a *ALS) SetAlpha(v float64) *ALS { a.alpha.Set(a.Params(), v); return a }

// SetImplicitPrefs chooses implicit feedback.
func (a *ALS) SetImplicitPrefs(b bool) *ALS { a.implicitPrefs.Set(a.Params(), b); return a }

// SetNonnegative constrains the factors to be nonnegative.
func (a *ALS) SetNonnegative(b bool) *ALS { a.nonnegative.Set(a.Params(), b); return a }

// SetSeed sets the random seed.
func (a *ALS) SetSeed(s int64) *ALS { a.seed.Set(a.Params(), s); return a }

// SetUserCol sets the user id column.
func (a *ALS) SetUserCol(c string) *ALS { a.userCol.Set(a.Params(), c); return a }

// SetItemCol sets the item id column.
func (a *ALS) SetItemCol(c string) *ALS { a.itemCol.Set(a.Params(), c); return a }

// SetRatingCol sets the rating column.
func (a *ALS) SetRatingCol(c string) *ALS { a.ratingCol.Set(a.Params(), c); return a }

// SetPredictionCol sets the prediction column.
func (a *ALS) SetPredictionCol(c string) *ALS { a.predictionCol.Set(a.Params(), c); return a }

// SetColdStartStrategy sets the cold-start strategy: "nan" or "drop".
func (a *ALS) SetColdStartStrategy(s string) *ALS { a.coldStartStrategy.Set(a.Params(), s); return a }

// SetNumBlocks sets numUserBlocks and numItemBlocks (recorded only).
func (a *ALS) SetNumBlocks(n int) *ALS {
	a.numUserBlocks.Set(a.Params(), n)
	a.numItemBlocks.Set(a.Params(), n)
	return a
}

// ClassName implements ml.Stage.
func (a *ALS) ClassName() string { return classPrefix + "ALS" }

// SparkClassName is the class of the same stage in Apache Spark.
func (a *ALS) SparkClassName() string { return sparkPrefix + "ALS" }

// TransformSchema implements ml.Stage: the id columns and the rating column
// must be numeric; the prediction column (float, as Spark's) is added.
func (a *ALS) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := a.Params()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, a.UID(), a.ratingCol.Get(ps), ml.Numeric); err != nil {
		return nil, err
	}
	return a.modelParams.schema(ps, in)
}

func (p modelParams) schema(ps *param.Params, in *arrow.Schema) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	for _, c := range []string{p.userCol.Get(ps), p.itemCol.Get(ps)} {
		if _, err := ml.CheckColumn(in, ps.UID(), c, ml.Numeric); err != nil {
			return nil, err
		}
	}
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Float32, Nullable: true})
}

// Copy implements ml.Stage.
func (a *ALS) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := a.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *a
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (a *ALS) Save(path string) error { return ml.Save(a, path) }

// Fit implements ml.Estimator.
func (a *ALS) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return a.FitModel(ctx, df)
}

// rating is one (user, item, rating) triple.
type rating struct {
	u, i int32
	r    float64
}

// readRatings reads the user, item and rating columns; ids must be
// integers in the int range, and nulls are errors naming the column and row.
func readRatings(ctx context.Context, df *frame.DataFrame, uid, uc, ic, rc string) ([]rating, error) {
	parts, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(uc), frame.Col(ic), frame.Col(rc)), func(int) []rating { return nil },
		func(acc []rating, b arrow.RecordBatch) ([]rating, error) {
			cols := make([][]float64, 3)
			for j := range cols {
				v, err := ml.Float64Column(b.Column(j), nil)
				if err != nil {
					return nil, fmt.Errorf("%s: column %q: %w", uid, b.Schema().Field(j).Name, err)
				}
				cols[j] = v
			}
			for i := 0; i < int(b.NumRows()); i++ {
				for j := range cols {
					if b.Column(j).IsNull(i) {
						return nil, fmt.Errorf("%s: column %q holds a null", uid, b.Schema().Field(j).Name)
					}
				}
				u, err := checkedID(cols[0][i], uc)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", uid, err)
				}
				it, err := checkedID(cols[1][i], ic)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", uid, err)
				}
				if math.IsNaN(cols[2][i]) || math.IsInf(cols[2][i], 0) {
					return nil, fmt.Errorf("%s: column %q holds the rating %v", uid, rc, cols[2][i])
				}
				acc = append(acc, rating{u: u, i: it, r: cols[2][i]})
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	return slices.Concat(parts...), nil
}

// checkedID converts an id value as Spark's checkedCast does: it must be an
// integer within the int range.
func checkedID(v float64, col string) (int32, error) {
	if v != math.Trunc(v) || v < math.MinInt32 || v > math.MaxInt32 {
		return 0, fmt.Errorf("column %q: ALS only supports values in Integer range and without fractional part, got %v", col, v)
	}
	return int32(v), nil
}

// FitModel fits the estimator to df and returns the concrete model.
func (a *ALS) FitModel(ctx context.Context, df *frame.DataFrame) (*ALSModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := a.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := a.Params()
	uid := a.UID()
	rs, err := readRatings(ctx, df, uid, a.userCol.Get(ps), a.itemCol.Get(ps), a.ratingCol.Get(ps))
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("%s: no ratings to fit", uid)
	}
	// A fixed order, whatever the partitioning: by user, item, rating.
	slices.SortFunc(rs, func(x, y rating) int {
		if x.u != y.u {
			return int(x.u) - int(y.u)
		}
		if x.i != y.i {
			return int(x.i) - int(y.i)
		}
		switch {
		case x.r < y.r:
			return -1
		case x.r > y.r:
			return 1
		}
		return 0
	})
	users, items := distinctIDs(rs, func(r rating) int32 { return r.u }), distinctIDs(rs, func(r rating) int32 { return r.i })
	uIdx, iIdx := indexOf(users), indexOf(items)
	byUser := make([][]link, len(users))
	byItem := make([][]link, len(items))
	for _, r := range rs {
		u, i := uIdx[r.u], iIdx[r.i]
		byUser[u] = append(byUser[u], link{other: i, r: r.r})
		byItem[i] = append(byItem[i], link{other: u, r: r.r})
	}
	rank, seed := a.rank.Get(ps), a.seed.Get(ps)
	initF := a.initFactor
	if initF == nil {
		initF = func(side int, id int32) []float64 { return randomFactor(seed, side, id, rank) }
	}
	userF := make([][]float64, len(users))
	for k, id := range users {
		userF[k] = slices.Clone(initF(0, id))
	}
	itemF := make([][]float64, len(items))
	for k, id := range items {
		itemF[k] = slices.Clone(initF(1, id))
	}
	for _, f := range slices.Concat(userF, itemF) {
		if len(f) != rank {
			return nil, fmt.Errorf("%s: an initial factor has size %d, not the rank %d", uid, len(f), rank)
		}
	}
	s := solver{rank: rank, regParam: a.regParam.Get(ps), alpha: a.alpha.Get(ps),
		implicit: a.implicitPrefs.Get(ps), nonneg: a.nonnegative.Get(ps)}
	maxIter := a.maxIter.Get(ps)
	for it := 0; it < maxIter; it++ {
		if itemF, err = s.update(ctx, userF, byItem); err != nil {
			return nil, fmt.Errorf("%s: iteration %d, item factors: %w", uid, it+1, err)
		}
		if userF, err = s.update(ctx, itemF, byUser); err != nil {
			return nil, fmt.Errorf("%s: iteration %d, user factors: %w", uid, it+1, err)
		}
		progress.Report(ctx, "iterations", it+1, maxIter)
	}
	m := newALSModel(uid, rank, users, userF, items, itemF)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// link is one rating seen from one side: the other side's index and the rating.
type link struct {
	other int
	r     float64
}

func distinctIDs(rs []rating, id func(rating) int32) []int32 {
	out := make([]int32, len(rs))
	for k, r := range rs {
		out[k] = id(r)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func indexOf(ids []int32) map[int32]int {
	m := make(map[int32]int, len(ids))
	for k, id := range ids {
		m[id] = k
	}
	return m
}

// randomFactor is an id's initial factor: Gaussian entries scaled to unit
// norm, from a generator seeded by the seed, the side and the id.
func randomFactor(seed int64, side int, id int32, rank int) []float64 {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(uint32(id))<<1|uint64(side)))
	f := make([]float64, rank)
	norm := 0.0
	for k := range f {
		f[k] = r.NormFloat64()
		norm += f[k] * f[k]
	}
	norm = math.Sqrt(norm)
	for k := range f {
		f[k] /= norm
	}
	return f
}

// solver computes one side's factors from the other side's.
type solver struct {
	rank             int
	regParam, alpha  float64
	implicit, nonneg bool
}

// update returns the factor of every destination id (groups[d] lists its
// ratings) from the source factors src.
func (s solver) update(ctx context.Context, src [][]float64, groups [][]link) ([][]float64, error) {
	k := s.rank
	var yty []float64
	if s.implicit {
		yty = make([]float64, k*k)
		for _, y := range src {
			for i := 0; i < k; i++ {
				for j := 0; j <= i; j++ {
					yty[i*k+j] += y[i] * y[j]
				}
			}
		}
	}
	out := make([][]float64, len(groups))
	workers := min(runtime.GOMAXPROCS(0), len(groups))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			ne := newNormalEq(k)
			for n, d := 0, w; d < len(groups); n, d = n+1, d+workers {
				if n%256 == 0 && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				ne.reset()
				cnt := 0.0
				if s.implicit {
					ne.addMatrix(yty)
				}
				for _, l := range groups[d] {
					if s.implicit {
						c1 := s.alpha * math.Abs(l.r)
						b := 0.0
						if l.r > 0 {
							b = 1 + c1
							cnt++
						}
						ne.add(src[l.other], b, c1)
					} else {
						ne.add(src[l.other], l.r, 1)
						cnt++
					}
				}
				var x []float64
				var err error
				if s.nonneg {
					x, err = ne.solveNNLS(s.regParam * cnt)
				} else {
					x, err = ne.solveCholesky(s.regParam * cnt)
				}
				if err != nil {
					errs[w] = err
					return
				}
				out[d] = x
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
