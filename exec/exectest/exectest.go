// Package exectest holds helpers for testing operators: a checked allocator that
// fails the test on leaked buffers, goroutine leak checks, building batches from
// rows and reading them back.
package exectest

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/goleak"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/values"
)

// Alloc returns a checked allocator; at the end of the test it asserts that
// every byte allocated was released and that no goroutine started after the
// call to Alloc is still running (goroutines get a moment to finish; see
// goleak.VerifyNone).
//
// The goroutine check compares against the goroutines alive when Alloc is
// called, so it is only sound in a test that does not run in parallel with
// others (no t.Parallel in it or its ancestors): the goroutines of a
// concurrently running test would count as leaks. Such a test must not use
// Alloc; the package's TestMain (goleak.VerifyTestMain) still covers it.
func Alloc(t testing.TB) *memory.CheckedAllocator {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		mem.AssertSize(t, 0)
		goleak.VerifyNone(t, before)
	})
	return mem
}

// Batch builds a record batch with schema s from rows of Go values (nil for
// null). Supported: bool, int8..int64, float32/64, string, date32 (as
// arrow.Date32 or int32 days), decimal64/128 (as int64 unscaled).
func Batch(mem memory.Allocator, s *arrow.Schema, rows [][]any) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	for _, row := range rows {
		if len(row) != s.NumFields() {
			panic(fmt.Sprintf("exectest.Batch: row has %d values, schema %d", len(row), s.NumFields()))
		}
		for c, v := range row {
			appendValue(b.Field(c), v)
		}
	}
	return b.NewRecordBatch()
}

func appendValue(fb array.Builder, v any) {
	if v == nil {
		fb.AppendNull()
		return
	}
	switch bb := fb.(type) {
	case *array.BooleanBuilder:
		bb.Append(v.(bool))
	case *array.Int8Builder:
		bb.Append(int8(toInt(v)))
	case *array.Int16Builder:
		bb.Append(int16(toInt(v)))
	case *array.Int32Builder:
		bb.Append(int32(toInt(v)))
	case *array.Int64Builder:
		bb.Append(toInt(v))
	case *array.Float32Builder:
		bb.Append(float32(toFloat(v)))
	case *array.Float64Builder:
		bb.Append(toFloat(v))
	case *array.StringBuilder:
		bb.Append(v.(string))
	case *array.Date32Builder:
		bb.Append(arrow.Date32(toInt(v)))
	case *array.Decimal64Builder:
		bb.Append(decimal64Num(toInt(v)))
	case *array.Decimal128Builder:
		bb.Append(decimal128Num(toInt(v)))
	default:
		panic(fmt.Sprintf("exectest.Batch: unsupported builder %T", fb))
	}
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case arrow.Date32:
		return int64(x)
	}
	panic(fmt.Sprintf("exectest: %T is not an integer", v))
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	}
	return float64(toInt(v))
}

// Rows collects every partition of op and returns its rows (see exec.Value),
// releasing the batches.
func Rows(t testing.TB, op exec.Operator) [][]any {
	t.Helper()
	bs, err := exec.Collect(t.Context(), op)
	if err != nil {
		t.Fatalf("collect %s: %v", op, err)
	}
	defer exec.ReleaseAll(bs)
	return values.Rows(bs)
}
