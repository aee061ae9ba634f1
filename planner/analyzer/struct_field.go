package analyzer

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// structFieldRef resolves a dotted name that no column has as a struct
// column followed by field names, as Spark resolves s.f and t.s.f: the
// qualified reading (t.s, then .f) is tried before the unqualified one
// (s, then .f...). It reports false when neither reading names a struct.
func structFieldRef(name string, in []*logical.Attribute, where string) (logical.Expr, bool) {
	parts := strings.Split(name, ".")
	for k := min(2, len(parts)-1); k >= 1; k-- {
		ref, err := lookupColumn(strings.Join(parts[:k], "."), in, where)
		if err != nil {
			continue
		}
		if _, ok := ref.DataType().(*arrow.StructType); !ok {
			continue
		}
		e := ref
		for _, f := range parts[k:] {
			typed, err := functions.TypeFunc(&logical.Func{Name: functions.SubscriptName, Args: []logical.Expr{e, &logical.Literal{Value: f, Type: arrow.BinaryTypes.String}}})
			if err != nil {
				return nil, false
			}
			e = typed
		}
		return e, true
	}
	return nil, false
}
