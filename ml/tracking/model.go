package tracking

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/regression"
	"github.com/gspark/gspark/ml/tuning"
)

// LogStageParams logs every param of stage that has a value (set or
// default) as "<stage uid>.<param>".
func LogStageParams(l Logger, stage ml.Stage) error {
	ps := stage.Params()
	for _, name := range ps.Names() {
		v, ok := ps.Get(name)
		if !ok {
			continue
		}
		if err := l.LogParam(stage.UID()+"."+name, formatParam(v)); err != nil {
			return fmt.Errorf("stage %s: %w", stage.UID(), err)
		}
	}
	return nil
}

// LogObjectiveHistory logs history as metric key, one value per step
// (iteration) from 0.
func LogObjectiveHistory(l Logger, key string, history []float64) error {
	for i, v := range history {
		if err := l.LogMetric(key, v, int64(i)); err != nil {
			return err
		}
	}
	return nil
}

// LogCrossValidation logs a CrossValidatorModel: its average metric per
// grid point as metric "<uid>.avgMetrics" with the grid point's index as
// step, the best index as param "<uid>.bestIndex", the params of each grid
// point (when grid, the maps it was fitted with, is given) as
// "<uid>.grid.<index>.<param>", and then the best model as LogModel does.
func LogCrossValidation(l Logger, m *tuning.CrossValidatorModel, grid []param.ParamMap) error {
	uid := m.UID()
	for i, v := range m.AvgMetrics() {
		if err := l.LogMetric(uid+".avgMetrics", v, int64(i)); err != nil {
			return err
		}
	}
	if err := l.LogParam(uid+".bestIndex", strconv.Itoa(m.BestIndex())); err != nil {
		return err
	}
	for i, pm := range grid {
		for name, v := range pm {
			if err := l.LogParam(fmt.Sprintf("%s.grid.%d.%s", uid, i, name), formatParam(v)); err != nil {
				return err
			}
		}
	}
	return LogModel(l, m.BestModel())
}

// LogModel logs what a fitted model tells about its training: the params
// of every stage (walking a PipelineModel's stages), a CrossValidatorModel's
// metrics per grid point (as LogCrossValidation without the grid), and the
// objective history of LogisticRegression, LinearRegression (l-bfgs) and
// LinearSVC models as metric "<uid>.objectiveHistory" by iteration.
func LogModel(l Logger, stage ml.Stage) error {
	switch m := stage.(type) {
	case *ml.PipelineModel:
		for _, s := range m.Stages() {
			if err := LogModel(l, s); err != nil {
				return err
			}
		}
		return nil
	case *tuning.CrossValidatorModel:
		return LogCrossValidation(l, m, nil)
	}
	if err := LogStageParams(l, stage); err != nil {
		return err
	}
	return LogObjectiveHistory(l, stage.UID()+".objectiveHistory", ObjectiveHistory(stage))
}

// ObjectiveHistory is the objective per iteration of a fitted
// LogisticRegression, LinearRegression (l-bfgs) or LinearSVC model, nil for
// other stages and models without a training summary.
func ObjectiveHistory(stage ml.Stage) []float64 {
	switch m := stage.(type) {
	case *classification.LogisticRegressionModel:
		if m.HasSummary() {
			return m.Summary().ObjectiveHistory
		}
	case *regression.LinearRegressionModel:
		if m.HasSummary() {
			return m.Summary().ObjectiveHistory
		}
	case *classification.LinearSVCModel:
		return m.ObjectiveHistory()
	}
	return nil
}

// formatParam writes a param value: floats as MLflow writes Python floats,
// lists in brackets.
func formatParam(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return formatMetricValue(x)
	case []float64:
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = formatMetricValue(f)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	}
	return fmt.Sprint(v)
}
