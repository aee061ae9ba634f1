package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
)

// Tree benchmark settings, as in acceptance 3 of issue 16.
const (
	forestTrees = 20
	forestDepth = 6
	gbtIters    = 20
	gbtDepth    = 4
)

// treesPyScript fits scikit-learn's RandomForestClassifier,
// GradientBoostingClassifier and HistGradientBoostingClassifier on the
// training rows and prints, per model, the median fit time in milliseconds
// and the accuracy on the held-out rows, then the version.
const treesPyScript = `
import sys, time, numpy as np, sklearn
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier, HistGradientBoostingClassifier
dir, n, m, d, runs, skip_gbc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"
x = np.fromfile(dir + "/x.bin", dtype="<f8").reshape(n + m, d)
y = np.fromfile(dir + "/y.bin", dtype="<f8")
xt, yt, xh, yh = x[:n], y[:n], x[n:], y[n:]
def med(make):
    ts = []
    for _ in range(runs):
        mdl = make()
        t = time.perf_counter(); mdl.fit(xt, yt); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2] * 1000, float((mdl.predict(xh) == yh).mean())
out = []
out += med(lambda: RandomForestClassifier(n_estimators=%d, max_depth=%d, n_jobs=2, random_state=1))
out += med(lambda: HistGradientBoostingClassifier(max_iter=%d, max_depth=%d, early_stopping=False, random_state=1))
out += [-1, -1] if skip_gbc else med(lambda: GradientBoostingClassifier(n_estimators=%d, max_depth=%d, random_state=1))
print(" ".join(f"{v:.4f}" for v in out), sklearn.__version__)
`

// treeResult is a fit's median time and held-out accuracy.
type treeResult struct {
	ms, acc float64
}

// sklearnTrees runs treesPyScript on the first n rows of x, y as training
// rows and the rest as held-out rows.
func sklearnTrees(python string, x, y []float64, n, runs int, skipGBC bool) (rf, hgb, gbc treeResult, version string, err error) {
	dir, err := os.MkdirTemp("", "mlbench-trees-")
	if err != nil {
		return rf, hgb, gbc, "", err
	}
	defer os.RemoveAll(dir)
	for name, v := range map[string][]float64{"x.bin": x, "y.bin": y} {
		var buf bytes.Buffer
		if err := binary.Write(&buf, binary.LittleEndian, v); err != nil {
			return rf, hgb, gbc, "", err
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return rf, hgb, gbc, "", err
		}
	}
	script := fmt.Sprintf(treesPyScript, forestTrees, forestDepth, gbtIters, gbtDepth, gbtIters, gbtDepth)
	skip := "0"
	if skipGBC {
		skip = "1"
	}
	cmd := exec.Command(python, "-c", script, dir, strconv.Itoa(n), strconv.Itoa(len(y)-n), strconv.Itoa(features), strconv.Itoa(runs), skip)
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=2", "OPENBLAS_NUM_THREADS=2")
	cmd.Stderr = os.Stderr
	outb, err := cmd.Output()
	if err != nil {
		return rf, hgb, gbc, "", fmt.Errorf("scikit-learn: %w", err)
	}
	f := strings.Fields(string(outb))
	if len(f) != 7 {
		return rf, hgb, gbc, "", fmt.Errorf("scikit-learn: unexpected output %q", outb)
	}
	v := make([]float64, 6)
	for i := range v {
		if v[i], err = strconv.ParseFloat(f[i], 64); err != nil {
			return rf, hgb, gbc, "", fmt.Errorf("scikit-learn: output field %d: %w", i+1, err)
		}
	}
	return treeResult{v[0], v[1]}, treeResult{v[2], v[3]}, treeResult{v[4], v[5]}, f[6], nil
}

// medianFit times runs calls of fit (no warm-up: a fit takes seconds) and
// returns the median.
func medianFit(runs int, fit func() error) (float64, error) {
	var ds []float64
	for r := 0; r < runs; r++ {
		start := time.Now()
		if err := fit(); err != nil {
			return 0, err
		}
		ds = append(ds, float64(time.Since(start).Microseconds())/1000)
	}
	sort.Float64s(ds)
	return ds[len(ds)/2], nil
}

// forestAccuracy is the share of held-out rows the forest classifies right,
// predicting as Spark: the class of highest mean normalized leaf count.
func forestAccuracy(m *classification.RandomForestClassificationModel, x, y []float64) float64 {
	trees := m.Trees()
	right := 0
	votes := make([]float64, m.NumClasses())
	for i := range y {
		row := x[i*features : (i+1)*features]
		clear(votes)
		for _, t := range trees {
			leaf := optim.PredictTree(t, row)
			s := 0.0
			for _, c := range leaf.Stats {
				s += c
			}
			for k, c := range leaf.Stats {
				if s > 0 {
					votes[k] += c / s
				}
			}
		}
		best := 0
		for k, v := range votes {
			if v > votes[best] {
				best = k
			}
		}
		if float64(best) == y[i] {
			right++
		}
	}
	return float64(right) / float64(len(y))
}

// gbtAccuracy is the share of held-out rows the boosted trees classify
// right (class 1 when the margin is positive).
func gbtAccuracy(m *classification.GBTClassificationModel, x, y []float64) (float64, error) {
	right := 0
	for i := range y {
		f, err := m.Margin(linalg.Dense(x[i*features : (i+1)*features]...))
		if err != nil {
			return 0, err
		}
		if (f > 0) == (y[i] == 1) {
			right++
		}
	}
	return float64(right) / float64(len(y)), nil
}

// runTrees times gspark's RandomForestClassifier and GBTClassifier with 1
// and 2 partitions and scikit-learn's forests and boosted trees on the same
// generated rows (a fifth more rows are held out for accuracy), and writes
// the table between <!-- ml-trees:start --> and <!-- ml-trees:end --> of
// out (empty: none).
func runTrees(rows, runs int, python, out string, skipGBC bool) error {
	ctx := context.Background()
	held := rows / 5
	x, y := data(rows + held)
	xt, yt, xh, yh := x[:rows*features], y[:rows], x[rows*features:], y[rows:]
	var rf, gbt [3]treeResult // by partitions
	for _, parts := range []int{1, 2} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df, err := frameOf(s, xt, yt, parts)
		if err != nil {
			return err
		}
		var fm *classification.RandomForestClassificationModel
		ms, err := medianFit(runs, func() (err error) {
			fm, err = classification.NewRandomForestClassifier().SetNumTrees(forestTrees).SetMaxDepth(forestDepth).SetSeed(1).FitForest(ctx, df)
			return err
		})
		if err != nil {
			return err
		}
		rf[parts] = treeResult{ms, forestAccuracy(fm, xh, yh)}
		var gm *classification.GBTClassificationModel
		ms, err = medianFit(runs, func() (err error) {
			gm, err = classification.NewGBTClassifier().SetMaxIter(gbtIters).SetMaxDepth(gbtDepth).FitGBT(ctx, df)
			return err
		})
		if err != nil {
			return err
		}
		acc, err := gbtAccuracy(gm, xh, yh)
		if err != nil {
			return err
		}
		gbt[parts] = treeResult{ms, acc}
		df.Unpersist()
		log.Printf("gspark partitions=%d: RandomForest %.0f ms (accuracy %.4f), GBT %.0f ms (accuracy %.4f)", parts, rf[parts].ms, rf[parts].acc, gbt[parts].ms, gbt[parts].acc)
	}
	skRF, skHGB, skGBC, skVer, err := sklearnTrees(python, x, y, rows, runs, skipGBC)
	if err != nil {
		return err
	}
	log.Printf("scikit-learn %s: RandomForest %.0f ms (%.4f), HistGradientBoosting %.0f ms (%.4f), GradientBoosting %.0f ms (%.4f)",
		skVer, skRF.ms, skRF.acc, skHGB.ms, skHGB.acc, skGBC.ms, skGBC.acc)
	var b strings.Builder
	fmt.Fprintf(&b, "## Tree ensembles, %d training rows × %d features, %d held out\n\n", rows, features, held)
	fmt.Fprintf(&b, "Run %s; runtime.NumCPU=%d, GOMAXPROCS=%d, %s; median of %d fits; command (from benchmarks/): `go run ./cmd/mlbench -trees -rows %d -runs %d`.\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runs, rows, runs)
	fmt.Fprintf(&b, "Data as in the ML fits above. gspark: RandomForestClassifier (%d trees, depth %d, Spark's defaults otherwise: maxBins 32, sqrt features, bootstrap) "+
		"and GBTClassifier (%d iterations, depth %d, step 0.1), fit from a DataFrame. scikit-learn: RandomForestClassifier(n_estimators=%d, max_depth=%d, n_jobs=2), "+
		"HistGradientBoostingClassifier(max_iter=%d, max_depth=%d, early_stopping=False) and GradientBoostingClassifier(n_estimators=%d, max_depth=%d), fit from NumPy arrays. "+
		"Accuracy is on the held-out rows.\n\n", forestTrees, forestDepth, gbtIters, gbtDepth, forestTrees, forestDepth, gbtIters, gbtDepth, gbtIters, gbtDepth)
	b.WriteString("| fit | gspark 1 partition ms | gspark 2 partitions ms | speed-up 1→2 | gspark accuracy | scikit-learn | scikit-learn ms | scikit-learn accuracy | gspark (2) / scikit-learn |\n|---|---:|---:|---:|---:|---|---:|---:|---:|\n")
	row := func(name string, g [3]treeResult, peer string, sk treeResult) {
		if sk.ms < 0 {
			fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.2f× | %.4f | %s | not run | | |\n", name, g[1].ms, g[2].ms, g[1].ms/g[2].ms, g[2].acc, peer)
			return
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.2f× | %.4f | %s | %.0f | %.4f | %.2f |\n", name, g[1].ms, g[2].ms, g[1].ms/g[2].ms, g[2].acc, peer, sk.ms, sk.acc, g[2].ms/sk.ms)
	}
	row("RandomForest", rf, "RandomForestClassifier", skRF)
	row("GBT", gbt, "HistGradientBoostingClassifier", skHGB)
	row("GBT", gbt, "GradientBoostingClassifier", skGBC)
	fmt.Fprintf(&b, "\nscikit-learn: %s.\n", skVer)
	fmt.Print(b.String())
	if out == "" {
		return nil
	}
	return writeSection(out, "<!-- ml-trees:start -->", "<!-- ml-trees:end -->", b.String())
}

// writeSection replaces the text between markers start and end of file out
// with body, or appends the marked section when absent.
func writeSection(out, start, end, body string) error {
	old, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	section := start + "\n" + body + end
	text := string(old)
	if i, j := strings.Index(text, start), strings.Index(text, end); i >= 0 && j > i {
		text = text[:i] + section + text[j+len(end):]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + section + "\n"
	}
	return os.WriteFile(out, []byte(text), 0o644)
}
