package tuning

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
)

// SetFoldCol sets the column of user-assigned folds (integers in
// [0, numFolds)); empty restores the seeded random split.
func (cv *CrossValidator) SetFoldCol(c string) *CrossValidator {
	cv.foldCol.Set(cv.Params(), c)
	return cv
}

// SetCollectSubModels sets whether the model keeps every model fitted
// during cross-validation.
func (cv *CrossValidator) SetCollectSubModels(b bool) *CrossValidator {
	cv.collectSubModels.Set(cv.Params(), b)
	return cv
}

// SubModels returns the models fitted during cross-validation, indexed by
// fold then param map, as Spark's CrossValidatorModel.subModels; nil
// unless collectSubModels was set (and for a loaded model).
func (m *CrossValidatorModel) SubModels() [][]ml.Model {
	if m.subModels == nil {
		return nil
	}
	out := make([][]ml.Model, len(m.subModels))
	for i, f := range m.subModels {
		out[i] = append([]ml.Model(nil), f...)
	}
	return out
}

// folds returns the (training, validation) pair of each fold: from the
// fold column when set, else from a seeded random split.
func (cv *CrossValidator) folds(ctx context.Context, df *frame.DataFrame, k int) ([][2]*frame.DataFrame, error) {
	out := make([][2]*frame.DataFrame, k)
	if fc := cv.foldCol.Get(cv.Params()); fc != "" {
		if err := checkFoldCol(ctx, df, cv.UID(), fc, k); err != nil {
			return nil, err
		}
		for i := range out {
			out[i] = [2]*frame.DataFrame{df.Filter(frame.Col(fc).NotEq(i)), df.Filter(frame.Col(fc).Eq(i))}
		}
		return out, nil
	}
	w := make([]float64, k)
	for i := range w {
		w[i] = 1
	}
	split, err := df.RandomSplit(w, cv.seed.Get(cv.Params()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cv.UID(), err)
	}
	for i := range split {
		var train *frame.DataFrame
		for j, f := range split {
			if j == i {
				continue
			}
			if train == nil {
				train = f
			} else {
				train = train.Union(f)
			}
		}
		out[i] = [2]*frame.DataFrame{train, split[i]}
	}
	return out, nil
}

// checkFoldCol checks that the fold column is an integer column whose
// values are all in [0, k), as Spark's kFold does.
func checkFoldCol(ctx context.Context, df *frame.DataFrame, uid, fc string, k int) error {
	idx := ml.FieldIndex(df.Schema(), fc)
	if idx < 0 {
		return fmt.Errorf("%s: foldCol %q does not exist", uid, fc)
	}
	if t := df.Schema().Field(idx).Type; !arrow.IsInteger(t.ID()) {
		return fmt.Errorf("%s: foldCol %q must be an integer column, got %s", uid, fc, t)
	}
	_, err := frame.AggregatePartitions(ctx, df.SelectCols(fc), func(int) struct{} { return struct{}{} },
		func(acc struct{}, b arrow.RecordBatch) (struct{}, error) {
			col := b.Column(0)
			vals, err := ml.Float64Column(col, nil)
			if err != nil {
				return acc, fmt.Errorf("%s: foldCol %q: %w", uid, fc, err)
			}
			for i, v := range vals {
				if col.IsNull(i) {
					return acc, fmt.Errorf("%s: foldCol %q has a null fold number", uid, fc)
				}
				if v < 0 || v >= float64(k) {
					return acc, fmt.Errorf("%s: fold number must be in range [0, %d), but got %v in foldCol %q", uid, k, v, fc)
				}
			}
			return acc, nil
		})
	return err
}

// SetCollectSubModels sets whether the model keeps every model fitted
// during validation.
func (t *TrainValidationSplit) SetCollectSubModels(b bool) *TrainValidationSplit {
	t.collectSubModels.Set(t.Params(), b)
	return t
}

// SubModels returns the models fitted on the training split, one per param
// map, as Spark's TrainValidationSplitModel.subModels; nil unless
// collectSubModels was set (and for a loaded model).
func (m *TrainValidationSplitModel) SubModels() []ml.Model {
	if m.subModels == nil {
		return nil
	}
	return append([]ml.Model(nil), m.subModels...)
}
