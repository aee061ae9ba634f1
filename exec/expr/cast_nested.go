package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// isNestedCast reports whether from → to is a cast between arrays, maps or
// structs, which castNested converts element by element and field by field.
func isNestedCast(from, to arrow.DataType) bool {
	switch from.ID() {
	case arrow.LIST, arrow.MAP, arrow.STRUCT:
		return from.ID() == to.ID() && !arrow.TypeEqual(from, to)
	}
	return false
}

// canCastNested reports whether castNested converts from to to: arrays
// whose elements cast, maps whose keys and values cast, structs with as
// many fields, each of which casts to the field in its place (as Spark's
// Cast.canCast; the target's field names are the result's). Timestamps
// inside nested values are left out: their casts to and from text need the
// session time zone, which only reaches top-level casts.
func canCastNested(from, to arrow.DataType) bool {
	leaf := func(f, t arrow.DataType) bool {
		if arrow.TypeEqual(f, t) {
			return true
		}
		if f.ID() == arrow.TIMESTAMP || t.ID() == arrow.TIMESTAMP {
			return false
		}
		if isNestedCast(f, t) {
			return canCastNested(f, t)
		}
		return CanCast(f, t)
	}
	switch f := from.(type) {
	case *arrow.ListType:
		return leaf(f.Elem(), to.(*arrow.ListType).Elem())
	case *arrow.MapType:
		t := to.(*arrow.MapType)
		return leaf(f.KeyType(), t.KeyType()) && leaf(f.ItemType(), t.ItemType())
	case *arrow.StructType:
		t := to.(*arrow.StructType)
		if f.NumFields() != t.NumFields() {
			return false
		}
		for i := range f.NumFields() {
			if !leaf(f.Field(i).Type, t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}

// nestedCastExpr is CAST (or TRY_CAST) of an array, map or struct.
type nestedCastExpr struct {
	e   Expr
	to  arrow.DataType
	try bool
}

func (c *nestedCastExpr) DataType() arrow.DataType { return c.to }

func (c *nestedCastExpr) String() string {
	if c.try {
		return "TRY_CAST(" + c.e.String() + " AS " + sqlType(c.to) + ")"
	}
	return "CAST(" + c.e.String() + " AS " + sqlType(c.to) + ")"
}

func (c *nestedCastExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := EvalArg(mem, c.e, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	out, err := castNested(mem, a, c.to, c.try)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	return out, nil
}

// castValues casts a whole array to to, nested or not.
func castValues(mem memory.Allocator, a arrow.Array, to arrow.DataType, try bool) (arrow.Array, error) {
	if arrow.TypeEqual(a.DataType(), to) {
		a.Retain()
		return a, nil
	}
	if isNestedCast(a.DataType(), to) {
		return castNested(mem, a, to, try)
	}
	col := Column(0, "element", a.DataType())
	var e Expr
	var err error
	if try {
		e, err = TryCast(col, to)
	} else {
		e, err = Cast(col, to)
	}
	if err != nil {
		return nil, err
	}
	b := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "element", Type: a.DataType(), Nullable: true}}, nil), []arrow.Array{a}, int64(a.Len()))
	defer b.Release()
	return e.Eval(mem, b)
}

// validityCopy returns a's validity bitmap moved to offset 0, nil without
// nulls.
func validityCopy(mem memory.Allocator, a arrow.Array) *memory.Buffer {
	if a.NullN() == 0 {
		return nil
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(a.Len()))))
	bitutil.CopyBitmap(a.NullBitmapBytes(), a.Data().Offset(), a.Len(), buf.Bytes(), 0)
	return buf
}

// castNested casts an array, map or struct array a to type to.
func castNested(mem memory.Allocator, a arrow.Array, to arrow.DataType, try bool) (arrow.Array, error) {
	n := a.Len()
	if n == 0 {
		return array.MakeArrayOfNull(mem, to, 0), nil
	}
	off := a.Data().Offset()
	switch x := a.(type) {
	case *array.List: // Offsets is the whole buffer, before the array's offset
		return castListLike(mem, x.Offsets()[off:off+n+1], x.ListValues(), a, to, to.(*arrow.ListType).Elem(), try)
	case *array.Map:
		return castListLike(mem, x.Offsets()[off:off+n+1], x.ListValues(), a, to, to.(*arrow.MapType).Elem(), try)
	case *array.Struct:
		tt := to.(*arrow.StructType)
		children := make([]arrow.ArrayData, x.NumField())
		defer func() {
			for _, c := range children {
				if c != nil {
					c.Release()
				}
			}
		}()
		for i := range x.NumField() {
			f, err := castValues(mem, x.Field(i), tt.Field(i).Type, try)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", tt.Field(i).Name, err)
			}
			children[i] = f.Data()
			children[i].Retain()
			f.Release()
		}
		valid := validityCopy(mem, a)
		if valid != nil {
			defer valid.Release()
		}
		d := array.NewData(to, n, []*memory.Buffer{valid}, children, a.NullN(), 0)
		defer d.Release()
		return array.MakeFromData(d), nil
	}
	return nil, fmt.Errorf("cannot cast %s to %s", sqlType(a.DataType()), sqlType(to))
}

// castListLike casts the elements of a list or map array (offsets into
// values) to elem and rebuilds it as type to.
func castListLike(mem memory.Allocator, offs []int32, values arrow.Array, a arrow.Array, to, elem arrow.DataType, try bool) (arrow.Array, error) {
	n := a.Len()
	start, end := int64(0), int64(0)
	if n > 0 {
		start, end = int64(offs[0]), int64(offs[n])
	}
	// Only the elements the rows use are cast: elements outside them
	// (sliced away) must not raise errors.
	used := array.NewSlice(values, start, end)
	defer used.Release()
	cast, err := castValues(mem, used, elem, try)
	if err != nil {
		return nil, err
	}
	defer cast.Release()
	ob := memory.NewResizableBuffer(mem)
	defer ob.Release()
	ob.Resize(4 * (n + 1))
	newOffs := arrow.Int32Traits.CastFromBytes(ob.Bytes())
	for i := 0; i <= n; i++ {
		newOffs[i] = offs[i] - int32(start)
	}
	valid := validityCopy(mem, a)
	if valid != nil {
		defer valid.Release()
	}
	d := array.NewData(to, n, []*memory.Buffer{valid, ob}, []arrow.ArrayData{cast.Data()}, a.NullN(), 0)
	defer d.Release()
	return array.MakeFromData(d), nil
}
