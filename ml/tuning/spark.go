package tuning

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/param"
)

// Spark's layout of the validators and their models, as Spark's
// ValidatorParams.scala (saveImpl, loadImpl), CrossValidator.scala
// (CrossValidatorModelWriter, CrossValidatorModelReader) and
// TrainValidationSplit.scala write and read it:
//
//   - metadata: every param (set values and defaults, as extractParamMap)
//     but estimator and evaluator in paramMap, with estimatorParamMaps as a
//     JSON array of arrays of {"parent", "name", "value", "isJson"} (all
//     strings; value is the param's JSON encoding, isJson "true"); the
//     defaults in defaultParamMap; a model adds avgMetrics (cross-validation)
//     or validationMetrics (train-validation split) and persistSubModels;
//   - evaluator/ and estimator/: the evaluator and the estimator in their
//     Spark layouts;
//   - a model's bestModel/, and with persistSubModels its subModels:
//     subModels/fold<i>/<j> (cross-validation) or subModels/<j>.

// sparkTuningPrefix is the package of Spark's tuning stages.
const sparkTuningPrefix = "org.apache.spark.ml.tuning."

// registerSpark adds the loaders of Spark's validators and their models.
func registerSpark(r *ml.Registry) {
	r.Register(sparkTuningPrefix+"CrossValidator", loadSparkCrossValidator)
	r.Register(sparkTuningPrefix+"CrossValidatorModel", loadSparkCrossValidatorModel)
	r.Register(sparkTuningPrefix+"TrainValidationSplit", loadSparkTrainValidationSplit)
	r.Register(sparkTuningPrefix+"TrainValidationSplitModel", loadSparkTrainValidationSplitModel)
}

// sparkParamPair is one entry of Spark's estimatorParamMaps.
type sparkParamPair struct {
	Parent string `json:"parent"`
	Name   string `json:"name"`
	Value  string `json:"value"`
	IsJSON string `json:"isJson"`
}

// sparkStages are the stages a param map may address: the estimator and,
// for a pipeline, its stages.
func sparkStages(est ml.Estimator) []ml.Stage {
	stages := []ml.Stage{est}
	if p, ok := est.(*ml.Pipeline); ok {
		stages = append(stages, p.Stages()...)
	}
	return stages
}

// sparkParamMaps encodes the param maps as Spark's estimatorParamMaps:
// each param names its parent stage by uid ("uid.name" keys name it; a
// bare name belongs to the estimator or, in a pipeline, to the one stage
// that has it).
func (v *validatorParams) sparkParamMaps() ([][]sparkParamPair, error) {
	stages := sparkStages(v.estimator)
	maps := v.paramMaps()
	out := make([][]sparkParamPair, len(maps))
	for i, m := range maps {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out[i] = []sparkParamPair{}
		for _, k := range keys {
			uid, name := "", k
			if u, n, ok := strings.Cut(k, "."); ok {
				uid, name = u, n
			}
			if uid == "" {
				var owners []string
				for _, st := range stages {
					if st.Params().IsDefined(name) {
						owners = append(owners, st.UID())
					}
				}
				switch {
				case len(owners) == 0:
					return nil, fmt.Errorf("%s: param map %d: no stage has a param %q", v.UID(), i, k)
				case owners[0] == v.estimator.UID() || len(owners) == 1:
					uid = owners[0]
				default:
					return nil, fmt.Errorf("%s: param map %d: param %q is ambiguous (stages %s): name it uid.%s", v.UID(), i, k, strings.Join(owners, ", "), name)
				}
			}
			b, err := ml.SparkEncodeParam(m[k])
			if err != nil {
				return nil, fmt.Errorf("%s: param map %d: param %q: %w", v.UID(), i, k, err)
			}
			out[i] = append(out[i], sparkParamPair{Parent: uid, Name: name, Value: string(b), IsJSON: "true"})
		}
	}
	return out, nil
}

// sparkSpec is the params spec of a validator with Spark's params names:
// paramMap holds every value (set or default) and estimatorParamMaps,
// defaultParamMap the defaults.
func (v *validatorParams) sparkSpec(names []string) (ml.SparkParamSpec, error) {
	maps, err := v.sparkParamMaps()
	if err != nil {
		return ml.SparkParamSpec{}, err
	}
	mb, err := json.Marshal(maps)
	if err != nil {
		return ml.SparkParamSpec{}, fmt.Errorf("%s: estimatorParamMaps: %w", v.UID(), err)
	}
	ps := v.Params()
	spec := ml.SparkParamSpec{Defaults: map[string]any{}, Set: map[string]any{"estimatorParamMaps": json.RawMessage(mb)}}
	for _, n := range names {
		if d, ok := ps.Default(n); ok {
			spec.Defaults[n] = d
		}
		if val, ok := ps.Get(n); ok {
			spec.Set[n] = val
		}
	}
	return spec, nil
}

// writeSparkData writes evaluator/ and estimator/ in their Spark layouts.
func (v *validatorParams) writeSparkData(dir string) error {
	if v.estimator == nil || v.evaluator == nil {
		return fmt.Errorf("%s: set the estimator and the evaluator before saving", v.UID())
	}
	if err := evaluation.WriteSpark(v.evaluator, filepath.Join(dir, "evaluator")); err != nil {
		return fmt.Errorf("%s: evaluator: %w", v.UID(), err)
	}
	sw, ok := v.estimator.(ml.SparkWriter)
	if !ok {
		return fmt.Errorf("%s: estimator %s (%s) has no Spark layout", v.UID(), v.estimator.UID(), v.estimator.ClassName())
	}
	return ml.WriteSparkStage(sw, filepath.Join(dir, "estimator"))
}

// cvSparkParams are Spark's CrossValidator params (foldCol, Spark 3.1,
// only when set to a column).
func (cv *CrossValidator) cvSparkParams() []string {
	names := []string{"numFolds", "seed", "collectSubModels", "parallelism"}
	if cv.foldCol.Get(cv.Params()) != "" {
		names = append(names, "foldCol")
	}
	return names
}

// SparkClassName implements ml.SparkWriter.
func (cv *CrossValidator) SparkClassName() string { return sparkTuningPrefix + "CrossValidator" }

// SparkVersion implements ml.SparkVersioner: a foldCol needs Spark 3.1.
func (cv *CrossValidator) SparkVersion() string {
	if cv.foldCol.Get(cv.Params()) != "" {
		return "3.1.0"
	}
	return ml.SparkFormatVersion
}

// SparkParams implements ml.SparkWriter. The param maps are encoded here;
// SaveSpark reports a map it cannot encode.
func (cv *CrossValidator) SparkParams() ml.SparkParamSpec {
	spec, _ := cv.sparkSpec(cv.cvSparkParams())
	return spec
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (cv *CrossValidator) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: evaluator/ and estimator/.
func (cv *CrossValidator) WriteSparkData(dir string) error { return cv.writeSparkData(dir) }

// SaveSpark writes the cross-validator to path in Apache Spark's layout
// (org.apache.spark.ml.tuning.CrossValidator); the estimator must have a
// Spark layout and every param map entry must name a param of it.
func (cv *CrossValidator) SaveSpark(path string) error {
	if _, err := cv.sparkParamMaps(); err != nil {
		return err
	}
	return ml.SaveSpark(cv, path)
}

// SparkClassName implements ml.SparkWriter.
func (t *TrainValidationSplit) SparkClassName() string {
	return sparkTuningPrefix + "TrainValidationSplit"
}

// tvsSparkParams are Spark's TrainValidationSplit params.
func tvsSparkParams() []string {
	return []string{"trainRatio", "seed", "collectSubModels", "parallelism"}
}

// SparkParams implements ml.SparkWriter (see CrossValidator.SparkParams).
func (t *TrainValidationSplit) SparkParams() ml.SparkParamSpec {
	spec, _ := t.sparkSpec(tvsSparkParams())
	return spec
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (t *TrainValidationSplit) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: evaluator/ and estimator/.
func (t *TrainValidationSplit) WriteSparkData(dir string) error { return t.writeSparkData(dir) }

// SaveSpark writes the splitter to path in Apache Spark's layout
// (org.apache.spark.ml.tuning.TrainValidationSplit), as
// CrossValidator.SaveSpark.
func (t *TrainValidationSplit) SaveSpark(path string) error {
	if _, err := t.sparkParamMaps(); err != nil {
		return err
	}
	return ml.SaveSpark(t, path)
}

// writeSparkModel writes m under dir/sub in its Spark layout.
func writeSparkModel(uid string, m ml.Model, dir, sub string) error {
	sw, ok := m.(ml.SparkWriter)
	if !ok {
		return fmt.Errorf("%s: %s: model %s (%s) has no Spark layout", uid, sub, m.UID(), m.ClassName())
	}
	return ml.WriteSparkStage(sw, filepath.Join(dir, sub))
}

// SparkClassName implements ml.SparkWriter.
func (m *CrossValidatorModel) SparkClassName() string {
	return sparkTuningPrefix + "CrossValidatorModel"
}

// SparkVersion implements ml.SparkVersioner (see CrossValidator).
func (m *CrossValidatorModel) SparkVersion() string {
	if m.parent == nil {
		return ml.SparkFormatVersion
	}
	return m.parent.SparkVersion()
}

// SparkParams implements ml.SparkWriter: the cross-validator's.
func (m *CrossValidatorModel) SparkParams() ml.SparkParamSpec {
	if m.parent == nil {
		return ml.SparkParamSpec{}
	}
	return m.parent.SparkParams()
}

// SparkExtra implements ml.SparkWriter: avgMetrics and persistSubModels.
func (m *CrossValidatorModel) SparkExtra() map[string]any {
	return map[string]any{"avgMetrics": m.avgMetrics, "persistSubModels": len(m.subModels) > 0}
}

// WriteSparkData implements ml.SparkWriter: evaluator/, estimator/,
// bestModel/ and, when the sub-models were kept, subModels/fold<i>/<j>.
func (m *CrossValidatorModel) WriteSparkData(dir string) error {
	if m.parent == nil {
		return fmt.Errorf("%s: the cross-validator is not known (a model loaded from gspark's own layout): Spark's layout needs it", m.UID())
	}
	if err := m.parent.writeSparkData(dir); err != nil {
		return err
	}
	if err := writeSparkModel(m.UID(), m.best, dir, "bestModel"); err != nil {
		return err
	}
	for i, fold := range m.subModels {
		for j, sm := range fold {
			if err := writeSparkModel(m.UID(), sm, dir, filepath.Join("subModels", fmt.Sprintf("fold%d", i), fmt.Sprint(j))); err != nil {
				return err
			}
		}
	}
	return nil
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.tuning.CrossValidatorModel), which Spark's
// CrossValidatorModel.load reads: the estimator, the evaluator, the best
// model and any sub-models must have Spark layouts.
func (m *CrossValidatorModel) SaveSpark(path string) error {
	if m.parent == nil {
		return fmt.Errorf("%s: the cross-validator is not known (a model loaded from gspark's own layout): Spark's layout needs it", m.UID())
	}
	if _, err := m.parent.sparkParamMaps(); err != nil {
		return err
	}
	return ml.SaveSpark(m, path)
}

// SparkClassName implements ml.SparkWriter.
func (m *TrainValidationSplitModel) SparkClassName() string {
	return sparkTuningPrefix + "TrainValidationSplitModel"
}

// SparkParams implements ml.SparkWriter: the splitter's.
func (m *TrainValidationSplitModel) SparkParams() ml.SparkParamSpec {
	if m.parent == nil {
		return ml.SparkParamSpec{}
	}
	return m.parent.SparkParams()
}

// SparkExtra implements ml.SparkWriter: validationMetrics and
// persistSubModels.
func (m *TrainValidationSplitModel) SparkExtra() map[string]any {
	return map[string]any{"validationMetrics": m.metrics, "persistSubModels": len(m.subModels) > 0}
}

// WriteSparkData implements ml.SparkWriter: evaluator/, estimator/,
// bestModel/ and, when the sub-models were kept, subModels/<j>.
func (m *TrainValidationSplitModel) WriteSparkData(dir string) error {
	if m.parent == nil {
		return fmt.Errorf("%s: the splitter is not known (a model loaded from gspark's own layout): Spark's layout needs it", m.UID())
	}
	if err := m.parent.writeSparkData(dir); err != nil {
		return err
	}
	if err := writeSparkModel(m.UID(), m.best, dir, "bestModel"); err != nil {
		return err
	}
	for j, sm := range m.subModels {
		if err := writeSparkModel(m.UID(), sm, dir, filepath.Join("subModels", fmt.Sprint(j))); err != nil {
			return err
		}
	}
	return nil
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.tuning.TrainValidationSplitModel), as
// CrossValidatorModel.SaveSpark.
func (m *TrainValidationSplitModel) SaveSpark(path string) error {
	if m.parent == nil {
		return fmt.Errorf("%s: the splitter is not known (a model loaded from gspark's own layout): Spark's layout needs it", m.UID())
	}
	if _, err := m.parent.sparkParamMaps(); err != nil {
		return err
	}
	return ml.SaveSpark(m, path)
}

// loadSparkValidator restores what Spark's ValidatorParams.saveImpl wrote
// into v: the evaluator, the estimator, the param maps and the params.
func loadSparkValidator(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry, v *validatorParams) error {
	ev, err := evaluation.LoadSpark(filepath.Join(dir, "evaluator"))
	if err != nil {
		return fmt.Errorf("%s: evaluator: %w", md.UID, err)
	}
	st, err := reg.Load(ctx, filepath.Join(dir, "estimator"))
	if err != nil {
		return fmt.Errorf("%s: estimator: %w", md.UID, err)
	}
	est, ok := st.(ml.Estimator)
	if !ok {
		return fmt.Errorf("%s: the saved estimator is a %s, not an estimator", md.UID, st.ClassName())
	}
	raw, ok := md.ParamMap["estimatorParamMaps"]
	if !ok {
		return fmt.Errorf("%s: metadata paramMap has no estimatorParamMaps", md.UID)
	}
	var maps [][]sparkParamPair
	if err := json.Unmarshal(raw, &maps); err != nil {
		return fmt.Errorf("%s: metadata paramMap estimatorParamMaps: %w", md.UID, err)
	}
	v.estimator, v.evaluator = est, ev
	v.maps = nil
	for i, pairs := range maps {
		m := map[string]json.RawMessage{}
		for j, p := range pairs {
			switch {
			case p.IsJSON == "false":
				return fmt.Errorf("%s: estimatorParamMaps[%d][%d] (%s): a stage-valued param (saved under %s) is not supported", md.UID, i, j, p.Name, p.Value)
			case p.Parent == ev.UID():
				return fmt.Errorf("%s: estimatorParamMaps[%d][%d]: param %s of the evaluator is not supported", md.UID, i, j, p.Name)
			case !json.Valid([]byte(p.Value)):
				return fmt.Errorf("%s: estimatorParamMaps[%d][%d] (%s): value %q is not JSON", md.UID, i, j, p.Name, p.Value)
			}
			key := p.Parent + "." + p.Name
			if p.Parent == est.UID() {
				key = p.Name
			}
			m[key] = json.RawMessage(p.Value)
		}
		pm, err := decodeParamMap(est, m)
		if err != nil {
			return fmt.Errorf("%s: estimatorParamMaps[%d]: %w", md.UID, i, err)
		}
		v.maps = append(v.maps, pm)
	}
	return md.ApplySparkParams(v.Params())
}

func loadSparkCrossValidator(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	cv := newCrossValidator(md.UID)
	if err := loadSparkValidator(ctx, dir, md, reg, &cv.validatorParams); err != nil {
		return nil, err
	}
	return cv, nil
}

func loadSparkTrainValidationSplit(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	t := newTrainValidationSplit(md.UID)
	if err := loadSparkValidator(ctx, dir, md, reg, &t.validatorParams); err != nil {
		return nil, err
	}
	return t, nil
}

// sparkMetrics reads the metrics extra key (one per param map) and
// persistSubModels (false when absent, as Spark's reader).
func sparkMetrics(md *ml.Metadata, key string, n int) ([]float64, bool, error) {
	var metrics []float64
	if err := md.GetExtra(key, &metrics); err != nil {
		return nil, false, err
	}
	if len(metrics) != n {
		return nil, false, fmt.Errorf("%s: metadata %s has %d values for %d param maps", md.UID, key, len(metrics), n)
	}
	var persist bool
	if _, ok := md.Extra["persistSubModels"]; ok {
		if err := md.GetExtra("persistSubModels", &persist); err != nil {
			return nil, false, err
		}
	}
	return metrics, persist, nil
}

// loadSparkSubModel loads the sub-model at dir/sub.
func loadSparkSubModel(ctx context.Context, dir, sub string, md *ml.Metadata, reg *ml.Registry) (ml.Model, error) {
	p := filepath.Join(dir, sub)
	if _, err := os.Stat(p); err != nil {
		return nil, fmt.Errorf("%s: persistSubModels is true but %s is missing: %w", md.UID, sub, err)
	}
	st, err := reg.Load(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", md.UID, sub, err)
	}
	m, ok := st.(ml.Model)
	if !ok {
		return nil, fmt.Errorf("%s: %s is a %s, not a model", md.UID, sub, st.ClassName())
	}
	return m, nil
}

func loadSparkCrossValidatorModel(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	cv := newCrossValidator(md.UID)
	if err := loadSparkValidator(ctx, dir, md, reg, &cv.validatorParams); err != nil {
		return nil, err
	}
	best, err := loadBest(ctx, dir, md, reg)
	if err != nil {
		return nil, err
	}
	avg, persist, err := sparkMetrics(md, "avgMetrics", len(cv.paramMaps()))
	if err != nil {
		return nil, err
	}
	m := &CrossValidatorModel{StageBase: ml.NewStageBase(md.UID), best: best, bestIndex: cv.best(avg), avgMetrics: avg, parent: cv}
	if persist {
		k := cv.numFolds.Get(cv.Params())
		m.subModels = make([][]ml.Model, k)
		for i := range m.subModels {
			m.subModels[i] = make([]ml.Model, len(avg))
			for j := range m.subModels[i] {
				sub := filepath.Join("subModels", fmt.Sprintf("fold%d", i), fmt.Sprint(j))
				if m.subModels[i][j], err = loadSparkSubModel(ctx, dir, sub, md, reg); err != nil {
					return nil, err
				}
			}
		}
	}
	return m, nil
}

func loadSparkTrainValidationSplitModel(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	t := newTrainValidationSplit(md.UID)
	if err := loadSparkValidator(ctx, dir, md, reg, &t.validatorParams); err != nil {
		return nil, err
	}
	best, err := loadBest(ctx, dir, md, reg)
	if err != nil {
		return nil, err
	}
	metrics, persist, err := sparkMetrics(md, "validationMetrics", len(t.paramMaps()))
	if err != nil {
		return nil, err
	}
	m := &TrainValidationSplitModel{StageBase: ml.NewStageBase(md.UID), best: best, bestIndex: t.best(metrics), metrics: metrics, parent: t}
	if persist {
		m.subModels = make([]ml.Model, len(metrics))
		for j := range m.subModels {
			if m.subModels[j], err = loadSparkSubModel(ctx, dir, filepath.Join("subModels", fmt.Sprint(j)), md, reg); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

var (
	_ ml.SparkWriter = (*CrossValidator)(nil)
	_ ml.SparkWriter = (*TrainValidationSplit)(nil)
	_ ml.SparkWriter = (*CrossValidatorModel)(nil)
	_ ml.SparkWriter = (*TrainValidationSplitModel)(nil)
)

// Estimator returns the estimator tuned.
func (v *validatorParams) Estimator() ml.Estimator { return v.estimator }

// Evaluator returns the evaluator that scores the models.
func (v *validatorParams) Evaluator() evaluation.Evaluator { return v.evaluator }

// EstimatorParamMaps returns the param maps tried.
func (v *validatorParams) EstimatorParamMaps() []param.ParamMap { return slices.Clone(v.maps) }

// Validator returns the cross-validator that fitted the model (its
// estimator, evaluator, param maps and params); nil when the model was
// loaded from gspark's own layout.
func (m *CrossValidatorModel) Validator() *CrossValidator { return m.parent }

// Validator returns the splitter that fitted the model; nil when the
// model was loaded from gspark's own layout.
func (m *TrainValidationSplitModel) Validator() *TrainValidationSplit { return m.parent }
