package analyzer

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// expandJSONTuple spreads each select item that is a json_tuple call into
// one column per field, named c0, c1, ... as Spark's generator names them.
// json_tuple yields exactly one row per input row, so no Generate is
// needed: each column reads its field of the call's struct.
func (a *Analyzer) expandJSONTuple(list []logical.Expr) []logical.Expr {
	var out []logical.Expr
	for i, e := range list {
		inner := e
		if al, ok := e.(*logical.Alias); ok {
			inner = al.E
		}
		f, ok := inner.(*logical.Func)
		if !ok || !strings.EqualFold(f.Name, functions.JSONTupleName) {
			if out != nil {
				out = append(out, e)
			}
			continue
		}
		st, ok := f.Type.(*arrow.StructType)
		if !ok {
			if out != nil {
				out = append(out, e)
			}
			continue
		}
		if out == nil {
			out = append([]logical.Expr{}, list[:i]...)
		}
		for _, fld := range st.Fields() {
			key := &logical.Literal{Value: fld.Name, Type: arrow.BinaryTypes.String}
			get := &logical.Func{Name: functions.SubscriptName, Args: []logical.Expr{f, key}, Type: fld.Type, MayBeNull: true}
			out = append(out, &logical.Alias{E: get, Name: fld.Name, ID: a.IDs.Next()})
		}
	}
	if out == nil {
		return list
	}
	return out
}
