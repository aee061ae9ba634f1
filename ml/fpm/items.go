package fpm

import (
	"cmp"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/values"
)

// itemKey normalizes an item's row-form value so that equal values of
// different widths (int32 3 and int64 3) are the same map key; it fails for
// values that cannot be map keys.
func itemKey(v any) (any, error) {
	switch x := v.(type) {
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		return x, nil
	case float32:
		return float64(x), nil
	case float64, string, bool, time.Time, values.Decimal:
		return x, nil
	}
	return nil, fmt.Errorf("items of type %T are not supported", v)
}

// cmpItems orders normalized items: by kind, then by value.
func cmpItems(a, b any) int {
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, y)
		case float64:
			return cmp.Compare(float64(x), y)
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return cmp.Compare(x, y)
		case int64:
			return cmp.Compare(x, float64(y))
		}
	case string:
		if y, ok := b.(string); ok {
			return cmp.Compare(x, y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	}
	return cmp.Compare(fmt.Sprintf("%T %v", a, a), fmt.Sprintf("%T %v", b, b))
}

// itemType returns the element type of a list column type, checking that
// it is a scalar type items can have.
func itemType(t arrow.DataType) (arrow.DataType, bool) {
	var elem arrow.DataType
	switch l := t.(type) {
	case *arrow.ListType:
		elem = l.Elem()
	case *arrow.LargeListType:
		elem = l.Elem()
	default:
		return nil, false
	}
	if ml.IsNumeric(elem) || ml.IsString(elem) {
		return elem, true
	}
	switch elem.ID() {
	case arrow.BOOL, arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP:
		return elem, true
	}
	return nil, false
}
