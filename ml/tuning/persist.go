package tuning

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/param"
)

// evaluatorClass names an evaluator in saved metadata, and makeEvaluator
// makes an evaluator of a class with its defaults.
func evaluatorClass(e evaluation.Evaluator) (string, error) {
	switch e.(type) {
	case *evaluation.RegressionEvaluator:
		return "RegressionEvaluator", nil
	case *evaluation.BinaryClassificationEvaluator:
		return "BinaryClassificationEvaluator", nil
	case *evaluation.MulticlassClassificationEvaluator:
		return "MulticlassClassificationEvaluator", nil
	case *evaluation.ClusteringEvaluator:
		return "ClusteringEvaluator", nil
	case *evaluation.MultilabelClassificationEvaluator:
		return "MultilabelClassificationEvaluator", nil
	case *evaluation.RankingEvaluator:
		return "RankingEvaluator", nil
	}
	return "", fmt.Errorf("saving an evaluator of type %T is not supported", e)
}

// EvaluatorClasses are the evaluator class names NewEvaluator knows (Spark's
// short class names).
func EvaluatorClasses() []string {
	return []string{"BinaryClassificationEvaluator", "ClusteringEvaluator", "MulticlassClassificationEvaluator", "RegressionEvaluator",
		"MultilabelClassificationEvaluator", "RankingEvaluator"}
}

// NewEvaluator makes an evaluator of the class named as Spark names it
// (e.g. "BinaryClassificationEvaluator") with its defaults.
func NewEvaluator(class string) (evaluation.Evaluator, error) { return makeEvaluator(class) }

func makeEvaluator(class string) (evaluation.Evaluator, error) {
	switch class {
	case "RegressionEvaluator":
		return evaluation.NewRegressionEvaluator(), nil
	case "BinaryClassificationEvaluator":
		return evaluation.NewBinaryClassificationEvaluator(), nil
	case "MulticlassClassificationEvaluator":
		return evaluation.NewMulticlassClassificationEvaluator(), nil
	case "ClusteringEvaluator":
		return evaluation.NewClusteringEvaluator(), nil
	case "MultilabelClassificationEvaluator":
		return evaluation.NewMultilabelClassificationEvaluator(), nil
	case "RankingEvaluator":
		return evaluation.NewRankingEvaluator(), nil
	}
	return nil, fmt.Errorf("unknown evaluator class %q", class)
}

// ExtraMetadata implements ml.ExtraMetadata: the evaluator (class and
// params) and the param maps, each value as JSON.
func (v *validatorParams) ExtraMetadata() map[string]any {
	class, _ := evaluatorClass(v.evaluator)
	evParams, _ := v.evaluator.Params().ParamMapJSON()
	maps := make([]map[string]json.RawMessage, len(v.maps))
	for i, m := range v.maps {
		maps[i] = map[string]json.RawMessage{}
		for k, val := range m {
			b, err := param.EncodeValue(val)
			if err == nil {
				maps[i][k] = b
			}
		}
	}
	return map[string]any{"evaluatorClass": class, "evaluatorParams": evParams, "estimatorParamMaps": maps}
}

// WriteData implements ml.DataWriter: the estimator, saved under estimator.
func (v *validatorParams) WriteData(dir string) error {
	return ml.WriteStage(v.estimator, filepath.Join(dir, "estimator"))
}

// checkSavable reports what would keep a validator from being saved.
func (v *validatorParams) checkSavable() error {
	if v.estimator == nil || v.evaluator == nil {
		return fmt.Errorf("%s: set the estimator and the evaluator before saving", v.UID())
	}
	_, err := evaluatorClass(v.evaluator)
	return err
}

// Save writes the cross-validator at path: its params, evaluator and param
// maps as metadata and its estimator under estimator; ml/all.Load reads it.
func (cv *CrossValidator) Save(path string) error {
	if err := cv.checkSavable(); err != nil {
		return err
	}
	return ml.Save(cv, path)
}

// Save writes the splitter at path as CrossValidator.Save does.
func (t *TrainValidationSplit) Save(path string) error {
	if err := t.checkSavable(); err != nil {
		return err
	}
	return ml.Save(t, path)
}

// loadValidator restores what validatorParams saved into v.
func loadValidator(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry, v *validatorParams) error {
	st, err := reg.Load(ctx, filepath.Join(dir, "estimator"))
	if err != nil {
		return fmt.Errorf("%s: %w", md.UID, err)
	}
	est, ok := st.(ml.Estimator)
	if !ok {
		return fmt.Errorf("%s: the saved estimator is a %s, not an estimator", md.UID, st.ClassName())
	}
	var class string
	var evParams map[string]json.RawMessage
	var maps []map[string]json.RawMessage
	for k, dst := range map[string]any{"evaluatorClass": &class, "evaluatorParams": &evParams, "estimatorParamMaps": &maps} {
		if err := md.GetExtra(k, dst); err != nil {
			return err
		}
	}
	ev, err := makeEvaluator(class)
	if err != nil {
		return fmt.Errorf("%s: %w", md.UID, err)
	}
	if err := ev.Params().SetJSON(evParams); err != nil {
		return fmt.Errorf("%s: evaluator: %w", md.UID, err)
	}
	v.estimator, v.evaluator = est, ev
	v.maps = make([]param.ParamMap, len(maps))
	for i, m := range maps {
		if v.maps[i], err = decodeParamMap(est, m); err != nil {
			return fmt.Errorf("%s: param map %d: %w", md.UID, i, err)
		}
	}
	return md.ApplyParams(v.Params())
}

// decodeParamMap turns JSON values back into the types of the params they
// set, found in the estimator or, for a pipeline, in its stages.
func decodeParamMap(est ml.Estimator, m map[string]json.RawMessage) (param.ParamMap, error) {
	stages := []ml.Stage{est}
	if p, ok := est.(*ml.Pipeline); ok {
		stages = append(stages, p.Stages()...)
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := param.ParamMap{}
	for _, key := range names {
		name, uid := key, ""
		if u, n, ok := strings.Cut(key, "."); ok {
			uid, name = u, n
		}
		found := false
		for _, st := range stages {
			if (uid != "" && st.UID() != uid) || !st.Params().IsDefined(name) {
				continue
			}
			tmp, err := st.Params().Copy(st.UID(), nil)
			if err != nil {
				return nil, err
			}
			if err := tmp.SetJSON(map[string]json.RawMessage{name: m[key]}); err != nil {
				return nil, err
			}
			val, _ := tmp.Get(name)
			out[key], found = val, true
			break
		}
		if !found {
			return nil, fmt.Errorf("no stage has a param %q", key)
		}
	}
	return out, nil
}

func loadCrossValidator(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	cv := newCrossValidator(md.UID)
	if err := loadValidator(ctx, dir, md, reg, &cv.validatorParams); err != nil {
		return nil, err
	}
	return cv, nil
}

func loadTrainValidationSplit(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	t := newTrainValidationSplit(md.UID)
	if err := loadValidator(ctx, dir, md, reg, &t.validatorParams); err != nil {
		return nil, err
	}
	return t, nil
}
