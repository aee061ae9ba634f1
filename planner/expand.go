package planner

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Expand emits, for every input row, one row per projection: the input
// columns with some grouping columns replaced by nulls and the grouping
// set's ID, so that one aggregation computes GROUPING SETS, ROLLUP and CUBE.
type Expand struct {
	// Projections each list one expression per output attribute.
	Projections [][]Expr
	Attrs       []*Attribute
	Child       Plan
}

// Output implements Plan.
func (p *Expand) Output() []*Attribute { return p.Attrs }

// Children implements Plan.
func (p *Expand) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *Expand) WithChildren(c []Plan) Plan {
	return &Expand{Projections: p.Projections, Attrs: p.Attrs, Child: c[0]}
}

// Expressions implements Plan: the projections, one after another.
func (p *Expand) Expressions() []Expr {
	var out []Expr
	for _, pr := range p.Projections {
		out = append(out, pr...)
	}
	return out
}

// WithExpressions implements Plan.
func (p *Expand) WithExpressions(e []Expr) Plan {
	n := len(p.Attrs)
	prs := make([][]Expr, len(p.Projections))
	for i := range prs {
		prs[i] = e[i*n : (i+1)*n : (i+1)*n]
	}
	return &Expand{Projections: prs, Attrs: p.Attrs, Child: p.Child}
}

func (p *Expand) String() string {
	parts := make([]string, len(p.Projections))
	for i, pr := range p.Projections {
		parts[i] = exprList(pr)
	}
	return fmt.Sprintf("Expand [%s] output=%s", strings.Join(parts, ", "), exprList(attrsAsExprs(p.Attrs)))
}

func attrsAsExprs(as []*Attribute) []Expr {
	out := make([]Expr, len(as))
	for i, a := range as {
		out[i] = a
	}
	return out
}

// GroupingSetsOf returns the grouping sets of ROLLUP over n expressions:
// all of them, then ever shorter prefixes down to none.
func RollupSets(n int) [][]int {
	sets := make([][]int, 0, n+1)
	for k := n; k >= 0; k-- {
		s := make([]int, k)
		for i := range s {
			s[i] = i
		}
		sets = append(sets, s)
	}
	return sets
}

// CubeSets returns the grouping sets of CUBE over n expressions: every
// subset, from all expressions down to none.
func CubeSets(n int) [][]int {
	var sets [][]int
	for mask := (1 << n) - 1; mask >= 0; mask-- {
		var s []int
		for i := 0; i < n; i++ {
			if mask&(1<<(n-1-i)) != 0 {
				s = append(s, i)
			}
		}
		sets = append(sets, s)
	}
	return sets
}

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
func (a *Analyzer) resolveGroupingSets(groups, list []Expr, sets [][]int, child Plan) (Plan, error) {
	n := len(groups)
	if n > 62 {
		return nil, analysisErr("at most 62 grouping expressions are supported with grouping sets, got %d", n)
	}
	for _, s := range sets {
		for _, i := range s {
			if i < 0 || i >= n {
				return nil, analysisErr("grouping set refers to expression %d of %d", i+1, n)
			}
		}
	}
	in := child.Output()
	gattrs := make([]*Attribute, n)
	for i, g := range groups {
		name, qual := outputName(g), ""
		if at, ok := g.(*Attribute); ok {
			qual = at.Qualifier
		}
		gattrs[i] = &Attribute{ID: a.IDs.Next(), Name: name, Qualifier: qual, Type: g.DataType(), Null: true}
	}
	gid := &Attribute{ID: a.IDs.Next(), Name: "spark_grouping_id", Type: arrow.PrimitiveTypes.Int64}
	attrs := append(append(append([]*Attribute{}, in...), gattrs...), gid)
	// A set listed twice yields its groups twice (as Spark does): a position
	// column then tells the copies apart.
	var pos *Attribute
	seen := map[int64]bool{}
	for _, s := range sets {
		id := groupingID(s, n)
		if seen[id] {
			pos = &Attribute{ID: a.IDs.Next(), Name: "_gen_grouping_pos", Type: arrow.PrimitiveTypes.Int32}
			attrs = append(attrs, pos)
			break
		}
		seen[id] = true
	}
	projections := make([][]Expr, len(sets))
	ids := make([]int64, len(sets))
	for k, s := range sets {
		row := attrsAsExprs(in)
		member := make([]bool, n)
		for _, i := range s {
			member[i] = true
		}
		for i, g := range groups {
			if member[i] {
				row = append(row, g)
			} else {
				row = append(row, &Literal{Type: g.DataType()})
			}
		}
		ids[k] = groupingID(s, n)
		row = append(row, &Literal{Value: ids[k], Type: arrow.PrimitiveTypes.Int64})
		if pos != nil {
			row = append(row, &Literal{Value: int32(k), Type: arrow.PrimitiveTypes.Int32})
		}
		projections[k] = row
	}
	byText := map[string]int{}
	for i, g := range groups {
		byText[g.String()] = i
	}
	var ferr error
	replace := func(e Expr) Expr {
		out, _ := TransformDownExpr(e, func(x Expr) (Expr, bool) {
			switch v := x.(type) {
			case *AggregateCall:
				return v, true // aggregates read the input as it is
			case *Func:
				switch strings.ToLower(v.Name) {
				case "grouping":
					i, ok := byText[v.Args[0].String()]
					if !ok {
						ferr = analysisErr("grouping(%s): the argument must be one of the grouping expressions", stripIDs(v.Args[0].String()))
						return v, true
					}
					// grouping(x) is 1 for the sets that aggregate x over.
					var hits []Expr
					for _, id := range ids {
						if id&(1<<(n-1-i)) != 0 {
							hits = append(hits, &Binary{Op: OpEq, L: gid, R: &Literal{Value: id, Type: arrow.PrimitiveTypes.Int64}, Type: arrow.FixedWidthTypes.Boolean})
						}
					}
					one := &Literal{Value: int8(1), Type: arrow.PrimitiveTypes.Int8}
					zero := &Literal{Value: int8(0), Type: arrow.PrimitiveTypes.Int8}
					if len(hits) == 0 {
						return zero, true
					}
					return &CaseWhen{Whens: []Expr{orAll(hits)}, Thens: []Expr{one}, Else: zero}, true
				case "grouping_id":
					if len(v.Args) == 0 {
						return gid, true
					}
					// grouping_id(c1, …, cm): the grouping bits of those columns, c1 highest.
					m := len(v.Args)
					var whens, thens []Expr
					for _, id := range ids {
						var val int64
						for k, arg := range v.Args {
							i, ok := byText[arg.String()]
							if !ok {
								ferr = analysisErr("grouping_id(%s): the argument must be one of the grouping expressions", stripIDs(arg.String()))
								return v, true
							}
							if id&(1<<(n-1-i)) != 0 {
								val |= 1 << (m - 1 - k)
							}
						}
						whens = append(whens, &Binary{Op: OpEq, L: gid, R: &Literal{Value: id, Type: arrow.PrimitiveTypes.Int64}, Type: arrow.FixedWidthTypes.Boolean})
						thens = append(thens, &Literal{Value: val, Type: arrow.PrimitiveTypes.Int64})
					}
					return &CaseWhen{Whens: whens, Thens: thens}, true
				}
			}
			if i, ok := byText[x.String()]; ok {
				return gattrs[i], true
			}
			return x, false
		})
		return out
	}
	newList := make([]Expr, len(list))
	for i, e := range list {
		newList[i] = replace(e)
	}
	if ferr != nil {
		return nil, ferr
	}
	newGroups := append(attrsAsExprs(gattrs), gid)
	if pos != nil {
		newGroups = append(newGroups, pos)
	}
	if err := checkAggregateList(newGroups, newList); err != nil {
		return nil, err
	}
	return a.rewriteDistinctAggregates(&Aggregate{Groups: newGroups, List: newList, Child: &Expand{Projections: projections, Attrs: attrs, Child: child}})
}

func orAll(es []Expr) Expr {
	out := es[0]
	for _, e := range es[1:] {
		out = &Binary{Op: OpOr, L: out, R: e, Type: arrow.FixedWidthTypes.Boolean}
	}
	return out
}
