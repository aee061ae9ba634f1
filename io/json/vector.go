package json

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/io/textfmt"
	"github.com/gspark/gspark/values/vectors"
)

// vectorFormatter formats a vector column as Spark writes its VectorUDT
// to JSON: the storage struct with null fields left out, so a dense vector
// is {"type":1,"values":[...]} and a sparse one
// {"type":0,"size":n,"indices":[...],"values":[...]}.
func vectorFormatter(arr arrow.Array) (textfmt.Formatter, error) {
	col, err := vectors.Vectors(arr)
	if err != nil {
		return nil, err
	}
	doubles := func(dst []byte, vals []float64) []byte {
		dst = append(dst, '[')
		for k, v := range vals {
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = textfmt.AppendDouble(dst, v, 64, true)
		}
		return append(dst, ']')
	}
	return func(dst []byte, i int) ([]byte, bool) {
		if col.IsNull(i) {
			return dst, true
		}
		if col.IsDense(i) {
			dst = append(dst, `{"type":1,"values":`...)
			dst = doubles(dst, col.DenseValues(i))
			return append(dst, '}'), false
		}
		idx, vals := col.Sparse(i)
		dst = append(dst, `{"type":0,"size":`...)
		dst = strconv.AppendInt(dst, int64(col.Size(i)), 10)
		dst = append(dst, `,"indices":[`...)
		for k, j := range idx {
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = strconv.AppendInt(dst, int64(j), 10)
		}
		dst = append(dst, `],"values":`...)
		dst = doubles(dst, vals)
		return append(dst, '}'), false
	}, nil
}
