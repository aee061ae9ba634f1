package serve

import (
	"context"
	"errors"
	"io/fs"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/monitor"
	"github.com/gspark/gspark/ml/predict"
	"github.com/gspark/gspark/ml/registry"
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
	// Stamp, when set, changes whenever the path is moved to another model
	// without changing Dir; the reload poller reloads when Dir or Stamp
	// differs from the loaded model's.
	Stamp string `json:"-"`
}

// ResolveFunc resolves a model path to the model directory to load.
type ResolveFunc func(path string) (Resolved, error)

// ResolveRegistry is the default ResolveFunc: ml/registry's Resolve. A
// registered model's directory (ROOT/NAME, versions v1, v2, … and a
// "latest" pointer) resolves to its latest version's directory, so moving
// "latest" (a new registration, or `gspark models promote`) changes the
// directory and the reload poller loads it; a saved model's directory
// resolves to itself.
func ResolveRegistry(path string) (Resolved, error) {
	dir, v, err := registry.Resolve(path)
	if err != nil {
		return Resolved{}, err
	}
	return Resolved{Dir: dir, Name: v.Name, Version: v.Number}, nil
}

// LoadPredictor is the default LoadFunc: ml/predict's Load, which reads a
// saved model with its signature.
func LoadPredictor(ctx context.Context, dir string) (Scorer, error) {
	p, err := predict.Load(ctx, dir)
	if err != nil {
		return nil, err
	}
	return p, nil
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

// DefaultDriftWindow is the number of recent values per column the default
// drift window keeps.
const DefaultDriftWindow = 10000

// MonitorDrift is a DriftFunc over ml/monitor: the training profile saved
// with the model (profile.json) and a monitor.Window of the last size
// values of each profiled column. A model without a profile, or size 0,
// gets no window.
func MonitorDrift(size int) DriftFunc {
	return func(dir string) (DriftWindow, error) {
		if size <= 0 {
			return nil, nil
		}
		prof, err := monitor.ReadProfile(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return monitor.NewWindow(prof, size), nil
	}
}

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
