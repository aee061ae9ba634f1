package analyzer

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// groupingID is Spark's grouping ID of a set: bit n-1-i is 1 when grouping
// expression i is not in the set (aggregated over).
func groupingID(set []int, n int) int64 {
	in := make([]bool, n)
	for _, i := range set {
		in[i] = true
	}
	var id int64
	for i := 0; i < n; i++ {
		if !in[i] {
			id |= 1 << (n - 1 - i)
		}
	}
	return id
}

// resolveGroupingSets rewrites an aggregation over grouping sets into a
// plain aggregation over an Expand: the grouping expressions become nullable
// columns of the Expand, grouped with the grouping ID; grouping(x) and
// grouping_id() read that ID.
func (a *Analyzer) resolveGroupingSets(groups, list []logical.Expr, sets [][]int, child logical.Plan) (logical.Plan, error) {
	n := len(groups)
	if n > 62 {
		return nil, logical.AnalysisErr("at most 62 grouping expressions are supported with grouping sets, got %d", n)
	}
	for _, s := range sets {
		for _, i := range s {
			if i < 0 || i >= n {
				return nil, logical.AnalysisErr("grouping set refers to expression %d of %d", i+1, n)
			}
		}
	}
	in := child.Output()
	gattrs := make([]*logical.Attribute, n)
	for i, g := range groups {
		name, qual := logical.OutputName(g), ""
		if at, ok := g.(*logical.Attribute); ok {
			qual = at.Qualifier
		}
		gattrs[i] = &logical.Attribute{ID: a.IDs.Next(), Name: name, Qualifier: qual, Type: g.DataType(), Null: true}
	}
	gid := &logical.Attribute{ID: a.IDs.Next(), Name: "spark_grouping_id", Type: arrow.PrimitiveTypes.Int64}
	attrs := append(append(append([]*logical.Attribute{}, in...), gattrs...), gid)
	// A set listed twice yields its groups twice (as Spark does): a position
	// column then tells the copies apart.
	var pos *logical.Attribute
	seen := map[int64]bool{}
	for _, s := range sets {
		id := groupingID(s, n)
		if seen[id] {
			pos = &logical.Attribute{ID: a.IDs.Next(), Name: "_gen_grouping_pos", Type: arrow.PrimitiveTypes.Int32}
			attrs = append(attrs, pos)
			break
		}
		seen[id] = true
	}
	projections := make([][]logical.Expr, len(sets))
	ids := make([]int64, len(sets))
	for k, s := range sets {
		row := logical.AttrsAsExprs(in)
		member := make([]bool, n)
		for _, i := range s {
			member[i] = true
		}
		for i, g := range groups {
			if member[i] {
				row = append(row, g)
			} else {
				row = append(row, &logical.Literal{Type: g.DataType()})
			}
		}
		ids[k] = groupingID(s, n)
		row = append(row, &logical.Literal{Value: ids[k], Type: arrow.PrimitiveTypes.Int64})
		if pos != nil {
			row = append(row, &logical.Literal{Value: int32(k), Type: arrow.PrimitiveTypes.Int32})
		}
		projections[k] = row
	}
	var groupIndex logical.ExprMap[int]
	for i, g := range groups {
		groupIndex.Set(g, i)
	}
	var ferr error
	replace := func(e logical.Expr) logical.Expr {
		out, _ := logical.TransformDownExpr(e, func(x logical.Expr) (logical.Expr, bool) {
			switch v := x.(type) {
			case *logical.AggregateCall:
				return v, true // aggregates read the input as it is
			case *logical.Func:
				switch strings.ToLower(v.Name) {
				case "grouping":
					i, ok := groupIndex.Get(v.Args[0])
					if !ok {
						ferr = logical.AnalysisErr("grouping(%s): the argument must be one of the grouping expressions", logical.StripIDs(v.Args[0].String()))
						return v, true
					}
					// grouping(x) is 1 for the sets that aggregate x over.
					var hits []logical.Expr
					for _, id := range ids {
						if id&(1<<(n-1-i)) != 0 {
							hits = append(hits, &logical.Binary{Op: logical.OpEq, L: gid, R: &logical.Literal{Value: id, Type: arrow.PrimitiveTypes.Int64}, Type: arrow.FixedWidthTypes.Boolean})
						}
					}
					one := &logical.Literal{Value: int8(1), Type: arrow.PrimitiveTypes.Int8}
					zero := &logical.Literal{Value: int8(0), Type: arrow.PrimitiveTypes.Int8}
					if len(hits) == 0 {
						return zero, true
					}
					return &logical.CaseWhen{Whens: []logical.Expr{orAll(hits)}, Thens: []logical.Expr{one}, Else: zero}, true
				case "grouping_id":
					if len(v.Args) == 0 {
						return gid, true
					}
					// grouping_id(c1, …, cm): the grouping bits of those columns, c1 highest.
					m := len(v.Args)
					var whens, thens []logical.Expr
					for _, id := range ids {
						var val int64
						for k, arg := range v.Args {
							i, ok := groupIndex.Get(arg)
							if !ok {
								ferr = logical.AnalysisErr("grouping_id(%s): the argument must be one of the grouping expressions", logical.StripIDs(arg.String()))
								return v, true
							}
							if id&(1<<(n-1-i)) != 0 {
								val |= 1 << (m - 1 - k)
							}
						}
						whens = append(whens, &logical.Binary{Op: logical.OpEq, L: gid, R: &logical.Literal{Value: id, Type: arrow.PrimitiveTypes.Int64}, Type: arrow.FixedWidthTypes.Boolean})
						thens = append(thens, &logical.Literal{Value: val, Type: arrow.PrimitiveTypes.Int64})
					}
					return &logical.CaseWhen{Whens: whens, Thens: thens}, true
				}
			}
			if i, ok := groupIndex.Get(x); ok {
				return gattrs[i], true
			}
			return x, false
		})
		return out
	}
	newList := make([]logical.Expr, len(list))
	for i, e := range list {
		newList[i] = replace(e)
	}
	if ferr != nil {
		return nil, ferr
	}
	newGroups := append(logical.AttrsAsExprs(gattrs), gid)
	if pos != nil {
		newGroups = append(newGroups, pos)
	}
	if err := checkAggregateList(newGroups, newList); err != nil {
		return nil, err
	}
	return a.rewriteDistinctAggregates(&logical.Aggregate{Groups: newGroups, List: newList, Child: &logical.Expand{Projections: projections, Attrs: attrs, Child: child}})
}

func orAll(es []logical.Expr) logical.Expr {
	out := es[0]
	for _, e := range es[1:] {
		out = &logical.Binary{Op: logical.OpOr, L: out, R: e, Type: arrow.FixedWidthTypes.Boolean}
	}
	return out
}
