package analyzer

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// isJSONTuple reports whether e is a typed json_tuple call.
func isJSONTuple(e logical.Expr) (*logical.Func, bool) {
	f, ok := e.(*logical.Func)
	if !ok || !strings.EqualFold(f.Name, functions.JSONTupleName) {
		return nil, false
	}
	_, ok = f.Type.(*arrow.StructType)
	return f, ok
}

// expandJSONTuple spreads each select item that is a json_tuple call into
// one column per field, named c0, c1, ... as Spark's generator names them
// (a single field may take the item's alias). json_tuple yields exactly one
// row per input row, so no Generate is needed: each column reads its field
// of the call's struct. A json_tuple inside a larger expression is an
// error, as in Spark.
func (a *Analyzer) expandJSONTuple(list []logical.Expr) ([]logical.Expr, error) {
	var out []logical.Expr
	for i, e := range list {
		inner, alias := e, ""
		if al, ok := e.(*logical.Alias); ok {
			inner, alias = al.E, al.Name
		}
		f, ok := isJSONTuple(inner)
		if !ok {
			var nested *logical.Func
			logical.Walk(e, func(x logical.Expr) bool {
				if g, ok := isJSONTuple(x); ok {
					nested = g
				}
				return nested == nil
			})
			if nested != nil {
				return nil, logical.AnalysisErr("json_tuple must be a whole item of the select list, not inside %s", logical.StripIDs(e.String()))
			}
			if out != nil {
				out = append(out, e)
			}
			continue
		}
		if alias == logical.OutputName(f) {
			alias = "" // the name the analyzer gives an item without an alias
		}
		st := f.Type.(*arrow.StructType)
		if alias != "" && st.NumFields() != 1 {
			return nil, logical.AnalysisErr("json_tuple makes %d columns (c0, c1, ...): a single alias %s is not supported", st.NumFields(), alias)
		}
		if out == nil {
			out = append([]logical.Expr{}, list[:i]...)
		}
		for _, fld := range st.Fields() {
			name := fld.Name
			if alias != "" {
				name = alias
			}
			key := &logical.Literal{Value: fld.Name, Type: arrow.BinaryTypes.String}
			get := &logical.Func{Name: functions.SubscriptName, Args: []logical.Expr{f, key}, Type: fld.Type, MayBeNull: true}
			out = append(out, &logical.Alias{E: get, Name: name, ID: a.IDs.Next()})
		}
	}
	if out == nil {
		return list, nil
	}
	return out, nil
}
