package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/regression"
)

// fitsSection marks the part of RESULTS.md the fits suite rewrites.
const fitsStart, fitsEnd = "<!-- mlfits:start -->", "<!-- mlfits:end -->"

// linearLabel makes a continuous label from the features: a fixed linear
// model plus standard normal noise, deterministically.
func linearLabel(x []float64, n int) []float64 {
	r := rand.New(rand.NewPCG(13, 14))
	y := make([]float64, n)
	for i := range y {
		s := 1.5
		for j := 0; j < features; j++ {
			s += x[i*features+j] * float64(j%5-2) * 0.3
		}
		y[i] = s + r.NormFloat64()
	}
	return y
}

// fitsScript times the same three fits with scikit-learn and prints the
// medians in milliseconds and the version.
const fitsScript = `
import sys, time, numpy as np, sklearn
from sklearn.linear_model import LogisticRegression, LinearRegression
from sklearn.cluster import KMeans
n, d, runs = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(sys.argv[1] + "/x.bin", dtype="<f8").reshape(n, d)
y = np.fromfile(sys.argv[1] + "/y.bin", dtype="<f8")
yl = np.fromfile(sys.argv[1] + "/yl.bin", dtype="<f8")
def med(f):
    f()
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2] * 1000
km = med(lambda: KMeans(n_clusters=8, init="k-means++", n_init=1, max_iter=20, tol=0, random_state=1).fit(x))
lr = med(lambda: LogisticRegression(C=1.0 / (0.01 * n), max_iter=30, tol=0).fit(x, y))
li = med(lambda: LinearRegression().fit(x, yl))
m = LogisticRegression(C=1.0 / (0.01 * n), max_iter=30, tol=0).fit(x, y)
z = x @ m.coef_[0] + m.intercept_[0]
obj = np.mean(np.logaddexp(0, z) - y * z) + 0.5 * 0.01 * np.dot(m.coef_[0], m.coef_[0])
print(f"{km:.1f} {lr:.1f} {li:.1f} {int(m.n_iter_[0])} {obj!r} {sklearn.__version__}")
`

// sklearnLR is what fitsScript reports of scikit-learn's logistic
// regression beyond its time: its iterations and its final objective in
// Spark's scaling (mean log-loss + regParam/2 · ‖w‖², intercept not
// penalized), so that gspark's objective history can be compared with it.
type sklearnLR struct {
	iters int
	obj   float64
}

// sklearnFits runs fitsScript; ok is false (with the reason in version)
// when it could not run.
func sklearnFits(python string, x, y, yl []float64, runs int) (ms []float64, lr sklearnLR, version string, ok bool) {
	dir, err := os.MkdirTemp("", "mlbench-")
	if err != nil {
		return nil, lr, err.Error(), false
	}
	defer os.RemoveAll(dir)
	for name, v := range map[string][]float64{"x.bin": x, "y.bin": y, "yl.bin": yl} {
		var buf bytes.Buffer
		if err := binary.Write(&buf, binary.LittleEndian, v); err != nil {
			return nil, lr, err.Error(), false
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return nil, lr, err.Error(), false
		}
	}
	cmd := exec.Command(python, "-c", fitsScript, dir, strconv.Itoa(len(y)), strconv.Itoa(features), strconv.Itoa(runs))
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=2", "OPENBLAS_NUM_THREADS=2")
	outb, err := cmd.Output()
	if err != nil {
		return nil, lr, "not run: " + err.Error(), false
	}
	bad := "not run: unexpected output " + string(outb)
	f := strings.Fields(string(outb))
	if len(f) != 6 {
		return nil, lr, bad, false
	}
	for _, s := range f[:3] {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, lr, bad, false
		}
		ms = append(ms, v)
	}
	if lr.iters, err = strconv.Atoi(f[3]); err != nil {
		return nil, lr, bad, false
	}
	if lr.obj, err = strconv.ParseFloat(f[4], 64); err != nil {
		return nil, lr, bad, false
	}
	return ms, lr, f[5], true
}

// itersToReach returns the first iteration whose objective in history is
// at most obj, or −1 when none is.
func itersToReach(history []float64, obj float64) int {
	for i, h := range history {
		if h <= obj {
			return i
		}
	}
	return -1
}

// loadAverage returns /proc/loadavg's first three fields, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// runFits times KMeans (k = 8), LogisticRegression and LinearRegression
// with 1 and 2 partitions beside scikit-learn in the same run, and rewrites
// the mlfits section of out (none when out is empty).
func runFits(rows, runs int, python, out string) error {
	ctx := context.Background()
	load := loadAverage()
	x, y := data(rows)
	yl := linearLabel(x, rows)
	names := []string{"KMeans k=8", "LogisticRegression", "LinearRegression"}
	sk, skLR, skVer, skOK := sklearnFits(python, x, y, yl, runs)
	log.Printf("scikit-learn %s: %v ms, logistic regression %+v", skVer, sk, skLR)
	// gspark's logistic regression to scikit-learn's objective: the
	// iterations its history needs to reach it and the time of a fit of that
	// many iterations with 2 partitions.
	var sameIters int
	var sameTime time.Duration
	var gsObj float64
	res := map[int][]time.Duration{}
	for _, parts := range []int{1, 2} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df, err := frameOf(s, x, y, parts)
		if err != nil {
			return err
		}
		dfl, err := frameOf(s, x, yl, parts)
		if err != nil {
			return err
		}
		fits := []func() error{
			func() error {
				_, err := clustering.NewKMeans().SetK(8).SetMaxIter(20).SetTol(0).SetSeed(1).Fit(ctx, df)
				return err
			},
			func() error {
				_, err := classification.NewLogisticRegression().SetRegParam(0.01).SetMaxIter(30).SetTol(0).SetStandardization(false).Fit(ctx, df)
				return err
			},
			func() error {
				_, err := regression.NewLinearRegression().SetSolver("normal").Fit(ctx, dfl)
				return err
			},
		}
		for i, f := range fits {
			d, err := timeIt(runs, f)
			if err != nil {
				return fmt.Errorf("%s, %d partitions: %w", names[i], parts, err)
			}
			res[parts] = append(res[parts], d)
			log.Printf("gspark partitions=%d: %s %v", parts, names[i], d)
		}
		if parts == 2 && skOK {
			m, err := classification.NewLogisticRegression().SetRegParam(0.01).SetMaxIter(30).SetTol(0).SetStandardization(false).FitLogistic(ctx, df)
			if err != nil {
				return err
			}
			h := m.Summary().ObjectiveHistory
			gsObj = h[len(h)-1]
			if sameIters = itersToReach(h, skLR.obj); sameIters > 0 {
				sameTime, err = timeIt(runs, func() error {
					_, err := classification.NewLogisticRegression().SetRegParam(0.01).SetMaxIter(sameIters).SetTol(0).SetStandardization(false).Fit(ctx, df)
					return err
				})
				if err != nil {
					return err
				}
			}
			log.Printf("gspark reaches scikit-learn's objective %.17g after %d iterations (%v); its own final objective %.17g", skLR.obj, sameIters, sameTime, gsObj)
		}
		df.Unpersist()
		dfl.Unpersist()
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	var b strings.Builder
	fmt.Fprintf(&b, "## ML fits against scikit-learn, %d rows × %d features\n\n", rows, features)
	fmt.Fprintf(&b, "Run %s; runtime.NumCPU=%d, GOMAXPROCS=%d, %s; load average at start: %s; median of %d runs after one warm-up; command (from benchmarks/): `go run ./cmd/mlbench -suite fits -rows %d -runs %d`.\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), load, runs, rows, runs)
	b.WriteString("Data as in the section above; LinearRegression's label is a fixed linear model of the features plus standard normal noise. " +
		"KMeans: k = 8, 20 iterations, no tolerance stop (gspark: k-means|| initialization; scikit-learn: k-means++, one initialization, Lloyd). " +
		"LogisticRegression: binomial, regParam 0.01, no standardization, 30 iterations, no tolerance stop (scikit-learn: lbfgs, C = 1/(0.01·n)). " +
		"LinearRegression: no regularization, normal-equation solver (scikit-learn: LinearRegression, least squares).\n\n")
	b.WriteString("| fit | gspark 1 partition ms | gspark 2 partitions ms | speed-up 1→2 | scikit-learn ms | gspark (2) / scikit-learn |\n|---|---:|---:|---:|---:|---:|\n")
	for i, name := range names {
		one, two := ms(res[1][i]), ms(res[2][i])
		peer, ratio := "n/a", "n/a"
		if skOK {
			peer, ratio = fmt.Sprintf("%.1f", sk[i]), fmt.Sprintf("%.2f", two/sk[i])
		}
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %.2f× | %s | %s |\n", name, one, two, one/two, peer, ratio)
	}
	if skOK && sameIters > 0 {
		fmt.Fprintf(&b, "\nLogisticRegression to the same objective: scikit-learn's lbfgs stops after %d iterations at %.12g "+
			"(mean log-loss + 0.01/2·‖w‖², computed by the script); gspark's objective history is at or below it after %d iterations "+
			"(its own 30-iteration limit ends at %.12g); a gspark fit of %d iterations, 2 partitions: %.1f ms, %.2f× scikit-learn's %.1f ms.\n",
			skLR.iters, skLR.obj, sameIters, gsObj, sameIters, ms(sameTime), ms(sameTime)/sk[1], sk[1])
	} else if skOK {
		fmt.Fprintf(&b, "\nLogisticRegression to the same objective: gspark's objective history never reaches scikit-learn's %.12g (its own final: %.12g).\n", skLR.obj, gsObj)
	}
	fmt.Fprintf(&b, "\nscikit-learn: %s.\n", skVer)
	fmt.Print(b.String())
	if out == "" {
		return nil
	}
	old, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	section := fitsStart + "\n" + b.String() + fitsEnd
	text := string(old)
	if i, j := strings.Index(text, fitsStart), strings.Index(text, fitsEnd); i >= 0 && j > i {
		text = text[:i] + section + text[j+len(fitsEnd):]
	} else if j := strings.Index(text, "<!-- ml:end -->"); j >= 0 {
		j += len("<!-- ml:end -->")
		text = text[:j] + "\n\n" + section + text[j:]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + section + "\n"
	}
	return os.WriteFile(out, []byte(text), 0o644)
}
