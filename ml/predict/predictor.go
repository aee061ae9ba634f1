package predict

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/registry"
	"github.com/gspark/gspark/values"
)

// Predictor scores records with one fitted model. It is safe for
// concurrent use by many goroutines.
type Predictor struct {
	model    ml.Transformer
	sig      *ml.Signature
	inSchema *arrow.Schema
	mem      memory.Allocator
	// full computes every column of Transform (PredictBatch); query only
	// the outputs a prediction returns, named outNames, in order.
	full     *frame.PreparedQuery
	query    *frame.PreparedQuery
	outNames []string
	structs  sync.Map // reflect.Type → *structPlan
}

// Option configures New.
type Option func(*options)

type options struct {
	sig     *ml.Signature
	outputs []string
	mem     memory.Allocator
}

// WithSignature sets the model's signature instead of inferring it (Load
// passes the signature saved with the model).
func WithSignature(sig *ml.Signature) Option { return func(o *options) { o.sig = sig } }

// WithOutputs chooses the columns a prediction returns, among the columns
// the model adds and its input columns; by default every column the model
// adds (the signature's outputs).
func WithOutputs(cols ...string) Option {
	return func(o *options) { o.outputs = append([]string(nil), cols...) }
}

// WithAllocator sets the allocator of the batches scoring builds (the Go
// allocator by default); tests pass a checked allocator.
func WithAllocator(mem memory.Allocator) Option { return func(o *options) { o.mem = mem } }

// New makes a Predictor for model. Its input columns are the model's
// signature's; the model is applied and planned once, here.
func New(model ml.Transformer, opts ...Option) (*Predictor, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.mem == nil {
		o.mem = memory.DefaultAllocator
	}
	sig := o.sig
	if sig == nil {
		s, ok := ml.InferSignature(model)
		if !ok {
			return nil, fmt.Errorf("predictor for %s: the model's input columns cannot be worked out; pass WithSignature", model.UID())
		}
		sig = s
	}
	fields := make([]arrow.Field, len(sig.Inputs))
	for i, c := range sig.Inputs {
		t, err := arrowType(c.Type)
		if err != nil {
			return nil, fmt.Errorf("predictor for %s: input column %q: %w", model.UID(), c.Name, err)
		}
		fields[i] = arrow.Field{Name: c.Name, Type: t, Nullable: true}
	}
	inSchema := arrow.NewSchema(fields, nil)
	s := frame.NewSession(frame.WithPartitions(1), frame.WithAllocator(o.mem))
	df, input := s.NewBatchInput(inSchema)
	out, err := model.Transform(df)
	if err != nil {
		return nil, fmt.Errorf("predictor for %s: %w", model.UID(), err)
	}
	full, err := out.PrepareOver(context.Background(), input)
	if err != nil {
		return nil, fmt.Errorf("predictor for %s: %w", model.UID(), err)
	}
	p := &Predictor{model: model, sig: sig, inSchema: inSchema, mem: o.mem, full: full}
	names := o.outputs
	if names == nil {
		for _, c := range sig.Outputs {
			names = append(names, c.Name)
		}
	}
	cols := make([]frame.Column, len(names))
	for i, n := range names {
		j := ml.FieldIndex(full.Schema(), n)
		if j < 0 {
			return nil, fmt.Errorf("predictor for %s: output column %q does not exist; the model produces %s", model.UID(), n, columnNames(full.Schema()))
		}
		p.outNames = append(p.outNames, full.Schema().Field(j).Name)
		cols[i] = frame.Col(p.outNames[i])
	}
	// Records are scored by a query that computes only the chosen outputs:
	// the optimizer prunes the model's other columns.
	if p.query, err = out.Select(cols...).PrepareOver(context.Background(), input); err != nil {
		return nil, fmt.Errorf("predictor for %s: %w", model.UID(), err)
	}
	return p, nil
}

// Load reads the model saved in dir (any stage ml/all can load; for a
// registered model's directory, its latest version) and makes a Predictor
// for it, using the signature saved with the model when there is one.
func Load(ctx context.Context, dir string, opts ...Option) (*Predictor, error) {
	if d, v, err := registry.Resolve(dir); err == nil && !v.IsZero() {
		dir = d // a registered model: its latest version
	}
	st, err := all.Load(ctx, dir)
	if err != nil {
		return nil, err
	}
	t, ok := st.(ml.Transformer)
	if !ok {
		return nil, fmt.Errorf("%s holds %s, which is not a fitted model", dir, st.ClassName())
	}
	md, err := ml.ReadMetadata(dir)
	if err != nil {
		return nil, err
	}
	if md.Signature != nil {
		opts = append([]Option{WithSignature(md.Signature)}, opts...)
	}
	return New(t, opts...)
}

// Model returns the model the Predictor scores with.
func (p *Predictor) Model() ml.Transformer { return p.model }

// Signature returns the model's signature: the input columns a record must
// have and the columns the model adds.
func (p *Predictor) Signature() *ml.Signature { return p.sig }

// InputSchema returns the Arrow schema of the input columns, in signature order.
func (p *Predictor) InputSchema() *arrow.Schema { return p.inSchema }

// OutputSchema returns the schema of PredictBatch's result: the input
// columns and every column the model adds.
func (p *Predictor) OutputSchema() *arrow.Schema { return p.full.Schema() }

// Outputs returns the names of the columns a prediction returns.
func (p *Predictor) Outputs() []string { return slices.Clone(p.outNames) }

// Predict scores one record and returns its output columns.
func (p *Predictor) Predict(ctx context.Context, rec map[string]any) (map[string]any, error) {
	out, err := p.PredictRecords(ctx, []map[string]any{rec})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// PredictRecords scores a small batch of records and returns the output
// columns of each, in order. A model that drops records (a StringIndexer
// with handleInvalid=skip) gives nil for each dropped record.
func (p *Predictor) PredictRecords(ctx context.Context, recs []map[string]any) ([]map[string]any, error) {
	if len(recs) == 0 {
		return []map[string]any{}, nil
	}
	in, err := p.buildBatch(recs)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	out, err := p.query.Run(ctx, in)
	if err != nil {
		return nil, p.blame(ctx, recs, err)
	}
	defer out.Release()
	if int(out.NumRows()) == len(recs) {
		return p.rows(out), nil
	}
	if len(recs) == 1 {
		if out.NumRows() == 0 { // the model dropped it
			return []map[string]any{nil}, nil
		}
		return nil, fmt.Errorf("predictor for %s: the model made %d rows of one record", p.model.UID(), out.NumRows())
	}
	// Rows were dropped: score record by record to know which.
	res := make([]map[string]any, len(recs))
	for i, rec := range recs {
		r, err := p.PredictRecords(ctx, []map[string]any{rec})
		if err != nil {
			return nil, reindex(err, i)
		}
		if len(r) == 1 {
			res[i] = r[0]
		}
	}
	return res, nil
}

// rows reads the output columns of every row of b.
func (p *Predictor) rows(b arrow.RecordBatch) []map[string]any {
	res := make([]map[string]any, b.NumRows())
	for i := range res {
		m := make(map[string]any, len(p.outNames))
		for k, name := range p.outNames {
			m[name] = outputValue(b.Column(k), i)
		}
		res[i] = m
	}
	return res
}

// outputValue is values.Value with vectors as []float64 and strings
// copied: an Arrow string aliases its batch's buffer, which an allocator
// that recycles memory (an exec.Pool) hands out again once the batch is
// released, under the caller's feet.
func outputValue(a arrow.Array, i int) any {
	return detach(values.Value(a, i))
}

// detach copies the strings of v, recursively through arrays, and turns
// vectors to []float64 (ToArray copies).
func detach(v any) any {
	switch x := v.(type) {
	case string:
		return strings.Clone(x)
	case linalg.Vector:
		return x.ToArray()
	case []any:
		for i, e := range x {
			x[i] = detach(e)
		}
		return x
	}
	return v
}

// PredictBatch scores a batch holding the model's input columns (found by
// name; other columns are ignored) and returns the input columns followed
// by every column the model adds. The caller releases the result.
func (p *Predictor) PredictBatch(ctx context.Context, in arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, p.inSchema.NumFields())
	for i, f := range p.inSchema.Fields() {
		j := ml.FieldIndex(in.Schema(), f.Name)
		if j < 0 {
			return nil, &InputError{Record: -1, Field: f.Name, Reason: fmt.Sprintf("input column is missing; the batch has %s", columnNames(in.Schema()))}
		}
		if got := in.Column(j).DataType(); !arrow.TypeEqual(got, f.Type) {
			return nil, &InputError{Record: -1, Field: f.Name, Reason: fmt.Sprintf("want %s, got %s", ml.TypeName(f.Type), ml.TypeName(got))}
		}
		cols[i] = in.Column(j)
	}
	b := array.NewRecordBatch(p.inSchema, cols, in.NumRows())
	defer b.Release()
	return p.full.Run(ctx, b)
}

// blame turns a scoring error into an *InputError naming the record (and
// the field, when the message names an input column) when the records
// caused it; engine faults and cancellation pass through.
func (p *Predictor) blame(ctx context.Context, recs []map[string]any, err error) error {
	if errors.Is(err, exec.ErrInternal) || ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	idx := 0
	if len(recs) > 1 {
		idx = -1
		for i, rec := range recs {
			if _, e := p.PredictRecords(ctx, []map[string]any{rec}); e != nil {
				idx, err = i, e
				break
			}
		}
		if idx < 0 { // fails only together: blame no record
			return err
		}
		var ie *InputError
		if errors.As(err, &ie) {
			return reindex(err, idx)
		}
	}
	field := ""
	msg := err.Error()
	for _, c := range p.sig.Inputs {
		if strings.Contains(msg, fmt.Sprintf("%q", c.Name)) {
			field = c.Name
			break
		}
	}
	return &InputError{Record: idx, Field: field, Reason: msg, err: err}
}

// reindex sets the record index of an *InputError found for record i of a
// larger call.
func reindex(err error, i int) error {
	var ie *InputError
	if errors.As(err, &ie) {
		c := *ie
		c.Record = i
		return &c
	}
	return err
}

func columnNames(s *arrow.Schema) string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return "[" + strings.Join(names, ", ") + "]"
}
