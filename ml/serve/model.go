package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// Scorer scores records with a loaded model. It must be safe for concurrent
// use.
type Scorer interface {
	// Signature is the model's input and output columns.
	Signature() *ml.Signature
	// PredictRecords scores records keyed by input column and returns, for
	// each, its output columns.
	PredictRecords(ctx context.Context, recs []map[string]any) ([]map[string]any, error)
}

// LoadFunc loads the model saved in a directory.
type LoadFunc func(ctx context.Context, dir string) (Scorer, error)

// Resolved is the model directory a model path points at: the path itself,
// or for a registered model the directory of its latest version.
type Resolved struct {
	// Dir is the model directory to load.
	Dir string `json:"model_dir"`
	// Name is the registered model's name ("" for a plain model directory).
	Name string `json:"model_name,omitempty"`
	// Version is the registered version (0 for a plain model directory).
	Version int `json:"model_version,omitempty"`
	// Stamp changes whenever the path is moved to another model; the reload
	// poller reloads when it differs from the loaded model's.
	Stamp string `json:"-"`
}

// ResolveFunc resolves a model path to the model directory to load.
type ResolveFunc func(path string) (Resolved, error)

// LatestFile is the file in a registered model's directory that names its
// current version.
const LatestFile = "latest"

// ResolveLatest is the default ResolveFunc. A directory with a file named
// "latest" is a registered model: the file holds the name of the version's
// subdirectory (e.g. "v3"), which is loaded; when it names no subdirectory
// the path itself is loaded. The stamp is the file's modification time and
// contents, so moving "latest" makes the reload poller load the new version.
// Any other directory is loaded as it is, and never reloaded by the poller.
func ResolveLatest(path string) (Resolved, error) {
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

// DriftWindow keeps statistics over the records a server scored recently
// and compares them with the model's training profile (ml/monitor's Window).
type DriftWindow interface {
	// Add adds scored records: input and output columns matched by name.
	Add(b arrow.RecordBatch)
	// PSI is the population stability index per profiled column; a column
	// with too few rows is NaN or absent.
	PSI() map[string]float64
}

// DriftFunc makes the drift window of a model loaded from dir; it returns a
// nil window when the model has no training profile.
type DriftFunc func(dir string) (DriftWindow, error)

// model is a loaded model with what the server keeps about it.
type model struct {
	scorer   Scorer
	sig      *ml.Signature
	res      Resolved
	drift    DriftWindow
	loadedAt time.Time
	// defaultOut is the output column whose values a request gets when it
	// asks for no columns.
	defaultOut string
}

// defaultOutput picks the column a response holds by default: prediction
// when the model has one, else its last output.
func defaultOutput(sig *ml.Signature) string {
	if sig == nil || len(sig.Outputs) == 0 {
		return "prediction"
	}
	for _, c := range sig.Outputs {
		if c.Name == "prediction" {
			return c.Name
		}
	}
	return sig.Outputs[len(sig.Outputs)-1].Name
}

// outputType is the signature type of output column name, or "".
func (m *model) outputType(name string) (string, bool) {
	if m.sig == nil {
		return "", false
	}
	for _, c := range m.sig.Outputs {
		if c.Name == name {
			return c.Type, true
		}
	}
	return "", false
}
