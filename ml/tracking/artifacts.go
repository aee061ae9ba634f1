package tracking

// EvaluationArtifact is the JSON a job's evaluate step logs as the artifact
// evaluation/<step>.json, which the run report draws.
type EvaluationArtifact struct {
	// Step is the evaluate step's name.
	Step string `json:"step"`
	// ROC holds the ROC curve's [false positive rate, true positive rate]
	// points from (0,0) to (1,1); empty unless the step has a binary
	// classification evaluator and both classes occur.
	ROC [][2]float64 `json:"roc,omitempty"`
	// PR holds the PR curve's [recall, precision] points.
	PR [][2]float64 `json:"pr,omitempty"`
	// Confusion is the label × prediction count matrix of a classifier's
	// scores, nil when the step evaluates no classification.
	Confusion *ConfusionMatrix `json:"confusion,omitempty"`
}

// ConfusionMatrix counts rows by label and prediction: Counts[i][j] is the
// number of rows with label Classes[i] and prediction Classes[j].
type ConfusionMatrix struct {
	LabelCol      string    `json:"labelCol"`
	PredictionCol string    `json:"predictionCol"`
	Classes       []float64 `json:"classes"`
	Counts        [][]int64 `json:"counts"`
}

// ModelArtifact is the JSON a job's fit step logs as the artifact
// model/<step>.json: the fitted model's coefficients (linear and logistic
// models, linear SVC) or feature importances (tree models).
type ModelArtifact struct {
	// Step is the fit step's name; Stage the model's class.
	Step  string `json:"step"`
	Stage string `json:"stage"`
	// Kind is "coefficients" or "featureImportances".
	Kind string `json:"kind"`
	// Features names each value: the input columns of the pipeline's
	// VectorAssembler when they match the values one to one, else the
	// feature indices.
	Features []string  `json:"features"`
	Values   []float64 `json:"values"`
	// Intercept is the intercept of a model with coefficients.
	Intercept *float64 `json:"intercept,omitempty"`
}
