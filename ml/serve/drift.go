package serve

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/values"
)

// driftBatch builds the batch a drift window is fed: the numeric (as
// double), string and boolean (as "true"/"false") input columns of the
// records and output columns of their predictions. ok is false when there
// is no such column. The caller releases the batch.
func driftBatch(sig *ml.Signature, recs, outs []map[string]any) (arrow.RecordBatch, bool) {
	if sig == nil || len(recs) == 0 {
		return nil, false
	}
	mem := memory.DefaultAllocator
	var fields []arrow.Field
	var cols []arrow.Array
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	add := func(c ml.ColumnSpec, rows []map[string]any) {
		switch {
		case c.Type == "double" || c.Type == "float" || isIntType(c.Type):
			b := array.NewFloat64Builder(mem)
			defer b.Release()
			for _, r := range rows {
				if f, ok := values.Float64(r[c.Name]); ok {
					b.Append(f)
				} else {
					b.AppendNull()
				}
			}
			fields = append(fields, arrow.Field{Name: c.Name, Type: arrow.PrimitiveTypes.Float64, Nullable: true})
			cols = append(cols, b.NewArray())
		case c.Type == "string" || c.Type == "boolean":
			b := array.NewStringBuilder(mem)
			defer b.Release()
			for _, r := range rows {
				switch v := r[c.Name].(type) {
				case string:
					b.Append(v)
				case bool:
					b.Append(strconv.FormatBool(v))
				default:
					b.AppendNull()
				}
			}
			fields = append(fields, arrow.Field{Name: c.Name, Type: arrow.BinaryTypes.String, Nullable: true})
			cols = append(cols, b.NewArray())
		}
	}
	for _, c := range sig.Inputs {
		add(c, recs)
	}
	if len(outs) == len(recs) {
		for _, c := range sig.Outputs {
			add(c, outs)
		}
	}
	if len(cols) == 0 {
		return nil, false
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(len(recs))), true
}
