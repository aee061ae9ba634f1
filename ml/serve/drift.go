package serve

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
)

// driftBatch builds the batch a drift window is fed: the numeric (as double)
// and string input columns of the records and the numeric output columns of
// their predictions. ok is false when there is no such column. The caller
// releases the batch.
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
	addNumeric := func(name string, rows []map[string]any) {
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		for _, r := range rows {
			if f, ok := toFloat(r[name]); ok {
				b.Append(f)
			} else {
				b.AppendNull()
			}
		}
		fields = append(fields, arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Float64, Nullable: true})
		cols = append(cols, b.NewArray())
	}
	for _, c := range sig.Inputs {
		switch {
		case c.Type == "double" || c.Type == "float" || isIntType(c.Type):
			addNumeric(c.Name, recs)
		case c.Type == "string":
			b := array.NewStringBuilder(mem)
			for _, r := range recs {
				if s, ok := r[c.Name].(string); ok {
					b.Append(s)
				} else {
					b.AppendNull()
				}
			}
			fields = append(fields, arrow.Field{Name: c.Name, Type: arrow.BinaryTypes.String, Nullable: true})
			cols = append(cols, b.NewArray())
			b.Release()
		}
	}
	if len(outs) == len(recs) {
		for _, c := range sig.Outputs {
			if c.Type == "double" || c.Type == "float" || isIntType(c.Type) {
				addNumeric(c.Name, outs)
			}
		}
	}
	if len(cols) == 0 {
		return nil, false
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(len(recs))), true
}

// toFloat converts a numeric record or output value to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	}
	return 0, false
}
