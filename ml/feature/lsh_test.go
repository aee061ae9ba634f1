package feature

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/values"
)

func sparseVec(t *testing.T, n int, idx ...int) linalg.Vector {
	t.Helper()
	vals := make([]float64, len(idx))
	for i := range vals {
		vals[i] = 1
	}
	v, err := linalg.Sparse(n, idx, vals)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type idVec struct {
	ID       int64         `gspark:"id"`
	Features linalg.Vector `gspark:"features"`
}

// joinPairs collects approxSimilarityJoin's output as "idA-idB" → distance.
func joinPairs(t *testing.T, df *frame.DataFrame) map[string]float64 {
	t.Helper()
	rows, err := df.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range rows {
		a, b := r[0].(values.Struct), r[1].(values.Struct)
		key := fmt.Sprintf("%v-%v", a.Values[0], b.Values[0])
		if _, dup := out[key]; dup {
			t.Errorf("pair %s returned twice", key)
		}
		out[key] = r[2].(float64)
	}
	return out
}

// Spark's ML guide MinHashLSH example. Jaccard distances by hand:
// A0{0,1,2}, A1{2,3,4}, A2{0,2,4} against B3{1,3,5}, B4{2,3,5}, B5{1,2,4};
// the pairs closer than 0.6 are 0-5, 1-4, 1-5 and 2-5 (0.5 each; every
// other pair is 0.8 or 1). With 20 hash tables none is missed (each is
// missed with probability 0.5²⁰); the key {1,3} is at 0.75 from A0 and A1
// and 1 from A2.
func TestMinHashLSHGuideExample(t *testing.T) {
	s, _ := newSession(t)
	dfA := s.CreateDataFrame([]idVec{{0, sparseVec(t, 6, 0, 1, 2)}, {1, sparseVec(t, 6, 2, 3, 4)}, {2, sparseVec(t, 6, 0, 2, 4)}})
	dfB := s.CreateDataFrame([]idVec{{3, sparseVec(t, 6, 1, 3, 5)}, {4, sparseVec(t, 6, 2, 3, 5)}, {5, sparseVec(t, 6, 1, 2, 4)}})
	for _, parts := range []int{1, 4} {
		a, b := dfA.Repartition(parts), dfB.Repartition(parts)
		m, err := NewMinHashLSH().SetInputCol("features").SetOutputCol("hashes").SetNumHashTables(20).SetSeed(7).FitModel(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		j, err := m.ApproxSimilarityJoin(ctx, a, b, 0.6, "JaccardDistance")
		if err != nil {
			t.Fatal(err)
		}
		got := joinPairs(t, j)
		want := map[string]float64{"0-5": 0.5, "1-4": 0.5, "1-5": 0.5, "2-5": 0.5}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("parts=%d: join %v, want %v", parts, got, want)
		}
		if j.Columns()[2] != "JaccardDistance" {
			t.Errorf("join columns %v", j.Columns())
		}
		nn, err := m.ApproxNearestNeighbors(a, sparseVec(t, 6, 1, 3), 2, "")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := nn.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || len(rows) > 2 {
			t.Fatalf("parts=%d: %d neighbours", parts, len(rows))
		}
		for _, r := range rows {
			if id, d := r[0].(int64), r[3].(float64); id == 2 || d != 0.75 {
				t.Errorf("parts=%d: neighbour %d at %v, want A0 or A1 at 0.75", parts, id, d)
			}
		}
		// The hash column: 20 one-element vectors per row.
		tr, err := m.Transform(a)
		if err != nil {
			t.Fatal(err)
		}
		hr, err := tr.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if hs := hr[0][2].([]any); len(hs) != 20 || hs[0].(linalg.Vector).Size() != 1 {
			t.Errorf("hashes %v", hr[0][2])
		}
	}
	empty := s.CreateDataFrame([]idVec{{0, sparseVec(t, 6)}})
	m, _ := NewMinHashLSH().SetInputCol("features").FitModel(ctx, empty)
	out, _ := m.Transform(empty)
	if _, err := out.Collect(ctx); err == nil || !strings.Contains(err.Error(), "at least 1 non zero") {
		t.Errorf("empty vector: err = %v", err)
	}
}

// Spark's ML guide BucketedRandomProjectionLSH example: the corners of a
// square against the midpoints of its sides; by hand, the 8 pairs of a
// corner and an adjacent midpoint are at distance 1, the others at √5, so
// a join below 1.5 returns only pairs at exactly 1. On 60 random points in
// the plane, every returned pair's distance is the exact Euclidean one and
// the join finds most of the pairs closer than the threshold (brute force).
func TestBucketedRandomProjectionLSH(t *testing.T) {
	s, _ := newSession(t)
	dense := func(v ...float64) linalg.Vector { return linalg.Dense(v...) }
	dfA := s.CreateDataFrame([]idVec{{0, dense(1, 1)}, {1, dense(1, -1)}, {2, dense(-1, -1)}, {3, dense(-1, 1)}})
	dfB := s.CreateDataFrame([]idVec{{4, dense(1, 0)}, {5, dense(-1, 0)}, {6, dense(0, 1)}, {7, dense(0, -1)}})
	adjacent := map[string]bool{"0-4": true, "0-6": true, "1-4": true, "1-7": true, "2-5": true, "2-7": true, "3-5": true, "3-6": true}
	m, err := NewBucketedRandomProjectionLSH().SetInputCol("features").SetOutputCol("hashes").SetBucketLength(2).SetNumHashTables(3).FitModel(ctx, dfA)
	if err != nil {
		t.Fatal(err)
	}
	j, err := m.ApproxSimilarityJoin(ctx, dfA, dfB, 1.5, "EuclideanDistance")
	if err != nil {
		t.Fatal(err)
	}
	for k, d := range joinPairs(t, j) {
		if !adjacent[k] || d != 1 {
			t.Errorf("pair %s at %v, want an adjacent pair at 1", k, d)
		}
	}

	r := rand.New(rand.NewPCG(1, 2))
	var pts []idVec
	for i := 0; i < 60; i++ {
		pts = append(pts, idVec{int64(i), dense(r.Float64()*10, r.Float64()*10)})
	}
	const thr = 1.0
	exact := map[string]float64{}
	for _, p := range pts {
		for _, q := range pts {
			pv, qv := p.Features.ToArray(), q.Features.ToArray()
			if d := math.Hypot(pv[0]-qv[0], pv[1]-qv[1]); d < thr {
				exact[fmt.Sprintf("%d-%d", p.ID, q.ID)] = d
			}
		}
	}
	for _, parts := range []int{1, 4} {
		df := s.CreateDataFrame(pts).Repartition(parts)
		m, err := NewBucketedRandomProjectionLSH().SetInputCol("features").SetBucketLength(2).SetNumHashTables(8).SetSeed(3).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		j, err := m.ApproxSimilarityJoin(ctx, df, df, thr, "")
		if err != nil {
			t.Fatal(err)
		}
		got := joinPairs(t, j)
		found := 0
		for k, d := range got {
			want, ok := exact[k]
			if !ok || math.Abs(d-want) > 1e-12 {
				t.Errorf("parts=%d: pair %s at %v, exact %v (%v)", parts, k, d, want, ok)
			}
			found++
		}
		if recall := float64(found) / float64(len(exact)); recall < 0.9 {
			t.Errorf("parts=%d: recall %.3f (%d of %d pairs)", parts, recall, found, len(exact))
		}
		// Nearest neighbours of a point: exact distances, nearest first.
		nn, err := m.ApproxNearestNeighbors(df, dense(5, 5), 5, "dist")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := nn.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ds := make([]float64, len(rows))
		for i, row := range rows {
			v := row[1].(linalg.Vector).ToArray()
			ds[i] = row[3].(float64)
			if math.Abs(ds[i]-math.Hypot(v[0]-5, v[1]-5)) > 1e-12 {
				t.Errorf("neighbour %v at %v", v, ds[i])
			}
		}
		if len(rows) == 0 || !sort.Float64sAreSorted(ds) {
			t.Errorf("parts=%d: neighbours %v", parts, ds)
		}
	}
	if _, err := NewBucketedRandomProjectionLSH().SetInputCol("features").Fit(ctx, dfA); err == nil || !strings.Contains(err.Error(), "bucketLength") {
		t.Errorf("unset bucketLength: err = %v", err)
	}
}

func TestLSHSaveLoad(t *testing.T) {
	s, _ := newSession(t)
	df := s.CreateDataFrame([]idVec{{0, linalg.Dense(1, 2, 0)}, {1, linalg.Dense(0, 3, 4)}})
	reg := Register(ml.NewRegistry())
	mh, err := NewMinHashLSH().SetInputCol("features").SetNumHashTables(3).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	brp, err := NewBucketedRandomProjectionLSH().SetInputCol("features").SetBucketLength(0.5).SetNumHashTables(2).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []ml.Model{mh, brp} {
		dir := filepath.Join(t.TempDir(), "m")
		if err := m.Save(dir); err != nil {
			t.Fatal(err)
		}
		back, err := reg.Load(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		show := func(st ml.Stage) string {
			out, err := st.(ml.Transformer).Transform(df)
			if err != nil {
				t.Fatal(err)
			}
			str, err := out.ShowString(ctx, 5, 0)
			if err != nil {
				t.Fatal(err)
			}
			return str
		}
		if a, b := show(m), show(back); a != b {
			t.Errorf("%s after load:\n%s\nbefore:\n%s", m.ClassName(), b, a)
		}
	}
	for _, e := range []ml.Stage{NewMinHashLSH().SetInputCol("x").SetSeed(5), NewBucketedRandomProjectionLSH().SetInputCol("x").SetBucketLength(3)} {
		dir := filepath.Join(t.TempDir(), "e")
		if err := e.Save(dir); err != nil {
			t.Fatal(err)
		}
		back, err := reg.Load(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if back.Params().ExplainParams() != e.Params().ExplainParams() {
			t.Errorf("%s params differ after load", e.ClassName())
		}
	}
}
