package predict

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/ml/linalg"
)

// InputError is a record the model cannot score: a missing input column, a
// value of the wrong kind, or a value the model refuses (a category it has
// not seen under handleInvalid=error, a vector of the wrong size).
type InputError struct {
	// Record is the index of the record in the call (0-based), or -1 when
	// the error concerns a whole batch.
	Record int
	// Field is the input column concerned, when known.
	Field string
	// Reason says what is wrong.
	Reason string
	err    error
}

// Error implements error: `record 3, field "age": want double, got string "x"`.
func (e *InputError) Error() string {
	s := ""
	if e.Record >= 0 {
		s = fmt.Sprintf("record %d", e.Record)
	}
	if e.Field != "" {
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("field %q", e.Field)
	}
	if s == "" {
		return e.Reason
	}
	return s + ": " + e.Reason
}

// Unwrap returns the model's error behind the InputError, if any.
func (e *InputError) Unwrap() error { return e.err }

// arrowType maps a signature type name to the Arrow type records are
// converted to.
func arrowType(name string) (arrow.DataType, error) {
	switch name {
	case "double":
		return arrow.PrimitiveTypes.Float64, nil
	case "float":
		return arrow.PrimitiveTypes.Float32, nil
	case "bigint":
		return arrow.PrimitiveTypes.Int64, nil
	case "int":
		return arrow.PrimitiveTypes.Int32, nil
	case "string":
		return arrow.BinaryTypes.String, nil
	case "boolean":
		return arrow.FixedWidthTypes.Boolean, nil
	case "vector":
		return linalg.VectorType(), nil
	case "array<string>":
		return arrow.ListOf(arrow.BinaryTypes.String), nil
	}
	return nil, fmt.Errorf("type %s is not supported for prediction input", name)
}

// buildBatch converts records to a batch of the input schema.
func (p *Predictor) buildBatch(recs []map[string]any) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, p.inSchema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for c, f := range p.inSchema.Fields() {
		arr, err := p.buildColumn(f, recs)
		if err != nil {
			return nil, err
		}
		cols[c] = arr
	}
	return array.NewRecordBatch(p.inSchema, cols, int64(len(recs))), nil
}

// lookup finds field name in rec: exactly, else ignoring case.
func lookup(rec map[string]any, name string) (any, bool) {
	if v, ok := rec[name]; ok {
		return v, true
	}
	for k, v := range rec {
		if len(k) == len(name) && equalFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

func equalFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func (p *Predictor) buildColumn(f arrow.Field, recs []map[string]any) (arrow.Array, error) {
	bad := func(i int, format string, args ...any) error {
		return &InputError{Record: i, Field: f.Name, Reason: fmt.Sprintf(format, args...)}
	}
	get := func(i int) (any, error) {
		v, ok := lookup(recs[i], f.Name)
		if !ok {
			return nil, bad(i, "missing (the model's inputs are %s)", p.inputList())
		}
		return v, nil
	}
	switch f.Type.ID() {
	case arrow.FLOAT64:
		return p.float64Column(f, recs, get, bad)
	case arrow.FLOAT32, arrow.INT64, arrow.INT32:
		b := array.NewBuilder(p.mem, f.Type)
		defer b.Release()
		b.Reserve(len(recs))
		for i := range recs {
			v, err := get(i)
			if err != nil {
				return nil, err
			}
			if v == nil {
				b.AppendNull()
				continue
			}
			x, isInt, ok := number(v)
			if !ok {
				return nil, bad(i, "want %s, got %s", kindName(f.Type), describe(v))
			}
			switch bb := b.(type) {
			case *array.Float64Builder:
				bb.Append(x)
			case *array.Float32Builder:
				bb.Append(float32(x))
			case *array.Int64Builder:
				if !isInt && (x != math.Trunc(x) || math.Abs(x) > 1<<53) {
					return nil, bad(i, "want an integer, got %v", v)
				}
				bb.Append(int64(x))
			case *array.Int32Builder:
				if x != math.Trunc(x) || x < math.MinInt32 || x > math.MaxInt32 {
					return nil, bad(i, "want a 32-bit integer, got %v", v)
				}
				bb.Append(int32(x))
			}
		}
		return b.NewArray(), nil
	case arrow.STRING:
		b := array.NewStringBuilder(p.mem)
		defer b.Release()
		if err := appendEach(len(recs), get, bad, "string", b.AppendNull, b.Append); err != nil {
			return nil, err
		}
		return b.NewArray(), nil
	case arrow.BOOL:
		b := array.NewBooleanBuilder(p.mem)
		defer b.Release()
		if err := appendEach(len(recs), get, bad, "boolean", b.AppendNull, b.Append); err != nil {
			return nil, err
		}
		return b.NewArray(), nil
	case arrow.LIST:
		b := array.NewListBuilder(p.mem, arrow.BinaryTypes.String)
		defer b.Release()
		vb := b.ValueBuilder().(*array.StringBuilder)
		for i := range recs {
			v, err := get(i)
			if err != nil {
				return nil, err
			}
			switch xs := v.(type) {
			case nil:
				b.AppendNull()
			case []string:
				b.Append(true)
				vb.AppendValues(xs, nil)
			case []any:
				b.Append(true)
				for _, x := range xs {
					switch s := x.(type) {
					case nil:
						vb.AppendNull()
					case string:
						vb.Append(s)
					default:
						return nil, bad(i, "want array<string>, got an element %s", describe(x))
					}
				}
			default:
				return nil, bad(i, "want array<string>, got %s", describe(v))
			}
		}
		return b.NewArray(), nil
	case arrow.EXTENSION:
		if !linalg.IsVector(f.Type) {
			break
		}
		b := linalg.NewVectorBuilder(p.mem)
		defer b.Release()
		var vals []float64
		for i := range recs {
			v, err := get(i)
			if err != nil {
				return nil, err
			}
			switch x := v.(type) {
			case nil:
				b.AppendNull()
			case linalg.Vector:
				b.Append(x)
			case []float64:
				b.AppendDense(x)
			case []any:
				vals = vals[:0]
				for _, e := range x {
					n, _, ok := number(e)
					if !ok {
						return nil, bad(i, "want vector (an array of numbers), got an element %s", describe(e))
					}
					vals = append(vals, n)
				}
				b.AppendDense(vals)
			default:
				return nil, bad(i, "want vector (an array of numbers), got %s", describe(v))
			}
		}
		return b.NewArray(), nil
	}
	return nil, fmt.Errorf("predictor: input column %q has type %s, which records cannot fill", f.Name, f.Type)
}

// appendEach appends each record's value, of Go type T, with add (nil with
// null); another type is an error saying the column wants kind.
func appendEach[T any](n int, get func(int) (any, error), bad func(int, string, ...any) error, kind string, null func(), add func(T)) error {
	for i := range n {
		v, err := get(i)
		if err != nil {
			return err
		}
		if v == nil {
			null()
			continue
		}
		x, ok := v.(T)
		if !ok {
			return bad(i, "want %s, got %s", kind, describe(v))
		}
		add(x)
	}
	return nil
}

// float64Column builds a double column straight from a Go slice (no
// builder: scoring one record is dominated by allocations).
func (p *Predictor) float64Column(f arrow.Field, recs []map[string]any, get func(int) (any, error), bad func(int, string, ...any) error) (arrow.Array, error) {
	vals := make([]float64, len(recs))
	var valid []bool // nil while every value is present
	for i := range recs {
		v, err := get(i)
		if err != nil {
			return nil, err
		}
		if v == nil {
			if valid == nil {
				valid = make([]bool, len(recs))
				for k := range i {
					valid[k] = true
				}
			}
			continue
		}
		x, _, ok := number(v)
		if !ok {
			return nil, bad(i, "want double, got %s", describe(v))
		}
		vals[i] = x
		if valid != nil {
			valid[i] = true
		}
	}
	return kernels.NewFixedArray(p.mem, f.Type, vals, len(recs), valid), nil
}

// number converts a Go or JSON number to float64; isInt reports an integer
// kind whose value float64 may not hold exactly.
func number(v any) (x float64, isInt, ok bool) {
	switch n := v.(type) {
	case float64:
		return n, false, true
	case float32:
		return float64(n), false, true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return float64(i), true, true
		}
		f, err := n.Float64()
		return f, false, err == nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true, true
	}
	return 0, false, false
}

// kindName names an input type as messages do.
func kindName(t arrow.DataType) string {
	switch t.ID() {
	case arrow.FLOAT64:
		return "double"
	case arrow.FLOAT32:
		return "float"
	case arrow.INT64:
		return "bigint"
	case arrow.INT32:
		return "int"
	}
	return t.String()
}

// describe names the kind and value of a wrong input, for messages.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return fmt.Sprintf("string %q", x)
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func (p *Predictor) inputList() string { return columnNames(p.inSchema) }
