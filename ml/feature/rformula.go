package feature

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// formula is a parsed R model formula: label ~ terms.
type formula struct {
	label string
	// terms are the added terms in order, each a list of column names
	// (more than one for an interaction a:b); "." stands for every column
	// but the label.
	terms, removed [][]string
	hasIntercept   bool
}

// parseFormula parses Spark's subset of R formulas: `y ~ a + b`, `.` for
// every other column, `a:b` interactions, `- term` to remove a term, and
// `- 1` or `+ 0` to remove the intercept.
func parseFormula(s string) (formula, error) {
	f := formula{hasIntercept: true}
	lhs, rhs, ok := strings.Cut(s, "~")
	if !ok {
		return f, fmt.Errorf("formula %q: no '~' between the label and the terms", s)
	}
	f.label = strings.TrimSpace(lhs)
	if f.label == "" || strings.ContainsAny(f.label, "+-:. ") {
		return f, fmt.Errorf("formula %q: the label must be one column name", s)
	}
	sign := byte('+')
	pos := 0
	rhs = strings.TrimSpace(rhs)
	if rhs == "" {
		return f, fmt.Errorf("formula %q: no terms after '~'", s)
	}
	for pos < len(rhs) {
		end := strings.IndexAny(rhs[pos:], "+-")
		var tok string
		next := byte(0)
		if end < 0 {
			tok, pos = rhs[pos:], len(rhs)
		} else {
			tok, next = rhs[pos:pos+end], rhs[pos+end]
			pos += end + 1
		}
		tok = strings.TrimSpace(tok)
		switch {
		case tok == "" && (f.terms != nil || f.removed != nil || !f.hasIntercept):
			return f, fmt.Errorf("formula %q: empty term at column %d", s, pos)
		case tok == "":
			// a leading sign, as in "y ~ -1 + a"
		case tok == "0" || tok == "1":
			if (tok == "0") == (sign == '+') {
				f.hasIntercept = false
			} else {
				f.hasIntercept = true
			}
		default:
			parts := strings.Split(tok, ":")
			for i, p := range parts {
				parts[i] = strings.TrimSpace(p)
				if parts[i] == "" || strings.ContainsAny(parts[i], " ") {
					return f, fmt.Errorf("formula %q: bad term %q", s, tok)
				}
			}
			if sign == '+' {
				f.terms = append(f.terms, parts)
			} else {
				f.removed = append(f.removed, parts)
			}
		}
		if next != 0 {
			sign = next
			if pos >= len(rhs) {
				return f, fmt.Errorf("formula %q: ends with %q", s, string(next))
			}
		}
	}
	return f, nil
}

// resolve expands "." against the schema, removes the removed terms and
// duplicates, and checks that every column exists.
func (f formula) resolve(in *arrow.Schema) ([][]string, error) {
	var others []string
	for _, fl := range in.Fields() {
		if fl.Name != f.label {
			others = append(others, fl.Name)
		}
	}
	expand := func(terms [][]string) [][]string {
		var out [][]string
		for _, t := range terms {
			if len(t) == 1 && t[0] == "." {
				for _, c := range others {
					out = append(out, []string{c})
				}
				continue
			}
			out = append(out, t)
		}
		return out
	}
	key := func(t []string) string { return strings.Join(t, ":") }
	removed := map[string]bool{}
	for _, t := range expand(f.removed) {
		removed[key(t)] = true
	}
	var out [][]string
	seen := map[string]bool{}
	for _, t := range expand(f.terms) {
		k := key(t)
		if removed[k] || seen[k] {
			continue
		}
		seen[k] = true
		for _, c := range t {
			if c == "." {
				return nil, fmt.Errorf("'.' inside the interaction %q is not supported", k)
			}
			if in.FieldIndices(c) == nil {
				return nil, fmt.Errorf("column %q of the formula is not in the input", c)
			}
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the formula has no terms left")
	}
	return out, nil
}

// rformulaParams are the params RFormula and its model share.
type rformulaParams struct {
	formula, featuresCol, labelCol, handleInvalid, orderType param.Param[string]
	forceIndexLabel                                          param.Param[bool]
}

func defineRFormula(ps *param.Params) rformulaParams {
	return rformulaParams{
		formula:         param.Define[string](ps, "formula", "R model formula"),
		featuresCol:     param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:        param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		forceIndexLabel: param.Define(ps, "forceIndexLabel", "Force to index label whether it is numeric or string", param.WithDefault(false)),
		handleInvalid: param.Define(ps, "handleInvalid", "How to handle invalid data (unseen or NULL values) in features and label column of string type. Options are 'skip' (filter out rows with invalid data), error (throw an error), or 'keep' (put invalid data in a special additional bucket, at index numLabels).",
			param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidSkip, invalidKeep))),
		orderType: param.Define(ps, "stringIndexerOrderType", "How to order categories of a string FEATURE column used by StringIndexer. The last category after ordering is dropped when encoding strings. Supported options: frequencyDesc, frequencyAsc, alphabetDesc, alphabetAsc. The default value is frequencyDesc. When the ordering is set to alphabetDesc, RFormula drops the same category as R when encoding strings.",
			param.WithDefault("frequencyDesc"), param.WithValidator(param.OneOf("frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc"))),
	}
}

// RFormula builds a features vector and a label from an R model formula,
// as Spark's RFormula: string terms are indexed (stringIndexerOrderType,
// default frequencyDesc) and one-hot encoded dropping the last category —
// except the first string term of a formula without intercept, which keeps
// every category; numeric and vector terms pass as they are; an
// interaction a:b is the product of its columns (string columns one-hot
// with every category). A string label (or any label with
// forceIndexLabel) is indexed by frequency; a numeric one is cast to
// double. handleInvalid goes to the string indexers and the assembler.
type RFormula struct {
	ml.StageBase
	rformulaParams
}

// NewRFormula makes an RFormula with a new UID.
func NewRFormula() *RFormula { return newRFormula(param.UID("RFormula")) }

func newRFormula(uid string) *RFormula {
	s := &RFormula{StageBase: ml.NewStageBase(uid)}
	s.rformulaParams = defineRFormula(s.Params())
	return s
}

// SetFormula sets the R formula, e.g. "y ~ a + b:c - 1".
func (s *RFormula) SetFormula(f string) *RFormula { s.formula.Set(s.Params(), f); return s }

// SetFeaturesCol sets the output features column.
func (s *RFormula) SetFeaturesCol(c string) *RFormula { s.featuresCol.Set(s.Params(), c); return s }

// SetLabelCol sets the output label column.
func (s *RFormula) SetLabelCol(c string) *RFormula { s.labelCol.Set(s.Params(), c); return s }

// SetForceIndexLabel sets whether a numeric label is indexed too.
func (s *RFormula) SetForceIndexLabel(v bool) *RFormula {
	s.forceIndexLabel.Set(s.Params(), v)
	return s
}

// SetHandleInvalid sets "error", "skip" or "keep".
func (s *RFormula) SetHandleInvalid(v string) *RFormula { s.handleInvalid.Set(s.Params(), v); return s }

// SetStringIndexerOrderType sets the order of string features' categories.
func (s *RFormula) SetStringIndexerOrderType(v string) *RFormula {
	s.orderType.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *RFormula) ClassName() string { return classPrefix + "RFormula" }

func (p rformulaParams) parsed(ps *param.Params) (formula, error) {
	f, ok := p.formula.GetOK(ps)
	if !ok {
		return formula{}, fmt.Errorf("%s: formula must be set", ps.UID())
	}
	pf, err := parseFormula(f)
	if err != nil {
		return pf, fmt.Errorf("%s: %w", ps.UID(), err)
	}
	return pf, nil
}

// TransformSchema implements ml.Stage.
func (s *RFormula) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	ps := s.Params()
	f, err := s.parsed(ps)
	if err != nil {
		return nil, err
	}
	terms, err := f.resolve(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.UID(), err)
	}
	for _, t := range terms {
		for _, c := range t {
			if _, err := ml.CheckColumn(in, s.UID(), c, ml.Numeric, ml.Boolean, ml.String, ml.Vector); err != nil {
				return nil, err
			}
		}
	}
	return rformulaOutSchema(s.UID(), in, s.featuresCol.Get(ps), s.labelCol.Get(ps), f.label)
}

func rformulaOutSchema(uid string, in *arrow.Schema, features, label, formulaLabel string) (*arrow.Schema, error) {
	out, err := ml.AppendColumn(in, uid, vectorField(features))
	if err != nil {
		return nil, err
	}
	if in.FieldIndices(formulaLabel) != nil && in.FieldIndices(label) == nil {
		return ml.AppendColumn(out, uid, arrow.Field{Name: label, Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	}
	return out, nil
}

// Fit implements ml.Estimator.
func (s *RFormula) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return s.FitModel(ctx, df)
}

// FitModel fits and returns the concrete model.
func (s *RFormula) FitModel(ctx context.Context, df *frame.DataFrame) (*RFormulaModel, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	f, _ := s.parsed(ps)
	in := df.Schema()
	terms, _ := f.resolve(in)
	uid, mode := s.UID(), s.handleInvalid.Get(ps)
	tmp := func(kind, col string) string { return uid + "__" + kind + "_" + col }
	isString := func(c string) bool {
		fl, _ := ml.CheckColumn(in, uid, c, ml.String)
		return fl.Name != ""
	}
	var strCols, idxCols, tmps []string
	for _, t := range terms {
		for _, c := range t {
			if isString(c) && !slices.Contains(strCols, c) {
				strCols = append(strCols, c)
				idxCols = append(idxCols, tmp("index", c))
			}
		}
	}
	tmps = append(tmps, idxCols...)
	var stages []ml.Stage
	if len(strCols) > 0 {
		stages = append(stages, NewStringIndexer().SetInputCols(strCols...).SetOutputCols(idxCols...).
			SetStringOrderType(s.orderType.Get(ps)).SetHandleInvalid(mode))
	}
	idxOf := func(c string) string { return idxCols[slices.Index(strCols, c)] }
	oheMode := invalidError
	if mode == invalidKeep {
		oheMode = invalidKeep
	}
	keepReference := false
	var assembled []string
	for k, t := range terms {
		if len(t) == 1 {
			c := t[0]
			if !isString(c) {
				assembled = append(assembled, c)
				continue
			}
			out := tmp(fmt.Sprintf("onehot%d", k), c)
			enc := NewOneHotEncoder().SetInputCol(idxOf(c)).SetOutputCol(out).SetHandleInvalid(oheMode)
			if !f.hasIntercept && !keepReference {
				enc.SetDropLast(false)
				keepReference = true
			}
			stages = append(stages, enc)
			tmps = append(tmps, out)
			assembled = append(assembled, out)
			continue
		}
		var parts []string
		for _, c := range t {
			if !isString(c) {
				parts = append(parts, c)
				continue
			}
			out := tmp(fmt.Sprintf("full%d", k), c)
			stages = append(stages, NewOneHotEncoder().SetInputCol(idxOf(c)).SetOutputCol(out).SetDropLast(false).SetHandleInvalid(oheMode))
			tmps = append(tmps, out)
			parts = append(parts, out)
		}
		out := tmp("interaction", fmt.Sprint(k))
		stages = append(stages, NewInteraction().SetInputCols(parts...).SetOutputCol(out))
		tmps = append(tmps, out)
		assembled = append(assembled, out)
	}
	stages = append(stages, NewVectorAssembler().SetInputCols(assembled...).SetOutputCol(s.featuresCol.Get(ps)).SetHandleInvalid(mode))
	pm, err := ml.NewPipeline(stages...).Fit(ctx, df)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	var labelModel *StringIndexerModel
	labelCol := s.labelCol.Get(ps)
	if in.FieldIndices(f.label) != nil && (isString(f.label) || s.forceIndexLabel.Get(ps)) {
		lm, err := NewStringIndexer().SetInputCol(f.label).SetOutputCol(labelCol).SetHandleInvalid(mode).Fit(ctx, df)
		if err != nil {
			return nil, fmt.Errorf("%s: label %q: %w", uid, f.label, err)
		}
		labelModel = lm.(*StringIndexerModel)
	}
	m := newRFormulaModel(uid, pm.(*ml.PipelineModel), labelModel, tmps)
	m.terms = terms
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *RFormula) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *RFormula, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *RFormula) Save(path string) error { return ml.Save(s, path) }

// RFormulaModel applies a fitted RFormula: the fitted indexers, encoders
// and assembler, then the label.
type RFormulaModel struct {
	ml.StageBase
	rformulaParams
	features *ml.PipelineModel
	label    *StringIndexerModel // nil: a numeric label, cast to double
	tmpCols  []string
	// terms is the resolved formula ("." expanded, removals applied), as
	// Spark's layout stores it; nil when unknown (a model saved by an
	// older gspark).
	terms [][]string
	// rewriter and pruner are the VectorAttributeRewriter and ColumnPruner
	// stages of a Spark-saved model, kept to save it again; nil for models
	// fitted here (made from tmpCols).
	rewriter *vectorAttributeRewriter
	pruner   *columnPruner
}

func newRFormulaModel(uid string, features *ml.PipelineModel, label *StringIndexerModel, tmps []string) *RFormulaModel {
	m := &RFormulaModel{StageBase: ml.NewStageBase(uid), features: features, label: label, tmpCols: tmps}
	m.rformulaParams = defineRFormula(m.Params())
	return m
}

// ClassName implements ml.Stage.
func (m *RFormulaModel) ClassName() string { return classPrefix + "RFormulaModel" }

// TransformSchema implements ml.Stage.
func (m *RFormulaModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := m.Params()
	f, err := m.parsed(ps)
	if err != nil {
		return nil, err
	}
	return rformulaOutSchema(m.UID(), in, m.featuresCol.Get(ps), m.labelCol.Get(ps), f.label)
}

// Transform implements ml.Transformer. The label is produced only when the
// input has the formula's label column.
func (m *RFormulaModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	f, _ := m.parsed(ps)
	out, err := m.features.Transform(df)
	if err != nil {
		return nil, err
	}
	out = out.Drop(m.tmpCols...)
	labelCol := m.labelCol.Get(ps)
	if df.Schema().FieldIndices(f.label) != nil {
		switch {
		case m.label != nil:
			if out, err = m.label.Transform(out); err != nil {
				return nil, err
			}
		case labelCol != f.label:
			out = out.WithColumn(labelCol, frame.Col(f.label).Cast("double"))
		}
	}
	return out, out.Err()
}

// Copy implements ml.Stage.
func (m *RFormulaModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *RFormulaModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter: the temporary column names under
// data/, the fitted feature pipeline under pipelineModel/ and the label
// indexer, if any, under labelModel/.
func (m *RFormulaModel) WriteData(dir string) error {
	if err := ml.WriteStrings(dir, []string{"tmpCols"}, m.tmpCols); err != nil {
		return err
	}
	if err := m.features.Save(filepath.Join(dir, "pipelineModel")); err != nil {
		return err
	}
	if m.label != nil {
		return m.label.Save(filepath.Join(dir, "labelModel"))
	}
	return nil
}

// ExtraMetadata implements ml.ExtraMetadata: the resolved terms, which
// Spark's layout needs.
func (m *RFormulaModel) ExtraMetadata() map[string]any {
	if m.terms == nil {
		return nil
	}
	return map[string]any{"terms": m.terms}
}

// Save implements ml.Stage.
func (m *RFormulaModel) Save(path string) error { return ml.Save(m, path) }

func loadRFormulaModel(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	tmps, err := ml.ReadStrings(ctx, dir, "tmpCols")
	if err != nil {
		return nil, err
	}
	pm, err := ml.LoadAs[*ml.PipelineModel](ctx, filepath.Join(dir, "pipelineModel"), reg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	var lm *StringIndexerModel
	if p := filepath.Join(dir, "labelModel"); dirExists(p) {
		if lm, err = ml.LoadAs[*StringIndexerModel](ctx, p, reg); err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
	}
	m := newRFormulaModel(md.UID, pm, lm, tmps[0])
	if _, ok := md.Extra["terms"]; ok {
		if err := md.GetExtra("terms", &m.terms); err != nil {
			return nil, err
		}
	}
	return m, md.ApplyParams(m.Params())
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
