package logical

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/values"
)

// TransformDownExpr rewrites e top-down: where fn replaces a node, its
// result is kept as it is (not descended into).
func TransformDownExpr(e Expr, fn func(Expr) (Expr, bool)) (Expr, bool) {
	if ne, ok := fn(e); ok {
		return ne, true
	}
	if b, ok := e.(*Binary); ok { // the commonest node, without a children slice
		l, cl := TransformDownExpr(b.L, fn)
		r, cr := TransformDownExpr(b.R, fn)
		if !cl && !cr {
			return e, false
		}
		return &Binary{Op: b.Op, L: l, R: r, Type: b.Type}, true
	}
	kids := e.Children()
	if len(kids) == 0 {
		return e, false
	}
	nk := make([]Expr, len(kids))
	changed := false
	for i, k := range kids {
		var c bool
		nk[i], c = TransformDownExpr(k, fn)
		changed = changed || c
	}
	if !changed {
		return e, false
	}
	return e.WithChildren(nk), true
}

// Expr is a logical expression. Expressions are immutable: rewrites build new
// ones with WithChildren. DataType is nil until the analyzer resolves it.
type Expr interface {
	fmt.Stringer
	Children() []Expr
	WithChildren(children []Expr) Expr
	DataType() arrow.DataType
	Nullable() bool
}

// UnresolvedColumn names a column that the analyzer has yet to find, optionally
// qualified ("l.l_orderkey").
type UnresolvedColumn struct{ Name string }

func (e *UnresolvedColumn) String() string { return e.Name }

func (e *UnresolvedColumn) Children() []Expr { return nil }

func (e *UnresolvedColumn) WithChildren([]Expr) Expr { return e }

func (e *UnresolvedColumn) DataType() arrow.DataType { return nil }

func (e *UnresolvedColumn) Nullable() bool { return true }

// Star stands for every column of the input (SELECT *), optionally of one qualifier.
type Star struct{ Qualifier string }

func (e *Star) String() string {
	if e.Qualifier != "" {
		return e.Qualifier + ".*"
	}
	return "*"
}

func (e *Star) Children() []Expr { return nil }

func (e *Star) WithChildren([]Expr) Expr { return e }

func (e *Star) DataType() arrow.DataType { return nil }

func (e *Star) Nullable() bool { return true }

// Attribute is a resolved column: a unique ID within the query, a name, an
// optional qualifier (table name or alias), its type and nullability.
// Meta, when not nil, is the column's field metadata (as Spark's
// StructField metadata, e.g. ML attributes); it is shared, never modified.
type Attribute struct {
	ID        int64
	Name      string
	Qualifier string
	Type      arrow.DataType
	Null      bool
	Meta      *arrow.Metadata
}

func (e *Attribute) String() string { return fmt.Sprintf("%s#%d", e.Name, e.ID) }

func (e *Attribute) Children() []Expr { return nil }

func (e *Attribute) WithChildren([]Expr) Expr { return e }

func (e *Attribute) DataType() arrow.DataType { return e.Type }

func (e *Attribute) Nullable() bool { return e.Null }

// WithNullable returns a copy of the attribute with the given nullability.
func (e *Attribute) WithNullable(n bool) *Attribute {
	c := *e
	c.Null = n
	return &c
}

// Literal is a constant: a Go value in the row form of package values (nil
// for null) and its type.
type Literal struct {
	Value any
	Type  arrow.DataType
}

func (e *Literal) String() string {
	switch v := e.Value.(type) {
	case nil:
		return "NULL"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "\\'") + "'"
	}
	if e.Type != nil && e.Type.ID() == arrow.DATE32 {
		return "DATE '" + values.FormatValue(e.Value) + "'"
	}
	if a, ok := e.Value.(interface{ ANSI() string }); ok { // an interval
		return a.ANSI()
	}
	return values.FormatValue(e.Value)
}

func (e *Literal) Children() []Expr { return nil }

func (e *Literal) WithChildren([]Expr) Expr { return e }

func (e *Literal) DataType() arrow.DataType { return e.Type }

func (e *Literal) Nullable() bool { return e.Value == nil }

// BinaryOp is an arithmetic, comparison or logical operator.
type BinaryOp int

// The binary operators.
const (
	OpAdd BinaryOp = iota
	OpSub
	OpMul
	OpDiv
	OpMod
	OpEq
	OpNotEq
	OpLt
	OpLtEq
	OpGt
	OpGtEq
	OpAnd
	OpOr
	// OpNullSafeEq is <=>: like = but null <=> null is true and null <=> x false.
	OpNullSafeEq
)

var binaryOpText = [...]string{"+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "AND", "OR", "<=>"}

func (o BinaryOp) String() string { return binaryOpText[o] }

// IsComparison reports whether o compares its operands.
func (o BinaryOp) IsComparison() bool { return o >= OpEq && o <= OpGtEq || o == OpNullSafeEq }

// IsArithmetic reports whether o is + - * / %.
func (o BinaryOp) IsArithmetic() bool { return o <= OpMod }

// Binary applies an operator to two operands. Type is the result type once resolved.
type Binary struct {
	Op   BinaryOp
	L, R Expr
	Type arrow.DataType
}

// String renders (L op R). Nested binary operands are written into one
// buffer, so the text of a long chain (1 + 1 + … + 1) costs time linear in
// its length, not quadratic as formatting each level's operands would.
func (e *Binary) String() string {
	var b strings.Builder
	writeBinary(&b, e)
	return b.String()
}

func writeBinary(b *strings.Builder, e *Binary) {
	b.WriteByte('(')
	writeOperand(b, e.L)
	b.WriteByte(' ')
	b.WriteString(e.Op.String())
	b.WriteByte(' ')
	writeOperand(b, e.R)
	b.WriteByte(')')
}

func writeOperand(b *strings.Builder, e Expr) {
	if x, ok := e.(*Binary); ok {
		writeBinary(b, x)
		return
	}
	b.WriteString(e.String())
}

func (e *Binary) Children() []Expr { return []Expr{e.L, e.R} }

func (e *Binary) WithChildren(c []Expr) Expr {
	return &Binary{Op: e.Op, L: c[0], R: c[1], Type: e.Type}
}

func (e *Binary) DataType() arrow.DataType { return e.Type }

func (e *Binary) Nullable() bool {
	if e.Op == OpNullSafeEq {
		return false
	}
	if e.Op == OpDiv || e.Op == OpMod {
		return true
	}
	return e.L.Nullable() || e.R.Nullable()
}

// UnaryOp is a one-operand operator.
type UnaryOp int

// The unary operators.
const (
	OpNot UnaryOp = iota
	OpNegate
	OpIsNull
	OpIsNotNull
)

// Unary applies NOT, unary minus, IS NULL or IS NOT NULL.
type Unary struct {
	Op UnaryOp
	E  Expr
}

func (e *Unary) String() string {
	switch e.Op {
	case OpNot:
		return fmt.Sprintf("(NOT %s)", e.E)
	case OpNegate:
		return fmt.Sprintf("(- %s)", e.E)
	case OpIsNull:
		return fmt.Sprintf("(%s IS NULL)", e.E)
	default:
		return fmt.Sprintf("(%s IS NOT NULL)", e.E)
	}
}

func (e *Unary) Children() []Expr { return []Expr{e.E} }

func (e *Unary) WithChildren(c []Expr) Expr { return &Unary{Op: e.Op, E: c[0]} }

func (e *Unary) DataType() arrow.DataType {
	switch e.Op {
	case OpNegate:
		return e.E.DataType()
	default:
		return arrow.FixedWidthTypes.Boolean
	}
}

func (e *Unary) Nullable() bool {
	if e.Op == OpIsNull || e.Op == OpIsNotNull {
		return false
	}
	return e.E.Nullable()
}

// Cast converts its operand to type To (ANSI: invalid input is an error).
type Cast struct {
	E  Expr
	To arrow.DataType
	// Try makes a value that cannot be converted null instead of an error
	// (try_cast).
	Try bool
}

func (e *Cast) String() string {
	if e.Try {
		return fmt.Sprintf("TRY_CAST(%s AS %s)", e.E, TypeName(e.To))
	}
	return fmt.Sprintf("CAST(%s AS %s)", e.E, TypeName(e.To))
}

func (e *Cast) Children() []Expr { return []Expr{e.E} }

func (e *Cast) WithChildren(c []Expr) Expr { return &Cast{E: c[0], To: e.To, Try: e.Try} }

func (e *Cast) DataType() arrow.DataType { return e.To }

func (e *Cast) Nullable() bool { return e.Try || e.E.Nullable() }

// Alias names the value of an expression. ID is the attribute ID of the output
// column it defines (assigned by the analyzer).
//
// Meta, when not nil, is the explicit field metadata of the named column;
// when nil, an alias of a column keeps that column's metadata (Spark's
// Alias.explicitMetadata).
type Alias struct {
	E    Expr
	Name string
	ID   int64
	Meta *arrow.Metadata
}

func (e *Alias) String() string { return fmt.Sprintf("%s AS %s#%d", e.E, e.Name, e.ID) }

func (e *Alias) Children() []Expr { return []Expr{e.E} }

func (e *Alias) WithChildren(c []Expr) Expr {
	return &Alias{E: c[0], Name: e.Name, ID: e.ID, Meta: e.Meta}
}

// Metadata is the field metadata of the aliased column: the explicit Meta,
// else that of an aliased column, else nil.
func (e *Alias) Metadata() *arrow.Metadata {
	if e.Meta != nil {
		return e.Meta
	}
	if a, ok := e.E.(*Attribute); ok {
		return a.Meta
	}
	return nil
}

func (e *Alias) DataType() arrow.DataType { return e.E.DataType() }

func (e *Alias) Nullable() bool { return e.E.Nullable() }

// CaseWhen is CASE WHEN w1 THEN t1 ... ELSE e END; Else may be nil (null).
type CaseWhen struct {
	Whens, Thens []Expr
	Else         Expr
}

func (e *CaseWhen) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for i := range e.Whens {
		fmt.Fprintf(&b, " WHEN %s THEN %s", e.Whens[i], e.Thens[i])
	}
	if e.Else != nil {
		fmt.Fprintf(&b, " ELSE %s", e.Else)
	}
	b.WriteString(" END")
	return b.String()
}

func (e *CaseWhen) Children() []Expr {
	c := append(append([]Expr{}, e.Whens...), e.Thens...)
	if e.Else != nil {
		c = append(c, e.Else)
	}
	return c
}

func (e *CaseWhen) WithChildren(c []Expr) Expr {
	n := len(e.Whens)
	out := &CaseWhen{Whens: c[:n:n], Thens: c[n : 2*n : 2*n]}
	if len(c) > 2*n {
		out.Else = c[2*n]
	}
	return out
}

func (e *CaseWhen) DataType() arrow.DataType {
	for _, t := range e.Thens {
		if t.DataType() != nil && t.DataType().ID() != arrow.NULL {
			return t.DataType()
		}
	}
	if e.Else != nil {
		return e.Else.DataType()
	}
	if len(e.Thens) > 0 {
		return e.Thens[0].DataType()
	}
	return nil
}

func (e *CaseWhen) Nullable() bool {
	if e.Else == nil {
		return true
	}
	for _, t := range e.Thens {
		if t.Nullable() {
			return true
		}
	}
	return e.Else.Nullable()
}

// Like matches a string against a SQL LIKE pattern.
type Like struct {
	E       Expr
	Pattern string
}

func (e *Like) String() string { return fmt.Sprintf("(%s LIKE '%s')", e.E, e.Pattern) }

func (e *Like) Children() []Expr { return []Expr{e.E} }

func (e *Like) WithChildren(c []Expr) Expr { return &Like{E: c[0], Pattern: e.Pattern} }

func (e *Like) DataType() arrow.DataType { return arrow.FixedWidthTypes.Boolean }

func (e *Like) Nullable() bool { return e.E.Nullable() }

// Func is a call of a scalar function by name (upper, lower, substring, year, ...).
type Func struct {
	Name string
	Args []Expr
	Type arrow.DataType
	// MayBeNull marks a function that can return null for non-null
	// arguments (e.g. nullif, to_date on bad text); otherwise a result is
	// null only when an argument is.
	MayBeNull bool
}

func (e *Func) String() string {
	if strings.HasPrefix(e.Name, "__reinterpret") && len(e.Args) >= 1 {
		return e.Args[0].String() // a change of type only, as a cast the user never wrote
	}
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = a.String()
	}
	return fmt.Sprintf("%s(%s)", e.Name, strings.Join(parts, ", "))
}

func (e *Func) Children() []Expr { return e.Args }

func (e *Func) WithChildren(c []Expr) Expr {
	return &Func{Name: e.Name, Args: c, Type: e.Type, MayBeNull: e.MayBeNull}
}

func (e *Func) DataType() arrow.DataType { return e.Type }

func (e *Func) Nullable() bool {
	if e.MayBeNull {
		return true
	}
	for _, a := range e.Args {
		if a.Nullable() {
			return true
		}
	}
	return false
}

// AggFunc is an aggregate function.
type AggFunc int

// The aggregate functions.
const (
	AggCount AggFunc = iota
	AggSum
	AggAvg
	AggMin
	AggMax
	AggStddevSamp
	AggStddevPop
	AggVarSamp
	AggVarPop
	AggFirst
	AggLast
	AggBoolAnd
	AggBoolOr
	AggCountIf
	AggAnyValue
	AggCorr
	AggCovarSamp
	AggCovarPop
	AggMaxBy
	AggMinBy
	AggApproxCountDistinct
	AggCollectList
	AggCollectSet
	AggPercentileApprox
	AggPercentile
	AggMedian
	AggBitAnd
	AggBitOr
	AggBitXor
	// The aggregates of agg_ext.go (mode, listagg, percentile_disc, the
	// higher moments, the regr_* family, histogram_numeric, try_sum, try_avg).
	AggMode
	AggListAgg
	AggPercentileDisc
	AggSkewness
	AggKurtosis
	AggRegrCount
	AggRegrAvgX
	AggRegrAvgY
	AggRegrSXX
	AggRegrSYY
	AggRegrSXY
	AggRegrSlope
	AggRegrIntercept
	AggRegrR2
	AggHistogramNumeric
	AggTrySum
	AggTryAvg
	AggCountMinSketch
	AggPercentileCont
)

func (f AggFunc) String() string {
	switch f {
	case AggCount:
		return "count"
	case AggSum:
		return "sum"
	case AggAvg:
		return "avg"
	case AggMin:
		return "min"
	case AggMax:
		return "max"
	case AggStddevSamp:
		return "stddev_samp"
	case AggStddevPop:
		return "stddev_pop"
	case AggVarSamp:
		return "var_samp"
	case AggVarPop:
		return "var_pop"
	case AggFirst:
		return "first"
	case AggLast:
		return "last"
	case AggBoolAnd:
		return "bool_and"
	case AggBoolOr:
		return "bool_or"
	case AggCountIf:
		return "count_if"
	case AggAnyValue:
		return "any_value"
	case AggCorr:
		return "corr"
	case AggCovarSamp:
		return "covar_samp"
	case AggCovarPop:
		return "covar_pop"
	case AggMaxBy:
		return "max_by"
	case AggMinBy:
		return "min_by"
	case AggApproxCountDistinct:
		return "approx_count_distinct"
	case AggCollectList:
		return "collect_list"
	case AggCollectSet:
		return "collect_set"
	case AggPercentileApprox:
		return "percentile_approx"
	case AggPercentile:
		return "percentile"
	case AggMedian:
		return "median"
	case AggBitAnd:
		return "bit_and"
	case AggBitOr:
		return "bit_or"
	case AggBitXor:
		return "bit_xor"
	}
	if n, ok := extAggNames[f]; ok {
		return n
	}
	if n, ok := sketchAggNames[f]; ok {
		return n
	}
	return fmt.Sprintf("AggFunc(%d)", int(f))
}

// TwoArgs reports whether the aggregate takes two arguments.
func (f AggFunc) TwoArgs() bool {
	return f == AggCorr || f == AggCovarSamp || f == AggCovarPop || f == AggMaxBy || f == AggMinBy || f.IsRegr()
}

// LookupAggregate returns the aggregate function a (case-insensitive) SQL
// name denotes, with Spark's aliases.
func LookupAggregate(name string) (AggFunc, bool) {
	switch strings.ToLower(name) {
	case "count":
		return AggCount, true
	case "sum":
		return AggSum, true
	case "avg", "mean":
		return AggAvg, true
	case "min":
		return AggMin, true
	case "max":
		return AggMax, true
	case "stddev", "std", "stddev_samp":
		return AggStddevSamp, true
	case "stddev_pop":
		return AggStddevPop, true
	case "variance", "var_samp":
		return AggVarSamp, true
	case "var_pop":
		return AggVarPop, true
	case "first", "first_value":
		return AggFirst, true
	case "last", "last_value":
		return AggLast, true
	case "bool_and", "every":
		return AggBoolAnd, true
	case "bool_or", "some", "any":
		return AggBoolOr, true
	case "count_if":
		return AggCountIf, true
	case "any_value":
		return AggAnyValue, true
	case "corr":
		return AggCorr, true
	case "covar_samp":
		return AggCovarSamp, true
	case "covar_pop":
		return AggCovarPop, true
	case "max_by":
		return AggMaxBy, true
	case "min_by":
		return AggMinBy, true
	case "approx_count_distinct":
		return AggApproxCountDistinct, true
	case "collect_list", "array_agg":
		return AggCollectList, true
	case "collect_set":
		return AggCollectSet, true
	case "percentile_approx", "approx_percentile":
		return AggPercentileApprox, true
	case "percentile":
		return AggPercentile, true
	case "median":
		return AggMedian, true
	case "bit_and":
		return AggBitAnd, true
	case "bit_or":
		return AggBitOr, true
	case "bit_xor":
		return AggBitXor, true
	}
	return lookupExtAggregate(name)
}

// AggregateNames lists the SQL names LookupAggregate knows, aliases included.
func AggregateNames() []string {
	names := []string{"any", "any_value", "approx_count_distinct", "approx_percentile", "array_agg", "avg", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or",
		"collect_list", "collect_set", "corr", "count", "count_if", "covar_pop", "covar_samp", "every", "first", "first_value",
		"last", "last_value", "max", "max_by", "mean", "median", "min", "min_by", "percentile", "percentile_approx", "some",
		"std", "stddev", "stddev_pop", "stddev_samp", "sum", "var_pop", "var_samp", "variance"}
	return append(names, extAggregateNames()...)
}

// AggregateCall is an aggregate function call; Arg is nil for count(*).
// Arg2 is the second argument of two-argument aggregates (corr, max_by, …).
type AggregateCall struct {
	Func AggFunc
	Arg  Expr
	Arg2 Expr
	Type arrow.DataType
	// Distinct aggregates each distinct value of Arg once (count(DISTINCT x)).
	Distinct bool
	// IgnoreNulls makes first/last/any_value skip nulls.
	IgnoreNulls bool
	// Percentages are the literal percentages of percentile_approx and
	// percentile (0.5 for median); ArrayResult marks the array form, which
	// returns one value per percentage. Accuracy is percentile_approx's
	// (0: the default).
	Percentages []float64
	ArrayResult bool
	Accuracy    int64
	// Desc marks a descending WITHIN GROUP order (mode, percentile_cont,
	// percentile_disc, listagg) and NullsFirst where listagg's null keys
	// go; Delimiter is listagg's separator; Bins is histogram_numeric's
	// number of bins.
	Desc       bool
	NullsFirst bool
	Delimiter  string
	Bins       int64
	// KeyDesc and KeyNullsFirst are the directions of listagg's keys when
	// it orders by several (Arg2 is then struct(key1, key2, ...)).
	KeyDesc, KeyNullsFirst []bool
}

// IsPercentile reports whether f takes literal percentages.
func (f AggFunc) IsPercentile() bool {
	return f == AggPercentileApprox || f == AggPercentile || f == AggMedian
}

func (e *AggregateCall) String() string {
	if e.Arg == nil {
		return e.Func.String() + "(1)"
	}
	if s, ok := e.extString(); ok {
		return s
	}
	var b strings.Builder
	b.WriteString(e.Func.String() + "(")
	if e.Distinct {
		b.WriteString("DISTINCT ")
	}
	b.WriteString(e.Arg.String())
	if e.Arg2 != nil {
		b.WriteString(", " + e.Arg2.String())
	}
	if e.Func == AggPercentileApprox || e.Func == AggPercentile {
		ps := make([]string, len(e.Percentages))
		for i, p := range e.Percentages {
			ps[i] = strconv.FormatFloat(p, 'g', -1, 64)
		}
		if e.ArrayResult {
			fmt.Fprintf(&b, ", array(%s)", strings.Join(ps, ", "))
		} else {
			b.WriteString(", " + strings.Join(ps, ", "))
		}
		if e.Accuracy > 0 {
			fmt.Fprintf(&b, ", %d", e.Accuracy)
		}
	}
	if e.IgnoreNulls {
		b.WriteString(") IGNORE NULLS")
		return b.String()
	}
	b.WriteString(")")
	return b.String()
}

func (e *AggregateCall) Children() []Expr {
	switch {
	case e.Arg == nil:
		return nil
	case e.Arg2 == nil:
		return []Expr{e.Arg}
	}
	return []Expr{e.Arg, e.Arg2}
}

func (e *AggregateCall) WithChildren(c []Expr) Expr {
	out := *e
	out.Arg, out.Arg2 = nil, nil
	if len(c) > 0 {
		out.Arg = c[0]
	}
	if len(c) > 1 {
		out.Arg2 = c[1]
	}
	return &out
}

func (e *AggregateCall) DataType() arrow.DataType { return e.Type }

func (e *AggregateCall) Nullable() bool {
	return e.Func != AggCount && e.Func != AggCountIf && e.Func != AggApproxCountDistinct
}

// SortOrder is one key of an ORDER BY.
type SortOrder struct {
	E          Expr
	Desc       bool
	NullsFirst bool
}

func (e *SortOrder) String() string {
	dir, nulls := "ASC", "NULLS LAST"
	if e.Desc {
		dir = "DESC"
	}
	if e.NullsFirst {
		nulls = "NULLS FIRST"
	}
	return fmt.Sprintf("%s %s %s", e.E, dir, nulls)
}

func (e *SortOrder) Children() []Expr { return []Expr{e.E} }

func (e *SortOrder) WithChildren(c []Expr) Expr {
	return &SortOrder{E: c[0], Desc: e.Desc, NullsFirst: e.NullsFirst}
}

func (e *SortOrder) DataType() arrow.DataType { return e.E.DataType() }

func (e *SortOrder) Nullable() bool { return e.E.Nullable() }

// Transform rewrites an expression bottom-up: fn is applied to every node after
// its children were rewritten. It returns the new expression and whether
// anything changed.
func Transform(e Expr, fn func(Expr) (Expr, bool)) (Expr, bool) {
	if b, ok := e.(*Binary); ok { // the commonest node, without a children slice
		l, cl := Transform(b.L, fn)
		r, cr := Transform(b.R, fn)
		if cl || cr {
			e = &Binary{Op: b.Op, L: l, R: r, Type: b.Type}
		}
		ne, c := fn(e)
		return ne, cl || cr || c
	}
	kids := e.Children()
	changed := false
	if len(kids) > 0 {
		nk := make([]Expr, len(kids))
		for i, k := range kids {
			var c bool
			nk[i], c = Transform(k, fn)
			changed = changed || c
		}
		if changed {
			e = e.WithChildren(nk)
		}
	}
	ne, c := fn(e)
	return ne, changed || c
}

// Walk visits e and its descendants in pre-order; fn returns false to skip a subtree.
func Walk(e Expr, fn func(Expr) bool) {
	if !fn(e) {
		return
	}
	if b, ok := e.(*Binary); ok { // the commonest node, without a children slice
		Walk(b.L, fn)
		Walk(b.R, fn)
		return
	}
	for _, c := range e.Children() {
		Walk(c, fn)
	}
}

// References returns the IDs of the attributes e reads.
func References(e Expr) map[int64]bool {
	refs := map[int64]bool{}
	Walk(e, func(x Expr) bool {
		if a, ok := x.(*Attribute); ok {
			refs[a.ID] = true
		}
		return true
	})
	return refs
}

// ContainsAggregate reports whether e has an aggregate function call.
func ContainsAggregate(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*AggregateCall); ok {
			found = true
		}
		return !found
	})
	return found
}

// SplitConjuncts flattens a tree of ANDs into its operands.
func SplitConjuncts(e Expr) []Expr { return SplitBinary(e, OpAnd) }

// SplitBinary returns the operands of a tree of op (AND, OR) in order from
// left to right: a walk without recursion, linear in the size of the tree
// whatever its shape (a chain folded to either side, a balanced tree).
func SplitBinary(e Expr, op BinaryOp) []Expr {
	var out []Expr
	stack := []Expr{e}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b, ok := x.(*Binary); ok && b.Op == op {
			stack = append(stack, b.R, b.L)
			continue
		}
		out = append(out, x)
	}
	return out
}

// And combines conjuncts with AND; nil for none.
func And(es ...Expr) Expr {
	var out Expr
	for _, e := range es {
		if out == nil {
			out = e
		} else {
			out = &Binary{Op: OpAnd, L: out, R: e, Type: arrow.FixedWidthTypes.Boolean}
		}
	}
	return out
}

// OutputName is the column name an expression gets in a result when not aliased.
func OutputName(e Expr) string {
	switch x := e.(type) {
	case *Attribute:
		return x.Name
	case *Alias:
		return x.Name
	case *UnresolvedColumn:
		if i := strings.LastIndexByte(x.Name, '.'); i >= 0 {
			return x.Name[i+1:]
		}
		return x.Name
	}
	// Spark names an unaliased column by its expression's text, so the
	// text is the name here (not an identity: compare with Equal).
	return StripIDs(nameView(e).String())
}

// StripIDs removes the "#id" suffixes of attributes from expression text, so
// generated column names read like the user's expression.
func StripIDs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '#' {
			j := i + 1
			if j+1 < len(s) && s[j] == '-' && s[j+1] >= '0' && s[j+1] <= '9' {
				j++ // the negative ids of lambda variables
			}
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j > i+1 {
				i = j - 1
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
