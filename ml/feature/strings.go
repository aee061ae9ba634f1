package feature

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/values"
)

// stringReader reads a string, dictionary-of-string or numeric column as
// strings (numbers formatted as Spark casts them to string).
type stringReader struct {
	arr  arrow.Array
	str  *array.String
	lstr *array.LargeString
	dict *array.Dictionary
	dstr stringReaderDict
}

type stringReaderDict interface{ Value(int) string }

func newStringReader(arr arrow.Array) (*stringReader, error) {
	r := &stringReader{arr: arr}
	switch a := arr.(type) {
	case *array.String:
		r.str = a
	case *array.LargeString:
		r.lstr = a
	case *array.Dictionary:
		d, ok := a.Dictionary().(stringReaderDict)
		if !ok {
			return nil, fmt.Errorf("dictionary of %s is not a string column", a.Dictionary().DataType())
		}
		r.dict, r.dstr = a, d
	case *array.Int8, *array.Int16, *array.Int32, *array.Int64, *array.Uint8, *array.Uint16, *array.Uint32, *array.Uint64,
		*array.Float32, *array.Float64, *array.Boolean, *array.Decimal64, *array.Decimal128:
	default:
		return nil, fmt.Errorf("column of type %s is neither string nor numeric", arr.DataType())
	}
	return r, nil
}

// At returns row i as a string; ok is false for null.
func (r *stringReader) At(i int) (string, bool) {
	if r.arr.IsNull(i) {
		return "", false
	}
	switch {
	case r.str != nil:
		return r.str.Value(i), true
	case r.lstr != nil:
		return r.lstr.Value(i), true
	case r.dict != nil:
		return r.dstr.Value(r.dict.GetValueIndex(i)), true
	}
	switch a := r.arr.(type) {
	case *array.Int8:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int16:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10), true
	case *array.Uint8:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint16:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint32:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint64:
		return strconv.FormatUint(a.Value(i), 10), true
	case *array.Float32:
		return values.FormatDouble(float64(a.Value(i))), true
	case *array.Float64:
		return values.FormatDouble(a.Value(i)), true
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i)), true
	}
	return values.FormatValue(values.Value(r.arr, i)), true
}
