package feature

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// Spark's layout of RFormulaModel, as RFormula.scala's RFormulaModelWriter
// and RFormulaModelReader (Spark 2.x to 4.x) write and read it:
//
//   - metadata: DefaultParamsWriter's (formula, featuresCol, labelCol,
//     forceIndexLabel, handleInvalid, stringIndexerOrderType);
//   - data/: one row of the case class ResolvedRFormula(label: String,
//     terms: Seq[Seq[String]], hasIntercept: Boolean);
//   - pipelineModel/: the fitted PipelineModel (its uid the model's) whose
//     stages RFormula.fit builds: a StringIndexerModel per string column,
//     VectorSizeHint for vector columns, OneHotEncoderModel and Interaction
//     stages, the VectorAssembler, a VectorAttributeRewriter (data: one row
//     vectorCol: String, prefixesToRewrite: Map[String, String]), a
//     ColumnPruner (data: one row columnsToPrune: Seq[String]) and, for a
//     string label or forceIndexLabel, the label's StringIndexerModel.
//
// gspark's fitted pipeline indexes all string columns with one
// multi-column StringIndexerModel; it is written as one single-column
// model per column, as Spark's RFormula makes them.

// sparkRFormulaLoaders read RFormulaModel and its private helper stages,
// and the TargetEncoder estimator, by Spark class name.
func sparkRFormulaLoaders() map[string]ml.Loader {
	return map[string]ml.Loader{
		"RFormulaModel":           loadSparkRFormulaModel,
		"ColumnPruner":            loadSparkColumnPruner,
		"VectorAttributeRewriter": loadSparkVectorAttributeRewriter,
		// Spark 4.0's TargetEncoder estimator (spark_target_encoder.go).
		"TargetEncoder": ml.SparkParamsLoader(func(uid string) ml.Stage { return newTargetEncoder(uid) }),
	}
}

// SparkClassName implements ml.SparkWriter.
func (m *RFormulaModel) SparkClassName() string { return sparkPrefix + "RFormulaModel" }

// SparkVersion implements ml.SparkVersioner: the pipeline's
// OneHotEncoderModel stages use Spark 3.0's single-column params.
func (m *RFormulaModel) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's
// RFormulaBase.
func (m *RFormulaModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"formula", "featuresCol", "labelCol", "forceIndexLabel", "handleInvalid", "stringIndexerOrderType"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *RFormulaModel) SparkExtra() map[string]any { return nil }

// sparkResolvedFormula is the schema of data/: ResolvedRFormula.
func sparkResolvedFormula() *arrow.Schema {
	strs := arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.BinaryTypes.String, Nullable: true})
	return arrow.NewSchema([]arrow.Field{
		{Name: "label", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "terms", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: strs, Nullable: true}), Nullable: true},
		{Name: "hasIntercept", Type: arrow.FixedWidthTypes.Boolean},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: data/ and pipelineModel/.
func (m *RFormulaModel) WriteSparkData(dir string) error {
	f, err := m.parsed(m.Params())
	if err != nil {
		return err
	}
	if m.terms == nil {
		return fmt.Errorf("%s: the resolved terms are unknown (a model saved by an older gspark): refit to save in Spark's layout", m.UID())
	}
	if err := ml.WriteSparkRows(dir, "data", sparkResolvedFormula(), []any{f.label, m.terms, f.hasIntercept}); err != nil {
		return err
	}
	stages, err := m.sparkStages()
	if err != nil {
		return err
	}
	return ml.WriteSparkStage(ml.NewPipelineModel(m.UID(), stages...), filepath.Join(dir, "pipelineModel"))
}

// sparkStages are the stages of the pipeline model Spark's RFormula would
// hold: the feature stages (string indexers one per column), the
// attribute rewriter, the column pruner and the label indexer.
func (m *RFormulaModel) sparkStages() ([]ml.Transformer, error) {
	var out []ml.Transformer
	for _, st := range m.features.Stages() {
		si, ok := st.(*StringIndexerModel)
		if !ok || len(si.labels) == 1 && !si.inputCols.IsSet(si.Params()) {
			out = append(out, st)
			continue
		}
		ps := si.Params()
		ins, outs, err := si.pairs(ps)
		if err != nil {
			return nil, err
		}
		if len(ins) != len(si.labels) {
			return nil, fmt.Errorf("%s: string indexer %s has %d input columns and %d label lists", m.UID(), si.UID(), len(ins), len(si.labels))
		}
		for c := range ins {
			one := newStringIndexerModel(param.UID("strIdx"), [][]string{si.labels[c]})
			ops := one.Params()
			if err := firstErr(one.inputCol.Set(ops, ins[c]), one.outputCol.Set(ops, outs[c]),
				one.handleInvalid.Set(ops, si.handleInvalid.Get(ps)), one.stringOrderType.Set(ops, si.stringOrderType.Get(ps))); err != nil {
				return nil, fmt.Errorf("%s: %w", m.UID(), err)
			}
			out = append(out, one)
		}
	}
	rewriter, pruner := m.rewriter, m.pruner
	if rewriter == nil {
		rewriter = newVectorAttributeRewriter(param.UID("vectorAttrRewriter"), m.featuresCol.Get(m.Params()), m.tmpPrefixes())
	}
	if pruner == nil {
		pruner = newColumnPruner(param.UID("columnPruner"), m.tmpCols)
	}
	out = append(out, rewriter, pruner)
	if m.label != nil {
		out = append(out, m.label)
	}
	return out, nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// tmpPrefixes maps the temporary columns' attribute-name prefixes to the
// names Spark's RFormula gives them: an indexed or encoded column's
// prefix becomes its term's ("<col>_"), an interaction's is dropped.
func (m *RFormulaModel) tmpPrefixes() map[string]string {
	out := map[string]string{}
	for _, tmp := range m.tmpCols {
		rest, ok := strings.CutPrefix(tmp, m.UID()+"__")
		if !ok {
			continue
		}
		kind, col, _ := strings.Cut(rest, "_")
		if kind == "interaction" {
			out[tmp+"_"] = ""
		} else {
			out[tmp+"_"] = col + "_"
		}
	}
	return out
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.RFormulaModel with its pipelineModel/),
// which Spark's RFormulaModel.load reads.
func (m *RFormulaModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// loadSparkRFormulaModel reads Spark's layout. The column pruner's columns
// become the temporary columns dropped after the feature stages, the
// pruner and the attribute rewriter are kept for saving again, and a last
// StringIndexerModel writing the label column is the label indexer.
func loadSparkRFormulaModel(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	label, err := d.String("label", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	terms, err := d.StringLists("terms", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if _, err := d.Bool("hasIntercept", 0); err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	pm, err := ml.LoadAs[*ml.PipelineModel](ctx, filepath.Join(dir, "pipelineModel"), reg)
	if err != nil {
		return nil, fmt.Errorf("%s: pipelineModel: %w", md.UID, err)
	}
	m := newRFormulaModel(md.UID, nil, nil, nil)
	m.terms = terms
	if err := md.ApplySparkParams(m.Params()); err != nil {
		return nil, err
	}
	if f, err := m.parsed(m.Params()); err != nil {
		return nil, err
	} else if f.label != label {
		return nil, fmt.Errorf("%s: data label %q differs from the formula's %q", md.UID, label, f.label)
	}
	var kept []ml.Transformer
	for _, st := range pm.Stages() {
		switch s := st.(type) {
		case *columnPruner:
			if m.pruner != nil {
				return nil, fmt.Errorf("%s: pipelineModel has two ColumnPruner stages", md.UID)
			}
			m.tmpCols, m.pruner = s.cols, s
		case *vectorAttributeRewriter:
			m.rewriter = s
		default:
			kept = append(kept, st)
		}
	}
	if n := len(kept); n > 0 {
		if si, ok := kept[n-1].(*StringIndexerModel); ok && len(si.labels) == 1 {
			ps := si.Params()
			if si.inputCol.Get(ps) == label && si.outputCol.Get(ps) == m.labelCol.Get(m.Params()) {
				m.label, kept = si, kept[:n-1]
			}
		}
	}
	m.features = ml.NewPipelineModel(pm.UID(), kept...)
	return m, nil
}

// columnPruner is Spark's private ColumnPruner stage: it drops the named
// columns.
type columnPruner struct {
	ml.StageBase
	cols []string
}

func newColumnPruner(uid string, cols []string) *columnPruner {
	return &columnPruner{StageBase: ml.NewStageBase(uid), cols: slices.Clone(cols)}
}

// ClassName implements ml.Stage: Spark's class name, the stage being
// Spark's.
func (p *columnPruner) ClassName() string { return sparkPrefix + "ColumnPruner" }

// TransformSchema implements ml.Stage.
func (p *columnPruner) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	var fields []arrow.Field
	for _, f := range in.Fields() {
		if !slices.Contains(p.cols, f.Name) {
			fields = append(fields, f)
		}
	}
	return arrow.NewSchema(fields, nil), nil
}

// Transform implements ml.Transformer.
func (p *columnPruner) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	out := df.Drop(p.cols...)
	return out, out.Err()
}

// Copy implements ml.Stage.
func (p *columnPruner) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(p, p.StageBase, extra, func(c *columnPruner, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage (Spark's layout, which gspark loads too).
func (p *columnPruner) Save(path string) error { return ml.SaveSpark(p, path) }

// SparkClassName implements ml.SparkWriter.
func (p *columnPruner) SparkClassName() string { return p.ClassName() }

// SparkParams implements ml.SparkWriter (no params).
func (p *columnPruner) SparkParams() ml.SparkParamSpec { return ml.SparkParamSpec{} }

// SparkExtra implements ml.SparkWriter (no extra keys).
func (p *columnPruner) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {columnsToPrune}.
func (p *columnPruner) WriteSparkData(dir string) error {
	cols := slices.Sorted(slices.Values(p.cols))
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{{Name: "columnsToPrune",
		Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.BinaryTypes.String, Nullable: true}), Nullable: true}}, nil),
		[]any{cols})
}

func loadSparkColumnPruner(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	cols, err := d.Strings("columnsToPrune", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	return newColumnPruner(md.UID, cols), nil
}

// vectorAttributeRewriter is Spark's private VectorAttributeRewriter
// stage, which renames the ML attributes of a vector column by prefix
// and moves the column last. gspark keeps its attribute names as they
// are: the stage moves the column only.
type vectorAttributeRewriter struct {
	ml.StageBase
	vectorCol string
	prefixes  map[string]string
}

func newVectorAttributeRewriter(uid, col string, prefixes map[string]string) *vectorAttributeRewriter {
	return &vectorAttributeRewriter{StageBase: ml.NewStageBase(uid), vectorCol: col, prefixes: prefixes}
}

// ClassName implements ml.Stage: Spark's class name.
func (r *vectorAttributeRewriter) ClassName() string { return sparkPrefix + "VectorAttributeRewriter" }

// TransformSchema implements ml.Stage: the vector column moves last.
func (r *vectorAttributeRewriter) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	i := ml.FieldIndex(in, r.vectorCol)
	if i < 0 {
		return nil, fmt.Errorf("%s: no column %q in the input", r.UID(), r.vectorCol)
	}
	fields := slices.Delete(slices.Clone(in.Fields()), i, i+1)
	return arrow.NewSchema(append(fields, in.Field(i)), nil), nil
}

// Transform implements ml.Transformer.
func (r *vectorAttributeRewriter) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	out, err := r.TransformSchema(df.Schema())
	if err != nil {
		return nil, err
	}
	if out.Field(out.NumFields()-1).Name == df.Schema().Field(df.Schema().NumFields()-1).Name {
		return df, nil
	}
	cols := make([]frame.Column, out.NumFields())
	for i, f := range out.Fields() {
		cols[i] = frame.Col(f.Name)
	}
	res := df.Select(cols...)
	return res, res.Err()
}

// Copy implements ml.Stage.
func (r *vectorAttributeRewriter) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(r, r.StageBase, extra, func(c *vectorAttributeRewriter, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage (Spark's layout, which gspark loads too).
func (r *vectorAttributeRewriter) Save(path string) error { return ml.SaveSpark(r, path) }

// SparkClassName implements ml.SparkWriter.
func (r *vectorAttributeRewriter) SparkClassName() string { return r.ClassName() }

// SparkParams implements ml.SparkWriter (no params).
func (r *vectorAttributeRewriter) SparkParams() ml.SparkParamSpec { return ml.SparkParamSpec{} }

// SparkExtra implements ml.SparkWriter (no extra keys).
func (r *vectorAttributeRewriter) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {vectorCol,
// prefixesToRewrite}.
func (r *vectorAttributeRewriter) WriteSparkData(dir string) error {
	prefixes := r.prefixes
	if prefixes == nil {
		prefixes = map[string]string{}
	}
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{
		{Name: "vectorCol", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "prefixesToRewrite", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String), Nullable: true},
	}, nil), []any{r.vectorCol, prefixes})
}

func loadSparkVectorAttributeRewriter(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	col, err := d.String("vectorCol", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	prefixes, err := d.StringMap("prefixesToRewrite", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	return newVectorAttributeRewriter(md.UID, col, prefixes), nil
}

var (
	_ ml.SparkWriter = (*RFormulaModel)(nil)
	_ ml.SparkWriter = (*columnPruner)(nil)
	_ ml.SparkWriter = (*vectorAttributeRewriter)(nil)
	_ ml.Transformer = (*columnPruner)(nil)
	_ ml.Transformer = (*vectorAttributeRewriter)(nil)
)
