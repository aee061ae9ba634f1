package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// evalDictBool evaluates a boolean function of a string input. When the
// input arrives dictionary-encoded, f runs once over the dictionary values
// and the results are gathered through the indices; otherwise f runs on the
// plain input.
func evalDictBool(mem memory.Allocator, in arrow.Array, f func(arrow.Array) (arrow.Array, error)) (arrow.Array, error) {
	d, ok := in.(*array.Dictionary)
	if !ok {
		return f(in)
	}
	res, err := f(d.Dictionary())
	if err != nil {
		return nil, err
	}
	defer res.Release()
	rb, ok := res.(*array.Boolean)
	if !ok {
		return nullArray(mem, arrow.FixedWidthTypes.Boolean, d.Len()), nil
	}
	n := d.Len()
	nb := int(bitutil.BytesForBits(int64(n)))
	vals, valid := newBuf(mem, nb), newBuf(mem, nb)
	vb, vd := vals.Bytes(), valid.Bytes()
	idx := d.Indices()
	if i32, ok := idx.(*array.Int32); ok && d.NullN() == 0 && rb.NullN() == 0 {
		// Every row valid: one byte per entry, packed eight rows at a time.
		tbl := make([]byte, rb.Len())
		for j := range tbl {
			if rb.Value(j) {
				tbl[j] = 1
			}
		}
		iv := i32.Int32Values()
		i := 0
		for ; i+8 <= n; i += 8 {
			w := iv[i : i+8]
			vb[i/8] = tbl[w[0]] | tbl[w[1]]<<1 | tbl[w[2]]<<2 | tbl[w[3]]<<3 |
				tbl[w[4]]<<4 | tbl[w[5]]<<5 | tbl[w[6]]<<6 | tbl[w[7]]<<7
		}
		for ; i < n; i++ {
			if tbl[iv[i]] != 0 {
				bitutil.SetBit(vb, i)
			}
		}
		valid.Release()
		return makeArray(arrow.FixedWidthTypes.Boolean, n, 0, nil, vals), nil
	}
	if i32, ok := idx.(*array.Int32); ok {
		iv := i32.Int32Values()
		for i, j := range iv {
			if d.IsValid(i) && rb.IsValid(int(j)) {
				bitutil.SetBit(vd, i)
				if rb.Value(int(j)) {
					bitutil.SetBit(vb, i)
				}
			}
		}
	} else {
		for i := 0; i < n; i++ {
			if d.IsValid(i) {
				j := d.GetValueIndex(i)
				if rb.IsValid(j) {
					bitutil.SetBit(vd, i)
					if rb.Value(j) {
						bitutil.SetBit(vb, i)
					}
				}
			}
		}
	}
	nulls := n - bitutil.CountSetBits(vd, 0, n)
	if nulls == 0 {
		valid.Release()
		valid = nil
	}
	return makeArray(arrow.FixedWidthTypes.Boolean, n, nulls, valid, vals), nil
}
