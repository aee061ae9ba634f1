package logical

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// canCastNested types casts between arrays, maps and structs as Spark's
// Cast.canCast: arrays whose elements cast, maps whose keys and values
// cast, structs of as many fields whose fields cast in order (the target
// names them). nested is false when from and to are not both arrays, maps
// or structs. TIMESTAMP values inside nested values do not cast to another
// type: their text depends on the session time zone, which the kernels of
// nested casts do not receive.
func canCastNested(from, to arrow.DataType) (ok, nested bool) {
	if from.ID() != to.ID() {
		return false, false
	}
	leaf := func(f, t arrow.DataType) bool {
		if arrow.TypeEqual(f, t) {
			return true
		}
		if f.ID() == arrow.TIMESTAMP || t.ID() == arrow.TIMESTAMP {
			return false
		}
		return CanCast(f, t)
	}
	switch f := from.(type) {
	case *arrow.ListType:
		return leaf(f.Elem(), to.(*arrow.ListType).Elem()), true
	case *arrow.MapType:
		t := to.(*arrow.MapType)
		return leaf(f.KeyType(), t.KeyType()) && leaf(f.ItemType(), t.ItemType()), true
	case *arrow.StructType:
		t := to.(*arrow.StructType)
		if f.NumFields() != t.NumFields() {
			return false, true
		}
		for i := range f.NumFields() {
			if !leaf(f.Field(i).Type, t.Field(i).Type) {
				return false, true
			}
		}
		return true, true
	}
	return false, false
}
