package strfn

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

type uuidExpr struct{}

// UUID is Spark's uuid(): a random (version 4, RFC 4122 variant) UUID per
// row in its 36-character text form.
func UUID() expr.Expr { return uuidExpr{} }

func (uuidExpr) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (uuidExpr) String() string           { return "uuid()" }

func (uuidExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	b.ReserveData(36 * n)
	var raw [16]byte
	var text [36]byte
	for i := 0; i < n; i++ {
		if _, err := rand.Read(raw[:]); err != nil {
			return nil, fmt.Errorf("uuid: reading random bytes: %w", err)
		}
		b.Append(formatUUID(raw, &text))
	}
	return b.NewArray(), nil
}

// formatUUID marks raw as a version 4 UUID and writes it as
// xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx.
func formatUUID(raw [16]byte, text *[36]byte) string {
	raw[6] = raw[6]&0x0f | 0x40
	raw[8] = raw[8]&0x3f | 0x80
	hex.Encode(text[0:8], raw[0:4])
	text[8] = '-'
	hex.Encode(text[9:13], raw[4:6])
	text[13] = '-'
	hex.Encode(text[14:18], raw[6:8])
	text[18] = '-'
	hex.Encode(text[19:23], raw[8:10])
	text[23] = '-'
	hex.Encode(text[24:36], raw[10:16])
	return string(text[:])
}
