// Package predict scores records with a fitted model inside the calling
// program: one record (a map or a tagged Go struct) or a small batch, with
// no query planned per call.
//
// A Predictor applies the model's Transform once, to a placeholder table
// with the model's input columns (frame.Session.NewBatchInput), and plans
// the result once (frame.DataFrame.PrepareOver); each call builds an Arrow
// batch from the records and runs the prepared operators over it. Scoring
// therefore goes through exactly the kernels batch Transform uses — the
// same user functions, casts and expressions — and gives the same numbers.
//
// The input columns come from the model's signature (ml.InferSignature, or
// the signature saved in the model's metadata). Record values are
// converted to the signature's types; a record that lacks an input column,
// or holds a value of the wrong kind, is refused with an *InputError naming
// the record and the field.
package predict
