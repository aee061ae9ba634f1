package sort

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/kernels"
)

// encodedKeys holds the sort keys of the rows of a batch as byte strings
// that compare (bytes.Compare) in the order of rowsCmp, so rows of different
// batches can be merged: row i is data[offs[i]:offs[i+1]].
//
// Each key is a marker byte (null first 0, value 1, null last 2) followed,
// for a value, by its order-preserving bytes, inverted when descending:
// integers big-endian with the sign bit flipped, floats as their bits with
// NaN canonical and above +Inf and -0 as 0, decimal128 high then low word,
// strings with 0x00 escaped as 0x00 0xff and ended by 0x00 0x00.
type encodedKeys struct {
	data []byte
	offs []int32
	pos  []int32 // scratch: write position of each row
}

// row returns the encoded keys of row i.
func (e *encodedKeys) row(i int) []byte { return e.data[e.offs[i]:e.offs[i+1]] }

const (
	markNullFirst = 0
	markValue     = 1
	markNullLast  = 2
)

// validity returns the valid flags of arr (nil when every row is valid),
// dictionary entries that are null counting as null.
func validity(arr arrow.Array) []bool {
	d, isDict := arr.(*array.Dictionary)
	var dict arrow.Array
	if isDict {
		dict = kernels.DictionaryValues(d)
		defer dict.Release()
	}
	if arr.NullN() == 0 && (dict == nil || dict.NullN() == 0) {
		return nil
	}
	valid := make([]bool, arr.Len())
	bits := arr.NullBitmapBytes()
	off := arr.Data().Offset()
	for i := range valid {
		valid[i] = arr.NullN() == 0 || len(bits) > 0 && bitutil.BitIsSet(bits, off+i)
		if valid[i] && dict != nil && dict.IsNull(d.GetValueIndex(i)) {
			valid[i] = false
		}
	}
	return valid
}

// stringAt returns, for a string, binary or dictionary<_, string> column, the bytes
// of row i; nil for other types.
func stringAt(arr arrow.Array) (func(i int) []byte, func()) {
	switch a := arr.(type) {
	case *array.String:
		offs, data := kernels.StringBuffers(a)
		return func(i int) []byte { return data[offs[i]:offs[i+1]] }, func() {}
	case *array.Binary:
		offs, data := kernels.BinaryBuffers(a)
		return func(i int) []byte { return data[offs[i]:offs[i+1]] }, func() {}
	case *array.Dictionary:
		dv := kernels.DictionaryValues(a)
		s, ok := dv.(*array.String)
		if !ok {
			dv.Release()
			return nil, nil
		}
		offs, data := kernels.StringBuffers(s)
		return func(i int) []byte {
			x := a.GetValueIndex(i)
			return data[offs[x]:offs[x+1]]
		}, dv.Release
	}
	return nil, nil
}

// floatBits maps a float to an unsigned key with Spark's order: NaN above
// +Inf and equal to itself, -0 equal to 0.
func floatBits(v float64) uint64 {
	switch {
	case v != v:
		return math.MaxUint64
	case v == 0:
		v = 0
	}
	b := math.Float64bits(v)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// fixedKey returns the order-preserving unsigned key of row i of arr for the
// types encoded on 8 bytes; nil for others.
func fixedKey(arr arrow.Array) func(i int) uint64 {
	if k := intKey(arr); k != nil {
		return k
	}
	switch a := arr.(type) {
	case *array.Uint8:
		v := a.Uint8Values()
		return func(i int) uint64 { return uint64(v[i]) }
	case *array.Uint16:
		v := a.Uint16Values()
		return func(i int) uint64 { return uint64(v[i]) }
	case *array.Uint32:
		v := a.Uint32Values()
		return func(i int) uint64 { return uint64(v[i]) }
	case *array.Uint64:
		v := a.Uint64Values()
		return func(i int) uint64 { return v[i] }
	case *array.Float32:
		v := a.Float32Values()
		return func(i int) uint64 { return floatBits(float64(v[i])) }
	case *array.Float64:
		v := a.Float64Values()
		return func(i int) uint64 { return floatBits(v[i]) }
	case *array.Boolean:
		return func(i int) uint64 {
			if a.Value(i) {
				return 1
			}
			return 0
		}
	}
	return nil
}

// encodeKeys fills e with the encoded keys of the rows of cols.
func encodeKeys(cols []arrow.Array, keys []Key, e *encodedKeys) error {
	n := 0
	if len(cols) > 0 {
		n = cols[0].Len()
	}
	e.offs = kernels.Grow(e.offs, n+1)
	e.pos = kernels.Grow(e.pos, n)
	clear(e.pos)
	type plan struct {
		valid []bool
		fixed func(i int) uint64
		dec   []decimal128.Num
		str   func(i int) []byte
		done  func()
	}
	plans := make([]plan, len(keys))
	defer func() {
		for _, p := range plans {
			if p.done != nil {
				p.done()
			}
		}
	}()
	// Lengths first.
	for ki, k := range keys {
		arr := cols[k.Col]
		p := &plans[ki]
		p.valid = validity(arr)
		switch a := arr.(type) {
		case *array.Decimal128:
			p.dec = a.Values()
		default:
			if p.fixed = fixedKey(arr); p.fixed == nil {
				if p.str, p.done = stringAt(arr); p.str == nil {
					return fmt.Errorf("sort key %d: unsupported sort key type %s", k.Col, arr.DataType())
				}
			}
		}
		for i := range n {
			l := int32(1)
			if p.valid == nil || p.valid[i] {
				switch {
				case p.dec != nil:
					l += 16
				case p.fixed != nil:
					l += 8
				default:
					s := p.str(i)
					l += int32(len(s)) + 2
					for _, c := range s {
						if c == 0 {
							l++
						}
					}
				}
			}
			e.pos[i] += l
		}
	}
	total := int32(0)
	for i := range n {
		e.offs[i] = total
		total += e.pos[i]
		e.pos[i] = e.offs[i]
	}
	e.offs[n] = total
	e.data = kernels.Grow(e.data, int(total))
	data := e.data
	for ki, k := range keys {
		p := &plans[ki]
		nullMark := byte(markNullLast)
		if k.NullsFirst {
			nullMark = markNullFirst
		}
		var inv uint64
		var invb byte
		if k.Desc {
			inv, invb = math.MaxUint64, 0xff
		}
		for i := range n {
			w := e.pos[i]
			if p.valid != nil && !p.valid[i] {
				data[w] = nullMark
				e.pos[i] = w + 1
				continue
			}
			data[w] = markValue
			w++
			switch {
			case p.dec != nil:
				d := p.dec[i]
				binary.BigEndian.PutUint64(data[w:], (uint64(d.HighBits())^1<<63)^inv)
				binary.BigEndian.PutUint64(data[w+8:], d.LowBits()^inv)
				w += 16
			case p.fixed != nil:
				binary.BigEndian.PutUint64(data[w:], p.fixed(i)^inv)
				w += 8
			default:
				for _, c := range p.str(i) {
					if c == 0 {
						data[w], data[w+1] = invb, 0xff^invb
						w += 2
						continue
					}
					data[w] = c ^ invb
					w++
				}
				data[w], data[w+1] = invb, invb
				w += 2
			}
			e.pos[i] = w
		}
	}
	return nil
}
