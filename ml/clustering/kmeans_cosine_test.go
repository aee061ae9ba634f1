package clustering

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// cosineRows are 24 weighted rows around three directions; the expected
// values in TestKMeansCosineLloydVsNumpy come from this numpy program, which
// follows Spark's CosineDistanceMeasure (rows scaled to unit length, the
// nearest center the largest cosine, a center the weighted mean of its unit
// rows scaled to unit length):
//
//	U = X / np.linalg.norm(X, axis=1, keepdims=True)
//	C = X[[0, 1, 3]] / np.linalg.norm(X[[0, 1, 3]], axis=1, keepdims=True)
//	for it in range(4):
//	    a = np.argmax(U @ C.T, axis=1)
//	    for c in range(3):
//	        s = (w[a==c,None] * U[a==c]).sum(0) / w[a==c].sum()
//	        C[c] = s / np.linalg.norm(s)
//	a = np.argmax(U @ C.T, axis=1)
//	cost = (w * (1 - (U*C[a]).sum(1))).sum()
var cosineRows = [][]float64{{1.29, 0.39, 0.01}, {-0.2, 2.2, -0.94}, {-0.99, -0.03, 1.73}, {2.53, -0.31, 0.22}, {-1.47, 3.33, -3.82}, {-0.75, 0.08, 0.36}, {3.91, 0.5, -2.9}, {0.11, 1.42, -1.14}, {-0.54, -0.17, 0.86}, {0.75, 0.2, 0.43}, {0.21, 3.6, -0.96}, {-1.13, 1.62, 1.1}, {2.7, -0.06, 2.08}, {-0.33, 1.05, -0.1}, {-0.67, 0.45, 3.16}, {0.78, 0.28, -0.06}, {-0.26, 0.67, -0.31}, {-0.15, -0.41, 1.12}, {1.05, 0.13, 0.23}, {0.34, 0.89, -0.43}, {0.04, 0.06, 1.01}, {1.74, 0.24, -0.53}, {-0.2, 5.02, -0.25}, {-0.83, 0.25, 4.28}}

var cosineWeights = []float64{0.5, 1.1, 0.5, 0.7, 2.0, 1.5, 1.1, 1.3, 1.8, 1.0, 1.4, 1.5, 1.0, 1.3, 1.6, 1.9, 0.7, 1.9, 0.5, 1.6, 1.7, 0.7, 1.1, 1.7}

// TestKMeansCosineLloydVsNumpy runs four cosine Lloyd iterations from the
// rows 0, 1 and 3 in two blocks and compares the centers, the assignment
// and the cost with numpy's (see cosineRows).
func TestKMeansCosineLloydVsNumpy(t *testing.T) {
	var blocks []*optim.Block
	for _, part := range [][2]int{{0, 10}, {10, 24}} {
		b := &optim.Block{N: part[1] - part[0], D: 3, W: cosineWeights[part[0]:part[1]]}
		for _, r := range cosineRows[part[0]:part[1]] {
			b.X = append(b.X, r...)
		}
		blocks = append(blocks, b)
	}
	if err := unitRows(ctx, blocks); err != nil {
		t.Fatal(err)
	}
	init := [][]float64{append([]float64(nil), rowAt(blocks, 0)...), append([]float64(nil), rowAt(blocks, 1)...), append([]float64(nil), rowAt(blocks, 3)...)}
	centers, iters, err := lloydIterations(ctx, blocks, init, 4, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{
		{0.9838720511169664, 0.17418915950948669, 0.04066846124789857},
		{-0.06441050843634731, 0.9045769063515721, -0.4214165479645885},
		{-0.37951653202530355, 0.06320494771000065, 0.9230234755977027},
	}
	if iters != 4 {
		t.Errorf("iterations %d, want 4", iters)
	}
	for c := range want {
		for j := range want[c] {
			if math.Abs(centers[c][j]-want[c][j]) > 1e-12 {
				t.Errorf("center %d = %v, want %v", c, centers[c], want[c])
				break
			}
		}
	}
	sum, err := summarize(ctx, blocks, centers)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sum.TrainingCost/2, 2.6740579516158154; math.Abs(got-want) > 1e-12 {
		t.Errorf("cost %v, want %v", got, want)
	}
	for c, want := range []float64{7.4, 10.5, 12.2} {
		if math.Abs(sum.ClusterSizes[c]-want) > 1e-12 {
			t.Errorf("cluster %d weight %v, want %v", c, sum.ClusterSizes[c], want)
		}
	}
}

// TestKMeansCosineFit: six rows at angles 0°, 45°, 90° and 180°, 225°,
// 270° (of different lengths) have one best 2-clustering under the cosine
// distance (checked over all 62 splits): the centers at 45° and 225°, each
// row at cosine distance 1 − 1/√2 or 0, cost 4(1 − 1/√2) = 4 − 2√2. The
// model predicts by angle whatever the length, keeps distanceMeasure
// through Spark's layout, and zero vectors are an error.
func TestKMeansCosineFit(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]float64{{2, 0}, {0, 3}, {1, 1}, {-4, 0}, {0, -1}, {-2, -2}}
	r := math.Sqrt2 / 2
	for _, parts := range []int{1, 2} {
		df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}}, parts)
		m, err := NewKMeans().SetK(2).SetSeed(3).SetDistanceMeasure("cosine").FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := m.Summary().TrainingCost, 4-2*math.Sqrt2; math.Abs(got-want) > 1e-12 {
			t.Errorf("parts %d: cost %v, want %v", parts, got, want)
		}
		cs := m.ClusterCenters()
		a, b := 0, 1
		if cs[0].ToArray()[0] < 0 {
			a, b = 1, 0
		}
		for i, want := range [][]float64{{r, r}, {-r, -r}} {
			c := cs[[]int{a, b}[i]].ToArray()
			if math.Abs(c[0]-want[0]) > 1e-12 || math.Abs(c[1]-want[1]) > 1e-12 {
				t.Errorf("parts %d: center %v, want %v", parts, c, want)
			}
		}
		for _, tc := range []struct {
			x    []float64
			want int
		}{{[]float64{100, 90}, a}, {[]float64{0.01, 0.02}, a}, {[]float64{-0.3, -0.1}, b}, {[]float64{-50, -70}, b}} {
			if got, err := m.Predict(linalg.Dense(tc.x...)); err != nil || got != tc.want {
				t.Errorf("Predict(%v) = %d, %v; want %d", tc.x, got, err, tc.want)
			}
		}
		if _, err := m.Predict(linalg.Dense(0, 0)); err == nil || !strings.Contains(err.Error(), "zero-length") {
			t.Errorf("Predict(0, 0): got %v, want a zero-length error", err)
		}
		dir := filepath.Join(t.TempDir(), "spark")
		if err := m.SaveSpark(dir); err != nil {
			t.Fatal(err)
		}
		meta, err := os.ReadFile(filepath.Join(dir, "metadata", "part-00000"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(meta), `"distanceMeasure":"cosine"`) {
			t.Errorf("Spark metadata lacks distanceMeasure cosine: %s", meta)
		}
		back, err := ml.LoadAs[*KMeansModel](ctx, dir, Register(ml.NewRegistry()))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := back.Predict(linalg.Dense(0.01, 0.02)); err != nil || got != a {
			t.Errorf("loaded model: Predict(0.01, 0.02) = %d, %v; want %d (cosine)", got, err, a)
		}
	}
	zero := optimtest.Frame(t, s, mem, [][]float64{{1, 0}, {0, 0}, {0, 1}}, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}}, 1)
	if _, err := NewKMeans().SetK(2).SetDistanceMeasure("cosine").FitModel(ctx, zero); err == nil || !strings.Contains(err.Error(), "zero-length") {
		t.Errorf("fit with a zero vector: got %v, want a zero-length error", err)
	}
}

// TestKMeansModelCosinePredict: with centers of different lengths the
// cosine and Euclidean nearest differ. For x = (1, 0.9) and centers (10, 0)
// and (0, 1): cos = 1/‖x‖ = 0.743 and 0.9/‖x‖ = 0.669, so cosine picks 0;
// squared distances 81.81 and 1.01, so Euclidean picks 1.
func TestKMeansModelCosinePredict(t *testing.T) {
	m := newKMeansModel("km", [][]float64{{10, 0}, {0, 1}})
	if got, _ := m.Predict(linalg.Dense(1, 0.9)); got != 1 {
		t.Errorf("euclidean: got %d, want 1", got)
	}
	m.distanceMeasure.Set(m.Params(), "cosine")
	if got, err := m.Predict(linalg.Dense(1, 0.9)); err != nil || got != 0 {
		t.Errorf("cosine: got %d, %v; want 0", got, err)
	}
	s, mem := newSession(t)
	df := optimtest.Frame(t, s, mem, [][]float64{{1, 0.9}, {0.1, 2}}, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}}, 1)
	out, err := m.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := out.Select(frame.Col("prediction")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != int32(0) || rows[1][0] != int32(1) {
		t.Errorf("Transform predictions %v, want [[0] [1]]", rows)
	}
}
