// Package jobs runs pipeline job files: declarative YAML files of named
// steps that load and shape data with SQL, split it, fit Spark ML-style
// pipelines (stages named by their Spark class names, params by Spark param
// names, optionally tuned by CrossValidator or TrainValidationSplit over a
// grid keyed by stage-name.param), evaluate them, score data into Parquet,
// CSV or JSON files and save the fitted models.
//
// Parse reads a file and substitutes ${param} references; Validate checks
// the whole job — step kinds, stage classes, param names and types, grid
// keys, and every column a stage, evaluator or output reads, by analyzing
// the queries and running the pipelines' TransformSchema — before anything
// runs; Run runs the steps in order. Errors name the file, line and column
// and suggest the name probably meant.
//
// The step kinds:
//
//	sql:       statements (a string or a list) run in order: views, tables, queries
//	split:     {input, weights, seed, into}: a seeded random split into temp views
//	fit:       {input, stages, tune}: fits the pipeline, kept under the step's name
//	evaluate:  {input, model, evaluators}: metrics of a model's output
//	transform: {input, model, drop, select, output: {path, format, mode, options}}
//	save:      {model, path, overwrite}: saves a fitted model (atomically)
//	save:      {model, register, models_dir}: registers it as a new version
//
// A fit step also profiles its training input for drift monitoring
// (ml/monitor.BuildProfile: the model's signature inputs, its outputs and
// the last stage's labelCol when the input has it); a save step writes the
// profile into the model directory as profile.json, in the same atomic
// write. A model without a signature is saved without one.
//
// A save step either writes a path or registers a version, never both (two
// save steps do both). register: NAME saves the model as the next version
// of NAME in a model registry (package registry) and moves NAME's latest
// pointer to it; the registry is models_dir:, else Options.ModelsDir, else
// ./models. The version records the job file, its digest, the step, the
// tracking run's id (when the Recorder has an ID method) and the metrics
// of the steps before it.
//
// A model is a fit step's name or the path of a saved model; a registered
// model's directory (ROOT/NAME) stands for its latest version. An input is
// a view name or a query.
package jobs
