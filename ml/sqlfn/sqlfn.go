// Package sqlfn registers the ML table functions on a frame.Session, so
// that SQL reaches saved models:
//
//	SELECT id, prediction FROM ml_transform('models/churn', TABLE(customers)) WHERE prediction = 1
//	DESCRIBE MODEL 'models/churn'
//
// ml_transform(path, TABLE(t)) loads the model saved at path (any stage
// ml/all knows, a PipelineModel included), checks t's columns against the
// model and returns t's rows with the model's output columns. describe_model
// (what DESCRIBE MODEL calls) lists the model's stages and columns. Loaded
// models are cached by the Models value Register returns, keyed by path and
// the metadata's modification time, so a model saved again is reloaded.
package sqlfn

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/registry"
	"github.com/gspark/gspark/planner/sql"
)

// TransformFunction is the name of the table function that applies a model.
const TransformFunction = "ml_transform"

// Models loads saved models for the table functions and keeps them, per
// absolute path, until the model's metadata changes on disk.
type Models struct {
	reg     *ml.Registry
	mu      sync.Mutex
	entries map[string]entry
}

type entry struct {
	mod   time.Time
	stage ml.Stage
	md    *ml.Metadata
}

// Register adds ml_transform and describe_model to s and returns the model
// cache they share.
func Register(s *frame.Session) *Models {
	m := &Models{reg: all.Registry(), entries: map[string]entry{}}
	s.RegisterTableFunction(TransformFunction, m.transform)
	s.RegisterTableFunction(sql.DescribeModelFunction, m.describe)
	return m
}

// Len returns the number of models in the cache.
func (m *Models) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// Load returns the stage saved at path and its metadata, from the cache
// when the metadata file has not changed since it was loaded. A registered
// model's directory (ml/registry) means its latest version.
func (m *Models) Load(ctx context.Context, path string) (ml.Stage, *ml.Metadata, error) {
	if dir, v, err := registry.Resolve(path); err == nil && !v.IsZero() {
		path = dir // a registered model: its latest version
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("model %s: %w", path, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("model %s does not exist: %w", path, err)
		}
		return nil, nil, fmt.Errorf("model %s: %w", path, err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a saved model: not a directory", path)
	}
	mdInfo, err := os.Stat(filepath.Join(abs, "metadata", "part-00000"))
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not a saved model: %w", path, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[abs]; ok && e.mod.Equal(mdInfo.ModTime()) {
		return e.stage, e.md, nil
	}
	md, err := ml.ReadMetadata(abs)
	if err != nil {
		return nil, nil, err
	}
	st, err := m.reg.Load(ctx, abs)
	if err != nil {
		return nil, nil, err
	}
	m.entries[abs] = entry{mod: mdInfo.ModTime(), stage: st, md: md}
	return st, md, nil
}

// transform implements ml_transform(path, TABLE(t)).
func (m *Models) transform(ctx context.Context, _ *frame.Session, args []frame.TableArg) (*frame.DataFrame, error) {
	if len(args) != 2 || args[1].Table == nil {
		return nil, fmt.Errorf("usage: %s('path/to/model', TABLE(t)), got %d arguments", TransformFunction, len(args))
	}
	path, ok := args[0].Value.(string)
	if !ok || args[0].Table != nil {
		return nil, fmt.Errorf("the first argument must be the model's path as a string")
	}
	st, md, err := m.Load(ctx, path)
	if err != nil {
		return nil, err
	}
	t, ok := st.(ml.Transformer)
	if !ok {
		return nil, fmt.Errorf("model %s: %s %s is an estimator, not a fitted model", path, st.ClassName(), st.UID())
	}
	df := args[1].Table
	if err := check(t, md.Signature, df); err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	out, err := t.Transform(df)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	return out, nil
}

// check validates the schema of df for t before any data moves: a column of
// the signature that is missing, then t's own TransformSchema, whose error is
// replaced by the signature's (naming the expected type) when it has one.
func check(t ml.Transformer, sig *ml.Signature, df *frame.DataFrame) error {
	schema := df.Schema()
	if sig == nil {
		sig, _ = ml.InferSignature(t)
	}
	if sig != nil {
		for _, c := range sig.Inputs {
			if ml.FieldIndex(schema, c.Name) < 0 {
				return ml.CheckSignature(sig, schema)
			}
		}
	}
	if _, err := t.TransformSchema(schema); err != nil {
		if serr := ml.CheckSignature(sig, schema); serr != nil {
			return fmt.Errorf("%w (%w)", serr, err)
		}
		return err
	}
	return nil
}
