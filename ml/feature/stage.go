package feature

import (
	"fmt"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// Spark's handleInvalid options.
const (
	invalidError = "error"
	invalidSkip  = "skip"
	invalidKeep  = "keep"
)

// colParams are the single-column input/output params most stages have.
type colParams struct {
	inputCol, outputCol param.Param[string]
}

// defineCols declares inputCol and outputCol (default "<uid>__output", as Spark).
func defineCols(ps *param.Params, uid string) colParams {
	return colParams{
		inputCol:  param.Define[string](ps, "inputCol", "input column name"),
		outputCol: param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
	}
}

// multiColParams are the inputCols/outputCols params of multi-column stages.
type multiColParams struct {
	colParams
	inputCols, outputCols param.Param[[]string]
}

func defineMultiCols(ps *param.Params, uid string) multiColParams {
	return multiColParams{
		colParams:  defineCols(ps, uid),
		inputCols:  param.Define[[]string](ps, "inputCols", "input column names"),
		outputCols: param.Define[[]string](ps, "outputCols", "output column names"),
	}
}

// pairs returns the input and output columns: inputCols/outputCols when set,
// else inputCol/outputCol; setting both kinds is an error, as in Spark.
func (m multiColParams) pairs(ps *param.Params) ([]string, []string, error) {
	uid := ps.UID()
	if m.inputCols.IsSet(ps) {
		if m.inputCol.IsSet(ps) {
			return nil, nil, fmt.Errorf("%s: only one of inputCol and inputCols may be set", uid)
		}
		ins, outs := m.inputCols.Get(ps), m.outputCols.Get(ps)
		if len(ins) == 0 {
			return nil, nil, fmt.Errorf("%s: inputCols is empty", uid)
		}
		if len(ins) != len(outs) {
			return nil, nil, fmt.Errorf("%s: inputCols has %d columns but outputCols has %d", uid, len(ins), len(outs))
		}
		return ins, outs, nil
	}
	in, ok := m.inputCol.GetOK(ps)
	if !ok {
		return nil, nil, fmt.Errorf("%s: inputCol or inputCols must be set", uid)
	}
	return []string{in}, []string{m.outputCol.Get(ps)}, nil
}

// copyStage returns a copy of *s with its base replaced by a copy with extra applied.
func copyStage[T any](s *T, base ml.StageBase, extra param.ParamMap, set func(*T, ml.StageBase)) (*T, error) {
	b, err := base.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *s
	set(&c, b)
	return &c, nil
}

// checkFrame checks df for an error and validates the stage against its schema.
func checkFrame(df *frame.DataFrame, st ml.Stage) error {
	if err := df.Err(); err != nil {
		return err
	}
	_, err := st.TransformSchema(df.Schema())
	return err
}
