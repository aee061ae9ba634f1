// Package source holds what every file format shares: the simple predicates a
// reader may use to skip data, file listing, and atomic dataset commits.
package source

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Op is a comparison a pushed-down filter applies.
type Op int

// The comparisons a Filter can express.
const (
	Eq Op = iota
	NotEq
	Lt
	LtEq
	Gt
	GtEq
	IsNull
	IsNotNull
)

var opNames = [...]string{"=", "!=", "<", "<=", ">", ">=", "IS NULL", "IS NOT NULL"}

func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Filter is a predicate "Column Op Value" that a reader may use to skip whole
// row groups whose statistics prove no row matches. A reader that skips on a
// filter never returns wrong rows: the engine still applies the full predicate
// above the scan. Value is a length-1 Arrow array of the column's own type (nil
// for IsNull/IsNotNull); it is owned by the Filter's creator.
type Filter struct {
	Column string
	Op     Op
	Value  arrow.Array
}

func (f Filter) String() string {
	if f.Op == IsNull || f.Op == IsNotNull {
		return fmt.Sprintf("%s %s", f.Column, f.Op)
	}
	v := "?"
	if f.Value != nil && f.Value.Len() > 0 {
		v = f.Value.ValueStr(0)
	}
	return fmt.Sprintf("%s %s %s", f.Column, f.Op, v)
}
