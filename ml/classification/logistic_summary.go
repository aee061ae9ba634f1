package classification

import (
	"context"
	"errors"
	"fmt"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/evaluation"
)

// ErrNotBinary is returned by LogisticRegressionSummary.Binary for a
// multinomial model, as Spark's binarySummary throws then.
var ErrNotBinary = errors.New("the binary summary needs a binomial logistic regression model")

// LogisticRegressionSummary is Spark's LogisticRegressionTrainingSummary:
// the optimization's objective history and the model's predictions on the
// training data, from which Multiclass computes accuracy and the per-label
// and weighted rates, and (binomial models) Binary the ROC and PR curves,
// areaUnderROC and the by-threshold curves. The metrics are weighted by
// the estimator's weightCol, as in Spark.
type LogisticRegressionSummary struct {
	// ObjectiveHistory is the objective after each iteration.
	ObjectiveHistory []float64
	// TotalIterations is the number of iterations run.
	TotalIterations int

	predictions                                        *frame.DataFrame
	labelCol, predictionCol, probabilityCol, weightCol string
	binary                                             bool
}

// Predictions returns the model's output on the training data (lazy, as
// any DataFrame).
func (s *LogisticRegressionSummary) Predictions() *frame.DataFrame { return s.predictions }

// LabelCol, PredictionCol, ProbabilityCol and WeightCol name the columns
// of Predictions the metrics read (WeightCol is empty without weights).
func (s *LogisticRegressionSummary) LabelCol() string { return s.labelCol }

// PredictionCol is the prediction column of Predictions.
func (s *LogisticRegressionSummary) PredictionCol() string { return s.predictionCol }

// ProbabilityCol is the probability column of Predictions.
func (s *LogisticRegressionSummary) ProbabilityCol() string { return s.probabilityCol }

// WeightCol is the weight column, empty when the rows are unweighted.
func (s *LogisticRegressionSummary) WeightCol() string { return s.weightCol }

// Multiclass computes Spark's multiclass metrics of the training
// predictions: Accuracy, Labels, TruePositiveRateByLabel,
// FalsePositiveRateByLabel, PrecisionByLabel, RecallByLabel,
// FMeasureByLabel(beta) and the weighted averages.
func (s *LogisticRegressionSummary) Multiclass(ctx context.Context) (*evaluation.MulticlassMetrics, error) {
	e := evaluation.NewMulticlassClassificationEvaluator().SetLabelCol(s.labelCol).SetPredictionCol(s.predictionCol).SetProbabilityCol(s.probabilityCol)
	if s.weightCol != "" {
		e.SetWeightCol(s.weightCol)
	}
	m, err := e.Metrics(ctx, s.predictions)
	if err != nil {
		return nil, fmt.Errorf("logistic regression summary: %w", err)
	}
	return m, nil
}

// Binary computes Spark's binary metrics of a binomial model's training
// predictions, scored by the probability of class 1 and down-sampled to
// 100 bins as Spark's BinaryLogisticRegressionSummary does (which changes
// nothing below 200 distinct scores): AreaUnderROC, ROC, PR,
// FMeasureByThreshold, PrecisionByThreshold and RecallByThreshold.
func (s *LogisticRegressionSummary) Binary(ctx context.Context) (*evaluation.BinaryMetrics, error) {
	if !s.binary {
		return nil, ErrNotBinary
	}
	e := evaluation.NewBinaryClassificationEvaluator().SetLabelCol(s.labelCol).SetRawPredictionCol(s.probabilityCol).SetNumBins(100)
	if s.weightCol != "" {
		e.SetWeightCol(s.weightCol)
	}
	m, err := e.Metrics(ctx, s.predictions)
	if err != nil {
		return nil, fmt.Errorf("logistic regression summary: %w", err)
	}
	return m, nil
}

// setPredictions transforms the training data with a copy of m whose
// prediction and probability columns are set (to names of their own when
// the model leaves them empty, as Spark's summary does).
func (s *LogisticRegressionSummary) setPredictions(m *LogisticRegressionModel, df *frame.DataFrame, labelCol, weightCol string, binary bool) error {
	c, err := m.Copy(nil)
	if err != nil {
		return err
	}
	sm := c.(*LogisticRegressionModel)
	ps := sm.Params()
	if sm.predictionCol.Get(ps) == "" {
		sm.SetPredictionCol("prediction_" + m.UID())
	}
	if sm.probabilityCol.Get(ps) == "" {
		sm.SetProbabilityCol("probability_" + m.UID())
	}
	s.predictions, err = sm.Transform(df)
	if err != nil {
		return err
	}
	s.labelCol, s.predictionCol, s.probabilityCol = labelCol, sm.predictionCol.Get(ps), sm.probabilityCol.Get(ps)
	s.weightCol, s.binary = weightCol, binary
	return nil
}
