package frame

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/ordered"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/optimizer"
	"github.com/gspark/gspark/planner/physical"
	"github.com/gspark/gspark/values"
)

// Row is one result row: a Go value per column, nil for null (see package values).
type Row []any

// query is a DataFrame planned for execution.
type query struct {
	optimized logical.Plan
	op        exec.Operator
	fired     map[string]int
	release   func() // frees what the plan's sources hold for this run; may be nil
}

// close frees what q's plan holds for its run (shared subplan results).
func (q *query) close() {
	if q != nil && q.release != nil {
		q.release()
		q.release = nil
	}
}

// prepare optimizes and physically plans the DataFrame for an environment;
// with a context it first runs the query's uncorrelated scalar subqueries,
// without one (EXPLAIN) it leaves them as placeholders.
func (df *DataFrame) prepare(ctx context.Context, env *exec.Env) (*query, error) {
	return df.prepareWith(ctx, env, false, df.s.partitionCount())
}

// prepareWith is prepare, with every operator metered when metered is set,
// planned for the given number of partitions.
func (df *DataFrame) prepareWith(ctx context.Context, env *exec.Env, metered bool, partitions int) (_ *query, err error) {
	defer exec.Recover(&err, "query planning")
	if df.err != nil {
		return nil, df.err
	}
	p, fired, err := optimizer.Decorrelate(df.plan, &df.s.ids)
	if err != nil {
		return nil, err
	}
	optimize := df.s.optimizerOn()
	if len(fired) > 0 && !optimize && hasCrossJoin(p) {
		// A subquery's FROM a, b WHERE a.k = b.k needs its equalities in the join.
		if pushed, _, err := optimizer.PushDownPredicates().Apply(p); err == nil {
			p = pushed
		}
	}
	var release func()
	if ctx != nil {
		// Values first, so that the optimizer can push them into scans.
		if p, release, err = df.s.evalScalarSubqueries(ctx, p); err != nil {
			return nil, err
		}
	}
	q := &query{optimized: p, fired: fired, release: release}
	defer func() {
		if err != nil {
			q.close()
		}
	}()
	if optimize {
		o := optimizer.NewOptimizer()
		p, err := o.Optimize(p)
		if err != nil {
			return nil, err
		}
		q.optimized = p
		for k, v := range o.Fired {
			q.fired[k] += v
		}
	}
	pp := &physical.PhysicalPlanner{Env: env, Partitions: partitions, Metered: metered, BroadcastThreshold: df.s.BroadcastThreshold()}
	op, err := pp.Plan(q.optimized)
	if err != nil {
		return nil, err
	}
	q.op = op
	return q, nil
}

// evalScalarSubqueries runs the uncorrelated scalar subqueries left in p and
// puts their values in their place. An aggregation a subquery shares with
// the query runs once (shareSubplans); release frees its result after the
// query.
func (s *Session) evalScalarSubqueries(ctx context.Context, p logical.Plan) (_ logical.Plan, release func(), err error) {
	subs := logical.ScalarSubqueries(p)
	if len(subs) == 0 {
		return p, nil, nil
	}
	p, plans, free, err := s.shareSubplans(ctx, p, subs)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			free()
		}
	}()
	vals := map[int64]*logical.Literal{}
	for _, sq := range subs {
		bs, err := s.newFrame(&logical.Limit{N: 2, Child: plans[sq.ID]}).CollectBatches(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("scalar subquery: %w", err)
		}
		var n int64
		var v any
		for _, b := range bs {
			if n == 0 && b.NumRows() > 0 {
				v = values.Value(b.Column(0), 0)
			}
			n += b.NumRows()
		}
		exec.ReleaseAll(bs)
		if n > 1 {
			return nil, nil, fmt.Errorf("scalar subquery returned more than one row: the subquery selecting %s must return at most one row when used as an expression", scalarSubqueryColumn(sq))
		}
		vals[sq.ID] = &logical.Literal{Value: v, Type: sq.DataType()}
	}
	return logical.ReplaceScalarSubqueries(p, vals), free, nil
}

// scalarSubqueryColumn names the one column of a scalar subquery as the user
// wrote it, for messages: never a plan or its column ids.
func scalarSubqueryColumn(sq *logical.Subquery) string {
	out := sq.Plan.Output()
	if len(out) == 0 {
		return "none"
	}
	return logical.StripIDs(out[0].Name)
}

// run executes the DataFrame, handing its physical plan to consume, which
// runs its partitions. A panic on the way becomes an *exec.InternalError.
func (df *DataFrame) run(ctx context.Context, consume func(ctx context.Context, op exec.Operator) error) error {
	return df.runEnv(ctx, func(ctx context.Context, _ *exec.Env, op exec.Operator) error {
		return consume(ctx, op)
	})
}

// runEnv is run, also handing consume the query's environment (its memory
// budget and temporary directory).
func (df *DataFrame) runEnv(ctx context.Context, consume func(ctx context.Context, env *exec.Env, op exec.Operator) error) (err error) {
	defer exec.Recover(&err, "query")
	if df.s.remote != nil {
		return df.runRemote(ctx, consume)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	mem := df.s.mem
	if mem == memory.DefaultAllocator {
		// Recycle the query's batch buffers instead of zeroing fresh pages.
		mem = exec.NewPool(0)
	}
	budget := exec.NewBudget(mem, df.s.memoryLimit(), cancel)
	env := df.s.newEnv(budget)
	env.Progress, _ = ctx.Value(progressKey{}).(*exec.Progress)
	q, err := df.prepare(ctx, env)
	if err != nil {
		return err
	}
	defer q.close()
	// The state operators share across partitions lives as long as the action.
	run := exec.NewExecution()
	defer run.Close()
	err = consume(exec.WithExecution(ctx, run), env, q.op)
	if cause := context.Cause(ctx); cause != nil && errors.Is(cause, exec.ErrMemoryLimit) {
		return cause
	}
	return err
}

type progressKey struct{}

// WithProgress returns a context under which queries count their source work
// (row groups, files) in p as they run, for progress bars.
func WithProgress(ctx context.Context, p *exec.Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// CollectBatches runs the query and returns its result as Arrow record
// batches, in order; the caller releases them.
func (df *DataFrame) CollectBatches(ctx context.Context) ([]arrow.RecordBatch, error) {
	var out []arrow.RecordBatch
	err := df.run(ctx, func(ctx context.Context, op exec.Operator) error {
		bs, err := exec.Collect(ctx, op)
		out = bs
		return err
	})
	if err != nil {
		exec.ReleaseAll(out)
		return nil, err
	}
	return out, nil
}

// ForEachBatch runs the query and calls fn with each batch of its result in
// order, as the batches are made: the result is never held whole, so its
// size does not bound memory (partitions not yet reached wait in memory, or
// in spill files under a memory limit). A batch is valid only during the
// call; fn retains it to keep it. fn's error stops the query and is returned.
func (df *DataFrame) ForEachBatch(ctx context.Context, fn func(arrow.RecordBatch) error) error {
	return df.runEnv(ctx, func(ctx context.Context, env *exec.Env, op exec.Operator) error {
		return ordered.Each(ctx, env, op, fn)
	})
}

// Collect runs the query and returns its rows.
func (df *DataFrame) Collect(ctx context.Context) (_ []Row, err error) {
	defer exec.Recover(&err, "Collect")
	bs, err := df.CollectBatches(ctx)
	if err != nil {
		return nil, err
	}
	defer exec.ReleaseAll(bs)
	rows := values.Rows(bs)
	df.LocalizeTimes(rows)
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out, nil
}

// Count runs the query and returns its number of rows.
func (df *DataFrame) Count(ctx context.Context) (int64, error) {
	rows, err := df.Agg(Agg(logical.AggCount, Col("*")).Alias("count")).Collect(ctx)
	if err != nil {
		return 0, err
	}
	return rows[0][0].(int64), nil
}

// Show prints the first n rows (20 if n ≤ 0) as a text table, like Spark's show().
func (df *DataFrame) Show(ctx context.Context, n int) error {
	s, err := df.ShowString(ctx, n, 20)
	if err != nil {
		return err
	}
	fmt.Print(s)
	return nil
}

// ShowString renders the first n rows as Spark's show() does; cells longer
// than truncate characters are cut (truncate ≤ 0: never).
func (df *DataFrame) ShowString(ctx context.Context, n, truncate int) (_ string, err error) {
	defer exec.Recover(&err, "Show")
	if n <= 0 {
		n = 20
	}
	rows, err := df.Limit(n + 1).Collect(ctx)
	if err != nil {
		return "", err
	}
	more := len(rows) > n
	if more {
		rows = rows[:n]
	}
	return formatTable(df.Columns(), rows, truncate, more, n), nil
}

func formatTable(cols []string, rows []Row, truncate int, more bool, n int) string {
	cells := make([][]string, len(rows)+1)
	cells[0] = cols
	for i, r := range rows {
		line := make([]string, len(r))
		for j, v := range r {
			s := values.FormatValue(v)
			if truncate > 0 && len([]rune(s)) > truncate {
				rs := []rune(s)
				if truncate < 4 {
					s = string(rs[:truncate])
				} else {
					s = string(rs[:truncate-3]) + "..."
				}
			}
			line[j] = s
		}
		cells[i+1] = line
	}
	widths := make([]int, len(cols))
	for _, line := range cells {
		for j, s := range line {
			widths[j] = max(widths[j], 3, len([]rune(s)))
		}
	}
	var b strings.Builder
	sep := "+"
	for _, w := range widths {
		sep += strings.Repeat("-", w) + "+"
	}
	sep += "\n"
	b.WriteString(sep)
	for i, line := range cells {
		b.WriteString("|")
		for j, s := range line {
			pad := strings.Repeat(" ", widths[j]-len([]rune(s)))
			if truncate > 0 {
				b.WriteString(pad + s + "|")
			} else {
				b.WriteString(s + pad + "|")
			}
		}
		b.WriteString("\n")
		if i == 0 {
			b.WriteString(sep)
		}
	}
	b.WriteString(sep)
	if more {
		fmt.Fprintf(&b, "only showing top %d rows\n", n)
	}
	return b.String()
}

// Explain returns the physical plan, or with extended also the analyzed and
// optimized logical plans, as Spark's explain does.
func (df *DataFrame) Explain(extended bool) (string, error) {
	q, err := df.prepare(nil, exec.NewEnv(df.s.mem))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if extended {
		b.WriteString("== Analyzed Logical Plan ==\n")
		b.WriteString(logical.Format(df.plan))
		b.WriteString("\n== Optimized Logical Plan ==\n")
		b.WriteString(logical.Format(q.optimized))
		if len(q.fired) > 0 {
			var fired []string
			for _, r := range append(append(optimizer.SubqueryRules(), optimizer.NewOptimizer().Once...), optimizer.DefaultRules()...) {
				if n := q.fired[r.Name]; n > 0 {
					fired = append(fired, fmt.Sprintf("%s×%d", r.Name, n))
				}
			}
			b.WriteString("(rules applied: " + strings.Join(fired, ", ") + ")\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("== Physical Plan ==\n")
	b.WriteString(exec.Format(q.op))
	return b.String(), nil
}

// OptimizedPlan returns the plan after the optimizer, and how often each rule fired.
func (df *DataFrame) OptimizedPlan() (logical.Plan, map[string]int, error) {
	q, err := df.prepare(nil, exec.NewEnv(df.s.mem))
	if err != nil {
		return nil, nil, err
	}
	return q.optimized, q.fired, nil
}
