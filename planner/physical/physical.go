package physical

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
	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/logical"
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
	// partition builds its own table. Negative: always broadcast; 0: never.
	// Above a positive threshold a join still broadcasts when its build side
	// is estimated no larger than its probe side and under
	// SharedBuildFactor times the threshold: in one process the table is
	// shared, not copied, so repartitioning the larger probe side costs more
	// than building the table once.
	BroadcastThreshold int64
	ids                int64
}

// physical is an operator with the attribute each of its columns carries.
type physical struct {
	op    exec.Operator
	attrs []*logical.Attribute
}

// Plan builds the operator tree for p; its columns are p's output, in order.
func (pp *PhysicalPlanner) Plan(p logical.Plan) (exec.Operator, error) {
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
func (pp *PhysicalPlanner) projectTo(ph physical, want []*logical.Attribute) (exec.Operator, error) {
	if sameAttrs(ph.attrs, want) {
		return ph.op, nil
	}
	list := make([]logical.Expr, len(want))
	for i, a := range want {
		list[i] = a
	}
	out, err := pp.project(ph, list)
	if err != nil {
		return nil, err
	}
	return out.op, nil
}

func sameAttrs(a, b []*logical.Attribute) bool {
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
func (pp *PhysicalPlanner) project(ph physical, list []logical.Expr) (physical, error) {
	if first, rewritten, ok := pp.hoistCommon(list, ph.attrs); ok {
		inner, err := pp.projectOnce(ph, first)
		if err != nil {
			return physical{}, err
		}
		ph, list = inner, rewritten
	}
	return pp.projectOnce(ph, list)
}

func (pp *PhysicalPlanner) projectOnce(ph physical, list []logical.Expr) (physical, error) {
	attrs := logical.NamedOutput(list)
	op, err := pp.perPartition(ph, list, func(list []logical.Expr) (exec.Operator, error) {
		exprs := make([]expr.Expr, len(list))
		names := make([]string, len(list))
		nullable := make([]bool, len(list))
		for i, e := range list {
			c, err := compile.CompileExpr(e, ph.attrs)
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

func (pp *PhysicalPlanner) tempAttr(name string, t arrow.DataType, nullable bool) *logical.Attribute {
	pp.ids--
	return &logical.Attribute{ID: pp.ids, Name: name, Type: t, Null: nullable}
}

func (pp *PhysicalPlanner) plan(p logical.Plan) (physical, error) {
	ph, err := pp.planNode(p)
	if err != nil || !pp.Metered {
		return ph, err
	}
	if _, done := ph.op.(*exec.Metered); !done {
		ph.op = exec.NewMetered(ph.op)
	}
	return ph, nil
}

func (pp *PhysicalPlanner) planNode(p logical.Plan) (physical, error) {
	switch n := p.(type) {
	case *logical.Scan:
		return pp.planScan(n)
	case *logical.SubqueryAlias:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		return physical{op: child.op, attrs: n.Output()}, nil
	case *logical.Project:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		return pp.project(child, n.List)
	case *logical.Filter:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		f, err := pp.perPartition(child, []logical.Expr{n.Cond}, func(es []logical.Expr) (exec.Operator, error) {
			pred, err := compile.CompileExpr(es[0], child.attrs)
			if err != nil {
				return nil, err
			}
			return exec.NewFilter(pp.Env, child.op, pred)
		})
		if err != nil {
			return physical{}, err
		}
		return physical{op: f, attrs: child.attrs}, nil
	case *logical.Aggregate:
		return pp.planAggregate(n)
	case *logical.Sort:
		return pp.planSort(n, -1)
	case *logical.Limit:
		if s, ok := n.Child.(*logical.Sort); ok {
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
	case *logical.Generate:
		return pp.planGenerate(n)
	case *logical.Offset:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		op := child.op
		if op.Partitions() > 1 {
			op = exchange.NewGather(pp.Env, op)
		}
		return physical{op: xsort.NewLimit(op, -1, n.N, true), attrs: child.attrs}, nil
	case *logical.Join:
		return pp.planJoin(n)
	case *logical.Union:
		return pp.planUnion(n)
	case *logical.Repartition:
		return pp.planRepartition(n)
	case *logical.Sample:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		op, err := exec.NewSample(pp.Env, child.op, n.Lower, n.Upper, n.Seed)
		if err != nil {
			return physical{}, err
		}
		return physical{op: op, attrs: child.attrs}, nil
	case *logical.Window:
		return pp.planWindow(n)
	case *logical.Expand:
		child, err := pp.plan(n.Child)
		if err != nil {
			return physical{}, err
		}
		prs := make([][]expr.Expr, len(n.Projections))
		for i, pr := range n.Projections {
			prs[i] = make([]expr.Expr, len(pr))
			for j, e := range pr {
				c, err := compile.CompileExpr(e, child.attrs)
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
	case *logical.UnresolvedRelation:
		return physical{}, fmt.Errorf("internal error: unresolved table %s reached the physical planner", n.Name)
	}
	return physical{}, fmt.Errorf("internal error: no physical plan for %s", p)
}

func (pp *PhysicalPlanner) planScan(s *logical.Scan) (physical, error) {
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
		for id := range logical.References(f) {
			for i, a := range s.Attrs {
				if a.ID == id && !inRead[i] {
					read = append(read, i)
					inRead[i] = true
				}
			}
		}
	}
	readAttrs := make([]*logical.Attribute, len(read))
	for i, c := range read {
		readAttrs[i] = s.Attrs[c]
	}
	output := make([]int, len(cols))
	for i := range output {
		output[i] = i
	}
	req := logical.ScanRequest{ReadColumns: read, Output: output, Limit: s.Limit, Partitions: pp.Partitions}
	if len(s.Filters) > 0 {
		pred, err := compile.CompileExpr(logical.And(s.Filters...), readAttrs)
		if err != nil {
			return physical{}, err
		}
		req.Predicate = pred
		req.Filters = sourceFilters(s.Filters)
		refs := map[int64]bool{}
		for _, f := range s.Filters {
			for id := range logical.References(f) {
				refs[id] = true
			}
		}
		req.PredicateColumns = []int{}
		for i, a := range readAttrs {
			if refs[a.ID] {
				req.PredicateColumns = append(req.PredicateColumns, i)
			}
		}
	}
	op, err := s.Source.Operator(pp.Env, req)
	if err != nil {
		return physical{}, err
	}
	return physical{op: op, attrs: out}, nil
}

// sourceFilters converts the conjuncts of the form column-op-literal into
// filters a reader can use to skip data.
func sourceFilters(conds []logical.Expr) []source.Filter {
	var out []source.Filter
	flip := map[logical.BinaryOp]logical.BinaryOp{logical.OpEq: logical.OpEq, logical.OpNotEq: logical.OpNotEq, logical.OpLt: logical.OpGt, logical.OpLtEq: logical.OpGtEq, logical.OpGt: logical.OpLt, logical.OpGtEq: logical.OpLtEq}
	ops := map[logical.BinaryOp]source.Op{logical.OpEq: source.Eq, logical.OpNotEq: source.NotEq, logical.OpLt: source.Lt, logical.OpLtEq: source.LtEq, logical.OpGt: source.Gt, logical.OpGtEq: source.GtEq}
	for _, c := range conds {
		switch x := c.(type) {
		case *logical.Unary:
			if a, ok := x.E.(*logical.Attribute); ok && (x.Op == logical.OpIsNull || x.Op == logical.OpIsNotNull) {
				op := source.IsNull
				if x.Op == logical.OpIsNotNull {
					op = source.IsNotNull
				}
				out = append(out, source.Filter{Column: a.Name, Op: op})
			}
		case *logical.Binary:
			if !x.Op.IsComparison() || x.Op == logical.OpNullSafeEq {
				continue
			}
			a, aok := x.L.(*logical.Attribute)
			l, lok := x.R.(*logical.Literal)
			op := x.Op
			if !aok || !lok {
				a, aok = x.R.(*logical.Attribute)
				l, lok = x.L.(*logical.Literal)
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
func literalArray(l *logical.Literal) (arrow.Array, error) {
	e, err := expr.Literal(compile.LiteralValue(l.Value), l.Type)
	if err != nil {
		return nil, err
	}
	b := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
	defer b.Release()
	return e.Eval(memory.DefaultAllocator, b)
}

func (pp *PhysicalPlanner) planAggregate(n *logical.Aggregate) (physical, error) {
	child, err := pp.plan(n.Child)
	if err != nil {
		return physical{}, err
	}
	// Pre-projection: the grouping keys, then each distinct aggregate input.
	var pre []logical.Expr
	groupAttrs := make([]*logical.Attribute, len(n.Groups))
	for i, g := range n.Groups {
		a := pp.tempAttr(logical.OutputName(g), g.DataType(), g.Nullable())
		groupAttrs[i] = a
		pre = append(pre, &logical.Alias{E: g, Name: a.Name, ID: a.ID})
	}
	var calls []*logical.AggregateCall
	var callIndex, inputIndex logical.ExprMap[int]
	for _, e := range n.List {
		logical.Walk(e, func(x logical.Expr) bool {
			c, ok := x.(*logical.AggregateCall)
			if !ok {
				return true
			}
			if _, seen := callIndex.Get(c); !seen {
				callIndex.Set(c, len(calls))
				calls = append(calls, c)
				for _, arg := range c.Children() {
					if _, seen := inputIndex.Get(arg); !seen {
						inputIndex.Set(arg, len(pre))
						a := pp.tempAttr(logical.OutputName(arg), arg.DataType(), arg.Nullable())
						pre = append(pre, &logical.Alias{E: arg, Name: a.Name, ID: a.ID})
					}
				}
			}
			return false
		})
	}
	if len(pre) == 0 {
		// count(*) alone: keep one column so rows flow.
		a := pp.tempAttr("one", arrow.PrimitiveTypes.Int32, false)
		pre = append(pre, &logical.Alias{E: &logical.Literal{Value: int32(1), Type: a.Type}, Name: a.Name, ID: a.ID})
	}
	preOp, err := pp.project(child, pre)
	if err != nil {
		return physical{}, err
	}
	k := len(n.Groups)
	specs := make([]aggregate.Spec, len(calls))
	inTypes := make([]arrow.DataType, len(calls))
	resultAttrs := make([]*logical.Attribute, len(calls))
	for i, c := range calls {
		spec := compile.ExecAggSpec(c, fmt.Sprintf("agg%d", i))
		inTypes[i] = arrow.PrimitiveTypes.Int64
		if c.Arg != nil {
			spec.Input, _ = inputIndex.Get(c.Arg)
			inTypes[i] = c.Arg.DataType()
		}
		if c.Arg2 != nil {
			spec.Input2, _ = inputIndex.Get(c.Arg2)
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
	finalAttrs := append(append([]*logical.Attribute{}, groupAttrs...), resultAttrs...)
	// Post-projection: the aggregate's output list over keys and results.
	var groupKey logical.ExprMap[*logical.Attribute]
	for i, g := range n.Groups {
		groupKey.Set(g, groupAttrs[i])
	}
	post := make([]logical.Expr, len(n.List))
	for i, e := range n.List {
		post[i] = replaceAggregates(e, &groupKey, &callIndex, resultAttrs)
	}
	return pp.project(physical{op: final, attrs: finalAttrs}, post)
}

// replaceAggregates rewrites an aggregate output expression in terms of the
// final aggregation's columns.
func replaceAggregates(e logical.Expr, groups *logical.ExprMap[*logical.Attribute], calls *logical.ExprMap[int], results []*logical.Attribute) logical.Expr {
	if al, ok := e.(*logical.Alias); ok {
		return &logical.Alias{E: replaceAggregates(al.E, groups, calls, results), Name: al.Name, ID: al.ID}
	}
	if a, ok := groups.Get(e); ok {
		if orig, isAttr := e.(*logical.Attribute); isAttr {
			return &logical.Alias{E: a, Name: orig.Name, ID: orig.ID}
		}
		return a
	}
	if c, ok := e.(*logical.AggregateCall); ok {
		i, _ := calls.Get(c)
		return results[i]
	}
	kids := e.Children()
	if len(kids) == 0 {
		return e
	}
	nk := make([]logical.Expr, len(kids))
	for i, k := range kids {
		nk[i] = replaceAggregates(k, groups, calls, results)
		if al, ok := nk[i].(*logical.Alias); ok {
			nk[i] = al.E
		}
	}
	return e.WithChildren(nk)
}

func (pp *PhysicalPlanner) planSort(s *logical.Sort, limit int64) (physical, error) {
	child, err := pp.plan(s.Child)
	if err != nil {
		return physical{}, err
	}
	// Sort keys must be columns: compute the other ones first.
	attrs := child.attrs
	var extra []logical.Expr
	keys := make([]xsort.Key, len(s.Orders))
	for i, o := range s.Orders {
		idx := -1
		if a, ok := o.E.(*logical.Attribute); ok {
			for j, c := range attrs {
				if c.ID == a.ID {
					idx = j
				}
			}
		}
		if idx < 0 {
			a := pp.tempAttr(fmt.Sprintf("sortkey%d", i), o.E.DataType(), o.E.Nullable())
			extra = append(extra, &logical.Alias{E: o.E, Name: a.Name, ID: a.ID})
			idx = len(attrs) + len(extra) - 1
		}
		keys[i] = xsort.Key{Col: idx, Desc: o.Desc, NullsFirst: o.NullsFirst}
	}
	in := child
	if len(extra) > 0 {
		list := make([]logical.Expr, 0, len(attrs)+len(extra))
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

func (pp *PhysicalPlanner) planJoin(j *logical.Join) (physical, error) {
	left, err := pp.plan(j.Left)
	if err != nil {
		return physical{}, err
	}
	right, err := pp.plan(j.Right)
	if err != nil {
		return physical{}, err
	}
	lids, rids := logical.OutputIDs(j.Left), logical.OutputIDs(j.Right)
	var lkeys, rkeys []logical.Expr
	var nullSafe []bool
	var residual []logical.Expr
	if j.Cond != nil {
		for _, c := range logical.SplitConjuncts(j.Cond) {
			b, ok := c.(*logical.Binary)
			if ok && (b.Op == logical.OpEq || b.Op == logical.OpNullSafeEq) {
				lr, rr := logical.References(b.L), logical.References(b.R)
				switch {
				case len(lr) > 0 && len(rr) > 0 && logical.Subset(lr, lids) && logical.Subset(rr, rids):
					lkeys, rkeys = append(lkeys, b.L), append(rkeys, b.R)
					nullSafe = append(nullSafe, b.Op == logical.OpNullSafeEq)
					continue
				case len(lr) > 0 && len(rr) > 0 && logical.Subset(lr, rids) && logical.Subset(rr, lids):
					lkeys, rkeys = append(lkeys, b.R), append(rkeys, b.L)
					nullSafe = append(nullSafe, b.Op == logical.OpNullSafeEq)
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
	if logical.EstimateRows(j.Left) < logical.EstimateRows(j.Right) {
		build = join.BuildLeft
	}
	var op exec.Operator
	if len(lkeys) == 0 {
		// No equality between the sides: a nested-loop join over the pairs.
		var cond expr.Expr
		if len(residual) > 0 {
			if cond, err = compile.CompileExpr(logical.And(residual...), append(append([]*logical.Attribute{}, left.attrs...), right.attrs...)); err != nil {
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
			if err := residualSpec(&spec, logical.And(residual...), left.attrs, right.attrs); err != nil {
				return physical{}, err
			}
		}
		buildSide := j.Right
		if build == join.BuildLeft {
			buildSide = j.Left
		}
		est := logical.EstimateBytes(buildSide)
		sameKeys := true
		for i := range lcols {
			sameKeys = sameKeys && arrow.TypeEqual(left.op.Schema().Field(lcols[i]).Type, right.op.Schema().Field(rcols[i]).Type)
		}
		probeSide := j.Left
		if build == join.BuildLeft {
			probeSide = j.Right
		}
		shared := sharedBuild(logical.EstimateRows(buildSide), logical.EstimateRows(probeSide), est, pp.BroadcastThreshold)
		if pp.Partitions > 1 && sameKeys && pp.BroadcastThreshold >= 0 && est > float64(pp.BroadcastThreshold) && !shared {
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
			label := fmt.Sprintf("BroadcastJoin(est. build %s)", byteSize(est))
			if pp.BroadcastThreshold > 0 && est > float64(pp.BroadcastThreshold) {
				label = fmt.Sprintf("BroadcastJoin(est. build %s, %.0f rows ≤ probe %.0f rows)", byteSize(est), logical.EstimateRows(buildSide), logical.EstimateRows(probeSide))
			}
			op = exec.NewLabeled(label, op)
		}
	}
	nullable := func(attrs []*logical.Attribute, null bool) []*logical.Attribute {
		if !null {
			return attrs
		}
		out := make([]*logical.Attribute, len(attrs))
		for i, a := range attrs {
			out[i] = a.WithNullable(true)
		}
		return out
	}
	attrs := nullable(left.attrs, j.Kind == logical.RightJoin || j.Kind == logical.FullJoin)
	if j.Kind.OutputsRight() {
		attrs = append(append([]*logical.Attribute{}, attrs...), nullable(right.attrs, j.Kind == logical.LeftJoin || j.Kind == logical.FullJoin)...)
	}
	return physical{op: op, attrs: attrs}, nil
}

// SharedBuildFactor bounds, as a multiple of a positive broadcast threshold,
// the estimated build size a join above the threshold still shares between
// its partitions when its probe side is estimated to have at least as many
// rows.
const SharedBuildFactor = 64

// sharedBuild reports whether a build side estimated at buildRows rows and
// buildBytes bytes, over a probe side estimated at probeRows rows, is better
// built once and shared than hash-partitioned with the probe side: a shared
// table costs a build on one goroutine, partitioning costs moving every probe
// and build row through an exchange, which is more when the probe side has
// the more rows (whatever the widths: a row's cost is mostly per row). A
// threshold of 0 or less leaves the choice to the threshold alone.
func sharedBuild(buildRows, probeRows, buildBytes float64, threshold int64) bool {
	return threshold > 0 && buildRows <= probeRows && buildBytes <= float64(SharedBuildFactor)*float64(threshold)
}

// execJoinKind is the operator's name for a join kind.
func execJoinKind(k logical.JoinKind) join.Kind {
	switch k {
	case logical.LeftJoin:
		return join.Left
	case logical.RightJoin:
		return join.Right
	case logical.FullJoin:
		return join.Full
	case logical.LeftSemiJoin:
		return join.LeftSemi
	case logical.LeftAntiJoin:
		return join.LeftAnti
	}
	return join.Inner
}

// keyColumns finds (or computes, by appending columns) the join keys of one side.
func (pp *PhysicalPlanner) keyColumns(ph physical, keys []logical.Expr) (physical, []int, error) {
	cols := make([]int, len(keys))
	var extra []logical.Expr
	for i, k := range keys {
		cols[i] = -1
		if a, ok := k.(*logical.Attribute); ok {
			for j, c := range ph.attrs {
				if c.ID == a.ID {
					cols[i] = j
				}
			}
		}
		if cols[i] < 0 {
			a := pp.tempAttr(fmt.Sprintf("joinkey%d", i), k.DataType(), k.Nullable())
			extra = append(extra, &logical.Alias{E: k, Name: a.Name, ID: a.ID})
			cols[i] = len(ph.attrs) + len(extra) - 1
		}
	}
	if len(extra) == 0 {
		return ph, cols, nil
	}
	list := make([]logical.Expr, 0, len(ph.attrs)+len(extra))
	for _, a := range ph.attrs {
		list = append(list, a)
	}
	out, err := pp.project(ph, append(list, extra...))
	return out, cols, err
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

func (pp *PhysicalPlanner) planUnion(u *logical.Union) (physical, error) {
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

func (pp *PhysicalPlanner) planRepartition(r *logical.Repartition) (physical, error) {
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
