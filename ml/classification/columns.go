package classification

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// withPredictionColumns adds a classification model's output columns to df:
// cols names rawPrediction, probability and prediction (an empty name skips
// that column), and udf(kind) computes column kind (0, 1, 2) from the
// features column fc.
func withPredictionColumns(df *frame.DataFrame, name, fc string, cols [3]string, udf func(kind int) func(memory.Allocator, []arrow.Array) (arrow.Array, error)) (*frame.DataFrame, error) {
	out := df
	for kind, col := range cols {
		if col == "" {
			continue
		}
		typ := arrow.DataType(linalg.VectorType())
		if kind == 2 {
			typ = arrow.PrimitiveTypes.Float64
		}
		out = out.WithColumn(col, frame.UDF(name, typ, udf(kind), frame.Col(fc)))
	}
	return out, out.Err()
}
