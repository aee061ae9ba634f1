package exchange

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"

	"github.com/gspark/gspark/exec/kernels"
)

// Mixing constants (odd 64-bit multipliers).
const (
	prime1   = 0x9E3779B97F4A7C15
	prime2   = 0xC2B2AE3D27D4EB4F
	prime3   = 0x165667B19E3779F9
	nullHash = 0x2545F4914F6CDD1D
)

// hashBytes hashes a byte string with the given seed.
func hashBytes(b []byte, seed uint64) uint64 {
	h := seed ^ (uint64(len(b)) * prime1)
	for len(b) >= 8 {
		h = bits.RotateLeft64(h^(binary.LittleEndian.Uint64(b)*prime2), 31) * prime1
		b = b[8:]
	}
	var tail uint64
	for i, c := range b {
		tail |= uint64(c) << (8 * i)
	}
	h = bits.RotateLeft64(h^(tail*prime3), 27) * prime1
	return kernels.Mix64(h)
}

// hashColumns combines into hs[i] (which must have length rows) the hash of
// row i of every column. Equal values of the same type hash equally across
// batches; dictionary arrays hash as their decoded values.
func hashColumns(cols []arrow.Array, seed uint64, hs []uint64) error {
	for i := range hs {
		hs[i] = seed
	}
	for _, c := range cols {
		if err := hashColumn(c, seed, hs); err != nil {
			return err
		}
	}
	for i := range hs {
		hs[i] = kernels.Mix64(hs[i])
	}
	return nil
}

func combine(h, v uint64) uint64 { return bits.RotateLeft64(h*prime1, 23) ^ v }

func hashFixed[T any](vals []T, conv func(T) uint64, c arrow.Array, hs []uint64) {
	vals = vals[:len(hs)]
	if c.NullN() == 0 {
		for i, v := range vals {
			hs[i] = combine(hs[i], kernels.Mix64(conv(v)))
		}
		return
	}
	for i, v := range vals {
		if c.IsNull(i) {
			hs[i] = combine(hs[i], nullHash)
		} else {
			hs[i] = combine(hs[i], kernels.Mix64(conv(v)))
		}
	}
}

func hashColumn(c arrow.Array, seed uint64, hs []uint64) error {
	switch a := c.(type) {
	case *array.Int8:
		hashFixed(a.Int8Values(), func(v int8) uint64 { return uint64(int64(v)) }, c, hs)
	case *array.Int16:
		hashFixed(a.Int16Values(), func(v int16) uint64 { return uint64(int64(v)) }, c, hs)
	case *array.Int32:
		hashFixed(a.Int32Values(), func(v int32) uint64 { return uint64(int64(v)) }, c, hs)
	case *array.Int64:
		hashFixed(a.Int64Values(), func(v int64) uint64 { return uint64(v) }, c, hs)
	case *array.Date32:
		hashFixed(a.Date32Values(), func(v arrow.Date32) uint64 { return uint64(int64(v)) }, c, hs)
	case *array.Timestamp:
		hashFixed(a.TimestampValues(), func(v arrow.Timestamp) uint64 { return uint64(int64(v)) }, c, hs)
	case *array.Duration:
		hashFixed(a.DurationValues(), func(v arrow.Duration) uint64 { return uint64(int64(v)) }, c, hs)
	case *array.MonthInterval:
		hashFixed(a.MonthIntervalValues(), func(v arrow.MonthInterval) uint64 { return uint64(int64(v)) }, c, hs)
	case *array.Float32:
		hashFixed(a.Float32Values(), func(v float32) uint64 { return kernels.FloatKeyBits(float64(v)) }, c, hs)
	case *array.Float64:
		hashFixed(a.Float64Values(), kernels.FloatKeyBits, c, hs)
	case *array.Decimal64:
		hashFixed(a.Values(), func(v decimal.Decimal64) uint64 { return uint64(v) }, c, hs)
	case *array.Decimal128:
		for i := range hs {
			if c.IsNull(i) {
				hs[i] = combine(hs[i], nullHash)
				continue
			}
			v := a.Value(i)
			hs[i] = combine(hs[i], kernels.Mix64(v.LowBits()^kernels.Mix64(uint64(v.HighBits())+prime2)))
		}
	case *array.Boolean:
		for i := range hs {
			switch {
			case c.IsNull(i):
				hs[i] = combine(hs[i], nullHash)
			case a.Value(i):
				hs[i] = combine(hs[i], kernels.Mix64(1))
			default:
				hs[i] = combine(hs[i], kernels.Mix64(0))
			}
		}
	case *array.String:
		offs, data := a.ValueOffsets(), a.ValueBytes()
		base := offs[0]
		for i := range hs {
			if c.IsNull(i) {
				hs[i] = combine(hs[i], nullHash)
			} else {
				hs[i] = combine(hs[i], hashBytes(data[offs[i]-base:offs[i+1]-base], seed))
			}
		}
	case *array.Binary:
		for i := range hs {
			if c.IsNull(i) {
				hs[i] = combine(hs[i], nullHash)
			} else {
				hs[i] = combine(hs[i], hashBytes(a.Value(i), seed))
			}
		}
	case *array.Dictionary:
		dict := a.Dictionary()
		// combine(0, v) == v, so dh holds the plain value hashes.
		dh := make([]uint64, dict.Len())
		if err := hashColumn(dict, seed, dh); err != nil {
			return err
		}
		for i := range hs {
			if c.IsNull(i) {
				hs[i] = combine(hs[i], nullHash)
			} else {
				hs[i] = combine(hs[i], dh[a.GetValueIndex(i)])
			}
		}
	default:
		return fmt.Errorf("hash: unsupported key type %s", c.DataType())
	}
	return nil
}
