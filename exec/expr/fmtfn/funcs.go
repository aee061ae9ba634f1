package fmtfn

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

var stringType = arrow.BinaryTypes.String

// rowFunc is an expression evaluated a row at a time over the row form of
// its arguments: fn returns the row's result in row form (nil for NULL).
// fn may be called from several goroutines at once.
func rowFunc(name string, typ arrow.DataType, args []expr.Expr, fn func(row []any) (any, error)) expr.Expr {
	return batchFunc(name, typ, args, func() (func(row []any) (any, error), error) { return fn, nil })
}

// batchFunc is rowFunc with a row function made afresh for each batch, for
// functions whose state may not be shared between goroutines.
func batchFunc(name string, typ arrow.DataType, args []expr.Expr, newFn func() (func(row []any) (any, error), error)) expr.Expr {
	return expr.UDF(name, typ, args, func(mem memory.Allocator, cols []arrow.Array) (arrow.Array, error) {
		fn, err := newFn()
		if err != nil {
			return nil, err
		}
		n := 0
		if len(cols) > 0 {
			n = cols[0].Len()
		}
		b := array.NewBuilder(mem, typ)
		defer b.Release()
		b.Reserve(n)
		row := make([]any, len(cols))
		for i := 0; i < n; i++ {
			for j, c := range cols {
				row[j] = values.Value(c, i)
			}
			v, err := fn(row)
			if err != nil {
				return nil, err
			}
			if err := values.Append(b, v); err != nil {
				return nil, fmt.Errorf("row %d: %w", i, err)
			}
		}
		return b.NewArray(), nil
	})
}

// text returns a string or binary argument as text; ok is false for NULL.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}

// GetJSONObject returns get_json_object(doc, path): the JSON value the path
// selects, a string without its quotes; NULL when the document is
// malformed, the path invalid or nothing matches.
func GetJSONObject(doc, path expr.Expr) expr.Expr {
	return batchFunc("get_json_object", stringType, []expr.Expr{doc, path}, func() (func(row []any) (any, error), error) {
		// The path is almost always a constant: parse it again only when it
		// changes from one row to the next within the batch.
		var lastPath string
		var lastOps []pathOp
		lastOK, parsed := false, false
		return func(row []any) (any, error) {
			d, ok1 := text(row[0])
			p, ok2 := text(row[1])
			if !ok1 || !ok2 {
				return nil, nil
			}
			if !parsed || p != lastPath {
				lastOps, lastOK = parseJSONPath(p)
				lastPath, parsed = p, true
			}
			if !lastOK {
				return nil, nil
			}
			if s, ok := getJSONObject(d, lastOps); ok {
				return s, nil
			}
			return nil, nil
		}, nil
	})
}

// JSONTupleType is the struct json_tuple returns for n field names: string
// fields c0, c1, ...
func JSONTupleType(n int) *arrow.StructType {
	fields := make([]arrow.Field, n)
	for i := range fields {
		fields[i] = arrow.Field{Name: "c" + strconv.Itoa(i), Type: stringType, Nullable: true}
	}
	return arrow.StructOf(fields...)
}

// JSONTuple returns json_tuple(doc, names...) as a struct of type
// JSONTupleType(len(names)): the named top-level fields of the object doc as
// strings (strings without quotes, other values as JSON); every field is
// NULL when doc is NULL, malformed or not an object.
func JSONTuple(doc expr.Expr, names ...expr.Expr) expr.Expr {
	typ := JSONTupleType(len(names))
	return rowFunc("json_tuple", typ, append([]expr.Expr{doc}, names...), func(row []any) (any, error) {
		out := make([]any, len(names))
		d, ok := text(row[0])
		if !ok {
			return out, nil
		}
		v, ok, err := parseJSON(d)
		if err != nil || !ok || v.kind != jsonObject {
			return out, nil
		}
		for i := range names {
			name, ok := text(row[i+1])
			if !ok {
				continue
			}
			if s, ok := jsonTupleField(v, name); ok {
				out[i] = s
			}
		}
		return out, nil
	})
}

// FromJSON returns from_json(doc, schema) for a struct, array or map type
// (a variant type is parse_json):
// values converted as Spark's PERMISSIVE mode does (a value that does not
// convert is NULL; a malformed document is a struct of NULLs for a struct
// type and NULL otherwise; NULL or blank text is NULL).
func FromJSON(doc expr.Expr, typ arrow.DataType, o *Options) expr.Expr {
	if IsVariant(typ) {
		return ParseJSON(doc, false)
	}
	return rowFunc("from_json", typ, []expr.Expr{doc}, func(row []any) (any, error) {
		d, ok := text(row[0])
		if !ok {
			return nil, nil
		}
		v, ok, err := parseJSON(d)
		if !ok && err == nil {
			return nil, nil
		}
		st, isStruct := typ.(*arrow.StructType)
		if err != nil {
			if isStruct {
				return make([]any, st.NumFields()), nil
			}
			return nil, nil
		}
		if v.kind == jsonNull {
			return nil, nil
		}
		if isStruct && v.kind != jsonObject {
			return make([]any, st.NumFields()), nil
		}
		out, _ := fromJSONValue(v, typ, o)
		return out, nil
	})
}

// ToJSON returns to_json(x) of a struct, array or map x, with the
// timestamp and date formats of o (nil for the defaults).
func ToJSON(x expr.Expr, o *Options) expr.Expr {
	typ := x.DataType()
	return rowFunc("to_json", stringType, []expr.Expr{x}, func(row []any) (any, error) {
		if row[0] == nil {
			return nil, nil
		}
		return string(appendToJSON(nil, row[0], typ, o)), nil
	})
}

// JSONArrayLength returns json_array_length(doc): the number of elements
// of the outermost array; NULL for anything else or malformed text.
func JSONArrayLength(doc expr.Expr) expr.Expr {
	return rowFunc("json_array_length", arrow.PrimitiveTypes.Int32, []expr.Expr{doc}, func(row []any) (any, error) {
		d, ok := text(row[0])
		if !ok {
			return nil, nil
		}
		v, ok, err := parseJSON(d)
		if err != nil || !ok || v.kind != jsonArray {
			return nil, nil
		}
		return int32(len(v.elems)), nil
	})
}

// JSONObjectKeys returns json_object_keys(doc): the keys of the outermost
// object in order; NULL for anything else or malformed text.
func JSONObjectKeys(doc expr.Expr) expr.Expr {
	return rowFunc("json_object_keys", arrow.ListOf(stringType), []expr.Expr{doc}, func(row []any) (any, error) {
		d, ok := text(row[0])
		if !ok {
			return nil, nil
		}
		v, ok, err := parseJSON(d)
		if err != nil || !ok || v.kind != jsonObject {
			return nil, nil
		}
		keys := make([]any, len(v.keys))
		for i, k := range v.keys {
			keys[i] = k
		}
		return keys, nil
	})
}
