package clustering

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// SparkParams implements ml.SparkWriter: the params of Spark's
// LocalLDAModel (LDAParams, as DistributedLDAModel's).
func (m *LDAModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "maxIter", "seed", "checkpointInterval", "k", "optimizer",
		"learningOffset", "learningDecay", "subsamplingRate", "optimizeDocConcentration", "docConcentration",
		"topicConcentration", "topicDistributionCol", "keepLastCheckpoint"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *LDAModel) SparkExtra() map[string]any { return nil }

// sparkLocalLDAData is the schema of Spark's LocalLDAModel data:
// Data(vocabSize: Int, topicsMatrix: Matrix, docConcentration: Vector,
// topicConcentration: Double, gammaShape: Double) in LDA.scala's
// LocalLDAModelWriter.
func sparkLocalLDAData() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "vocabSize", Type: arrow.PrimitiveTypes.Int32},
		{Name: "topicsMatrix", Type: ml.SparkMatrixType(), Nullable: true},
		{Name: "docConcentration", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "topicConcentration", Type: arrow.PrimitiveTypes.Float64},
		{Name: "gammaShape", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: one row of the vocabulary
// size, λ as the vocabSize × k topicsMatrix (row-major, the transpose of
// the k × vocabSize λ that Spark's online optimizer stores), alpha, eta and
// the shape of the Gamma draws that start an inference (100).
func (m *LDAModel) WriteSparkData(dir string) error {
	v, k := m.VocabSize(), len(m.lambda)
	vals := make([]float64, 0, v*k)
	for w := 0; w < v; w++ {
		for t := 0; t < k; t++ {
			vals = append(vals, m.lambda[t][w])
		}
	}
	topics := ml.SparkMatrix{NumRows: v, NumCols: k, Values: vals, Transposed: true}
	return ml.WriteSparkRows(dir, "data", sparkLocalLDAData(), []any{v, topics, m.alpha, m.eta, float64(ldaGammaShape)})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.LocalLDAModel), which Spark's
// LocalLDAModel.load reads.
func (m *LDAModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*LDAModel)(nil)

// loadSparkLocalLDAModel reads Spark's layout: one row of vocabSize,
// topicsMatrix (vocabSize × k, dense or sparse, either order),
// docConcentration (k values), topicConcentration and gammaShape (100, the
// only shape gspark's inference uses, as Spark's LDA always writes).
func loadSparkLocalLDAModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	vocab, err := d.Int("vocabSize", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	topics, err := d.Matrix("topicsMatrix", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	alphaVec, err := d.Vector("docConcentration", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	eta, err := d.Float64("topicConcentration", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	shape, err := d.Float64("gammaShape", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	k := topics.NumCols
	if vocab < 1 || int64(topics.NumRows) != vocab || k < 1 {
		return nil, fmt.Errorf("%s: model data: vocabSize %d with a %d×%d topicsMatrix, want vocabSize × k", md.UID, vocab, topics.NumRows, topics.NumCols)
	}
	alpha := alphaVec.ToArray()
	if len(alpha) != k {
		return nil, fmt.Errorf("%s: model data: %d docConcentration values for k = %d topics", md.UID, len(alpha), k)
	}
	if shape != ldaGammaShape {
		return nil, fmt.Errorf("%s: model data: gammaShape %v, gspark's inference uses %v", md.UID, shape, float64(ldaGammaShape))
	}
	lambda := make([][]float64, k)
	for t := range lambda {
		lambda[t] = make([]float64, vocab)
		for w := range lambda[t] {
			lambda[t][w] = topics.At(w, t)
		}
	}
	m := newLDAModel(md.UID, lambda, alpha, eta)
	return m, md.ApplySparkParams(m.Params())
}
