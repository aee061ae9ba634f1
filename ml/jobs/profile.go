package jobs

import (
	"context"
	"errors"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/monitor"
)

// fitProfile is the training profile of model m fitted on df from the
// pipeline's stages, saved with it by a save step: nil when the model has
// no signature. Its label column is the last stage's labelCol, when the
// data has it.
func fitProfile(ctx context.Context, df *frame.DataFrame, stages []ml.Stage, m ml.Model) (*monitor.Profile, error) {
	prof, err := monitor.BuildProfile(ctx, df, m, monitor.ProfileOptions{LabelCol: labelCol(stages, df.Schema())})
	if errors.Is(err, monitor.ErrNoSignature) {
		return nil, nil
	}
	return prof, err
}

// labelCol is the labelCol param of the last stage that has one, if s has
// that column.
func labelCol(stages []ml.Stage, s *arrow.Schema) string {
	for i := len(stages) - 1; i >= 0; i-- {
		v, ok := stages[i].Params().Get("labelCol")
		if !ok {
			continue
		}
		if name, ok := v.(string); ok && ml.FieldIndex(s, name) >= 0 {
			return name
		}
		return ""
	}
	return ""
}
