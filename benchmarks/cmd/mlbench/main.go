// Command mlbench times gspark's LogisticRegression and KMeans fits on
// generated data (1M rows × 20 features by default) with 1 and 2
// partitions, and scikit-learn's on the same data when the given python can
// import it, and writes the table to RESULTS.md between <!-- ml:start -->
// and <!-- ml:end -->.
//
//	go run ./cmd/mlbench [-rows 1000000] [-runs 3] [-python /usr/bin/python3]
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/linalg"
)

const features = 20

func main() {
	rows := flag.Int("rows", 1_000_000, "rows of generated data")
	runs := flag.Int("runs", 3, "timed runs per fit (median reported)")
	python := flag.String("python", "/usr/bin/python3", "python with scikit-learn and numpy (the peer is skipped when it cannot import them)")
	out := flag.String("out", "RESULTS.md", "results file whose ml section is rewritten (empty: none)")
	trees := flag.Bool("trees", false, "time the tree ensembles instead (see runTrees), with -runs fits each")
	skipGBC := flag.Bool("skip-gbc", false, "with -trees, leave out scikit-learn's slow GradientBoostingClassifier")
	suite := flag.String("suite", "", `"fits": KMeans k=8, LogisticRegression and LinearRegression beside scikit-learn (section mlfits; see fits.go)`)
	flag.Parse()
	if *trees {
		if err := runTrees(*rows, *runs, *python, *out, *skipGBC); err != nil {
			log.Fatal(err)
		}
		return
	}
	f := run
	if *suite == "fits" {
		f = runFits
	}
	if err := f(*rows, *runs, *python, *out); err != nil {
		log.Fatal(err)
	}
}

// data makes n rows of standard normal features in ten shifted clusters and
// a label drawn from a logistic model, deterministically.
func data(n int) ([]float64, []float64) {
	r := rand.New(rand.NewPCG(11, 12))
	x := make([]float64, n*features)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		m := 0.0
		center := float64(i%10) * 0.5
		for j := 0; j < features; j++ {
			v := r.NormFloat64() + center
			x[i*features+j] = v
			m += (v - 2.25) * float64(j%5-2) * 0.3
		}
		if r.Float64() < 1/(1+math.Exp(-m)) {
			y[i] = 1
		}
	}
	return x, y
}

// frameOf puts the data into a DataFrame of parts partitions.
func frameOf(s *frame.Session, x, y []float64, parts int) (*frame.DataFrame, error) {
	mem := memory.DefaultAllocator
	schema := arrow.NewSchema([]arrow.Field{{Name: "features", Type: linalg.VectorType(), Nullable: true}, {Name: "label", Type: arrow.PrimitiveTypes.Float64}}, nil)
	n := len(y)
	batches := make([][]arrow.RecordBatch, parts)
	const batch = 8192
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		vb := linalg.NewVectorBuilder(mem)
		for i := lo; i < hi; i++ {
			vb.AppendDense(x[i*features : (i+1)*features])
		}
		fb := array.NewFloat64Builder(mem)
		fb.AppendValues(y[lo:hi], nil)
		cols := []arrow.Array{vb.NewArray(), fb.NewArray()}
		vb.Release()
		fb.Release()
		p := (lo / batch) % parts
		batches[p] = append(batches[p], array.NewRecordBatch(schema, cols, int64(hi-lo)))
		for _, c := range cols {
			c.Release()
		}
	}
	df, err := s.FromBatches(schema, batches)
	for _, bs := range batches {
		for _, b := range bs {
			b.Release()
		}
	}
	return df, err
}

// timeIt returns the median of runs timed calls of f after one warm-up.
func timeIt(runs int, f func() error) (time.Duration, error) {
	if err := f(); err != nil {
		return 0, err
	}
	var ds []time.Duration
	for r := 0; r < runs; r++ {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], nil
}

// pyScript fits the same models with scikit-learn and prints the medians in
// milliseconds and the version.
const pyScript = `
import sys, time, numpy as np, sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.cluster import KMeans
n, d, runs = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(sys.argv[1] + "/x.bin", dtype="<f8").reshape(n, d)
y = np.fromfile(sys.argv[1] + "/y.bin", dtype="<f8")
def med(f):
    f()
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2] * 1000
lr = med(lambda: LogisticRegression(C=1.0 / (0.01 * n), max_iter=30, tol=0).fit(x, y))
km = med(lambda: KMeans(n_clusters=10, init="k-means++", n_init=1, max_iter=20, tol=0, random_state=1).fit(x))
print(f"{lr:.1f} {km:.1f} {sklearn.__version__}")
`

// sklearn times the fits with scikit-learn; ok is false (with the reason in
// version) when it could not run.
func sklearn(python string, x, y []float64, runs int) (lr, km float64, version string, ok bool) {
	dir, err := os.MkdirTemp("", "mlbench-")
	if err != nil {
		return 0, 0, err.Error(), false
	}
	defer os.RemoveAll(dir)
	for name, v := range map[string][]float64{"x.bin": x, "y.bin": y} {
		var buf bytes.Buffer
		if err := binary.Write(&buf, binary.LittleEndian, v); err != nil {
			return 0, 0, err.Error(), false
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return 0, 0, err.Error(), false
		}
	}
	cmd := exec.Command(python, "-c", pyScript, dir, strconv.Itoa(len(y)), strconv.Itoa(features), strconv.Itoa(runs))
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=2", "OPENBLAS_NUM_THREADS=2")
	outb, err := cmd.Output()
	if err != nil {
		return 0, 0, "not run: " + err.Error(), false
	}
	f := strings.Fields(string(outb))
	if len(f) != 3 {
		return 0, 0, "not run: unexpected output " + string(outb), false
	}
	lr, err1 := strconv.ParseFloat(f[0], 64)
	km, err2 := strconv.ParseFloat(f[1], 64)
	if err1 != nil || err2 != nil {
		return 0, 0, "not run: unexpected output " + string(outb), false
	}
	return lr, km, f[2], true
}

func run(rows, runs int, python, out string) error {
	ctx := context.Background()
	x, y := data(rows)
	type result struct{ lr, km time.Duration }
	res := map[int]result{}
	for _, parts := range []int{1, 2} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df, err := frameOf(s, x, y, parts)
		if err != nil {
			return err
		}
		lr, err := timeIt(runs, func() error {
			_, err := classification.NewLogisticRegression().SetRegParam(0.01).SetMaxIter(30).SetTol(0).SetStandardization(false).Fit(ctx, df)
			return err
		})
		if err != nil {
			return err
		}
		km, err := timeIt(runs, func() error {
			_, err := clustering.NewKMeans().SetK(10).SetMaxIter(20).SetTol(0).SetSeed(1).Fit(ctx, df)
			return err
		})
		if err != nil {
			return err
		}
		df.Unpersist()
		res[parts] = result{lr, km}
		log.Printf("gspark partitions=%d: LogisticRegression %v, KMeans %v", parts, lr, km)
	}
	skLR, skKM, skVer, skOK := sklearn(python, x, y, runs)
	log.Printf("scikit-learn %s: LogisticRegression %.1f ms, KMeans %.1f ms", skVer, skLR, skKM)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	peer := func(v, g float64) (string, string) {
		if !skOK {
			return "n/a", "n/a"
		}
		return fmt.Sprintf("%.1f", v), fmt.Sprintf("%.2f", g/v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## ML fits, %d rows × %d features\n\n", rows, features)
	fmt.Fprintf(&b, "Run %s; runtime.NumCPU=%d, GOMAXPROCS=%d, %s; median of %d runs after one warm-up; command (from benchmarks/): `go run ./cmd/mlbench -rows %d -runs %d`.\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runs, rows, runs)
	b.WriteString("Data: standard normal features in ten shifted clusters, labels from a logistic model (seeded, made by the program; scikit-learn reads the same values). " +
		"LogisticRegression: binomial, regParam 0.01, no standardization (scikit-learn: lbfgs with C = 1/(0.01·n)), 30 iterations, no tolerance stop. " +
		"KMeans: k = 10, 20 iterations, no tolerance stop (gspark: k-means|| initialization; scikit-learn: k-means++, one initialization).\n\n")
	b.WriteString("| fit | gspark 1 partition ms | gspark 2 partitions ms | speed-up 1→2 | scikit-learn ms | gspark (2) / scikit-learn |\n|---|---:|---:|---:|---:|---:|\n")
	v, r := peer(skLR, ms(res[2].lr))
	fmt.Fprintf(&b, "| LogisticRegression | %.1f | %.1f | %.2f× | %s | %s |\n", ms(res[1].lr), ms(res[2].lr), ms(res[1].lr)/ms(res[2].lr), v, r)
	v, r = peer(skKM, ms(res[2].km))
	fmt.Fprintf(&b, "| KMeans | %.1f | %.1f | %.2f× | %s | %s |\n", ms(res[1].km), ms(res[2].km), ms(res[1].km)/ms(res[2].km), v, r)
	fmt.Fprintf(&b, "\nscikit-learn: %s.\n", skVer)
	fmt.Print(b.String())
	if out == "" {
		return nil
	}
	old, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	section := "<!-- ml:start -->\n" + b.String() + "<!-- ml:end -->"
	text := string(old)
	if i, j := strings.Index(text, "<!-- ml:start -->"), strings.Index(text, "<!-- ml:end -->"); i >= 0 && j > i {
		text = text[:i] + section + text[j+len("<!-- ml:end -->"):]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + section + "\n"
	}
	return os.WriteFile(out, []byte(text), 0o644)
}
