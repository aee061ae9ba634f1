package mathfn

import (
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// monotonicID numbers the rows it sees from base on: one instance per
// partition, evaluated over the partition's batches in order.
type monotonicID struct {
	base int64
	mu   sync.Mutex
	next int64
}

// MonotonicID is monotonically_increasing_id() for one partition: Spark's
// layout, the partition index in the upper 31 bits (base = p << 33) and the
// row's position in the partition in the lower 33. The planner builds one
// per partition; each Eval numbers the next batch's rows.
func MonotonicID(base int64) expr.Expr { return &monotonicID{base: base} }

func (e *monotonicID) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int64 }

func (e *monotonicID) String() string {
	return fmt.Sprintf("monotonically_increasing_id(partition %d)", e.base>>33)
}

func (e *monotonicID) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	out := make([]int64, n)
	e.mu.Lock()
	first := e.next
	e.next += int64(n)
	e.mu.Unlock()
	for i := range out {
		out[i] = e.base + first + int64(i)
	}
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Int64, out, n, nil), nil
}
