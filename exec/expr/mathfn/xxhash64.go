package mathfn

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cespare/xxhash/v2"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// xxHasher hashes Spark's value encodings with XXH64: an int (and a
// boolean, byte, short or date) as 4 little-endian bytes, a long (and a
// timestamp) as 8, a float or double by its bits with -0.0 as 0 and one
// NaN, a decimal of precision ≤ 18 by its unscaled long and a wider one by
// the bytes of Java's BigInteger.toByteArray, a string by its UTF-8 bytes.
// Each value's hash seeds the next; a null leaves the seed as it is.
type xxHasher struct {
	d       *xxhash.Digest
	scratch []byte
}

func (h *xxHasher) bytes(b []byte, seed uint64) uint64 {
	h.d.ResetWithSeed(seed)
	_, _ = h.d.Write(b) // a Digest's Write never fails
	return h.d.Sum64()
}

func (h *xxHasher) int(v int32, seed uint64) uint64 {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(v))
	return h.bytes(b[:], seed)
}

func (h *xxHasher) long(v int64, seed uint64) uint64 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(v))
	return h.bytes(b[:], seed)
}

// value folds row i of a into seed.
func (h *xxHasher) value(a arrow.Array, i int, seed uint64) uint64 {
	if a.IsNull(i) {
		return seed
	}
	switch x := a.(type) {
	case *array.Boolean:
		if x.Value(i) {
			return h.int(1, seed)
		}
		return h.int(0, seed)
	case *array.Int8:
		return h.int(int32(x.Value(i)), seed)
	case *array.Int16:
		return h.int(int32(x.Value(i)), seed)
	case *array.Int32:
		return h.int(x.Value(i), seed)
	case *array.Date32:
		return h.int(int32(x.Value(i)), seed)
	case *array.Int64:
		return h.long(x.Value(i), seed)
	case *array.Timestamp:
		return h.long(int64(x.Value(i)), seed)
	case *array.Float32:
		return h.int(floatBits(x.Value(i)), seed)
	case *array.Float64:
		return h.long(doubleBits(x.Value(i)), seed)
	case *array.Decimal64:
		return h.long(int64(x.Value(i)), seed)
	case *array.Decimal128:
		d := x.Value(i)
		if x.DataType().(arrow.DecimalType).GetPrecision() <= 18 {
			return h.long(int64(d.LowBits()), seed)
		}
		h.scratch = javaBigIntBytes(d, h.scratch)
		return h.bytes(h.scratch, seed)
	case *array.String:
		return h.bytes([]byte(x.Value(i)), seed)
	case *array.Binary:
		return h.bytes(x.Value(i), seed)
	case *array.Map:
		lo, hi := x.ValueOffsets(i)
		keys, items := x.Keys(), x.Items()
		for j := int(lo); j < int(hi); j++ {
			seed = h.value(keys, j, seed)
			seed = h.value(items, j, seed)
		}
		return seed
	case *array.List:
		lo, hi := x.ValueOffsets(i)
		elems := x.ListValues()
		for j := int(lo); j < int(hi); j++ {
			seed = h.value(elems, j, seed)
		}
		return seed
	case *array.Struct:
		for f := 0; f < x.NumField(); f++ {
			seed = h.value(x.Field(f), i, seed)
		}
		return seed
	}
	return seed
}

// XxHashable reports whether xxhash64 hashes values of type t.
func XxHashable(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.NULL, arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL64, arrow.DECIMAL128, arrow.STRING, arrow.BINARY:
		return true
	case arrow.DICTIONARY:
		return XxHashable(t.(*arrow.DictionaryType).ValueType)
	case arrow.MAP:
		m := t.(*arrow.MapType)
		return XxHashable(m.KeyType()) && XxHashable(m.ItemType())
	case arrow.LIST:
		return XxHashable(t.(*arrow.ListType).Elem())
	case arrow.STRUCT:
		for _, f := range t.(*arrow.StructType).Fields() {
			if !XxHashable(f.Type) {
				return false
			}
		}
		return true
	}
	return false
}

type xxHash64Expr struct{ args []expr.Expr }

// XxHash64 is Spark's xxhash64(args...): XXH64 of the arguments' values
// folded from seed 42 (see xxHasher), nulls skipped; a BIGINT, never null.
func XxHash64(args ...expr.Expr) (expr.Expr, error) {
	for _, a := range args {
		if !XxHashable(a.DataType()) {
			return nil, fmt.Errorf("xxhash64: %s has unsupported type %s", a, values.TypeName(a.DataType()))
		}
	}
	return &xxHash64Expr{args: args}, nil
}

func (e *xxHash64Expr) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int64 }
func (e *xxHash64Expr) String() string           { return expr.CallString("xxhash64", e.args...) }

func (e *xxHash64Expr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	in, err := expr.EvalArgs(mem, batch, e.args...)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(in)
	buf, out := newFixed[int64](mem, n)
	h := &xxHasher{d: xxhash.NewWithSeed(0)}
	for i := range n {
		seed := uint64(HashSeed)
		for _, a := range in {
			seed = h.value(a, i, seed)
		}
		out[i] = int64(seed)
	}
	v := &validity{mem: mem, n: n}
	return v.finish(arrow.PrimitiveTypes.Int64, buf), nil
}
