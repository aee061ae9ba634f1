package ml_test

import (
	"testing"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/feature"
)

// InferSignature works out the inputs of pipelines whose stages hide them:
// a column made from an input whose type follows the input's (a Binarizer
// over a vector feeding a stage that wants a vector), a column a
// SQLTransformer adds, which a later stage names, and an input found at the
// last type tried after the columns later stages read were dropped.
func TestInferSignatureDerivedColumns(t *testing.T) {
	cases := []struct {
		name  string
		model ml.Transformer
		want  string
	}{
		{"binarized vector", ml.NewPipelineModel("p1",
			feature.NewBinarizer().SetInputCol("features").SetOutputCol("bits"),
			feature.NewElementwiseProduct().SetInputCol("bits").SetOutputCol("scaled").SetScalingVec(1, 2)),
			"inputs (features vector) → outputs (bits vector, scaled vector)"},
		{"SQL-made column", ml.NewPipelineModel("p2",
			feature.NewBinarizer().SetInputCol("x").SetOutputCol("xBit"),
			feature.NewSQLTransformer().SetStatement("SELECT *, x * 2 AS x2 FROM __THIS__"),
			feature.NewVectorAssembler().SetInputCols("x", "x2").SetOutputCol("v")),
			"inputs (x double) → outputs (xBit double, x2 double, v vector)"},
		{"token array input", ml.NewPipelineModel("p3",
			feature.NewStopWordsRemover().SetInputCol("tokens").SetOutputCol("kept"),
			feature.NewNGram().SetInputCol("kept").SetOutputCol("bigrams"),
			feature.NewHashingTF().SetInputCol("bigrams").SetOutputCol("tf"),
			feature.NewNormalizer().SetInputCol("tf").SetOutputCol("unit")),
			"inputs (tokens array<string>) → outputs (kept array<string>, bigrams array<string>, tf vector, unit vector)"},
	}
	for _, c := range cases {
		sig, ok := ml.InferSignature(c.model)
		if !ok {
			t.Errorf("%s: no signature", c.name)
			continue
		}
		if got := sig.String(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
