package sql

import (
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// withinGroup parses an optional WITHIN GROUP (ORDER BY ...) after an
// aggregate's arguments; nil when there is none.
func (p *parser) withinGroup() ([]orderItem, error) {
	if !(p.peek().is("WITHIN") && p.peekAt(1).is("GROUP") && p.peekAt(2).isOp("(")) {
		return nil, nil
	}
	p.next()
	p.next()
	p.next()
	if err := p.expectKw("ORDER"); err != nil {
		return nil, err
	}
	if err := p.expectKw("BY"); err != nil {
		return nil, err
	}
	items, err := p.orderItems()
	if err != nil {
		return nil, err
	}
	return items, p.expectOp(")")
}

// orderedSetAggregate reports whether name is an aggregate whose
// arguments orderedSetCall builds: those taking WITHIN GROUP, and
// histogram_numeric with its literal bin count.
func orderedSetAggregate(name string) bool {
	switch name {
	case "mode", "listagg", "string_agg", "percentile_cont", "percentile_disc", "histogram_numeric", "count_min_sketch":
		return true
	}
	return sketchAggregate(name)
}

// orderedSetCall builds mode, listagg/string_agg, percentile_cont,
// percentile_disc and histogram_numeric calls from their arguments, the
// WITHIN GROUP items (nil without) and a FILTER condition (nil without),
// which applies to the aggregated values.
func (p *parser) orderedSetCall(nameTok token, name string, args []logical.Expr, distinct bool, within []orderItem, filter logical.Expr) (logical.Expr, error) {
	if sketchAggregate(name) {
		return p.sketchAggCall(nameTok, name, args, distinct, within, filter)
	}
	f, _ := logical.LookupAggregate(name)
	filtered := func(e logical.Expr) logical.Expr {
		if filter == nil {
			return e
		}
		return &logical.CaseWhen{Whens: []logical.Expr{filter}, Thens: []logical.Expr{e}}
	}
	oneKey := func() (orderItem, error) {
		if len(within) != 1 {
			return orderItem{}, p.errAt(nameTok, "%s needs WITHIN GROUP (ORDER BY <one expression>), got %d ordering expressions", name, len(within))
		}
		return within[0], nil
	}
	percentage := func() (float64, error) {
		v, ok := functions.LiteralFloat(args[0])
		if !ok {
			return 0, p.errAt(nameTok, "the percentage of %s must be a numeric literal, got %s", name, args[0])
		}
		return v, nil
	}
	switch name {
	case "mode":
		call := &logical.AggregateCall{Func: logical.AggMode, Distinct: distinct}
		switch {
		case within != nil:
			if len(args) != 0 {
				return nil, p.errAt(nameTok, "mode() WITHIN GROUP takes no arguments, got %d", len(args))
			}
			k, err := oneKey()
			if err != nil {
				return nil, err
			}
			call.Arg, call.Desc = filtered(k.e), k.desc
		case len(args) == 1 || len(args) == 2:
			call.Arg = filtered(args[0])
			if len(args) == 2 {
				// mode(x, deterministic): either way gspark returns the
				// smallest of the most frequent values.
				if l, ok := args[1].(*logical.Literal); !ok || l.Value == nil {
					return nil, p.errAt(nameTok, "the second argument of mode (deterministic) must be a boolean literal, got %s", args[1])
				} else if _, isBool := l.Value.(bool); !isBool {
					return nil, p.errAt(nameTok, "the second argument of mode (deterministic) must be a boolean literal, got %s", args[1])
				}
			}
		default:
			return nil, p.errAt(nameTok, "mode takes 1 or 2 arguments, or none with WITHIN GROUP (ORDER BY x); got %d", len(args))
		}
		return call, nil
	case "percentile_cont", "percentile_disc":
		if within == nil {
			return nil, p.errAt(nameTok, "%s needs WITHIN GROUP (ORDER BY x)", name)
		}
		if len(args) != 1 {
			return nil, p.errAt(nameTok, "%s takes 1 argument (the percentage), got %d", name, len(args))
		}
		if distinct {
			return nil, p.errAt(nameTok, "DISTINCT is not allowed in %s", name)
		}
		k, err := oneKey()
		if err != nil {
			return nil, err
		}
		pct, err := percentage()
		if err != nil {
			return nil, err
		}
		call := &logical.AggregateCall{Func: logical.AggPercentileCont, Arg: filtered(k.e), Percentages: []float64{pct}, Desc: k.desc}
		if name == "percentile_disc" {
			call.Func = logical.AggPercentileDisc
		}
		return call, nil
	case "count_min_sketch":
		if within != nil || len(args) != 4 {
			return nil, p.errAt(nameTok, "%s takes 4 arguments (col, eps, confidence, seed), got %d", name, len(args))
		}
		eps, ok1 := functions.LiteralFloat(args[1])
		conf, ok2 := functions.LiteralFloat(args[2])
		seed, err := functions.IntLiteralArg(name, args[3])
		if !ok1 || !ok2 || err != nil {
			return nil, p.errAt(nameTok, "%s needs numeric literals for eps and confidence and an integer literal seed, got %s, %s, %s", name, args[1], args[2], args[3])
		}
		return &logical.AggregateCall{Func: logical.AggCountMinSketch, Arg: filtered(args[0]), Percentages: []float64{eps, conf}, Accuracy: seed, Distinct: distinct}, nil
	case "histogram_numeric":
		if within != nil {
			return nil, p.errAt(nameTok, "%s does not take WITHIN GROUP", name)
		}
		if len(args) != 2 {
			return nil, p.errAt(nameTok, "%s takes 2 arguments (expr, nb), got %d", name, len(args))
		}
		nb, err := functions.IntLiteralArg(name, args[1])
		if err != nil {
			return nil, p.errAt(nameTok, "the number of bins of %s must be an integer literal, got %s", name, args[1])
		}
		return &logical.AggregateCall{Func: logical.AggHistogramNumeric, Arg: filtered(args[0]), Bins: nb, Distinct: distinct}, nil
	}
	// listagg / string_agg
	if len(args) < 1 || len(args) > 2 {
		return nil, p.errAt(nameTok, "%s takes 1 or 2 arguments (expr[, delimiter]), got %d", name, len(args))
	}
	call := &logical.AggregateCall{Func: f, Arg: filtered(args[0]), Distinct: distinct}
	if len(args) == 2 {
		l, ok := args[1].(*logical.Literal)
		switch {
		case ok && l.Value == nil:
		case ok:
			s, isStr := l.Value.(string)
			if !isStr {
				return nil, p.errAt(nameTok, "the delimiter of %s must be a string literal, got %s", name, args[1])
			}
			call.Delimiter = s
		default:
			return nil, p.errAt(nameTok, "the delimiter of %s must be a string literal, got %s", name, args[1])
		}
	}
	if len(within) > 1 {
		// Several keys: ordered by struct(key1, key2, ...), each with its
		// own direction.
		if distinct {
			return nil, p.errAt(nameTok, "%s(DISTINCT %s) can only be ordered by %s itself", name, args[0], args[0])
		}
		keys := &logical.Func{Name: "struct"}
		for _, k := range within {
			keys.Args = append(keys.Args, k.e)
			call.KeyDesc = append(call.KeyDesc, k.desc)
			call.KeyNullsFirst = append(call.KeyNullsFirst, k.nullsFirst)
		}
		call.Arg2 = keys
		return call, nil
	}
	if within != nil {
		k, err := oneKey()
		if err != nil {
			return nil, err
		}
		if distinct && !logical.Equal(k.e, args[0]) {
			return nil, p.errAt(nameTok, "%s(DISTINCT %s) can only be ordered by %s itself, not by %s", name, args[0], args[0], k.e)
		}
		call.Arg2, call.Desc, call.NullsFirst = k.e, k.desc, k.nullsFirst
	}
	return call, nil
}
