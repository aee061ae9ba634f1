package recommendation

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

var ctx = context.Background()

func newSession(t *testing.T) *frame.Session {
	return frame.NewSession(frame.WithAllocator(exectest.Alloc(t)))
}

type alsRef struct {
	Rank      int                  `json:"rank"`
	Ratings   [][3]float64         `json:"ratings"`
	InitUsers map[string][]float64 `json:"init_users"`
	InitItems map[string][]float64 `json:"init_items"`
	Cases     map[string]alsCase
}

type alsCase struct {
	Users    map[string][]float64 `json:"users"`
	Items    map[string][]float64 `json:"items"`
	RMSE     float64              `json:"rmse"`
	MaxIter  int                  `json:"maxIter"`
	RegParam float64              `json:"regParam"`
	Alpha    float64              `json:"alpha"`
}

func readALSRef(t *testing.T) alsRef {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), "als_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref alsRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	ref.Cases = map[string]alsCase{}
	for _, name := range []string{"explicit", "implicit", "nonnegative"} {
		var c alsCase
		if err := json.Unmarshal(all[name], &c); err != nil {
			t.Fatal(err)
		}
		ref.Cases[name] = c
	}
	return ref
}

func ratingsFrame(t *testing.T, s *frame.Session, rs [][3]float64, parts int) *frame.DataFrame {
	rows := make([][]any, len(rs))
	for k, r := range rs {
		rows[k] = []any{int(r[0]), int(r[1]), r[2]}
	}
	df := s.CreateDataFrameRows(rows, "user INT, item INT, rating DOUBLE").Repartition(parts)
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	return df
}

// hook makes the fit start from the given initial factors.
func hook(users, items map[string][]float64) func(int, int32) []float64 {
	return func(side int, id int32) []float64 {
		if side == 0 {
			return users[strconv.Itoa(int(id))]
		}
		return items[strconv.Itoa(int(id))]
	}
}

// The factors equal those of a numpy run of the same updates from the same
// initial factors (testdata/ml/make_als_reference.py) to 1e-9, for
// explicit, implicit and nonnegative fits, with 1 and 4 partitions.
func TestALSVsNumpyReference(t *testing.T) {
	ref := readALSRef(t)
	s := newSession(t)
	for name, c := range ref.Cases {
		for _, parts := range []int{1, 4} {
			df := ratingsFrame(t, s, ref.Ratings, parts)
			a := NewALS().SetRank(ref.Rank).SetMaxIter(c.MaxIter).SetRegParam(c.RegParam)
			switch name {
			case "implicit":
				a.SetImplicitPrefs(true).SetAlpha(c.Alpha)
			case "nonnegative":
				a.SetNonnegative(true)
			}
			a.initFactor = hook(ref.InitUsers, ref.InitItems)
			m, err := a.FitModel(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, want map[string][]float64, get func(int32) ([]float64, bool)) {
				if len(want) == 0 {
					t.Fatalf("%s: reference has no %s", name, what)
				}
				for id, w := range want {
					n, _ := strconv.Atoi(id)
					got, ok := get(int32(n))
					if !ok {
						t.Fatalf("%s: %s %s missing", name, what, id)
					}
					for k := range w {
						if math.Abs(got[k]-w[k]) > 1e-9*math.Max(1, math.Abs(w[k])) {
							t.Errorf("%s/parts=%d: %s %s factor[%d] = %.12g, want %.12g", name, parts, what, id, k, got[k], w[k])
						}
					}
				}
			}
			check("user", c.Users, m.UserFactor)
			check("item", c.Items, m.ItemFactor)
			if name == "explicit" {
				pred, err := m.Transform(df)
				if err != nil {
					t.Fatal(err)
				}
				rmse, err := evaluation.NewRegressionEvaluator().SetLabelCol("rating").Evaluate(ctx, pred)
				if err != nil {
					t.Fatal(err)
				}
				// Predictions are float32, as Spark's.
				if math.Abs(rmse-c.RMSE) > 1e-6 {
					t.Errorf("parts=%d: rmse %.9g, want %.9g", parts, rmse, c.RMSE)
				}
			}
		}
	}
}

// By hand: one user with initial factor 1, one item, rating 2, rank 1,
// regParam 0.5: the item becomes 1·2/(1+0.5) = 4/3, the user
// (4/3)·2/((4/3)²+0.5) = 48/41, the prediction 64/41, the RMSE 18/41.
// A rank-1 matrix [[1 2] [2 4]] with regParam 0 is fitted exactly by one
// iteration, from any start.
func TestALSHandChecked(t *testing.T) {
	s := newSession(t)
	df := s.CreateDataFrameRows([][]any{{7, 9, 2.0}}, "user INT, item INT, rating DOUBLE")
	a := NewALS().SetRank(1).SetMaxIter(1).SetRegParam(0.5)
	a.initFactor = func(int, int32) []float64 { return []float64{1} }
	m, err := a.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Predict(7, 9); math.Abs(got-64.0/41) > 1e-15 {
		t.Errorf("prediction %.17g, want 64/41", got)
	}
	pred, _ := m.Transform(df)
	rmse, err := evaluation.NewRegressionEvaluator().SetLabelCol("rating").Evaluate(ctx, pred)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rmse-18.0/41) > 1e-7 {
		t.Errorf("rmse %.9g, want 18/41", rmse)
	}

	full := s.CreateDataFrameRows([][]any{{0, 0, 1.0}, {0, 1, 2.0}, {1, 0, 2.0}, {1, 1, 4.0}}, "user INT, item INT, rating DOUBLE")
	m2, err := NewALS().SetRank(1).SetMaxIter(1).SetRegParam(0).SetSeed(3).FitModel(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][3]float64{{0, 0, 1}, {0, 1, 2}, {1, 0, 2}, {1, 1, 4}} {
		if got := m2.Predict(int32(c[0]), int32(c[1])); math.Abs(got-c[2]) > 1e-12 {
			t.Errorf("rank-1 fit: (%v,%v) = %.15g, want %v", c[0], c[1], got, c[2])
		}
	}
}

func TestALSColdStartRecommendAndSave(t *testing.T) {
	ref := readALSRef(t)
	s := newSession(t)
	df := ratingsFrame(t, s, ref.Ratings, 2)
	m, err := NewALS().SetRank(3).SetMaxIter(3).SetSeed(42).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	// Same seed, other partitioning: the same factors.
	m4, err := NewALS().SetRank(3).SetMaxIter(3).SetSeed(42).FitModel(ctx, ratingsFrame(t, s, ref.Ratings, 4))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := m.Predict(0, 3), m4.Predict(0, 3); a != b {
		t.Errorf("1 vs 4 partitions: %v != %v", a, b)
	}
	test := s.CreateDataFrameRows([][]any{{0, 3}, {99, 3}, {0, 99}, {nil, 3}}, "user INT, item INT")
	out, err := m.Transform(test)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := out.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nans := 0
	for _, r := range rows {
		if math.IsNaN(float64(r[2].(float32))) {
			nans++
		}
	}
	if len(rows) != 4 || nans != 3 {
		t.Errorf("coldStartStrategy nan: %d rows, %d NaN; want 4 and 3", len(rows), nans)
	}
	out, _ = m.SetColdStartStrategy("drop").Transform(test)
	if n, err := out.Count(ctx); err != nil || n != 1 {
		t.Errorf("coldStartStrategy drop: %d rows (%v), want 1", n, err)
	}

	recs, err := m.RecommendForAllUsers(s, 2).OrderBy(frame.Col("user")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 7 {
		t.Fatalf("recommendForAllUsers: %d users, want 7", len(recs))
	}
	for _, r := range recs {
		list := r[1].([]any)
		if len(list) != 2 {
			t.Fatalf("user %v: %d recommendations", r[0], len(list))
		}
		// Best first, and the best is the argmax over all items.
		want, _ := m.RecommendationsForUser(r[0].(int32), 6)
		for q, e := range list {
			st := fmt.Sprint(e)
			if !strings.Contains(st, strconv.Itoa(int(want[q].ID))) {
				t.Errorf("user %v recommendation %d = %s, want item %d", r[0], q, st, want[q].ID)
			}
		}
		if want[0].Rating < want[1].Rating {
			t.Errorf("recommendations not best first")
		}
	}
	items, err := m.RecommendForAllItems(s, 3).Collect(ctx)
	if err != nil || len(items) != 6 {
		t.Fatalf("recommendForAllItems: %d rows, %v", len(items), err)
	}
	sub, err := m.RecommendForUserSubset(ctx, s.CreateDataFrameRows([][]any{{4}, {4}, {99}, {0}}, "user INT"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := sub.Count(ctx); n != 2 {
		t.Errorf("recommendForUserSubset: %d users, want 2 (4 and 0; 99 unknown)", n)
	}

	dir := filepath.Join(t.TempDir(), "als")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*ALSModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if back.Rank() != 3 || back.Predict(4, 5) != m.Predict(4, 5) || back.coldStartStrategy.Get(back.Params()) != "drop" {
		t.Errorf("loaded model differs")
	}
	est := NewALS().SetImplicitPrefs(true).SetAlpha(3)
	edir := filepath.Join(t.TempDir(), "est")
	if err := est.Save(edir); err != nil {
		t.Fatal(err)
	}
	e2, err := ml.LoadAs[*ALS](ctx, edir, Register(ml.NewRegistry()))
	if err != nil || !e2.implicitPrefs.Get(e2.Params()) || e2.alpha.Get(e2.Params()) != 3 {
		t.Errorf("loaded estimator differs: %v", err)
	}

	bad := s.CreateDataFrameRows([][]any{{1.5, 2, 3.0}}, "user DOUBLE, item INT, rating DOUBLE")
	if _, err := NewALS().Fit(ctx, bad); err == nil || !strings.Contains(err.Error(), "Integer range") {
		t.Errorf("fractional id: err = %v", err)
	}
	if err := NewALS().SetColdStartStrategy("keep").CheckParams(); err == nil {
		t.Errorf("coldStartStrategy keep accepted")
	}
}

func TestALSCancelled(t *testing.T) {
	ref := readALSRef(t)
	s := newSession(t)
	df := ratingsFrame(t, s, ref.Ratings, 1)
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewALS().FitModel(c, df); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("cancelled fit: err = %v", err)
	}
}
