package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/tracking"
	"github.com/gspark/gspark/values"
)

// logJSON writes v as the artifact <folder>/<name>.json through the
// recorder, by way of a temporary file it removes.
func (r *runner) logJSON(folder, name string, v any) error {
	return r.record(func(rec Recorder) error {
		data, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			return fmt.Errorf("artifact %s/%s.json: %w", folder, name, err)
		}
		dir, err := os.MkdirTemp("", "gspark-artifact-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		p := filepath.Join(dir, name+".json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
		return rec.LogArtifact(p, folder)
	})
}

// recordEvaluation logs the evaluate step's curves (of its first binary
// classification evaluator) and confusion matrix (of its first
// classification evaluator whose label and prediction columns df has: a
// multiclass evaluator's predictionCol, a binary one's "prediction") as
// evaluation/<step>.json.
func (r *runner) recordEvaluation(ctx context.Context, st *Step, df *frame.DataFrame, evs []evaluation.Evaluator) error {
	if r.dry || r.opts.Recorder == nil {
		return nil
	}
	art := tracking.EvaluationArtifact{Step: st.Name}
	for _, ev := range evs {
		b, ok := ev.(*evaluation.BinaryClassificationEvaluator)
		if !ok || art.ROC != nil {
			continue
		}
		roc, pr, err := b.Curves(ctx, df)
		if err != nil {
			return fmt.Errorf("curves: %w", err)
		}
		art.ROC, art.PR = points(roc), points(pr)
	}
	for _, ev := range evs {
		var label, pred string
		switch ev.(type) {
		case *evaluation.BinaryClassificationEvaluator:
			pred = "prediction"
		case *evaluation.MulticlassClassificationEvaluator:
			v, _ := ev.Params().Get("predictionCol")
			pred, _ = v.(string)
		default:
			continue
		}
		v, _ := ev.Params().Get("labelCol")
		label, _ = v.(string)
		if label == "" || pred == "" || ml.FieldIndex(df.Schema(), label) < 0 || ml.FieldIndex(df.Schema(), pred) < 0 {
			continue
		}
		cm, err := confusion(ctx, df, label, pred)
		if err != nil {
			return err
		}
		art.Confusion = cm
		break
	}
	if art.ROC == nil && art.Confusion == nil {
		return nil
	}
	return r.logJSON("evaluation", st.Name, art)
}

// points converts curve points, or returns nil when a coordinate is not
// finite (a test set of one class).
func points(c []evaluation.CurvePoint) [][2]float64 {
	out := make([][2]float64, len(c))
	for i, p := range c {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
			return nil
		}
		out[i] = [2]float64{p.X, p.Y}
	}
	return out
}

// confusion counts df's rows by label and prediction (rows with a null in
// either are left out).
func confusion(ctx context.Context, df *frame.DataFrame, label, pred string) (*tracking.ConfusionMatrix, error) {
	rows, err := df.GroupBy(frame.Col(label), frame.Col(pred)).Count().Collect(ctx)
	if err != nil {
		return nil, fmt.Errorf("confusion matrix of %s by %s: %w", label, pred, err)
	}
	type cell struct{ l, p float64 }
	counts := map[cell]int64{}
	var classes []float64
	for _, row := range rows {
		l, okL := values.Float64(row[0])
		p, okP := values.Float64(row[1])
		n, okN := row[2].(int64)
		if !okL || !okP || !okN {
			continue
		}
		counts[cell{l, p}] += n
		for _, c := range []float64{l, p} {
			if !slices.Contains(classes, c) {
				classes = append(classes, c)
			}
		}
	}
	slices.Sort(classes)
	cm := &tracking.ConfusionMatrix{LabelCol: label, PredictionCol: pred, Classes: classes, Counts: make([][]int64, len(classes))}
	for i, l := range classes {
		cm.Counts[i] = make([]int64, len(classes))
		for j, p := range classes {
			cm.Counts[i][j] = counts[cell{l, p}]
		}
	}
	return cm, nil
}

// featureNames names n assembled features by the assembler's input columns:
// a number column names one feature, the one vector column (if there is
// just one) the n left as "<col>[i]"; else the names are the indices.
func featureNames(cols []arrow.Field, n int) []string {
	var names []string
	vector := -1
	for i, f := range cols {
		if f.Type != nil && linalg.IsVector(f.Type) {
			if vector >= 0 {
				vector = -2
				break
			}
			vector = i
		}
	}
	if vector == -1 && len(cols) == n {
		for _, f := range cols {
			names = append(names, f.Name)
		}
		return names
	}
	if vector >= 0 && n >= len(cols)-1 {
		size := n - (len(cols) - 1)
		for i, f := range cols {
			if i != vector {
				names = append(names, f.Name)
				continue
			}
			for k := range size {
				names = append(names, fmt.Sprintf("%s[%d]", f.Name, k))
			}
		}
		return names
	}
	names = make([]string, n)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return names
}

// recordModel logs the coefficients or feature importances of the fitted
// model's last stage that has them as model/<step>.json; in is the fit
// input's schema, which names the features.
func (r *runner) recordModel(st *Step, m ml.Model, in *arrow.Schema) error {
	if r.dry || r.opts.Recorder == nil {
		return nil
	}
	var stages []ml.Transformer
	if pm, ok := m.(*ml.PipelineModel); ok {
		stages = pm.Stages()
	} else if t, ok := m.(ml.Transformer); ok {
		stages = []ml.Transformer{t}
	}
	var art *tracking.ModelArtifact
	var cols []arrow.Field // the assembler's inputs
	schema := in
	for _, s := range stages {
		if strings.HasSuffix(s.ClassName(), "VectorAssembler") {
			v, _ := s.Params().Get("inputCols")
			names, _ := v.([]string)
			cols = cols[:0]
			for _, n := range names {
				f := arrow.Field{Name: n}
				if schema != nil {
					if i := ml.FieldIndex(schema, n); i >= 0 {
						f = schema.Field(i)
					}
				}
				cols = append(cols, f)
			}
		}
		if schema != nil {
			if out, err := s.TransformSchema(schema); err == nil {
				schema = out
			} else {
				schema = nil
			}
		}
		switch x := s.(type) {
		case interface {
			Coefficients() linalg.Vector
			Intercept() float64
		}:
			c := x.Coefficients()
			if c == nil {
				continue // multinomial
			}
			b := x.Intercept()
			art = &tracking.ModelArtifact{Step: st.Name, Stage: s.ClassName(), Kind: "coefficients", Values: c.ToArray(), Intercept: &b}
		case interface{ FeatureImportances() linalg.Vector }:
			art = &tracking.ModelArtifact{Step: st.Name, Stage: s.ClassName(), Kind: "featureImportances", Values: x.FeatureImportances().ToArray()}
		default:
			continue
		}
		art.Features = featureNames(cols, len(art.Values))
	}
	if art == nil {
		return nil
	}
	vals := slices.Clone(art.Values)
	if art.Intercept != nil {
		vals = append(vals, *art.Intercept)
	}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil // JSON has no NaN, and such a model has nothing to chart
		}
	}
	return r.logJSON("model", st.Name, art)
}
