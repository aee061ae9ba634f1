package sql

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// windowFuncs maps the SQL names of the ranking, offset and value window
// functions to the operator's functions.
var windowFuncs = map[string]window.Func{
	"row_number": window.RowNumber, "rank": window.Rank, "dense_rank": window.DenseRank,
	"percent_rank": window.PercentRank, "cume_dist": window.CumeDist, "ntile": window.Ntile,
	"lag": window.Lag, "lead": window.Lead, "first_value": window.FirstValue, "first": window.FirstValue,
	"last_value": window.LastValue, "last": window.LastValue, "nth_value": window.NthValue,
}

// literalInt returns the value of an integer literal.
func literalInt(e logical.Expr) (int64, bool) {
	l, ok := e.(*logical.Literal)
	if !ok {
		return 0, false
	}
	switch v := l.Value.(type) {
	case int8:
		return int64(v), true
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	}
	return 0, false
}

// windowCall parses the OVER clause after a function call and builds the
// window expression.
func (p *parser) windowCall(nameTok token, name string, args []logical.Expr, star, distinct, ignoreNulls bool, within []orderItem) (logical.Expr, error) {
	if distinct {
		return nil, p.errAt(nameTok, "DISTINCT is not supported in window functions")
	}
	var fn logical.Expr
	if wf, ok := windowFuncs[name]; ok {
		f := &logical.WindowFunction{Func: wf, IgnoreNulls: ignoreNulls}
		intArg := func(i int, what string) error {
			n, ok := literalInt(args[i])
			if !ok {
				return p.errAt(nameTok, "the %s of %s must be an integer literal", what, name)
			}
			f.N = n
			return nil
		}
		if star {
			return nil, p.errAt(nameTok, "%s(*) is not allowed", name)
		}
		switch wf {
		case window.RowNumber, window.Rank, window.DenseRank, window.PercentRank, window.CumeDist:
			if len(args) != 0 {
				return nil, p.errAt(nameTok, "%s takes no arguments", name)
			}
		case window.Ntile:
			if len(args) != 1 {
				return nil, p.errAt(nameTok, "ntile takes 1 argument")
			}
			if err := intArg(0, "bucket count"); err != nil {
				return nil, err
			}
		case window.Lag, window.Lead:
			if len(args) < 1 || len(args) > 3 {
				return nil, p.errAt(nameTok, "%s takes 1 to 3 arguments, got %d", name, len(args))
			}
			f.Arg, f.N = args[0], 1
			if len(args) > 1 {
				if err := intArg(1, "offset"); err != nil {
					return nil, err
				}
			}
			if len(args) > 2 {
				if l, ok := args[2].(*logical.Literal); !ok || l.Value != nil {
					f.Default = args[2]
				}
			}
		case window.FirstValue, window.LastValue:
			if len(args) == 2 {
				l, ok := args[1].(*logical.Literal)
				b, isBool := false, false
				if ok {
					b, isBool = l.Value.(bool)
				}
				if !isBool {
					return nil, p.errAt(nameTok, "the second argument of %s must be a boolean literal", name)
				}
				f.IgnoreNulls, args = f.IgnoreNulls || b, args[:1]
			}
			if len(args) != 1 {
				return nil, p.errAt(nameTok, "%s takes 1 argument", name)
			}
			f.Arg = args[0]
		case window.NthValue:
			if len(args) != 2 {
				return nil, p.errAt(nameTok, "nth_value takes 2 arguments")
			}
			f.Arg = args[0]
			if err := intArg(1, "position"); err != nil {
				return nil, err
			}
		}
		fn = f
	} else if af, ok := logical.LookupAggregate(name); ok {
		// Any aggregate is a window function over its frame.
		var err error
		if orderedSetAggregate(name) && !star && !ignoreNulls {
			fn, err = p.orderedSetCall(nameTok, name, args, false, within, nil)
		} else {
			fn, err = p.aggregateCall(nameTok, af, name, args, star, false, ignoreNulls)
		}
		if err != nil {
			return nil, err
		}
	} else {
		return nil, p.errAt(nameTok, "%s is not a window or aggregate function", name)
	}
	p.next() // OVER
	if t := p.peek(); !t.isOp("(") {
		name, err := p.ident("a window name or (")
		if err != nil {
			return nil, err
		}
		return &windowRef{name: name, fn: fn, tok: t, p: p}, nil
	}
	return p.windowSpec(fn)
}

// windowRef is OVER name: a window function whose specification is in the
// query's WINDOW clause (see resolveWindowRefs).
type windowRef struct {
	name string
	fn   logical.Expr
	tok  token
	p    *parser
}

func (w *windowRef) String() string                           { return w.fn.String() + " OVER " + w.name }
func (w *windowRef) Children() []logical.Expr                 { return nil }
func (w *windowRef) WithChildren([]logical.Expr) logical.Expr { return w }
func (w *windowRef) DataType() arrow.DataType                 { return nil }
func (w *windowRef) Nullable() bool                           { return true }

// resolveWindowRefs replaces every OVER name in e by the named window.
func resolveWindowRefs(e logical.Expr, named map[string]*logical.WindowExpr) (logical.Expr, error) {
	var err error
	out, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
		r, ok := x.(*windowRef)
		if !ok || err != nil {
			return x, false
		}
		spec, ok := named[strings.ToLower(r.name)]
		if !ok {
			err = r.p.errAt(r.tok, "window %s is not defined in a WINDOW clause of this query", r.name)
			return x, false
		}
		return &logical.WindowExpr{Func: r.fn, PartitionBy: spec.PartitionBy, OrderBy: spec.OrderBy, Frame: spec.Frame}, true
	})
	return out, err
}

// windowSpec parses "(PARTITION BY ... ORDER BY ... frame)".
func (p *parser) windowSpec(fn logical.Expr) (logical.Expr, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	w := &logical.WindowExpr{Func: fn}
	if p.acceptKw("PARTITION") {
		if err := p.expectKw("BY"); err != nil {
			return nil, err
		}
		for {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			w.PartitionBy = append(w.PartitionBy, e)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKw("ORDER") {
		if err := p.expectKw("BY"); err != nil {
			return nil, err
		}
		items, err := p.orderItems()
		if err != nil {
			return nil, err
		}
		for _, o := range items {
			w.OrderBy = append(w.OrderBy, &logical.SortOrder{E: o.e, Desc: o.desc, NullsFirst: o.nullsFirst})
		}
	}
	if p.peek().is("ROWS") || p.peek().is("RANGE") {
		fr := window.Frame{Range: strings.EqualFold(p.next().text, "RANGE")}
		if p.acceptKw("BETWEEN") {
			s, err := p.frameBound()
			if err != nil {
				return nil, err
			}
			if err := p.expectKw("AND"); err != nil {
				return nil, err
			}
			e, err := p.frameBound()
			if err != nil {
				return nil, err
			}
			fr.Start, fr.End = s, e
		} else {
			s, err := p.frameBound()
			if err != nil {
				return nil, err
			}
			fr.Start, fr.End = s, window.Bound{Kind: window.CurrentRow}
		}
		w.Frame = &fr
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	return w, nil
}

// frameBound parses UNBOUNDED PRECEDING|FOLLOWING, CURRENT ROW or
// n PRECEDING|FOLLOWING.
func (p *parser) frameBound() (window.Bound, error) {
	switch {
	case p.acceptKw("UNBOUNDED"):
		switch {
		case p.acceptKw("PRECEDING"):
			return window.Bound{Kind: window.UnboundedPreceding}, nil
		case p.acceptKw("FOLLOWING"):
			return window.Bound{Kind: window.UnboundedFollowing}, nil
		}
		return window.Bound{}, p.expected("PRECEDING or FOLLOWING")
	case p.acceptKw("CURRENT"):
		if err := p.expectKw("ROW"); err != nil {
			return window.Bound{}, err
		}
		return window.Bound{Kind: window.CurrentRow}, nil
	}
	t := p.peek()
	e, err := p.additive()
	if err != nil {
		return window.Bound{}, err
	}
	if lit, ok := e.(*logical.Literal); ok {
		if iv, ok := lit.Value.(values.DayTimeInterval); ok && iv >= 0 {
			// RANGE BETWEEN INTERVAL '1' DAY PRECEDING ...: microseconds until the
			// analyzer knows the order key's type.
			b := window.Bound{Offset: int64(iv), Interval: true}
			switch {
			case p.acceptKw("PRECEDING"):
				b.Kind = window.Preceding
			case p.acceptKw("FOLLOWING"):
				b.Kind = window.Following
			default:
				return window.Bound{}, p.expected("PRECEDING or FOLLOWING")
			}
			return b, nil
		}
		if iv, ok := lit.Value.(values.YearMonthInterval); ok && iv >= 0 {
			// RANGE BETWEEN INTERVAL '1' MONTH PRECEDING ...: months, for a DATE key.
			b := window.Bound{Offset: int64(iv), Months: true}
			switch {
			case p.acceptKw("PRECEDING"):
				b.Kind = window.Preceding
			case p.acceptKw("FOLLOWING"):
				b.Kind = window.Following
			default:
				return window.Bound{}, p.expected("PRECEDING or FOLLOWING")
			}
			return b, nil
		}
	}
	n, ok := literalInt(e)
	if !ok || n < 0 {
		return window.Bound{}, p.errAt(t, "a window frame offset must be a non-negative integer literal")
	}
	switch {
	case p.acceptKw("PRECEDING"):
		return window.Bound{Kind: window.Preceding, Offset: n}, nil
	case p.acceptKw("FOLLOWING"):
		return window.Bound{Kind: window.Following, Offset: n}, nil
	}
	return window.Bound{}, p.expected("PRECEDING or FOLLOWING")
}
