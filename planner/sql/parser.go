package sql

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// maxDepth bounds the nesting of expressions and subqueries, so that hostile
// input cannot exhaust the stack.
const maxDepth = 200

// reserved words end a select item or table reference instead of naming an alias.
var reserved = map[string]bool{
	"ALL": true, "AND": true, "ANTI": true, "AS": true, "ASC": true, "BETWEEN": true, "BY": true, "CASE": true, "CAST": true,
	"CROSS": true, "DESC": true, "DISTINCT": true, "ELSE": true, "END": true, "EXCEPT": true, "MINUS": true, "FALSE": true,
	"FROM": true, "FULL": true, "GROUP": true, "HAVING": true, "IN": true, "INNER": true, "INTERSECT": true,
	"INTERVAL": true, "IS": true, "JOIN": true, "LEFT": true, "LIKE": true, "LIMIT": true, "NATURAL": true,
	"NOT": true, "NULL": true, "ON": true, "OR": true, "ORDER": true, "OUTER": true, "RIGHT": true, "SELECT": true,
	"SEMI": true, "THEN": true, "TRUE": true, "UNION": true, "USING": true, "WHEN": true, "WHERE": true, "WITH": true,
	"WINDOW": true, "LATERAL": true, "QUALIFY": true, "OFFSET": true,
}

// Parse parses a script of statements separated by semicolons.
func Parse(text string) ([]Statement, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{src: text, toks: toks}
	var out []Statement
	for {
		for p.peek().isOp(";") {
			p.next()
		}
		if p.peek().kind == tkEOF {
			return out, nil
		}
		start := p.peek().pos
		st, err := p.statement()
		if err != nil {
			return nil, err
		}
		if t := p.peek(); !t.isOp(";") && t.kind != tkEOF {
			return nil, p.expected("';' or end of input")
		}
		text := strings.TrimSpace(text[start:p.peek().pos])
		switch s := st.(type) {
		case *Query:
			s.Text = text
		case *CreateView:
			s.Text = text
		case *Explain:
			s.Text = text
		case *ShowTables:
			s.Text = text
		case *Describe:
			s.Text = text
		case *ShowFunctions:
			s.Text = text
		case *DropView:
			s.Text = text
		}
		out = append(out, st)
	}
}

// ParseQuery parses a single query (SELECT, WITH or a parenthesized query)
// into an unresolved logical plan. The plan may hold Prune nodes: analyze it,
// then apply Lower.
func ParseQuery(text string) (logical.Plan, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{src: text, toks: toks}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	for p.peek().isOp(";") {
		p.next()
	}
	if p.peek().kind != tkEOF {
		return nil, p.expected("end of input")
	}
	return q, nil
}

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
	ctes  []map[string]logical.Plan
	// lambdaNames are the parameters of the lambda functions being parsed
	// (a reserved word such as left or right may name one).
	lambdaNames []string
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}

// errAt is a syntax error at token t.
func (p *parser) errAt(t token, format string, args ...any) error {
	return errorAt(p.src, t.pos, fmt.Sprintf(format, args...))
}

// expected is "expected what, found <next token>".
func (p *parser) expected(what string) error {
	t := p.peek()
	return p.errAt(t, "expected %s, found %s", what, t.describe())
}

func (p *parser) acceptKw(kw string) bool {
	if p.peek().is(kw) {
		p.next()
		return true
	}
	return false
}

func (p *parser) acceptOp(op string) bool {
	if p.peek().isOp(op) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectKw(kw string) error {
	if !p.acceptKw(kw) {
		return p.expected(kw)
	}
	return nil
}

func (p *parser) expectOp(op string) error {
	if !p.acceptOp(op) {
		return p.expected("'" + op + "'")
	}
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errAt(p.peek(), "expression or query nested too deeply (more than %d levels)", maxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// ident reads an identifier (a word that is not reserved, or a quoted name).
func (p *parser) ident(what string) (string, error) {
	t := p.peek()
	if t.kind == tkQuoted || (t.kind == tkWord && !reserved[strings.ToUpper(t.text)]) {
		p.next()
		return t.text, nil
	}
	return "", p.expected(what)
}

// qualifiedName reads name(.name)*.
func (p *parser) qualifiedName(what string) (string, error) {
	first, err := p.ident(what)
	if err != nil {
		return "", err
	}
	parts := []string{first}
	for p.peek().isOp(".") {
		p.next()
		n, err := p.ident(what)
		if err != nil {
			return "", err
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, "."), nil
}

// query parses [WITH ctes] body [ORDER BY ...] [LIMIT n].
func (p *parser) query() (logical.Plan, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	if p.peek().is("WITH") {
		p.next()
		scope := map[string]logical.Plan{}
		p.ctes = append(p.ctes, scope)
		defer func() { p.ctes = p.ctes[:len(p.ctes)-1] }()
		for {
			if p.peek().is("RECURSIVE") {
				return nil, p.errAt(p.peek(), "WITH RECURSIVE is not supported")
			}
			nameTok := p.peek()
			name, err := p.ident("CTE name")
			if err != nil {
				return nil, err
			}
			if _, dup := scope[strings.ToLower(name)]; dup {
				// Spark: "CTE definition can't have duplicate names".
				return nil, p.errAt(nameTok, "CTE definition can't have duplicate names: %s", name)
			}
			if p.peek().isOp("(") {
				return nil, p.errAt(p.peek(), "column lists in WITH are not supported yet")
			}
			if err := p.expectKw("AS"); err != nil {
				return nil, err
			}
			if err := p.expectOp("("); err != nil {
				return nil, err
			}
			q, err := p.query()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			scope[strings.ToLower(name)] = q
			if !p.acceptOp(",") {
				break
			}
		}
	}
	var core *selectCore
	var plan logical.Plan
	switch t := p.peek(); {
	case t.is("SELECT"):
		c, err := p.selectCore()
		if err != nil {
			return nil, err
		}
		core = c
	case t.is("VALUES"):
		v, err := p.values()
		if err != nil {
			return nil, err
		}
		plan = v
	case t.isOp("("):
		p.next()
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		plan = q
	default:
		return nil, p.expected("SELECT or '('")
	}
	// Set operations: INTERSECT binds tighter than UNION and EXCEPT, which
	// apply left to right, as in standard SQL and Spark.
	type setOp struct {
		kind string // UNION, EXCEPT or INTERSECT
		all  bool
	}
	var operands []logical.Plan
	var ops []setOp
	for {
		t := p.peek()
		if !(t.is("UNION") || t.is("EXCEPT") || t.is("MINUS") || t.is("INTERSECT")) {
			break
		}
		p.next()
		op := setOp{kind: strings.ToUpper(t.text)}
		if op.kind == "MINUS" {
			op.kind = "EXCEPT"
		}
		op.all = p.acceptKw("ALL")
		if !op.all {
			p.acceptKw("DISTINCT")
		}
		if core != nil {
			left, err := core.build(nil)
			if err != nil {
				return nil, err
			}
			plan, core = left, nil
		}
		if len(operands) == 0 {
			operands = append(operands, plan)
		}
		right, err := p.setTerm()
		if err != nil {
			return nil, err
		}
		operands, ops = append(operands, right), append(ops, op)
	}
	if len(ops) > 0 {
		// Fold the INTERSECTs first, then the rest left to right.
		terms := []logical.Plan{operands[0]}
		var rest []setOp
		for i, op := range ops {
			if op.kind == "INTERSECT" {
				terms[len(terms)-1] = &logical.SetOp{Intersect: true, All: op.all, Left: terms[len(terms)-1], Right: operands[i+1]}
				continue
			}
			terms, rest = append(terms, operands[i+1]), append(rest, op)
		}
		plan = terms[0]
		for i, op := range rest {
			switch {
			case op.kind == "EXCEPT":
				plan = &logical.SetOp{All: op.all, Left: plan, Right: terms[i+1]}
			case op.all:
				// A chain of UNION ALL is one n-ary union: nested pairs
				// would make planning and execution quadratic in the
				// number of branches.
				if u, ok := plan.(*logical.Union); ok {
					plan = &logical.Union{Inputs: append(slices.Clip(u.Inputs), terms[i+1])}
				} else {
					plan = &logical.Union{Inputs: []logical.Plan{plan, terms[i+1]}}
				}
			default:
				plan = &logical.Distinct{Child: &logical.Union{Inputs: []logical.Plan{plan, terms[i+1]}}}
			}
		}
	}
	var orders []orderItem
	if p.peek().is("ORDER") {
		p.next()
		if err := p.expectKw("BY"); err != nil {
			return nil, err
		}
		var err error
		if orders, err = p.orderItems(); err != nil {
			return nil, err
		}
	}
	limit := int64(-1)
	if p.peek().is("LIMIT") {
		p.next()
		t := p.peek()
		if p.peek().is("ALL") {
			p.next()
		} else {
			if t.kind != tkNumber {
				return nil, p.expected("a row count after LIMIT")
			}
			n, err := strconv.ParseInt(t.text, 10, 64)
			if err != nil || n < 0 {
				return nil, p.errAt(t, "LIMIT needs a non-negative integer, found %s", t.describe())
			}
			p.next()
			limit = n
		}
	}
	offset := int64(0)
	if p.peek().is("OFFSET") {
		p.next()
		t := p.peek()
		n, err := strconv.ParseInt(t.text, 10, 64)
		if t.kind != tkNumber || err != nil || n < 0 {
			return nil, p.errAt(t, "OFFSET needs a non-negative integer, found %s", t.describe())
		}
		p.next()
		offset = n
	}
	if core != nil {
		var err error
		plan, err = core.build(orders)
		if err != nil {
			return nil, err
		}
	} else if len(orders) > 0 {
		so := make([]*logical.SortOrder, len(orders))
		for i, o := range orders {
			e := o.e
			if n, ok := ordinal(e); ok {
				e = &logical.OrdinalRef{N: n} // a column of the set operation or parenthesized query
			}
			so[i] = &logical.SortOrder{E: e, Desc: o.desc, NullsFirst: o.nullsFirst}
		}
		plan = &logical.Sort{Orders: so, Child: plan}
	}
	if offset > 0 {
		plan = &logical.Offset{N: offset, Child: plan}
	}
	if limit >= 0 {
		plan = &logical.Limit{N: limit, Child: plan}
	}
	return plan, nil
}

type orderItem struct {
	e          logical.Expr
	desc       bool
	nullsFirst bool
}

// selectItem is one expression of a select list.
type selectItem struct {
	e     logical.Expr // without the alias; a *logical.Star for * and t.*
	alias string       // "" when none was given
}

// selectCore is a parsed SELECT ... FROM ... WHERE ... GROUP BY ... HAVING.
type selectCore struct {
	items    []selectItem
	from     logical.Plan
	where    logical.Expr
	groups   []logical.Expr
	grouped  bool
	sets     [][]int // GROUPING SETS, ROLLUP or CUBE: positions in groups
	having   logical.Expr
	qualify  logical.Expr
	windows  map[string]*logical.WindowExpr // the WINDOW clause
	distinct bool
	groupAll bool // GROUP BY ALL: the items without aggregates, filled in by prepare
}

func (p *parser) selectCore() (*selectCore, error) {
	p.next() // SELECT
	c := &selectCore{}
	if p.acceptKw("DISTINCT") {
		c.distinct = true
	} else {
		p.acceptKw("ALL")
	}
	for {
		it, err := p.selectItem()
		if err != nil {
			return nil, err
		}
		c.items = append(c.items, it)
		if !p.acceptOp(",") {
			break
		}
	}
	var err error
	if p.acceptKw("FROM") {
		if c.from, err = p.fromList(); err != nil {
			return nil, err
		}
		if c.from, err = p.lateralViews(c.from); err != nil {
			return nil, err
		}
	} else if t := p.peek(); t.is("WHERE") || t.is("GROUP") || t.is("HAVING") || t.is("ORDER") || t.is("LIMIT") ||
		t.is("UNION") || t.is("EXCEPT") || t.is("INTERSECT") || t.is("MINUS") ||
		t.kind == tkEOF || t.isOp(";") || t.isOp(")") {
		// SELECT without FROM reads one row without columns.
		c.from = &logical.UnresolvedRelation{Name: OneRowRelation}
	} else {
		return nil, p.expected("',' or FROM")
	}
	if p.acceptKw("WHERE") {
		if c.where, err = p.expr(); err != nil {
			return nil, err
		}
	}
	if p.peek().is("GROUP") {
		p.next()
		if err := p.expectKw("BY"); err != nil {
			return nil, err
		}
		c.grouped = true
		if err := p.groupBy(c); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("HAVING") {
		if c.having, err = p.expr(); err != nil {
			return nil, err
		}
	}
	named := map[string]*logical.WindowExpr{}
	if p.acceptKw("WINDOW") {
		for {
			name, err := p.ident("window name")
			if err != nil {
				return nil, err
			}
			if err := p.expectKw("AS"); err != nil {
				return nil, err
			}
			spec, err := p.windowSpec(nil)
			if err != nil {
				return nil, err
			}
			named[strings.ToLower(name)] = spec.(*logical.WindowExpr)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKw("QUALIFY") {
		if c.qualify, err = p.expr(); err != nil {
			return nil, err
		}
	}
	// Windows named in OVER w take their specification from the WINDOW clause.
	for i := range c.items {
		if c.items[i].e, err = resolveWindowRefs(c.items[i].e, named); err != nil {
			return nil, err
		}
	}
	for _, e := range []*logical.Expr{&c.qualify, &c.where, &c.having} {
		if *e != nil {
			if *e, err = resolveWindowRefs(*e, named); err != nil {
				return nil, err
			}
		}
	}
	c.windows = named
	return c, nil
}

// groupBy parses the GROUP BY list: expressions, or one of ROLLUP (…),
// CUBE (…), GROUPING SETS ((…), …), or expressions followed by WITH ROLLUP
// or WITH CUBE.
func (p *parser) groupBy(c *selectCore) error {
	t := p.peek()
	switch {
	case t.is("ALL"):
		p.next()
		c.groupAll = true
		return nil
	case (t.is("ROLLUP") || t.is("CUBE")) && p.peekAt(1).isOp("("):
		p.next()
		p.next()
		list, err := p.exprList()
		if err != nil {
			return err
		}
		if err := p.expectOp(")"); err != nil {
			return err
		}
		c.groups = list
		if t.is("ROLLUP") {
			c.sets = logical.RollupSets(len(list))
		} else {
			c.sets = logical.CubeSets(len(list))
		}
		return nil
	case t.is("GROUPING") && p.peekAt(1).is("SETS"):
		p.next()
		p.next()
		if err := p.expectOp("("); err != nil {
			return err
		}
		var index logical.ExprMap[int]
		for {
			var items []logical.Expr
			if p.acceptOp("(") {
				if !p.peek().isOp(")") {
					list, err := p.exprList()
					if err != nil {
						return err
					}
					items = list
				}
				if err := p.expectOp(")"); err != nil {
					return err
				}
			} else {
				e, err := p.expr()
				if err != nil {
					return err
				}
				items = []logical.Expr{e}
			}
			set := []int{}
			for _, e := range items {
				k, ok := index.Get(e)
				if !ok {
					k = len(c.groups)
					index.Set(e, k)
					c.groups = append(c.groups, e)
				}
				set = append(set, k)
			}
			c.sets = append(c.sets, set)
			if !p.acceptOp(",") {
				break
			}
		}
		return p.expectOp(")")
	}
	list, err := p.exprList()
	if err != nil {
		return err
	}
	c.groups = list
	if p.peek().is("WITH") && (p.peekAt(1).is("ROLLUP") || p.peekAt(1).is("CUBE")) {
		p.next()
		if p.next().is("ROLLUP") {
			c.sets = logical.RollupSets(len(list))
		} else {
			c.sets = logical.CubeSets(len(list))
		}
	}
	return nil
}

// exprList parses expressions separated by commas.
func (p *parser) exprList() ([]logical.Expr, error) {
	var out []logical.Expr
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}

func (p *parser) selectItem() (selectItem, error) {
	t := p.peek()
	if t.isOp("*") {
		p.next()
		return selectItem{e: &logical.Star{}}, nil
	}
	// t.* and a.b.*
	if t.kind == tkWord || t.kind == tkQuoted {
		k := 0
		var parts []string
		for {
			w := p.peekAt(k)
			if !(w.kind == tkQuoted || (w.kind == tkWord && !reserved[strings.ToUpper(w.text)])) || !p.peekAt(k+1).isOp(".") {
				break
			}
			parts = append(parts, w.text)
			k += 2
			if p.peekAt(k).isOp("*") {
				p.i += k + 1
				return selectItem{e: &logical.Star{Qualifier: strings.Join(parts, ".")}}, nil
			}
		}
	}
	e, err := p.expr()
	if err != nil {
		return selectItem{}, err
	}
	it := selectItem{e: e}
	if p.acceptKw("AS") {
		if p.peek().isOp("(") {
			it.e, err = p.multiAlias(e)
			return it, err
		}
		if p.peek().kind == tkString {
			it.alias = p.next().text
		} else if it.alias, err = p.ident("alias"); err != nil {
			return selectItem{}, err
		}
	} else if t := p.peek(); t.kind == tkQuoted || (t.kind == tkWord && !reserved[strings.ToUpper(t.text)]) {
		it.alias = p.next().text
	}
	return it, nil
}

// fromList parses comma-separated relations; commas make inner joins
// without condition, which the optimizer completes from the WHERE clause.
func (p *parser) fromList() (logical.Plan, error) {
	left, err := p.joinedRelation()
	if err != nil {
		return nil, err
	}
	for p.acceptOp(",") {
		right, err := p.joinedRelation()
		if err != nil {
			return nil, err
		}
		left = &logical.Join{Left: left, Right: right, Kind: logical.InnerJoin}
	}
	return left, nil
}

func (p *parser) joinedRelation() (logical.Plan, error) {
	left, err := p.relation()
	if err != nil {
		return nil, err
	}
	natural := false
	for {
		t := p.peek()
		kind := logical.InnerJoin
		cross := false
		switch {
		case t.is("JOIN"):
			p.next()
		case t.is("INNER"):
			p.next()
			if err := p.expectKw("JOIN"); err != nil {
				return nil, err
			}
		case t.is("LEFT"), t.is("SEMI"), t.is("ANTI"):
			p.next()
			kind = logical.LeftJoin
			switch {
			case t.is("SEMI") || p.acceptKw("SEMI"):
				kind = logical.LeftSemiJoin
			case t.is("ANTI") || p.acceptKw("ANTI"):
				kind = logical.LeftAntiJoin
			default:
				p.acceptKw("OUTER")
			}
			if err := p.expectKw("JOIN"); err != nil {
				return nil, err
			}
		case t.is("RIGHT"), t.is("FULL"):
			p.next()
			kind = logical.RightJoin
			if t.is("FULL") {
				kind = logical.FullJoin
			}
			p.acceptKw("OUTER")
			if err := p.expectKw("JOIN"); err != nil {
				return nil, err
			}
		case t.is("CROSS"):
			p.next()
			if err := p.expectKw("JOIN"); err != nil {
				return nil, err
			}
			cross = true
		case t.is("NATURAL"):
			p.next()
			natural = true
			continue
		default:
			if natural {
				return nil, p.expected("JOIN after NATURAL")
			}
			return left, nil
		}
		right, err := p.relation()
		if err != nil {
			return nil, err
		}
		if natural {
			if cross {
				return nil, p.errAt(t, "NATURAL CROSS JOIN is not allowed")
			}
			left, natural = &logical.UsingJoin{Left: left, Right: right, Kind: kind, Natural: true}, false
			continue
		}
		j := &logical.Join{Left: left, Right: right, Kind: kind}
		if !cross {
			if p.acceptKw("USING") {
				if err := p.expectOp("("); err != nil {
					return nil, err
				}
				var cols []string
				for {
					c, err := p.ident("column name")
					if err != nil {
						return nil, err
					}
					cols = append(cols, c)
					if !p.acceptOp(",") {
						break
					}
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
				left = &logical.UsingJoin{Left: left, Right: right, Kind: kind, Cols: cols}
				continue
			}
			if err := p.expectKw("ON"); err != nil {
				return nil, err
			}
			if j.Cond, err = p.expr(); err != nil {
				return nil, err
			}
		}
		left = j
	}
}

// relation parses a table name or a parenthesized subquery, with an optional alias.
func (p *parser) relation() (logical.Plan, error) {
	var plan logical.Plan
	if p.peek().isOp("(") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		open := p.next()
		t := p.peek()
		if t.is("SELECT") || t.is("WITH") || t.is("VALUES") || t.isOp("(") && p.looksLikeQuery() {
			q, err := p.query()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			// Spark allows an anonymous subquery in FROM.
			return p.aliased(q)
		}
		r, err := p.fromList()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		if a, err := p.optAlias(); err != nil || a != "" {
			if err == nil {
				err = p.errAt(open, "an alias on a parenthesized join is not supported")
			}
			return nil, err
		}
		return r, nil
	}
	if p.peek().is("VALUES") {
		v, err := p.values()
		if err != nil {
			return nil, err
		}
		return p.aliased(v)
	}
	at := p.peek()
	name, err := p.qualifiedName("table name or subquery")
	if err != nil {
		return nil, err
	}
	if p.peek().isOp("(") {
		tf, err := p.tableFunction(name, at)
		if err != nil {
			return nil, err
		}
		if g, ok, err := generatorRelation(tf.(*TableFunction)); ok || err != nil {
			if err != nil {
				return nil, p.errAt(at, "%s", err)
			}
			return p.aliased(g)
		}
		return p.aliased(tf)
	}
	alias, err := p.optAlias()
	if err != nil {
		return nil, err
	}
	var cols []string
	if alias != "" && p.peek().isOp("(") {
		if cols, err = p.columnList(); err != nil {
			return nil, err
		}
	}
	plan = &logical.UnresolvedRelation{Name: name}
	if !strings.Contains(name, ".") {
		for i := len(p.ctes) - 1; i >= 0; i-- {
			if q, ok := p.ctes[i][strings.ToLower(name)]; ok {
				if alias == "" {
					alias = name
				}
				plan = q
				break
			}
		}
	}
	if cols != nil {
		plan = &logical.RenameColumns{Names: cols, Child: plan}
	}
	if alias != "" {
		plan = &logical.SubqueryAlias{Alias: alias, Child: plan}
	}
	return plan, nil
}

// columnList parses (a, b, …) after a table alias.
func (p *parser) columnList() ([]string, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var names []string
	for {
		n, err := p.ident("column name")
		if err != nil {
			return nil, err
		}
		names = append(names, n)
		if !p.acceptOp(",") {
			break
		}
	}
	return names, p.expectOp(")")
}

// looksLikeQuery reports whether the tokens after the current '(' start a
// query (possibly behind more parentheses).
func (p *parser) looksLikeQuery() bool {
	k := 0
	for p.peekAt(k).isOp("(") {
		k++
	}
	t := p.peekAt(k)
	return t.is("SELECT") || t.is("WITH")
}

func (p *parser) optAlias() (string, error) {
	if p.acceptKw("AS") {
		return p.ident("alias")
	}
	if t := p.peek(); t.kind == tkQuoted || (t.kind == tkWord && !reserved[strings.ToUpper(t.text)]) {
		p.next()
		return t.text, nil
	}
	return "", nil
}

// aliased parses the optional alias of a derived table, with an optional
// column list: (…) AS t, (…) t(a, b), VALUES … AS t(a, b).
func (p *parser) aliased(plan logical.Plan) (logical.Plan, error) {
	alias, err := p.optAlias()
	if err != nil || alias == "" {
		return plan, err
	}
	if p.peek().isOp("(") {
		names, err := p.columnList()
		if err != nil {
			return nil, err
		}
		plan = &logical.RenameColumns{Names: names, Child: plan}
	}
	return &logical.SubqueryAlias{Alias: alias, Child: plan}, nil
}

// values parses VALUES (e, …), (e, …) …: one row per tuple, columns named
// col1, col2, … and typed as their union is.
func (p *parser) values() (logical.Plan, error) {
	p.next() // VALUES
	var inputs []logical.Plan
	width := -1
	for {
		t := p.peek()
		var row []logical.Expr
		if p.acceptOp("(") {
			list, err := p.exprList()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			row = list
		} else {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			row = []logical.Expr{e}
		}
		if width >= 0 && len(row) != width {
			return nil, p.errAt(t, "every row of VALUES needs %d values, this one has %d", width, len(row))
		}
		width = len(row)
		list := make([]logical.Expr, len(row))
		for i, e := range row {
			list[i] = &logical.Alias{E: e, Name: fmt.Sprintf("col%d", i+1)}
		}
		inputs = append(inputs, &logical.Project{List: list, Child: &logical.UnresolvedRelation{Name: OneRowRelation}})
		if !p.acceptOp(",") {
			break
		}
	}
	if len(inputs) == 1 {
		return inputs[0], nil
	}
	return &logical.Union{Inputs: inputs}, nil
}

// ---- expressions ----

func (p *parser) expr() (logical.Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.orExpr()
}

func (p *parser) orExpr() (logical.Expr, error) { return p.chain(p.andExpr, "OR", logical.OpOr) }

func (p *parser) andExpr() (logical.Expr, error) { return p.chain(p.notExpr, "AND", logical.OpAnd) }

// chain parses operand { kw operand }, folding to the left with op.
func (p *parser) chain(operand func() (logical.Expr, error), kw string, op logical.BinaryOp) (logical.Expr, error) {
	l, err := operand()
	if err != nil {
		return nil, err
	}
	for p.acceptKw(kw) {
		r, err := operand()
		if err != nil {
			return nil, err
		}
		l = &logical.Binary{Op: op, L: l, R: r}
	}
	return l, nil
}

func (p *parser) notExpr() (logical.Expr, error) {
	if p.peek().is("NOT") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.next()
		e, err := p.notExpr()
		if err != nil {
			return nil, err
		}
		return &logical.Unary{Op: logical.OpNot, E: e}, nil
	}
	return p.predicate()
}

// inListChain is the longest IN list built as a chain folded to the left
// ((x = a OR x = b) OR x = c, the text Spark users see in plans); a longer
// one is split in halves joined by op, so that the depth of its tree grows
// with the logarithm of its length and every later walk over it stays
// shallow.
const inListChain = 32

// inListTree joins terms with op: folded to the left up to inListChain
// terms, else as two halves.
func inListTree(terms []logical.Expr, op logical.BinaryOp) logical.Expr {
	if len(terms) > inListChain {
		h := len(terms) / 2
		return &logical.Binary{Op: op, L: inListTree(terms[:h], op), R: inListTree(terms[h:], op)}
	}
	e := terms[0]
	for _, t := range terms[1:] {
		e = &logical.Binary{Op: op, L: e, R: t}
	}
	return e
}

var comparisons = map[string]logical.BinaryOp{
	"=": logical.OpEq, "==": logical.OpEq, "<>": logical.OpNotEq, "!=": logical.OpNotEq,
	"<": logical.OpLt, "<=": logical.OpLtEq, ">": logical.OpGt, ">=": logical.OpGtEq,
	"<=>": logical.OpNullSafeEq,
}

func (p *parser) predicate() (logical.Expr, error) {
	l, err := p.bitOr()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		op, ok := comparisons[t.text]
		if t.kind != tkOp || !ok {
			break
		}
		p.next()
		r, err := p.bitOr()
		if err != nil {
			return nil, err
		}
		l = &logical.Binary{Op: op, L: l, R: r}
	}
	for {
		t := p.peek()
		not := false
		if t.is("NOT") {
			n := p.peekAt(1)
			if !(n.is("BETWEEN") || n.is("IN") || n.is("LIKE") || n.is("ILIKE") || n.is("RLIKE")) {
				return l, nil
			}
			p.next()
			not = true
			t = p.peek()
		}
		var e logical.Expr
		switch {
		case t.is("BETWEEN"):
			p.next()
			lo, err := p.bitOr()
			if err != nil {
				return nil, err
			}
			if err := p.expectKw("AND"); err != nil {
				return nil, err
			}
			hi, err := p.bitOr()
			if err != nil {
				return nil, err
			}
			e = &logical.Binary{Op: logical.OpAnd,
				L: &logical.Binary{Op: logical.OpGtEq, L: l, R: lo},
				R: &logical.Binary{Op: logical.OpLtEq, L: l, R: hi}}
		case t.is("IN"):
			p.next()
			if err := p.expectOp("("); err != nil {
				return nil, err
			}
			if p.looksLikeQuery() {
				sub, err := p.query()
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
				e = &logical.Subquery{Kind: logical.InSubquery, Plan: sub, Value: l}
				if not {
					e = &logical.Unary{Op: logical.OpNot, E: e}
				}
				l = e
				continue
			}
			var list []logical.Expr
			for {
				x, err := p.expr()
				if err != nil {
					return nil, err
				}
				list = append(list, x)
				if !p.acceptOp(",") {
					break
				}
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			// x IN (a, b) is x = a OR x = b; NOT (x = a OR x = b) is
			// x != a AND x != b, also under three-valued logic.
			cmp, join := logical.OpEq, logical.OpOr
			if not {
				cmp, join = logical.OpNotEq, logical.OpAnd
				not = false
			}
			terms := make([]logical.Expr, len(list))
			for i, x := range list {
				terms[i] = &logical.Binary{Op: cmp, L: l, R: x}
			}
			e = inListTree(terms, join)
		case t.is("LIKE"), t.is("ILIKE"):
			p.next()
			var err error
			if e, not, err = p.likeRest(l, t.is("ILIKE"), not); err != nil {
				return nil, err
			}
		case t.is("RLIKE"), t.is("REGEXP"):
			p.next()
			pat, err := p.bitOr()
			if err != nil {
				return nil, err
			}
			e = &logical.Func{Name: "rlike", Args: []logical.Expr{l, pat}}
		case t.is("IS"):
			if not {
				return nil, p.expected("BETWEEN, IN or LIKE after NOT")
			}
			p.next()
			isNot := p.acceptKw("NOT")
			switch {
			case p.acceptKw("NULL"):
				if isNot {
					e = &logical.Unary{Op: logical.OpIsNotNull, E: l}
				} else {
					e = &logical.Unary{Op: logical.OpIsNull, E: l}
				}
			case p.acceptKw("DISTINCT"):
				// a IS DISTINCT FROM b is NOT (a <=> b).
				if err := p.expectKw("FROM"); err != nil {
					return nil, err
				}
				r, err := p.bitOr()
				if err != nil {
					return nil, err
				}
				e = &logical.Binary{Op: logical.OpNullSafeEq, L: l, R: r}
				if !isNot {
					e = &logical.Unary{Op: logical.OpNot, E: e}
				}
			case p.peek().is("TRUE") || p.peek().is("FALSE") || p.peek().is("UNKNOWN"):
				// IS TRUE is true only for true, never null: coalesce(x = TRUE, false).
				v := p.next()
				var test logical.Expr
				if v.is("UNKNOWN") {
					test = &logical.Unary{Op: logical.OpIsNull, E: l}
				} else {
					lit := &logical.Literal{Value: v.is("TRUE"), Type: arrow.FixedWidthTypes.Boolean}
					test = &logical.Func{Name: "coalesce", Args: []logical.Expr{&logical.Binary{Op: logical.OpEq, L: l, R: lit},
						&logical.Literal{Value: false, Type: arrow.FixedWidthTypes.Boolean}}}
				}
				e = test
				if isNot {
					e = &logical.Unary{Op: logical.OpNot, E: test}
				}
			default:
				return nil, p.expected("NULL")
			}
		default:
			return l, nil
		}
		if not {
			e = &logical.Unary{Op: logical.OpNot, E: e}
		}
		l = e
	}
}

// bitOr parses a | b; in Spark's grammar | binds looser than ^, which binds
// looser than &, which binds looser than the shifts, which bind looser than
// + and -; all of them bind tighter than comparisons.
func (p *parser) bitOr() (logical.Expr, error) { return p.bitChain(p.bitXor, "|") }

func (p *parser) bitXor() (logical.Expr, error) { return p.bitChain(p.bitAnd, "^") }

func (p *parser) bitAnd() (logical.Expr, error) { return p.bitChain(p.shift, "&") }

// bitChain parses operand (op operand)* into left-associative calls of the
// function named op.
func (p *parser) bitChain(operand func() (logical.Expr, error), op string) (logical.Expr, error) {
	l, err := operand()
	if err != nil {
		return nil, err
	}
	for p.peek().isOp(op) {
		p.next()
		r, err := operand()
		if err != nil {
			return nil, err
		}
		l = &logical.Func{Name: op, Args: []logical.Expr{l, r}}
	}
	return l, nil
}

// shift parses a << n, a >> n and a >>> n into shiftleft, shiftright and
// shiftrightunsigned calls.
func (p *parser) shift() (logical.Expr, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	for {
		var name string
		switch t := p.peek(); {
		case t.isOp("<<"):
			name = "shiftleft"
		case t.isOp(">>"):
			name = "shiftright"
		case t.isOp(">>>"):
			name = "shiftrightunsigned"
		default:
			return l, nil
		}
		p.next()
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		l = &logical.Func{Name: name, Args: []logical.Expr{l, r}}
	}
}

func (p *parser) additive() (logical.Expr, error) {
	if p.peek().is("INTERVAL") {
		return p.intervalFirst()
	}
	l, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	return p.additiveRest(l)
}

// additiveRest parses the + - || operations after the first operand l.
func (p *parser) additiveRest(l logical.Expr) (logical.Expr, error) {
	var err error
	for {
		t := p.peek()
		var op logical.BinaryOp
		switch {
		case t.isOp("+"):
			op = logical.OpAdd
		case t.isOp("-"):
			op = logical.OpSub
		case t.isOp("||"):
			p.next()
			r, err := p.multiplicative()
			if err != nil {
				return nil, err
			}
			l = &logical.Func{Name: "concat", Args: []logical.Expr{l, r}}
			continue
		default:
			return l, nil
		}
		p.next()
		if p.peek().is("INTERVAL") {
			l, err = p.intervalArith(l, op == logical.OpSub)
			if err != nil {
				return nil, err
			}
			continue
		}
		r, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		l = &logical.Binary{Op: op, L: l, R: r}
	}
}

func (p *parser) multiplicative() (logical.Expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		var op logical.BinaryOp
		switch {
		case t.isOp("*"):
			op = logical.OpMul
		case t.isOp("/"):
			op = logical.OpDiv
		case t.isOp("%"):
			op = logical.OpMod
		case t.is("DIV"): // integral division, Spark's a DIV b
			p.next()
			r, err := p.unary()
			if err != nil {
				return nil, err
			}
			l = &logical.Func{Name: "div", Args: []logical.Expr{l, r}}
			continue
		default:
			return l, nil
		}
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &logical.Binary{Op: op, L: l, R: r}
	}
}

func (p *parser) unary() (logical.Expr, error) {
	t := p.peek()
	if t.isOp("~") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.next()
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &logical.Func{Name: "~", Args: []logical.Expr{e}}, nil
	}
	if t.isOp("-") || t.isOp("+") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.next()
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		if t.isOp("+") {
			return e, nil
		}
		if lit, ok := e.(*logical.Literal); ok {
			if n, ok := negateLiteral(lit); ok {
				return n, nil
			}
		}
		return &logical.Unary{Op: logical.OpNegate, E: e}, nil
	}
	return p.postfix()
}

// negateLiteral folds the minus sign into a numeric literal.
func negateLiteral(l *logical.Literal) (*logical.Literal, bool) {
	switch v := l.Value.(type) {
	case int8:
		if v != math.MinInt8 {
			return &logical.Literal{Value: -v, Type: l.Type}, true
		}
	case int16:
		if v != math.MinInt16 {
			return &logical.Literal{Value: -v, Type: l.Type}, true
		}
	case int32:
		if v != math.MinInt32 {
			return &logical.Literal{Value: -v, Type: l.Type}, true
		}
	case int64:
		if v != math.MinInt64 {
			return &logical.Literal{Value: -v, Type: l.Type}, true
		}
	case float32:
		return &logical.Literal{Value: -v, Type: l.Type}, true
	case float64:
		return &logical.Literal{Value: -v, Type: l.Type}, true
	case values.Decimal:
		return &logical.Literal{Value: values.Decimal{Unscaled: v.Unscaled.Negate(), Scale: v.Scale}, Type: l.Type}, true
	}
	return nil, false
}

// postfix handles what may follow a primary expression: the :: cast
// shorthand, the variant path v:a.b (variant_path.go), subscripts x[key] (an array element from 0, a map value or a
// struct field, as Spark) and, after a subscript, .field.
func (p *parser) postfix() (logical.Expr, error) {
	e, err := p.primary()
	if err != nil {
		return nil, err
	}
	subscripted := false
	for {
		switch {
		case p.peek().isOp("::"):
			p.next()
			t, err := p.typeName()
			if err != nil {
				return nil, err
			}
			e = castTo(e, t, false)
		case p.atCollate():
			e = p.collatePostfix(e)
		case p.peek().isOp(":"):
			p.next()
			if e, err = p.variantPath(e); err != nil {
				return nil, err
			}
		case p.peek().isOp("["):
			p.next()
			k, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp("]"); err != nil {
				return nil, err
			}
			e, subscripted = &logical.Func{Name: functions.SubscriptName, Args: []logical.Expr{e, k}}, true
		case subscripted && p.peek().isOp(".") && (p.peekAt(1).kind == tkWord || p.peekAt(1).kind == tkQuoted):
			p.next()
			f := p.next()
			e = &logical.Func{Name: functions.SubscriptName, Args: []logical.Expr{e, &logical.Literal{Value: f.text, Type: arrow.BinaryTypes.String}}}
		default:
			return e, nil
		}
	}
}

func (p *parser) primary() (logical.Expr, error) {
	t := p.peek()
	switch t.kind {
	case tkEOF:
		return nil, p.expected("an expression")
	case tkNumber:
		p.next()
		lit, err := numberLiteral(t.text)
		if err != nil {
			return nil, p.errAt(t, "%v", err)
		}
		return lit, nil
	case tkBinary:
		p.next()
		return &logical.Literal{Value: []byte(t.text), Type: arrow.BinaryTypes.Binary}, nil
	case tkString:
		p.next()
		s := t.text
		for p.peek().kind == tkString { // adjacent literals concatenate
			s += p.next().text
		}
		return &logical.Literal{Value: s, Type: arrow.BinaryTypes.String}, nil
	case tkOp:
		if t.isOp("(") {
			p.next()
			if p.peek().is("SELECT") || p.peek().is("WITH") {
				sub, err := p.query()
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
				return &logical.Subquery{Kind: logical.ScalarSubquery, Plan: sub}, nil
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			if p.peek().isOp(",") {
				return p.rowConstructor(e)
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return e, nil
		}
		return nil, p.expected("an expression")
	case tkQuoted:
		return p.columnRef()
	}
	// A word.
	up := strings.ToUpper(t.text)
	next := p.peekAt(1)
	switch up {
	case "EXISTS":
		if next.isOp("(") && (p.peekAt(2).is("SELECT") || p.peekAt(2).is("WITH") || p.peekAt(2).isOp("(")) {
			p.next()
			p.next()
			sub, err := p.query()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return &logical.Subquery{Kind: logical.ExistsSubquery, Plan: sub}, nil
		}
	case "TRUE", "FALSE":
		p.next()
		return &logical.Literal{Value: up == "TRUE", Type: arrow.FixedWidthTypes.Boolean}, nil
	case "NULL":
		p.next()
		return &logical.Literal{Type: arrow.Null}, nil
	case "DATE", "TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_NTZ":
		if next.kind == tkString {
			p.next()
			p.next()
			if up == "TIMESTAMP_LTZ" {
				up = "TIMESTAMP"
			}
			return temporalLiteral(up, next.text, func(msg string) error { return p.errAt(next, "%s", msg) })
		}
	case "INTERVAL":
		iv, err := p.parseInterval()
		if err != nil {
			return nil, err
		}
		return iv.literal(), nil
	case "CASE":
		return p.caseExpr()
	case "CAST", "TRY_CAST":
		if next.isOp("(") {
			p.next()
			p.next()
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expectKw("AS"); err != nil {
				return nil, err
			}
			typ, err := p.typeName()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return castTo(e, typ, up == "TRY_CAST"), nil
		}
	case "TRIM":
		if next.isOp("(") {
			return p.trimCall()
		}
	case "OVERLAY":
		if next.isOp("(") {
			if e, ok, err := p.overlayCall(); ok || err != nil {
				return e, err
			}
		}
	case "POSITION":
		if next.isOp("(") {
			// POSITION(sub IN s) is locate(sub, s); the plain call form falls through.
			save := p.i
			p.next()
			p.next()
			sub, err := p.additive()
			if err == nil && p.acceptKw("IN") {
				str, err := p.expr()
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
				return &logical.Func{Name: "locate", Args: []logical.Expr{sub, str}}, nil
			}
			p.i = save
		}
	case "EXTRACT":
		if next.isOp("(") {
			p.next()
			p.next()
			ft := p.peek()
			if ft.kind != tkWord && ft.kind != tkString {
				return nil, p.expected("a field such as YEAR")
			}
			p.next()
			if err := p.expectKw("FROM"); err != nil {
				return nil, err
			}
			if p.peek().is("INTERVAL") {
				iv, err := p.parseInterval()
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
				return p.intervalPart(ft, ft.text, iv)
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			field := &logical.Literal{Value: ft.text, Type: arrow.BinaryTypes.String}
			return &logical.Func{Name: "date_part", Args: []logical.Expr{field, e}}, nil
		}
	}
	if next.isOp("(") && !(reserved[up] && up != "LEFT" && up != "RIGHT" && up != "IF" && up != "LIKE" && up != "WINDOW") {
		return p.call()
	}
	if (up == "WINDOW" || up == "SESSION_WINDOW") && (next.isOp(".") || next.kind != tkWord) { // window, window.start, session_window.end: the time window column
		name := p.next().text
		for p.peek().isOp(".") && (p.peekAt(1).kind == tkWord || p.peekAt(1).kind == tkQuoted) {
			p.next()
			name += "." + p.next().text // field names may be keywords: window.end
		}
		return &logical.UnresolvedColumn{Name: name}, nil
	}
	if reserved[up] {
		if p.isLambdaName(t.text) {
			p.next()
			return &logical.UnresolvedColumn{Name: t.text}, nil
		}
		return nil, p.expected("an expression")
	}
	return p.columnRef()
}

// columnRef reads a possibly qualified column name.
func (p *parser) columnRef() (logical.Expr, error) {
	name, err := p.qualifiedName("a column name")
	if err != nil {
		return nil, err
	}
	if p.peek().isOp(".") && p.peekAt(1).isOp("*") {
		return nil, p.errAt(p.peek(), "%s.* is only allowed in a select list", name)
	}
	return &logical.UnresolvedColumn{Name: name}, nil
}

// call parses name(args): aggregates, substring's FROM/FOR form and scalar functions.
func (p *parser) call() (logical.Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	nameTok := p.next()
	name := strings.ToLower(nameTok.text)
	p.next() // (
	distinct := false
	if p.peek().is("DISTINCT") {
		if _, isAgg := logical.LookupAggregate(name); !isAgg {
			return nil, p.errAt(p.peek(), "DISTINCT is only allowed in aggregate functions")
		}
		p.next()
		distinct = true
	} else {
		p.acceptKw("ALL")
	}
	if e, ok, err := p.datePartInterval(name); ok {
		return e, err
	}
	var args []logical.Expr
	if u, ok := p.datetimeUnitArg(name); ok {
		args = append(args, u)
	}
	star := false
	if p.peek().isOp("*") && p.peekAt(1).isOp(")") {
		p.next()
		star = true
	} else if !p.peek().isOp(")") {
		for {
			e, special, err := p.specialArg(name)
			if !special && err == nil {
				e, err = p.argExpr()
			}
			if err != nil {
				return nil, err
			}
			if name == "struct" && p.acceptKw("AS") {
				// struct(x AS a): the field takes the alias as its name.
				alias, err := p.ident("a struct field name")
				if err != nil {
					return nil, err
				}
				e = &logical.Alias{E: e, Name: alias}
			}
			args = append(args, e)
			if (name == "substring" || name == "substr") && len(args) == 1 && p.peek().is("FROM") {
				p.next()
				pos, err := p.expr()
				if err != nil {
					return nil, err
				}
				args = append(args, pos)
				if p.acceptKw("FOR") {
					n, err := p.expr()
					if err != nil {
						return nil, err
					}
					args = append(args, n)
				}
				break
			}
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	args, err := functions.BindNamedArgs(name, args)
	if err != nil {
		return nil, p.errAt(nameTok, "%s", err)
	}
	within, err := p.withinGroup()
	if err != nil {
		return nil, err
	}
	if within != nil && !orderedSetAggregate(name) {
		return nil, p.errAt(nameTok, "WITHIN GROUP is not allowed with %s; only with mode, listagg, string_agg, percentile_cont and percentile_disc", name)
	}
	ignoreNulls := false
	if p.peek().is("IGNORE") && p.peekAt(1).is("NULLS") {
		p.next()
		p.next()
		ignoreNulls = true
	} else if p.peek().is("RESPECT") && p.peekAt(1).is("NULLS") {
		p.next()
		p.next()
	}
	if p.peek().is("OVER") {
		return p.windowCall(nameTok, name, args, star, distinct, ignoreNulls, within)
	}
	var filter logical.Expr
	if p.peek().is("FILTER") && p.peekAt(1).isOp("(") {
		filterTok := p.next()
		p.next()
		if err := p.expectKw("WHERE"); err != nil {
			return nil, err
		}
		cond, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		f, ok := logical.LookupAggregate(name)
		if !ok {
			return nil, p.errAt(filterTok, "FILTER applies to aggregate functions only, not %s", name)
		}
		if (f == logical.AggFirst || f == logical.AggLast || f == logical.AggAnyValue) && !ignoreNulls {
			return nil, p.errAt(filterTok, "FILTER with %s needs IGNORE NULLS", name)
		}
		filter = cond
	}
	if orderedSetAggregate(name) && !star && !ignoreNulls {
		return p.orderedSetCall(nameTok, name, args, distinct, within, filter)
	}
	if filter != nil {
		// agg(x) FILTER (WHERE c) is agg(CASE WHEN c THEN x END): every
		// aggregate skips the nulls it gets for the rows c rejects.
		if star {
			star, args = false, []logical.Expr{&logical.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}}
		}
		for i, a := range args {
			args[i] = &logical.CaseWhen{Whens: []logical.Expr{filter}, Thens: []logical.Expr{a}}
		}
	}
	if f, ok := logical.LookupAggregate(name); ok {
		return p.aggregateCall(nameTok, f, name, args, star, distinct, ignoreNulls)
	}
	if ignoreNulls {
		return nil, p.errAt(nameTok, "IGNORE NULLS is only allowed for first, last and any_value")
	}
	if star {
		return nil, p.errAt(nameTok, "%s(*) is not allowed", name)
	}
	return &logical.Func{Name: name, Args: args}, nil
}

// aggregateCall builds the call of aggregate f (named name) from its
// arguments.
func (p *parser) aggregateCall(nameTok token, f logical.AggFunc, name string, args []logical.Expr, star, distinct, ignoreNulls bool) (logical.Expr, error) {
	if star {
		if f != logical.AggCount || distinct {
			return nil, p.errAt(nameTok, "%s(*) is not allowed; only count(*)", name)
		}
		return &logical.AggregateCall{Func: f}, nil
	}
	want := 1
	if f.TwoArgs() {
		want = 2
	}
	if (f == logical.AggFirst || f == logical.AggLast || f == logical.AggAnyValue) && len(args) == 2 {
		// first(x, ignoreNulls) with a boolean literal, as Spark allows.
		var b, isBool bool
		if lit, ok := args[1].(*logical.Literal); ok {
			b, isBool = lit.Value.(bool)
		}
		if !isBool {
			return nil, p.errAt(nameTok, "the second argument of %s must be a boolean literal", name)
		}
		ignoreNulls, args = ignoreNulls || b, args[:1]
	}
	if f.IsPercentile() {
		return p.percentileCall(nameTok, f, args, distinct)
	}
	if f == logical.AggCount && len(args) > 1 {
		if distinct {
			args = []logical.Expr{&logical.Func{Name: functions.DistinctTupleName, Args: args}}
		} else {
			args = []logical.Expr{allNotNull(args)}
		}
	}
	if len(args) != want {
		return nil, p.errAt(nameTok, "%s takes %d argument(s), got %d", name, want, len(args))
	}
	if lit, ok := args[0].(*logical.Literal); ok && f == logical.AggCount && lit.Value != nil && !distinct {
		return &logical.AggregateCall{Func: f}, nil // count(1) counts rows
	}
	call := &logical.AggregateCall{Func: f, Arg: args[0], Distinct: distinct, IgnoreNulls: ignoreNulls}
	if want == 2 {
		call.Arg2 = args[1]
	}
	return call, nil
}

func (p *parser) caseExpr() (logical.Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.next() // CASE
	var operand logical.Expr
	if !p.peek().is("WHEN") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		operand = e
	}
	cw := &logical.CaseWhen{}
	for p.acceptKw("WHEN") {
		w, err := p.expr()
		if err != nil {
			return nil, err
		}
		if operand != nil {
			w = &logical.Binary{Op: logical.OpEq, L: operand, R: w}
		}
		if err := p.expectKw("THEN"); err != nil {
			return nil, err
		}
		th, err := p.expr()
		if err != nil {
			return nil, err
		}
		cw.Whens = append(cw.Whens, w)
		cw.Thens = append(cw.Thens, th)
	}
	if len(cw.Whens) == 0 {
		return nil, p.expected("WHEN")
	}
	if p.acceptKw("ELSE") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		cw.Else = e
	}
	if err := p.expectKw("END"); err != nil {
		return nil, err
	}
	return cw, nil
}

// typeName reads a type such as int, decimal(15, 2) or varchar(10).
func (p *parser) typeName() (arrow.DataType, error) {
	t := p.peek()
	if t.kind != tkWord {
		return nil, p.expected("a type name")
	}
	p.next()
	text := t.text
	if t.is("INTERVAL") {
		return p.intervalTypeName(t)
	}
	if p.peek().isOp("<") {
		return p.nestedTypeName(t)
	}
	if p.peek().isOp("(") {
		p.next()
		var parts []string
		for {
			n := p.peek()
			if n.kind != tkNumber {
				return nil, p.expected("a number")
			}
			p.next()
			parts = append(parts, n.text)
			if !p.acceptOp(",") {
				break
			}
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		text += "(" + strings.Join(parts, ",") + ")"
	}
	typ, err := logical.ParseType(text)
	if err != nil {
		return nil, p.errAt(t, "%v", err)
	}
	return typ, nil
}

// numberLiteral types a numeric literal as Spark does: integers are INT when
// they fit 32 bits, else BIGINT, else DECIMAL; numbers with a point are
// exact DECIMALs; numbers with an exponent are DOUBLEs. Suffixes: L (bigint),
// S (smallint), Y (tinyint), D (double), F (float), BD (decimal).
func numberLiteral(text string) (*logical.Literal, error) {
	body := text
	suffix := ""
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !(isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') || ((c == 'e' || c == 'E') && (i+1 >= len(text) || !(isDigit(text[i+1]) || text[i+1] == '+' || text[i+1] == '-'))) {
			body, suffix = text[:i], strings.ToUpper(text[i:])
			break
		}
	}
	hasExp := strings.ContainsAny(body, "eE")
	hasPoint := strings.Contains(body, ".")
	bad := func() error { return fmt.Errorf("invalid number %s", text) }
	switch suffix {
	case "":
	case "L", "S", "Y":
		if hasExp || hasPoint {
			return nil, bad()
		}
		bits := map[string]int{"L": 64, "S": 16, "Y": 8}[suffix]
		n, err := strconv.ParseInt(body, 10, bits)
		if err != nil {
			return nil, fmt.Errorf("number %s is out of range", text)
		}
		switch suffix {
		case "L":
			return &logical.Literal{Value: n, Type: arrow.PrimitiveTypes.Int64}, nil
		case "S":
			return &logical.Literal{Value: int16(n), Type: arrow.PrimitiveTypes.Int16}, nil
		}
		return &logical.Literal{Value: int8(n), Type: arrow.PrimitiveTypes.Int8}, nil
	case "D", "F":
		f, err := strconv.ParseFloat(body, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, bad()
		}
		if suffix == "F" {
			return &logical.Literal{Value: float32(f), Type: arrow.PrimitiveTypes.Float32}, nil
		}
		return &logical.Literal{Value: f, Type: arrow.PrimitiveTypes.Float64}, nil
	case "BD":
		if hasExp {
			return nil, bad()
		}
		return decimalLiteral(body)
	default:
		return nil, bad()
	}
	if hasExp {
		f, err := strconv.ParseFloat(body, 64)
		if err != nil {
			return nil, fmt.Errorf("number %s is out of the range of DOUBLE", text)
		}
		return &logical.Literal{Value: f, Type: arrow.PrimitiveTypes.Float64}, nil
	}
	if hasPoint {
		return decimalLiteral(body)
	}
	n, err := strconv.ParseInt(body, 10, 64)
	if err != nil {
		return decimalLiteral(body)
	}
	if n <= math.MaxInt32 {
		return &logical.Literal{Value: int32(n), Type: arrow.PrimitiveTypes.Int32}, nil
	}
	return &logical.Literal{Value: n, Type: arrow.PrimitiveTypes.Int64}, nil
}

// decimalLiteral makes an exact DECIMAL(p, s) literal: s digits after the
// point and p = max(significant digits, s), like Spark (0.05 is DECIMAL(2,2)).
func decimalLiteral(text string) (*logical.Literal, error) {
	d, err := values.ParseDecimal(text)
	if err != nil {
		return nil, err
	}
	digits := int32(len(d.Unscaled.Abs().BigInt().String()))
	prec := max(digits, d.Scale)
	if prec > 38 {
		return nil, fmt.Errorf("decimal literal %s has more than 38 digits", text)
	}
	return &logical.Literal{Value: d, Type: logical.DecimalType(prec, d.Scale)}, nil
}

// temporalLiteral parses DATE 'yyyy-mm-dd' and TIMESTAMP 'yyyy-mm-dd[ hh:mm:ss[.ffffff]]' (UTC).
func temporalLiteral(kind, text string, fail func(string) error) (logical.Expr, error) {
	s := strings.TrimSpace(text)
	if kind == "DATE" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			why := expr.DateTextError(s) // a day or month out of range, or the wrong form
			if why == nil {
				why = errors.New("expected the form yyyy-mm-dd")
			}
			return nil, fail(fmt.Sprintf("invalid DATE literal '%s': %v", text, why))
		}
		return &logical.Literal{Value: t, Type: arrow.FixedWidthTypes.Date32}, nil
	}
	for i, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02",
		// With a zone offset or Z, converted to UTC.
		"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999 Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			typ := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
			if kind == "TIMESTAMP_NTZ" {
				// A wall clock with no zone; an offset in the text is dropped, as Spark does.
				wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
				return &logical.Literal{Value: wall.Truncate(time.Microsecond), Type: datefn.TimestampNTZ.(*arrow.TimestampType)}, nil
			}
			if i < 5 {
				// A wall clock: the analyzer reads it in the session time zone.
				typ = datefn.SessionTimestamp.(*arrow.TimestampType)
			}
			return &logical.Literal{Value: t.Truncate(time.Microsecond).UTC(), Type: typ}, nil
		}
	}
	return nil, fail(fmt.Sprintf("invalid TIMESTAMP literal '%s': want yyyy-mm-dd hh:mm:ss[.ffffff]", text))
}

// trimCall parses TRIM(s), TRIM(chars FROM s) and TRIM(BOTH|LEADING|TRAILING
// [chars] FROM s) into trim, ltrim or rtrim, whose two-argument form takes
// the characters first, as Spark's does.
func (p *parser) trimCall() (logical.Expr, error) {
	p.next() // TRIM
	p.next() // (
	name := "trim"
	switch {
	case p.acceptKw("BOTH"):
	case p.acceptKw("LEADING"):
		name = "ltrim"
	case p.acceptKw("TRAILING"):
		name = "rtrim"
	}
	if p.acceptKw("FROM") { // TRIM(LEADING FROM s)
		str, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return &logical.Func{Name: name, Args: []logical.Expr{str}}, nil
	}
	first, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.acceptKw("FROM") {
		str, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return &logical.Func{Name: name, Args: []logical.Expr{first, str}}, nil
	}
	args := []logical.Expr{first}
	for p.acceptOp(",") {
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	if name != "trim" {
		return nil, p.expected("FROM after TRIM(LEADING|TRAILING ...")
	}
	return &logical.Func{Name: name, Args: args}, nil
}

// setTerm parses the right operand of a set operation: a SELECT without its
// own ORDER BY or LIMIT, or a parenthesized query.
func (p *parser) setTerm() (logical.Plan, error) {
	switch t := p.peek(); {
	case t.is("SELECT"):
		c, err := p.selectCore()
		if err != nil {
			return nil, err
		}
		return c.build(nil)
	case t.is("VALUES"):
		return p.values()
	case t.isOp("("):
		p.next()
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return q, nil
	}
	return nil, p.expected("SELECT or '(' after UNION")
}

// orderItems parses the items of an ORDER BY: expressions with ASC/DESC and
// NULLS FIRST/LAST (Spark's default: nulls first ascending, last descending).
func (p *parser) orderItems() ([]orderItem, error) {
	var orders []orderItem
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		o := orderItem{e: e}
		if p.acceptKw("DESC") {
			o.desc = true
		} else {
			p.acceptKw("ASC")
		}
		o.nullsFirst = !o.desc
		if p.acceptKw("NULLS") {
			switch {
			case p.acceptKw("FIRST"):
				o.nullsFirst = true
			case p.acceptKw("LAST"):
				o.nullsFirst = false
			default:
				return nil, p.expected("FIRST or LAST")
			}
		}
		orders = append(orders, o)
		if !p.acceptOp(",") {
			return orders, nil
		}
	}
}

// percentileCall builds percentile_approx(x, p [, accuracy]), percentile(x,
// p) and median(x), where p is a literal percentage or array of them.
func (p *parser) percentileCall(nameTok token, f logical.AggFunc, args []logical.Expr, distinct bool) (logical.Expr, error) {
	call := &logical.AggregateCall{Func: f, Distinct: distinct}
	maxArgs := 2
	switch f {
	case logical.AggMedian:
		maxArgs = 1
		call.Percentages = []float64{0.5}
	case logical.AggPercentileApprox:
		maxArgs = 3
	}
	if len(args) < min(2, maxArgs) || len(args) > maxArgs {
		return nil, p.errAt(nameTok, "%s takes %d to %d arguments, got %d", f, min(2, maxArgs), maxArgs, len(args))
	}
	call.Arg = args[0]
	if len(args) > 1 {
		pct := args[1]
		items := []logical.Expr{pct}
		if fn, ok := pct.(*logical.Func); ok && strings.EqualFold(fn.Name, "array") {
			items, call.ArrayResult = fn.Args, true
		}
		for _, it := range items {
			v, ok := functions.LiteralFloat(it)
			if !ok {
				return nil, p.errAt(nameTok, "the percentage of %s must be a numeric literal or an array of them, got %s", f, it)
			}
			call.Percentages = append(call.Percentages, v)
		}
	}
	if len(args) > 2 {
		acc, ok := functions.LiteralFloat(args[2])
		if !ok || acc <= 0 || acc != float64(int64(acc)) {
			return nil, p.errAt(nameTok, "the accuracy of %s must be a positive integer literal, got %s", f, args[2])
		}
		call.Accuracy = int64(acc)
	}
	return call, nil
}

// likeRest parses the rest of str [NOT] LIKE|ILIKE after the keyword:
// a pattern with an optional ESCAPE character, or ANY|SOME|ALL and a list
// of patterns. A literal pattern without ESCAPE stays a LIKE node; the
// other forms call the like or ilike function. It returns the expression
// and whether a NOT is still to be applied (the list forms apply NOT to
// each pattern, as Spark's NOT LIKE ANY/ALL do).
func (p *parser) likeRest(str logical.Expr, ilike, not bool) (logical.Expr, bool, error) {
	name := "like"
	if ilike {
		name = "ilike"
	}
	if q := p.peek(); (q.is("ANY") || q.is("SOME") || q.is("ALL")) && p.peekAt(1).isOp("(") {
		p.next()
		p.next()
		all := q.is("ALL")
		var e logical.Expr
		for {
			pat, err := p.expr()
			if err != nil {
				return nil, false, err
			}
			var one logical.Expr = &logical.Func{Name: name, Args: []logical.Expr{str, pat}}
			if not {
				one = &logical.Unary{Op: logical.OpNot, E: one}
			}
			switch {
			case e == nil:
				e = one
			case all:
				e = &logical.Binary{Op: logical.OpAnd, L: e, R: one}
			default:
				e = &logical.Binary{Op: logical.OpOr, L: e, R: one}
			}
			if !p.acceptOp(",") {
				break
			}
		}
		if err := p.expectOp(")"); err != nil {
			return nil, false, err
		}
		return e, false, nil
	}
	pt := p.peek()
	pat, err := p.additive()
	if err != nil {
		return nil, false, err
	}
	args := []logical.Expr{str, pat}
	if p.acceptKw("ESCAPE") {
		et := p.peek()
		if et.kind != tkString {
			return nil, false, p.expected("a string after ESCAPE")
		}
		p.next()
		args = append(args, &logical.Literal{Value: et.text, Type: arrow.BinaryTypes.String})
	} else if lit, ok := pat.(*logical.Literal); ok && !ilike && pt.kind == tkString {
		if s, ok := lit.Value.(string); ok && likeEscapesValid(s) {
			return &logical.Like{E: str, Pattern: s}, not, nil
		}
	}
	return &logical.Func{Name: name, Args: args}, not, nil
}

// overlayCall parses OVERLAY(input PLACING replace FROM pos [FOR len]) at
// the OVERLAY keyword; ok is false (and nothing is consumed) for the plain
// call form overlay(input, replace, pos[, len]).
func (p *parser) overlayCall() (logical.Expr, bool, error) {
	save := p.i
	p.next()
	p.next()
	in, err := p.expr()
	if err != nil || !p.acceptKw("PLACING") {
		p.i = save
		return nil, false, nil
	}
	rep, err := p.expr()
	if err != nil {
		return nil, true, err
	}
	if err := p.expectKw("FROM"); err != nil {
		return nil, true, err
	}
	pos, err := p.expr()
	if err != nil {
		return nil, true, err
	}
	args := []logical.Expr{in, rep, pos}
	if p.acceptKw("FOR") {
		n, err := p.expr()
		if err != nil {
			return nil, true, err
		}
		args = append(args, n)
	}
	if err := p.expectOp(")"); err != nil {
		return nil, true, err
	}
	return &logical.Func{Name: "overlay", Args: args}, true, nil
}

// likeEscapesValid reports whether every backslash of a LIKE pattern
// escapes _, % or a backslash, as Spark requires; other patterns go to the
// like function, which reports the error.
func likeEscapesValid(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' {
			if i+1 == len(p) || !strings.ContainsRune("_%\\", rune(p[i+1])) {
				return false
			}
			i++
		}
	}
	return true
}
