package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// fakeSig is the signature of fakeScorer.
var fakeSig = &ml.Signature{
	Inputs: []ml.ColumnSpec{{Name: "age", Type: "double"}, {Name: "city", Type: "string"}, {Name: "f", Type: "vector"}},
	Outputs: []ml.ColumnSpec{{Name: "cityIndex", Type: "double"}, {Name: "prediction", Type: "double"},
		{Name: "probability", Type: "vector"}},
}

// fakeScorer predicts factor*age plus the sum of f, and the probability
// vector [0.25, 0.75]. City "atlantis" is an unknown category, "panic"
// panics; delay slows every call.
type fakeScorer struct {
	factor float64
	delay  time.Duration
	mu     sync.Mutex
	calls  int
}

func (f *fakeScorer) Signature() *ml.Signature { return fakeSig }

func (f *fakeScorer) PredictRecords(ctx context.Context, recs []map[string]any) ([]map[string]any, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		for _, c := range fakeSig.Inputs {
			if _, ok := r[c.Name]; !ok {
				return nil, fmt.Errorf("record %d: no %s", i, c.Name)
			}
		}
		city, _ := r["city"].(string)
		switch city {
		case "atlantis":
			return nil, fmt.Errorf("scoring: %w", &RequestError{Record: i, Field: "city", Reason: `unknown category "atlantis"`})
		case "panic":
			panic("the model broke")
		}
		age, ok := r["age"].(float64)
		if !ok {
			age = math.NaN()
		}
		p := f.factor * age
		if v, ok := r["f"].([]float64); ok {
			for _, x := range v {
				p += x
			}
		}
		out[i] = map[string]any{"cityIndex": float64(len(city)), "prediction": p, "probability": []float64{0.25, 0.75}}
	}
	return out, nil
}

// loadFake loads a fake model directory: a file "factor" holding the
// factor. A directory without it fails to load.
func loadFake(_ context.Context, dir string) (Scorer, error) {
	data, err := os.ReadFile(filepath.Join(dir, "factor"))
	if err != nil {
		return nil, err
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(string(data)), 64)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return &fakeScorer{factor: f}, nil
}

// writeFake writes a fake model directory with the given factor.
func writeFake(t interface{ Fatal(...any) }, dir string, factor float64) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "factor"), []byte(strconv.FormatFloat(factor, 'g', -1, 64)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeDrift is a drift window that counts the rows it was given.
type fakeDrift struct {
	mu   sync.Mutex
	rows int64
	cols []string
}

func (d *fakeDrift) Add(b arrow.RecordBatch) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.rows += b.NumRows()
	d.cols = d.cols[:0]
	for _, f := range b.Schema().Fields() {
		d.cols = append(d.cols, f.Name)
	}
}

func (d *fakeDrift) PSI() map[string]float64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rows < 3 {
		return map[string]float64{"age": math.NaN()}
	}
	return map[string]float64{"age": 0.5, "prediction": float64(d.rows)}
}

// LatestFile is the file in a registered model's directory that names its
// current version.
const LatestFile = "latest"

// resolveLatestFile resolves the fake models of the tests. A directory with a file named
// "latest" is a registered model: the file holds the name of the version's
// subdirectory (e.g. "v3"), which is loaded; when it names no subdirectory
// the path itself is loaded. The stamp is the file's modification time and
// contents, so moving "latest" makes the reload poller load the new version.
// Any other directory is loaded as it is, and never reloaded by the poller.
func resolveLatestFile(path string) (Resolved, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Resolved{}, fmt.Errorf("model %s: %w", path, err)
	}
	if !st.IsDir() {
		return Resolved{}, fmt.Errorf("model %s: not a directory", path)
	}
	// One open file for both the time and the contents, so that a rename
	// in between cannot mix two versions.
	f, err := os.Open(filepath.Join(path, LatestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return Resolved{Dir: path}, nil
	}
	if err != nil {
		return Resolved{}, fmt.Errorf("model %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Resolved{}, fmt.Errorf("model %s: %w", path, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return Resolved{}, fmt.Errorf("model %s: %w", path, err)
	}
	name := strings.TrimSpace(string(data))
	r := Resolved{Dir: path, Stamp: fmt.Sprintf("%d:%s", fi.ModTime().UnixNano(), name)}
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return r, nil
	}
	sub := filepath.Join(path, name)
	if st, err := os.Stat(sub); err == nil && st.IsDir() {
		r.Dir = sub
		r.Name = filepath.Base(filepath.Clean(path))
		r.Version, _ = strconv.Atoi(strings.TrimLeft(name, "vV"))
	}
	return r, nil
}
