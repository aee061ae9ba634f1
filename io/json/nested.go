package json

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/io/textfmt"
	"github.com/gspark/gspark/values/vectors"
)

// formatter returns the JSON formatter of a column: nested values as Spark's
// JSON writer renders them (arrays as arrays with null elements as null,
// structs as objects without their null fields, maps as objects keyed by
// the key's text with null values as null), other types by textfmt.
func formatter(arr arrow.Array) (textfmt.Formatter, error) {
	if vectors.IsVector(arr.DataType()) {
		return vectorFormatter(arr)
	}
	switch a := arr.(type) {
	case *array.Binary:
		return binaryFormatter(a), nil
	case *array.Map:
		return mapFormatter(a)
	case array.ListLike:
		return listFormatter(a)
	case *array.Struct:
		return structFormatter(a)
	}
	return textfmt.New(arr, jsonText())
}

// orNull appends the value of f at i, or null.
func orNull(dst []byte, f textfmt.Formatter, i int) []byte {
	mark := len(dst)
	out, null := f(dst, i)
	if null {
		return append(out[:mark], "null"...)
	}
	return out
}

func listFormatter(a array.ListLike) (textfmt.Formatter, error) {
	elem, err := formatter(a.ListValues())
	if err != nil {
		return nil, err
	}
	return func(dst []byte, i int) ([]byte, bool) {
		if a.IsNull(i) {
			return dst, true
		}
		s, e := a.ValueOffsets(i)
		dst = append(dst, '[')
		for j := s; j < e; j++ {
			if j > s {
				dst = append(dst, ',')
			}
			dst = orNull(dst, elem, int(j))
		}
		return append(dst, ']'), false
	}, nil
}

func mapFormatter(a *array.Map) (textfmt.Formatter, error) {
	key, err := formatter(a.Keys())
	if err != nil {
		return nil, err
	}
	val, err := formatter(a.Items())
	if err != nil {
		return nil, err
	}
	var scratch []byte
	return func(dst []byte, i int) ([]byte, bool) {
		if a.IsNull(i) {
			return dst, true
		}
		s, e := a.ValueOffsets(i)
		dst = append(dst, '{')
		for j := s; j < e; j++ {
			if j > s {
				dst = append(dst, ',')
			}
			// A key is an object's field name: its text, quoted.
			scratch = orNull(scratch[:0], key, int(j))
			if len(scratch) > 0 && scratch[0] == '"' {
				dst = append(dst, scratch...)
			} else {
				dst = appendString(dst, scratch)
			}
			dst = append(dst, ':')
			dst = orNull(dst, val, int(j))
		}
		return append(dst, '}'), false
	}, nil
}

func structFormatter(a *array.Struct) (textfmt.Formatter, error) {
	st := a.DataType().(*arrow.StructType)
	fields := make([]textfmt.Formatter, a.NumField())
	keys := make([][]byte, a.NumField())
	for k := range fields {
		f, err := formatter(a.Field(k))
		if err != nil {
			return nil, err
		}
		fields[k] = f
		keys[k] = append(appendString(nil, []byte(st.Field(k).Name)), ':')
	}
	return func(dst []byte, i int) ([]byte, bool) {
		if a.IsNull(i) {
			return dst, true
		}
		dst = append(dst, '{')
		first := true
		for k, f := range fields {
			mark := len(dst)
			if !first {
				dst = append(dst, ',')
			}
			dst = append(dst, keys[k]...)
			var null bool
			if dst, null = f(dst, i); null {
				dst = dst[:mark]
				continue
			}
			first = false
		}
		return append(dst, '}'), false
	}, nil
}
