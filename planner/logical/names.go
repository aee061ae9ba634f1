package logical

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// sparkInfix maps the functions the parser builds from Spark's infix
// operators to the operator Spark writes in a column name: Spark names
// `3 & 5` "(3 & 5)" and `7 div 2` "(7 div 2)".
var sparkInfix = map[string]string{"&": "&", "|": "|", "^": "^", "div": "div"}

// nameText is an expression shown by a fixed text: the rendering of a
// sub-expression in a column name.
type nameText struct {
	s string
	t arrow.DataType
}

func (e *nameText) String() string           { return e.s }
func (e *nameText) Children() []Expr         { return nil }
func (e *nameText) WithChildren([]Expr) Expr { return e }
func (e *nameText) DataType() arrow.DataType { return e.t }
func (e *nameText) Nullable() bool           { return true }

// nameView rewrites e, bottom up, into the expression whose text is
// Spark's column name for e: infix bitwise operators and div, ~x, lambda
// functions as lambdafunction(body, namedlambdavariable(), …), an IN
// subquery as (x IN (listquery())).
func nameView(e Expr) Expr {
	if l, ok := e.(*Lambda); ok {
		// Spark: lambdafunction(<body>, namedlambdavariable(), ...).
		parts := []string{nameView(l.Body).String()}
		for range l.Params {
			parts = append(parts, "namedlambdavariable()")
		}
		return &nameText{s: "lambdafunction(" + strings.Join(parts, ", ") + ")", t: l.DataType()}
	}
	if v, ok := e.(*LambdaVar); ok {
		return &nameText{s: "namedlambdavariable()", t: v.Type}
	}
	if _, ok := e.(*Subquery); !ok {
		if kids := e.Children(); len(kids) > 0 {
			nk := make([]Expr, len(kids))
			changed := false
			for i, k := range kids {
				nk[i] = nameView(k)
				changed = changed || nk[i] != k
			}
			if changed {
				e = e.WithChildren(nk)
			}
		}
	}
	switch x := e.(type) {
	case *AggregateCall:
		if items, ok := distinctTupleItems(x); ok {
			c := *x
			c.Arg = &nameText{s: strings.Join(items, ", "), t: x.Arg.DataType()}
			return &c
		}
	case *Func:
		if op, ok := sparkInfix[x.Name]; ok && len(x.Args) == 2 {
			l, r := x.Args[0], x.Args[1]
			if x.Name == "div" {
				// div casts its operands to bigint; Spark's name shows them as written.
				l, r = stripCast(l), stripCast(r)
			}
			return &nameText{s: fmt.Sprintf("(%s %s %s)", l, op, r), t: x.Type}
		}
		if x.Name == "__cast_interval" && len(x.Args) == 3 {
			// CAST(… AS INTERVAL …) as the parser rewrote it: named as the cast.
			try := false
			if l, ok := x.Args[2].(*Literal); ok {
				try, _ = l.Value.(bool)
			}
			return &nameText{s: (&Cast{E: x.Args[0], To: x.Type, Try: try}).String(), t: x.Type}
		}
		if x.Name == "~" && len(x.Args) == 1 {
			return &nameText{s: "~" + x.Args[0].String(), t: x.Type}
		}
	case *Subquery:
		if x.Kind == InSubquery {
			return &nameText{s: fmt.Sprintf("(%s IN (listquery()))", nameView(x.Value)), t: arrow.FixedWidthTypes.Boolean}
		}
	}
	return e
}

func stripCast(e Expr) Expr {
	if c, ok := e.(*Cast); ok && !c.Try {
		return c.E
	}
	return e
}

// distinctTupleItems recognizes the key count(DISTINCT a, b, …) counts (the
// concatenation of, per argument, its text's length, ':' and its text, see
// functions.DistinctTupleName) and returns the arguments' texts.
func distinctTupleItems(c *AggregateCall) ([]string, bool) {
	f, ok := c.Arg.(*Func)
	if !c.Distinct || c.Func != AggCount || !ok || f.Name != "concat" || len(f.Args) < 6 || len(f.Args)%3 != 0 {
		return nil, false
	}
	var items []string
	for i := 0; i < len(f.Args); i += 3 {
		if l, ok := f.Args[i+1].(*Literal); !ok || l.Value != ":" {
			return nil, false
		}
		v := stripCast(f.Args[i+2])
		if b, ok := v.(*Binary); ok && b.Op == OpAdd {
			if z, ok := b.R.(*Literal); ok && z.Value == float64(0) {
				v = b.L // -0.0 + 0.0 folds the two zeros
			}
		}
		items = append(items, v.String())
	}
	return items, true
}
