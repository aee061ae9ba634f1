package json

import (
	"encoding/base64"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/io/textfmt"
)

// binaryFormatter writes BINARY values as Spark's JSON writer does
// (Jackson's writeBinary): a string of their Base64 encoding, padded.
func binaryFormatter(a *array.Binary) textfmt.Formatter {
	return func(dst []byte, i int) ([]byte, bool) {
		if a.IsNull(i) {
			return dst, true
		}
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, a.Value(i))
		return append(dst, '"'), false
	}
}
