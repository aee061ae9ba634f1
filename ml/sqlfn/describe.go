package sqlfn

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// describeColumns are the columns of DESCRIBE MODEL's result. A stage row
// has kind "stage", its index in the pipeline (0 for a single model), class,
// uid and params (name=value, sorted by name); an input or output row has
// kind "input" or "output", the column's position, name and type.
var describeColumns = []string{"kind", "index", "name", "type", "uid", "params"}

// describe implements describe_model('path'), the table DESCRIBE MODEL shows.
func (m *Models) describe(ctx context.Context, s *frame.Session, args []frame.TableArg) (*frame.DataFrame, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("usage: DESCRIBE MODEL 'path', got %d arguments", len(args))
	}
	path, ok := args[0].Value.(string)
	if !ok {
		return nil, fmt.Errorf("the model's path must be a string")
	}
	st, md, err := m.Load(ctx, path)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	stages := []ml.Stage{st}
	if pm, ok := st.(*ml.PipelineModel); ok {
		stages = stages[:0]
		for _, t := range pm.Stages() {
			stages = append(stages, t)
		}
	}
	for i, x := range stages {
		ps, err := paramList(x.Params())
		if err != nil {
			return nil, fmt.Errorf("model %s: stage %d: %w", path, i, err)
		}
		rows = append(rows, []string{"stage", strconv.Itoa(i), x.ClassName(), "", x.UID(), ps})
	}
	sig := md.Signature
	if sig == nil { // older and Spark-written models: work it out
		sig, _ = ml.InferSignature(st)
	}
	if sig != nil {
		for i, c := range sig.Inputs {
			rows = append(rows, []string{"input", strconv.Itoa(i), c.Name, c.Type, "", ""})
		}
		for i, c := range sig.Outputs {
			rows = append(rows, []string{"output", strconv.Itoa(i), c.Name, c.Type, "", ""})
		}
	}
	return stringFrame(s, rows)
}

// paramList renders the params with a value as name=value, comma-separated.
func paramList(ps *param.Params) (string, error) {
	var parts []string
	for _, n := range ps.Names() {
		v, ok := ps.Get(n)
		if !ok {
			continue
		}
		text, isString := v.(string)
		if !isString {
			b, err := param.EncodeValue(v)
			if err != nil {
				return "", fmt.Errorf("param %s: %w", n, err)
			}
			text = string(b)
		}
		parts = append(parts, n+"="+text)
	}
	return strings.Join(parts, ", "), nil
}

// stringFrame makes a one-partition DataFrame of string rows.
func stringFrame(s *frame.Session, rows [][]string) (*frame.DataFrame, error) {
	fields := make([]arrow.Field, len(describeColumns))
	for i, c := range describeColumns {
		fields[i] = arrow.Field{Name: c, Type: arrow.BinaryTypes.String}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, r := range rows {
		for i, v := range r {
			b.Field(i).(*array.StringBuilder).Append(v)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return s.FromBatches(schema, [][]arrow.RecordBatch{{rec}})
}
