package ml

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gspark/gspark/ml/param"
)

// WriteSparkStage writes st's Spark-layout metadata and data into dir, for
// stages nested in another's directory (a OneVsRest's classifier/, a
// CrossValidator's estimator/ and bestModel/); it is not atomic, the
// enclosing SaveSpark is.
func WriteSparkStage(st SparkWriter, dir string) error {
	if err := writeSparkStage(st, dir); err != nil {
		return fmt.Errorf("%s: %w", st.UID(), err)
	}
	return nil
}

// WriteSparkParamsStage writes dir/metadata/part-00000 for a params-only
// Spark stage that is not an ml.Stage (an evaluator): Spark class class,
// uid, the params of ps selected by spec and extra top-level keys.
func WriteSparkParamsStage(dir, class, uid string, ps *param.Params, spec SparkParamSpec, extra map[string]any) error {
	b, err := SparkMetadataJSON(class, uid, ps, spec, extra)
	if err != nil {
		return fmt.Errorf("%s: %w", uid, err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, metadataFile), append(b, '\n'), 0o644)
}

// SparkEncodeParam encodes a param value as Spark's Param.jsonEncode does
// (non-finite doubles as "NaN", "Inf", "-Inf").
func SparkEncodeParam(v any) ([]byte, error) { return sparkEncodeParam(v) }
