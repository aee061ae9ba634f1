package sql

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// isIdentTok reports whether t can name a lambda parameter: any word
// (Spark's own examples name them left and right) or quoted name.
func isIdentTok(t token) bool { return t.kind == tkQuoted || t.kind == tkWord }

// isLambdaName reports whether name is a parameter of an enclosing lambda.
func (p *parser) isLambdaName(name string) bool {
	for _, n := range p.lambdaNames {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// lambdaParamCount returns how many tokens a lambda's parameter list takes
// at the parser's position (x -> ..., (x) -> ..., (x, i) -> ...), or 0 when
// no lambda starts there.
func (p *parser) lambdaParamCount() int {
	if isIdentTok(p.peek()) && p.peekAt(1).isOp("->") {
		return 1
	}
	if !p.peek().isOp("(") {
		return 0
	}
	k := 1
	for {
		if !isIdentTok(p.peekAt(k)) {
			return 0
		}
		k++
		if p.peekAt(k).isOp(")") {
			if p.peekAt(k + 1).isOp("->") {
				return k + 1
			}
			return 0
		}
		if !p.peekAt(k).isOp(",") {
			return 0
		}
		k++
	}
}

// specialArg parses an argument of function name that is not an
// expression: a lambda function, or the INTERVAL step of sequence (as a
// call of functions.IntervalArgName). ok is false when none starts at the
// parser's position.
func (p *parser) specialArg(name string) (logical.Expr, bool, error) {
	if name == "sequence" && p.peek().is("INTERVAL") {
		iv, err := p.parseInterval()
		if err != nil {
			return nil, true, err
		}
		kind, amount := functions.IntervalDayTime, iv.micros
		switch {
		case iv.ym:
			kind, amount = functions.IntervalYearMonth, iv.months
		case iv.dayOnly:
			kind, amount = functions.IntervalDays, iv.micros/86400e6
		}
		return &logical.Func{Name: functions.IntervalArgName, Args: []logical.Expr{
			&logical.Literal{Value: kind, Type: arrow.BinaryTypes.String},
			&logical.Literal{Value: amount, Type: arrow.PrimitiveTypes.Int64},
		}}, true, nil
	}
	return p.lambda()
}

// lambda parses a lambda function argument, x -> body or (x, y) -> body,
// when one starts at the parser's position (ok false otherwise).
func (p *parser) lambda() (logical.Expr, bool, error) {
	n := p.lambdaParamCount()
	if n == 0 {
		return nil, false, nil
	}
	var params []string
	for i := 0; i < n; i++ {
		t := p.next()
		if isIdentTok(t) {
			for _, q := range params {
				if strings.EqualFold(q, t.text) {
					return nil, true, p.errAt(t, "the lambda parameter %s is named twice", t.text)
				}
			}
			params = append(params, t.text)
		}
	}
	p.next() // ->
	outer := len(p.lambdaNames)
	p.lambdaNames = append(p.lambdaNames, params...)
	body, err := p.expr()
	p.lambdaNames = p.lambdaNames[:outer]
	if err != nil {
		return nil, true, err
	}
	return &logical.Lambda{Params: params, Body: body}, true, nil
}

// nestedTypeName reads the rest of ARRAY<t>, MAP<k, v> or
// STRUCT<name: t, ...> after the word t and at "<".
func (p *parser) nestedTypeName(t token) (arrow.DataType, error) {
	p.next() // <
	var out arrow.DataType
	switch strings.ToUpper(t.text) {
	case "ARRAY":
		elem, err := p.typeName()
		if err != nil {
			return nil, err
		}
		out = arrow.ListOf(elem)
	case "MAP":
		k, err := p.typeName()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
		v, err := p.typeName()
		if err != nil {
			return nil, err
		}
		out = arrow.MapOf(k, v)
	case "STRUCT":
		var fields []arrow.Field
		for !p.peek().isOp(">") && !p.peek().isOp(">>") && !p.peek().isOp(">>>") {
			name, err := p.ident("a field name")
			if err != nil {
				return nil, err
			}
			p.acceptOp(":")
			ft, err := p.typeName()
			if err != nil {
				return nil, err
			}
			fields = append(fields, arrow.Field{Name: name, Type: ft, Nullable: true})
			if !p.acceptOp(",") {
				break
			}
		}
		out = arrow.StructOf(fields...)
	default:
		return nil, p.errAt(t, "unknown type %q (only ARRAY, MAP and STRUCT take <...>)", t.text)
	}
	// A closing >> or >>> ends two or three nested types: take one > of it.
	if t := p.peek(); t.isOp(">>") || t.isOp(">>>") {
		p.toks[p.i].text = t.text[1:]
		p.toks[p.i].pos++
		return out, nil
	}
	if err := p.expectOp(">"); err != nil {
		return nil, err
	}
	return out, nil
}

// isLambdaParam reports whether name (or the first part of a dotted name)
// is a parameter of a lambda whose body is being rewritten above an
// aggregate: it stays bound to the lambda.
func (b *builder) isLambdaParam(name string) bool {
	first, _, _ := strings.Cut(name, ".")
	for _, n := range b.lambdas {
		if strings.EqualFold(n, first) {
			return true
		}
	}
	return false
}
