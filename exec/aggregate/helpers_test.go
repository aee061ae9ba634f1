package aggregate_test

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func newDec128Batch(mem memory.Allocator, s *arrow.Schema, vals []decimal128.Num) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	for _, v := range vals {
		b.Field(0).(*array.Decimal128Builder).Append(v)
	}
	return b.NewRecordBatch()
}
