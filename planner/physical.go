package planner

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/join"
	xsort "github.com/gspark/gspark/exec/sort"
	"github.com/gspark/gspark/io/source"
)

// PhysicalPlanner turns optimized logical plans into exec operators.
type PhysicalPlanner struct {
	Env *exec.Env
	// Partitions is the parallelism of scans and hash exchanges.
	Partitions int
	// Metered wraps the operator of every logical node in an exec.Metered,
	// whose counts EXPLAIN ANALYZE prints.
	Metered bool
	// BroadcastThreshold is the estimated size in bytes up to which a hash
	// join's build side is one table shared by every partition (a broadcast
	// join); above it both sides are hash-partitioned by the keys and each
	// partition builds its own table. Negative: always broadcast.
	BroadcastThreshold int64
	ids                int64
}

// physical is an operator with the attribute each of its columns carries.
type physical struct {
	op    exec.Operator
	attrs []*Attribute
}

// Plan builds the operator tree for p; its columns are p's output, in order.
func (pp *PhysicalPlanner) Plan(p Plan) (exec.Operator, error) {
	if pp.Partitions < 1 {
		pp.Partitions = 1
	}
	ph, err := pp.plan(p)
	if err != nil {
		return nil, err
	}
	return pp.projectTo(ph, p.Output())
}

// projectTo reorders/narrows ph's columns to exactly want.
func (pp *PhysicalPlanner) projectTo(ph physical, want []*Attribute) (exec.Operator, error) {
	if sameAttrs(ph.attrs, want) {
		return ph.op, nil
	}
	list := make([]Expr, len(want))
	for i, a := range want {
		list[i] = a
	}
	out, err := pp.project(ph, list)
	if err != nil {
		return nil, err
	}
	return out.op, nil
}

func sameAttrs(a, b []*Attribute) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Name != b[i].Name {
			return false
		}
	}
	return true
}

// project evaluates a list of named expressions over ph. Subexpressions the
// list repeats are computed once, by a projection below it.
func (pp *PhysicalPlanner) project(ph physical, list []Expr) (physical, error) {
	if first, rewritten, ok := pp.hoistCommon(list, ph.attrs); ok {
		inner, err := pp.projectOnce(ph, first)
		if err != nil {
			return physical{}, err
		}
		ph, list = inner, rewritten
	}
	return pp.projectOnce(ph, list)
}

func (pp *PhysicalPlanner) projectOnce(ph physical, list []Expr) (physical, error) {
	attrs := namedOutput(list)
	op, err := pp.perPartition(ph, list, func(list []Expr) (exec.Operator, error) {
		exprs := make([]expr.Expr, len(list))
		names := make([]string, len(list))
		nullable := make([]bool, len(list))
		for i, e := range list {
			c, err := compileExpr(e, ph.attrs)
			if err != nil {
				return nil, err
			}
			exprs[i], names[i], nullable[i] = c, attrs[i].Name, attrs[i].Null
		}
		return exec.NewProject(pp.Env, ph.op, exprs, names, nullable), nil
	})
	if err != nil {
		return physical{}, err
	}
	return physical{op: op, attrs: attrs}, nil
}

func (pp *PhysicalPlanner) tempAttr(name string, t arrow.DataType, nullable bool) *Attribute {
	pp.ids--
	return &Attribute{ID: pp.ids, Name: name, Type: t, Null: nullable}
}

func (pp *PhysicalPlanner) plan(p Plan) (physical, error) {
	ph, err := pp.planNode(p)
	if err != nil || !pp.Metered {
		return ph, err
	}
	if _, done := ph.op.(*exec.Metered); !done {
		ph.op = exec.NewMetered(ph.op)
	}
	return ph, nil
}

func (pp *PhysicalPlanner) planNode(p Plan) (physical, error) {
	switch n := p.(type) {
	case *Scan:
		return pp.planScan(n)
	case *SubqueryAlias:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		return physical{op: child.op, attrs: n.Output()}, nil
	case *Project:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		return pp.project(child, n.List)
	case *Filter:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		f, err := pp.perPartition(child, []Expr{n.Cond}, func(es []Expr) (exec.Operator, error) {
			pred, err := compileExpr(es[0], child.attrs)
			if err != nil {
				return nil, err
			}
			return exec.NewFilter(pp.Env, child.op, pred)
		})
		if err != nil {
			return physical{}, err
		}
		return physical{op: f, attrs: child.attrs}, nil
	case *Aggregate:
		return pp.planAggregate(n)
	case *Sort:
		return pp.planSort(n, -1)
	case *Limit:
		if s, ok := n.Child.(*Sort); ok {
			return pp.planSort(s, n.N)
		}
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		op := child.op
		if op.Partitions() > 1 {
			op = exchange.NewGather(pp.Env, xsort.NewLimit(op, n.N, 0, false))
		}
		return physical{op: xsort.NewLimit(op, n.N, 0, true), attrs: child.attrs}, nil
	case *Generate:
		return pp.planGenerate(n)
	case *Offset:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		op := child.op
		if op.Partitions() > 1 {
			op = exchange.NewGather(pp.Env, op)
		}
		return physical{op: xsort.NewLimit(op, -1, n.N, true), attrs: child.attrs}, nil
	case *Join:
		return pp.planJoin(n)
	case *Union:
		return pp.planUnion(n)
	case *Repartition:
		return pp.planRepartition(n)
	case *Sample:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		op, err := exec.NewSample(pp.Env, child.op, n.Lower, n.Upper, n.Seed)
		if err != nil {
			return physical{}, err
		}
		return physical{op: op, attrs: child.attrs}, nil
	case *Window:
		return pp.planWindow(n)
	case *Expand:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		prs := make([][]expr.Expr, len(n.Projections))
		for i, pr := range n.Projections {
			prs[i] = make([]expr.Expr, len(pr))
			for j, e := range pr {
				c, err := compileExpr(e, child.attrs)
				if err != nil {
					return physical{}, err
				}
				prs[i][j] = c
			}
		}
		names := make([]string, len(n.Attrs))
		types := make([]arrow.DataType, len(n.Attrs))
		nullable := make([]bool, len(n.Attrs))
		for i, a := range n.Attrs {
			names[i], types[i], nullable[i] = a.Name, a.Type, a.Null
		}
		return physical{op: exec.NewExpand(pp.Env, child.op, prs, names, types, nullable), attrs: n.Attrs}, nil
	case *UnresolvedRelation:
		return physical{}, fmt.Errorf("internal error: unresolved table %s reached the physical planner", n.Name)
	}
	return physical{}, fmt.Errorf("internal error: no physical plan for %s", p)
}

func (pp *PhysicalPlanner) planScan(s *Scan) (physical, error) {
	out := s.Output()
	cols := s.Columns
	if cols == nil {
		cols = make([]int, len(s.Attrs))
		for i := range cols {
			cols[i] = i
		}
	}
	read := append([]int{}, cols...)
	inRead := map[int]bool{}
	for _, c := range read {
		inRead[c] = true
	}
	for _, f := range s.Filters {
		for id := range References(f) {
			for i, a := range s.Attrs {
				if a.ID == id && !inRead[i] {
					read = append(read, i)
					inRead[i] = true
				}
			}
		}
	}
	readAttrs := make([]*Attribute, len(read))
	for i, c := range read {
		readAttrs[i] = s.Attrs[c]
	}
	output := make([]int, len(cols))
	for i := range output {
		output[i] = i
	}
	req := ScanRequest{ReadColumns: read, Output: output, Limit: s.Limit, Partitions: pp.Partitions}
	if len(s.Filters) > 0 {
		pred, err := compileExpr(And(s.Filters...), readAttrs)
		if err != nil {
			return physical{}, err
		}
		req.Predicate = pred
		req.Filters = sourceFilters(s.Filters)
	}
	op, err := s.Source.Operator(pp.Env, req)
	if err != nil {
		return physical{}, err
	}
	return physical{op: op, attrs: out}, nil
}

// sourceFilters converts the conjuncts of the form column-op-literal into
// filters a reader can use to skip data.
func sourceFilters(conds []Expr) []source.Filter {
	var out []source.Filter
	flip := map[BinaryOp]BinaryOp{OpEq: OpEq, OpNotEq: OpNotEq, OpLt: OpGt, OpLtEq: OpGtEq, OpGt: OpLt, OpGtEq: OpLtEq}
	ops := map[BinaryOp]source.Op{OpEq: source.Eq, OpNotEq: source.NotEq, OpLt: source.Lt, OpLtEq: source.LtEq, OpGt: source.Gt, OpGtEq: source.GtEq}
	for _, c := range conds {
		switch x := c.(type) {
		case *Unary:
			if a, ok := x.E.(*Attribute); ok && (x.Op == OpIsNull || x.Op == OpIsNotNull) {
				op := source.IsNull
				if x.Op == OpIsNotNull {
					op = source.IsNotNull
				}
				out = append(out, source.Filter{Column: a.Name, Op: op})
			}
		case *Binary:
			if !x.Op.IsComparison() || x.Op == OpNullSafeEq {
				continue
			}
			a, aok := x.L.(*Attribute)
			l, lok := x.R.(*Literal)
			op := x.Op
			if !aok || !lok {
				a, aok = x.R.(*Attribute)
				l, lok = x.L.(*Literal)
				op = flip[op]
			}
			if !aok || !lok || l.Value == nil || !arrow.TypeEqual(a.Type, l.Type) {
				continue
			}
			arr, err := literalArray(l)
			if err != nil {
				continue
			}
			out = append(out, source.Filter{Column: a.Name, Op: ops[op], Value: arr})
		}
	}
	return out
}

// literalArray materializes a literal as a length-1 array.
func literalArray(l *Literal) (arrow.Array, error) {
	e, err := expr.Literal(literalValue(l.Value), l.Type)
	if err != nil {
		return nil, err
	}
	b := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
	defer b.Release()
	return e.Eval(memory.DefaultAllocator, b)
}

func (pp *PhysicalPlanner) planAggregate(n *Aggregate) (physical, error) {
	child, err := pp.plan(n.Child)
	if err != nil {
		return physical{}, err
	}
	// Pre-projection: the grouping keys, then each distinct aggregate input.
	var pre []Expr
	groupAttrs := make([]*Attribute, len(n.Groups))
	for i, g := range n.Groups {
		a := pp.tempAttr(outputName(g), g.DataType(), g.Nullable())
		groupAttrs[i] = a
		pre = append(pre, &Alias{E: g, Name: a.Name, ID: a.ID})
	}
	var calls []*AggregateCall
	callIndex := map[string]int{}
	inputIndex := map[string]int{}
	for _, e := range n.List {
		Walk(e, func(x Expr) bool {
			c, ok := x.(*AggregateCall)
			if !ok {
				return true
			}
			if _, seen := callIndex[c.String()]; !seen {
				callIndex[c.String()] = len(calls)
				calls = append(calls, c)
				for _, arg := range c.Children() {
					if _, seen := inputIndex[arg.String()]; !seen {
						inputIndex[arg.String()] = len(pre)
						a := pp.tempAttr(outputName(arg), arg.DataType(), arg.Nullable())
						pre = append(pre, &Alias{E: arg, Name: a.Name, ID: a.ID})
					}
				}
			}
			return false
		})
	}
	if len(pre) == 0 {
		// count(*) alone: keep one column so rows flow.
		a := pp.tempAttr("one", arrow.PrimitiveTypes.Int32, false)
		pre = append(pre, &Alias{E: &Literal{Value: int32(1), Type: a.Type}, Name: a.Name, ID: a.ID})
	}
	preOp, err := pp.project(child, pre)
	if err != nil {
		return physical{}, err
	}
	k := len(n.Groups)
	specs := make([]aggregate.Spec, len(calls))
	inTypes := make([]arrow.DataType, len(calls))
	resultAttrs := make([]*Attribute, len(calls))
	for i, c := range calls {
		spec := aggregate.Spec{Name: fmt.Sprintf("agg%d", i), Func: execAggOf(c), IgnoreNulls: c.IgnoreNulls,
			Percentages: c.Percentages, Accuracy: c.Accuracy}
		inTypes[i] = arrow.PrimitiveTypes.Int64
		if c.Arg != nil {
			spec.Input = inputIndex[c.Arg.String()]
			inTypes[i] = c.Arg.DataType()
		}
		if c.Arg2 != nil {
			spec.Input2 = inputIndex[c.Arg2.String()]
		}
		specs[i] = spec
		resultAttrs[i] = pp.tempAttr(spec.Name, c.Type, c.Nullable())
	}
	groupCols := make([]int, k)
	for i := range groupCols {
		groupCols[i] = i
	}
	partial, err := aggregate.NewPartial(pp.Env, preOp.op, groupCols, specs)
	if err != nil {
		return physical{}, err
	}
	var ex exec.Operator
	if k > 0 && pp.Partitions > 1 {
		ex = exchange.NewHashRepartition(pp.Env, partial, groupCols, pp.Partitions)
	} else {
		ex = exchange.NewGather(pp.Env, partial)
	}
	final, err := aggregate.NewFinal(pp.Env, ex, k, specs, inTypes)
	if err != nil {
		return physical{}, err
	}
	finalAttrs := append(append([]*Attribute{}, groupAttrs...), resultAttrs...)
	// Post-projection: the aggregate's output list over keys and results.
	groupKey := map[string]*Attribute{}
	for i, g := range n.Groups {
		groupKey[g.String()] = groupAttrs[i]
	}
	post := make([]Expr, len(n.List))
	for i, e := range n.List {
		post[i] = replaceAggregates(e, groupKey, callIndex, resultAttrs)
	}
	return pp.project(physical{op: final, attrs: finalAttrs}, post)
}

// replaceAggregates rewrites an aggregate output expression in terms of the
// final aggregation's columns.
func replaceAggregates(e Expr, groups map[string]*Attribute, calls map[string]int, results []*Attribute) Expr {
	if al, ok := e.(*Alias); ok {
		return &Alias{E: replaceAggregates(al.E, groups, calls, results), Name: al.Name, ID: al.ID}
	}
	if a, ok := groups[e.String()]; ok {
		if orig, isAttr := e.(*Attribute); isAttr {
			return &Alias{E: a, Name: orig.Name, ID: orig.ID}
		}
		return a
	}
	if c, ok := e.(*AggregateCall); ok {
		return results[calls[c.String()]]
	}
	kids := e.Children()
	if len(kids) == 0 {
		return e
	}
	nk := make([]Expr, len(kids))
	for i, k := range kids {
		nk[i] = replaceAggregates(k, groups, calls, results)
		if al, ok := nk[i].(*Alias); ok {
			nk[i] = al.E
		}
	}
	return e.WithChildren(nk)
}

func (pp *PhysicalPlanner) planSort(s *Sort, limit int64) (physical, error) {
	child, err := pp.plan(s.Child)
	if err != nil {
		return physical{}, err
	}
	// Sort keys must be columns: compute the other ones first.
	attrs := child.attrs
	var extra []Expr
	keys := make([]xsort.Key, len(s.Orders))
	for i, o := range s.Orders {
		idx := -1
		if a, ok := o.E.(*Attribute); ok {
			for j, c := range attrs {
				if c.ID == a.ID {
					idx = j
				}
			}
		}
		if idx < 0 {
			a := pp.tempAttr(fmt.Sprintf("sortkey%d", i), o.E.DataType(), o.E.Nullable())
			extra = append(extra, &Alias{E: o.E, Name: a.Name, ID: a.ID})
			idx = len(attrs) + len(extra) - 1
		}
		keys[i] = xsort.Key{Col: idx, Desc: o.Desc, NullsFirst: o.NullsFirst}
	}
	in := child
	if len(extra) > 0 {
		list := make([]Expr, 0, len(attrs)+len(extra))
		for _, a := range attrs {
			list = append(list, a)
		}
		list = append(list, extra...)
		if in, err = pp.project(child, list); err != nil {
			return physical{}, err
		}
	}
	var op exec.Operator
	if limit >= 0 {
		op, err = xsort.NewTopN(pp.Env, in.op, keys, limit)
	} else {
		op, err = xsort.NewSort(pp.Env, in.op, keys)
	}
	if err != nil {
		return physical{}, err
	}
	out := physical{op: op, attrs: in.attrs}
	if len(extra) > 0 {
		o, err := pp.projectTo(out, attrs)
		if err != nil {
			return physical{}, err
		}
		out = physical{op: o, attrs: attrs}
	}
	return out, nil
}

func (pp *PhysicalPlanner) planJoin(j *Join) (physical, error) {
	left, err := pp.plan(j.Left)
	if err != nil {
		return physical{}, err
	}
	right, err := pp.plan(j.Right)
	if err != nil {
		return physical{}, err
	}
	lids, rids := outputIDs(j.Left), outputIDs(j.Right)
	var lkeys, rkeys []Expr
	var nullSafe []bool
	var residual []Expr
	if j.Cond != nil {
		for _, c := range SplitConjuncts(j.Cond) {
			b, ok := c.(*Binary)
			if ok && (b.Op == OpEq || b.Op == OpNullSafeEq) {
				lr, rr := References(b.L), References(b.R)
				switch {
				case len(lr) > 0 && len(rr) > 0 && subset(lr, lids) && subset(rr, rids):
					lkeys, rkeys = append(lkeys, b.L), append(rkeys, b.R)
					nullSafe = append(nullSafe, b.Op == OpNullSafeEq)
					continue
				case len(lr) > 0 && len(rr) > 0 && subset(lr, rids) && subset(rr, lids):
					lkeys, rkeys = append(lkeys, b.R), append(rkeys, b.L)
					nullSafe = append(nullSafe, b.Op == OpNullSafeEq)
					continue
				}
			}
			residual = append(residual, c)
		}
	}
	kind := execJoinKind(j.Kind)
	// Build the table from the smaller side, whatever the kind: the join
	// emits a preserved build side's unmatched rows after the probe.
	build := join.BuildRight
	if estimateRows(j.Left) < estimateRows(j.Right) {
		build = join.BuildLeft
	}
	var op exec.Operator
	if len(lkeys) == 0 {
		// No equality between the sides: a nested-loop join over the pairs.
		var cond expr.Expr
		if len(residual) > 0 {
			if cond, err = compileExpr(And(residual...), append(append([]*Attribute{}, left.attrs...), right.attrs...)); err != nil {
				return physical{}, err
			}
		}
		if op, err = join.NewNestedLoopJoin(pp.Env, left.op, right.op, kind, cond, build); err != nil {
			return physical{}, err
		}
	} else {
		var lcols, rcols []int
		if left, lcols, err = pp.keyColumns(left, lkeys); err != nil {
			return physical{}, err
		}
		if right, rcols, err = pp.keyColumns(right, rkeys); err != nil {
			return physical{}, err
		}
		spec := join.Spec{LeftKeys: lcols, RightKeys: rcols, NullSafe: nullSafe, Kind: kind, Build: build}
		if len(residual) > 0 {
			if spec.Residual, err = compileExpr(And(residual...), append(append([]*Attribute{}, left.attrs...), right.attrs...)); err != nil {
				return physical{}, err
			}
		}
		buildSide := j.Right
		if build == join.BuildLeft {
			buildSide = j.Left
		}
		est := estimateBytes(buildSide)
		sameKeys := true
		for i := range lcols {
			sameKeys = sameKeys && arrow.TypeEqual(left.op.Schema().Field(lcols[i]).Type, right.op.Schema().Field(rcols[i]).Type)
		}
		if pp.Partitions > 1 && sameKeys && pp.BroadcastThreshold >= 0 && est > float64(pp.BroadcastThreshold) {
			// Too big to share: hash-partition both sides by the keys and
			// build one table per partition, in parallel.
			lx := exchange.NewHashRepartition(pp.Env, left.op, lcols, pp.Partitions)
			rx := exchange.NewHashRepartition(pp.Env, right.op, rcols, pp.Partitions)
			label := fmt.Sprintf("PartitionedJoin(est. build %s > threshold %s)", byteSize(est), byteSize(float64(pp.BroadcastThreshold)))
			if op, err = exec.NewPartitionWise(label, []exec.Operator{lx, rx}, func(parts []exec.Operator) (exec.Operator, error) {
				return join.NewHashJoinWith(pp.Env, parts[0], parts[1], spec)
			}); err != nil {
				return physical{}, err
			}
		} else {
			if op, err = join.NewHashJoinWith(pp.Env, left.op, right.op, spec); err != nil {
				return physical{}, err
			}
			op = exec.NewLabeled(fmt.Sprintf("BroadcastJoin(est. build %s)", byteSize(est)), op)
		}
	}
	nullable := func(attrs []*Attribute, null bool) []*Attribute {
		if !null {
			return attrs
		}
		out := make([]*Attribute, len(attrs))
		for i, a := range attrs {
			out[i] = a.withNullable(true)
		}
		return out
	}
	attrs := nullable(left.attrs, j.Kind == RightJoin || j.Kind == FullJoin)
	if j.Kind.outputsRight() {
		attrs = append(append([]*Attribute{}, attrs...), nullable(right.attrs, j.Kind == LeftJoin || j.Kind == FullJoin)...)
	}
	return physical{op: op, attrs: attrs}, nil
}

// execJoinKind is the operator's name for a join kind.
func execJoinKind(k JoinKind) join.Kind {
	switch k {
	case LeftJoin:
		return join.Left
	case RightJoin:
		return join.Right
	case FullJoin:
		return join.Full
	case LeftSemiJoin:
		return join.LeftSemi
	case LeftAntiJoin:
		return join.LeftAnti
	}
	return join.Inner
}

// keyColumns finds (or computes, by appending columns) the join keys of one side.
func (pp *PhysicalPlanner) keyColumns(ph physical, keys []Expr) (physical, []int, error) {
	cols := make([]int, len(keys))
	var extra []Expr
	for i, k := range keys {
		cols[i] = -1
		if a, ok := k.(*Attribute); ok {
			for j, c := range ph.attrs {
				if c.ID == a.ID {
					cols[i] = j
				}
			}
		}
		if cols[i] < 0 {
			a := pp.tempAttr(fmt.Sprintf("joinkey%d", i), k.DataType(), k.Nullable())
			extra = append(extra, &Alias{E: k, Name: a.Name, ID: a.ID})
			cols[i] = len(ph.attrs) + len(extra) - 1
		}
	}
	if len(extra) == 0 {
		return ph, cols, nil
	}
	list := make([]Expr, 0, len(ph.attrs)+len(extra))
	for _, a := range ph.attrs {
		list = append(list, a)
	}
	out, err := pp.project(ph, append(list, extra...))
	return out, cols, err
}

// estimateRows guesses a plan's row count from its sources: filters keep a
// half, aggregates a tenth; unknown sources count as large.
// estimateBytes guesses the size of p's output from its estimated rows and
// the widths of its columns (strings and nested values count 32 bytes).
func estimateBytes(p Plan) float64 {
	width := 0
	for _, a := range p.Output() {
		if fw, ok := a.Type.(arrow.FixedWidthDataType); ok {
			width += max(fw.BitWidth()/8, 1)
		} else {
			width += 32
		}
	}
	return estimateRows(p) * float64(max(width, 1))
}

// byteSize renders a byte count for EXPLAIN.
func byteSize(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

func estimateRows(p Plan) float64 {
	switch n := p.(type) {
	case *Scan:
		r := float64(n.Source.EstimatedRows())
		if r < 0 {
			r = 1e9
		}
		for range n.Filters {
			r /= 2
		}
		if n.Limit >= 0 {
			r = min(r, float64(n.Limit))
		}
		return r
	case *Filter:
		return estimateRows(n.Child) / 2
	case *Aggregate:
		return estimateRows(n.Child) / 10
	case *Limit:
		return min(float64(n.N), estimateRows(n.Child))
	case *Join:
		return max(estimateRows(n.Left), estimateRows(n.Right))
	}
	kids := p.Children()
	if len(kids) == 1 {
		return estimateRows(kids[0])
	}
	return 1e9
}

func (pp *PhysicalPlanner) planUnion(u *Union) (physical, error) {
	attrs := u.Output()
	ops := make([]exec.Operator, len(u.Inputs))
	for i, in := range u.Inputs {
		ph, err := pp.plan(in)
		if err != nil {
			return physical{}, err
		}
		// Each input produces exactly its own output, in order.
		if ops[i], err = pp.projectTo(ph, in.Output()); err != nil {
			return physical{}, err
		}
	}
	fields := make([]arrow.Field, len(attrs))
	for i, a := range attrs {
		fields[i] = arrow.Field{Name: a.Name, Type: a.Type, Nullable: a.Null}
	}
	op, err := exec.NewUnion(arrow.NewSchema(fields, nil), ops...)
	if err != nil {
		return physical{}, err
	}
	return physical{op: op, attrs: attrs}, nil
}

// execAggFunc is the operator's name for an aggregate function; star marks
// count(*).
func execAggFunc(f AggFunc, star bool) aggregate.Func {
	switch f {
	case AggCount:
		if star {
			return aggregate.CountStar
		}
		return aggregate.Count
	case AggSum:
		return aggregate.Sum
	case AggAvg:
		return aggregate.Avg
	case AggMin:
		return aggregate.Min
	case AggMax:
		return aggregate.Max
	case AggStddevSamp:
		return aggregate.StddevSamp
	case AggStddevPop:
		return aggregate.StddevPop
	case AggVarSamp:
		return aggregate.VarSamp
	case AggVarPop:
		return aggregate.VarPop
	case AggFirst:
		return aggregate.First
	case AggLast:
		return aggregate.Last
	case AggBoolAnd:
		return aggregate.BoolAnd
	case AggBoolOr:
		return aggregate.BoolOr
	case AggCountIf:
		return aggregate.CountIf
	case AggAnyValue:
		return aggregate.AnyValue
	case AggCorr:
		return aggregate.Corr
	case AggCovarSamp:
		return aggregate.CovarSamp
	case AggCovarPop:
		return aggregate.CovarPop
	case AggMaxBy:
		return aggregate.MaxBy
	case AggMinBy:
		return aggregate.MinBy
	case AggApproxCountDistinct:
		return aggregate.ApproxCountDistinct
	case AggCollectList:
		return aggregate.CollectList
	case AggCollectSet:
		return aggregate.CollectSet
	case AggPercentileApprox:
		return aggregate.PercentileApprox
	case AggPercentile:
		return aggregate.Percentile
	case AggMedian:
		return aggregate.Median
	}
	return aggregate.Count
}

// execAggOf is execAggFunc for a call, telling the array forms of the
// percentiles apart.
func execAggOf(c *AggregateCall) aggregate.Func {
	switch {
	case c.Func == AggPercentileApprox && c.ArrayResult:
		return aggregate.PercentileApproxArray
	case c.Func == AggPercentile && c.ArrayResult:
		return aggregate.PercentileArray
	}
	return execAggFunc(c.Func, c.Arg == nil)
}

// belowExchange reports whether op is, or reads from, an exchange with more
// than one output partition.
func belowExchange(op exec.Operator) bool {
	if m, ok := op.(*exec.Metered); ok {
		op = m.Op
	}
	switch op.(type) {
	case *exchange.HashRepartition, *exchange.RoundRobin:
		if op.Partitions() > 1 {
			return true
		}
	}
	for _, c := range op.Children() {
		if belowExchange(c) {
			return true
		}
	}
	return false
}

func (pp *PhysicalPlanner) planRepartition(r *Repartition) (physical, error) {
	child, err := pp.plan(r.Child)
	if err != nil {
		return physical{}, err
	}
	if r.Coalesce {
		if r.N < child.op.Partitions() && belowExchange(child.op) {
			// A coalesce reads its input's partitions one after another,
			// but an exchange's producers wait until every output partition
			// makes room: exchange instead, reading them all at once.
			if r.N <= 1 {
				return physical{op: exchange.NewGather(pp.Env, child.op), attrs: child.attrs}, nil
			}
			return physical{op: exchange.NewRoundRobin(pp.Env, child.op, r.N), attrs: child.attrs}, nil
		}
		return physical{op: exec.NewCoalesce(child.op, r.N), attrs: child.attrs}, nil
	}
	keys := r.Keys
	if len(keys) == 0 {
		// No keys: deal the rows out in turn, as Spark does.
		return physical{op: exchange.NewRoundRobin(pp.Env, child.op, r.N), attrs: child.attrs}, nil
	}
	withKeys, cols, err := pp.keyColumns(child, keys)
	if err != nil {
		return physical{}, err
	}
	return physical{op: exchange.NewHashRepartition(pp.Env, withKeys.op, cols, r.N), attrs: withKeys.attrs}, nil
}
