// Package ml is the core of gspark's machine learning library, modelled on
// Spark ML's DataFrame API (pyspark.ml): every stage is a Transformer (a lazy
// DataFrame → DataFrame function) or an Estimator (whose Fit reads a
// DataFrame and returns a Model, itself a Transformer); a Pipeline chains
// stages and is an Estimator whose model is a PipelineModel.
//
// Design:
//
//   - Params: each stage owns a *param.Params holding its typed, named params
//     (package ml/param) and a stable UID (param.UID). Setters chain and
//     remember invalid values; TransformSchema, Transform and Fit report them.
//   - TransformSchema runs before any data moves: Pipeline.Fit and
//     PipelineModel.Transform check every stage's input columns first, and
//     errors name the stage UID and the column (CheckColumn).
//   - Transformers add columns with frame.UDF (vectorized Go functions over
//     Arrow arrays, run inside the query in parallel over partitions).
//     Estimators compute statistics with frame.AggregatePartitions, one
//     accumulator per partition merged in partition order, so results do not
//     depend on the partitioning beyond floating-point rounding.
//   - Vectors live in Arrow columns as the linalg.VectorType extension type.
//   - Persistence follows Spark's layout: a stage saved at path is a
//     directory with metadata/part-00000 (one JSON line: class, uid,
//     timestamp, paramMap, defaultParamMap), model data as Parquet under
//     data/, and the stages of a pipeline under stages/<i>_<uid>. The
//     directory is written to a temporary sibling and renamed into place.
//     Loading dispatches on the class name through a Registry, a value built
//     by the caller (no global registry): package ml/all builds one that
//     knows every stage of the library.
//
// Writing a stage: embed StageBase (NewStageBase(param.UID("Name"))) and
// declare the params in the constructor with param.Define, keeping the
// typed handles as fields; implement ClassName, TransformSchema (check
// params with CheckParams, inputs with CheckColumn, add outputs with
// AppendColumn), Transform (df.WithColumn of a frame.UDF) or Fit
// (frame.AggregatePartitions over df.Select of the needed columns, merged in
// partition order; pass the estimator's params to the model with
// Params().CopyValuesTo), Copy (copy the struct, replace its base with
// CopyBase(extra)) and Save (ml.Save); a model with data implements
// DataWriter (WriteData, WriteVectors, WriteStrings) and its package
// registers a Loader that reads it back (ReadMetadata's ApplyParams,
// ReadData, ReadVectors, ReadStrings).
package ml
