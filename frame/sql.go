package frame

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/optimizer"
	"github.com/gspark/gspark/planner/sql"
)

// SQL runs one SQL statement, like spark.sql. A query stays lazy: the result
// is a DataFrame whose analysis errors, like syntax errors, surface through
// Err. Other statements (CREATE TEMP VIEW, EXPLAIN, SHOW TABLES, DESCRIBE,
// SET) take effect at once and return their result as a DataFrame. The
// statements that run a query — EXPLAIN ANALYZE, CREATE TABLE … AS and
// INSERT OVERWRITE DIRECTORY — need a context: use ExecSQL for them.
func (s *Session) SQL(query string) *DataFrame {
	query, err := s.substituteParams(query)
	if err != nil {
		return &DataFrame{s: s, err: err}
	}
	if s.remote != nil {
		return s.remoteSQL(query)
	}
	stmts, err := sql.Parse(query)
	if err != nil {
		return &DataFrame{s: s, err: err}
	}
	if len(stmts) != 1 {
		return &DataFrame{s: s, err: fmt.Errorf("SQL runs one statement, got %d; use ExecSQL for scripts", len(stmts))}
	}
	switch x := stmts[0].(type) {
	case *sql.Explain:
		if x.Analyze {
			return &DataFrame{s: s, err: fmt.Errorf("EXPLAIN ANALYZE runs the query: use ExecSQL, which takes a context")}
		}
	case *sql.CreateTableAs:
		return &DataFrame{s: s, err: fmt.Errorf("CREATE TABLE … AS writes the query's result: use ExecSQL, which takes a context")}
	case *sql.InsertOverwriteDirectory:
		return &DataFrame{s: s, err: fmt.Errorf("INSERT OVERWRITE DIRECTORY writes the query's result: use ExecSQL, which takes a context")}
	}
	return s.statementFrame(context.Background(), stmts[0])
}

// ExecSQL runs a script of ;-separated statements in order. Each statement
// with a result (queries, EXPLAIN, SHOW TABLES, DESCRIBE, SET and SET key) is
// handed to emit with its source text, which typically runs it; commands
// (CREATE TEMP VIEW, DROP VIEW, SET key=value, and CREATE TABLE … AS and
// INSERT OVERWRITE DIRECTORY, which write their query's result with ctx)
// take effect and emit nothing. It stops at the first error, from parsing
// the script (before anything runs), analyzing or running a statement or emit.
func (s *Session) ExecSQL(ctx context.Context, script string, emit func(stmt string, df *DataFrame) error) error {
	script, err := s.substituteParams(script)
	if err != nil {
		return err
	}
	stmts, err := sql.Parse(script)
	if err != nil {
		return err
	}
	for i, st := range stmts {
		if err := ctx.Err(); err != nil {
			return err
		}
		var df *DataFrame
		if s.remote != nil {
			df = s.remoteSQL(st.SQL())
		} else {
			df = s.statementFrame(ctx, st)
		}
		if df.err != nil {
			return fmt.Errorf("statement %d (%s): %w", i+1, abbreviate(st.SQL()), df.err)
		}
		switch x := st.(type) {
		case *sql.CreateView, *sql.DropView, *sql.CreateSourceView, *sql.CreateTableAs, *sql.InsertOverwriteDirectory:
			continue
		case *sql.CacheTable, *sql.UncacheTable, *sql.DeclareVariable, *sql.SetVariable, *sql.DropVariable:
			continue
		case *sql.Set:
			if x.HasValue {
				continue
			}
		}
		if err := emit(st.SQL(), df); err != nil {
			return err
		}
	}
	return nil
}

func abbreviate(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// sqlFrame analyzes a parsed query plan and lowers the parser's Prune nodes.
func (s *Session) sqlFrame(ctx context.Context, p logical.Plan) *DataFrame {
	if err := logical.CheckLimits(p, s.planLimits()); err != nil {
		return &DataFrame{s: s, err: err}
	}
	a := s.analyzer()
	p, _, err := logical.TransformUpWithSubqueries(p, func(n logical.Plan) (logical.Plan, bool, error) {
		if tf, ok := n.(*sql.TableFunction); ok {
			r, err := s.callTableFunction(ctx, tf)
			return r, err == nil, err
		}
		r, ok := n.(*logical.UnresolvedRelation)
		if !ok {
			return n, false, nil
		}
		if r.Name == sql.OneRowRelation {
			return a.NewScan(newStringTable("one_row", []string{"__dummy"}, [][]*string{{new(string)}}), ""), true, nil
		}
		// A direct file query is resolved here, where an unreadable path
		// can be reported; the catalog lookup would only say "unknown table".
		if _, _, isFile := fileRelation(r.Name); isFile && !s.tableExists(r.Name) {
			src, _, err := s.lookup(r.Name)
			if err != nil {
				return nil, false, fmt.Errorf("%w: %w", logical.ErrAnalysis, err)
			}
			return a.NewScan(src, r.Name[strings.LastIndexByte(r.Name, '.')+1:]), true, nil
		}
		return n, false, nil
	})
	if err != nil {
		return &DataFrame{s: s, err: err}
	}
	ap, err := a.Analyze(p)
	if err != nil {
		return &DataFrame{s: s, err: err}
	}
	ap = sql.Lower(ap)
	if !s.optimizerOn() && hasCrossJoin(ap) {
		// FROM a, b WHERE a.k = b.k needs the WHERE's equalities in the
		// join, which predicate pushdown puts there even without the optimizer.
		if pushed, _, err := optimizer.PushDownPredicates().Apply(ap); err == nil {
			ap = pushed
		}
	}
	return &DataFrame{s: s, plan: ap}
}

func hasCrossJoin(p logical.Plan) bool {
	if j, ok := p.(*logical.Join); ok && j.Cond == nil {
		return true
	}
	for _, c := range p.Children() {
		if hasCrossJoin(c) {
			return true
		}
	}
	return false
}

// statementFrame runs a statement, lazily for queries.
func (s *Session) statementFrame(ctx context.Context, st sql.Statement) *DataFrame {
	switch x := st.(type) {
	case *sql.Query:
		return s.sqlFrame(ctx, x.Plan)
	case *sql.CreateView:
		if err := checkViewRecursion(x.Name, x.Query); err != nil {
			return &DataFrame{s: s, err: err}
		}
		df := s.sqlFrame(ctx, x.Query)
		if df.err != nil {
			return df
		}
		if !x.Replace {
			if s.tableExists(x.Name) {
				return &DataFrame{s: s, err: fmt.Errorf("view %s already exists; use CREATE OR REPLACE TEMP VIEW", x.Name)}
			}
		}
		if err := df.CreateOrReplaceTempView(x.Name); err != nil {
			return &DataFrame{s: s, err: err}
		}
		return s.memFrame("result", nil, nil)
	case *sql.CreateSourceView:
		if x.IfNotExists && s.tableExists(x.Name) {
			return s.memFrame("result", nil, nil)
		}
		if !x.Replace && s.tableExists(x.Name) {
			return &DataFrame{s: s, err: fmt.Errorf("view %s already exists; use CREATE OR REPLACE TEMP VIEW", x.Name)}
		}
		r := s.Read()
		for k, v := range x.Options {
			if k != "path" {
				r.Option(k, v)
			}
		}
		df := r.load(x.Format, []string{x.Options["path"]})
		if df.err != nil {
			return &DataFrame{s: s, err: fmt.Errorf("view %s: %w", x.Name, df.err)}
		}
		if err := df.CreateOrReplaceTempView(x.Name); err != nil {
			return &DataFrame{s: s, err: err}
		}
		return s.memFrame("result", nil, nil)
	case *sql.CreateTableAs:
		if err := s.createTableAs(ctx, x); err != nil {
			return &DataFrame{s: s, err: err}
		}
		return s.memFrame("result", nil, nil)
	case *sql.InsertOverwriteDirectory:
		df := s.sqlFrame(ctx, x.Query)
		if df.err != nil {
			return df
		}
		w := df.Write().Mode("overwrite").Format(x.Format)
		for k, v := range x.Options {
			w.Option(k, v)
		}
		if err := w.Save(ctx, x.Path); err != nil {
			return &DataFrame{s: s, err: err}
		}
		return s.memFrame("result", nil, nil)
	case *sql.Set:
		if x.HasValue {
			if err := s.SetConf(x.Key, x.Value); err != nil {
				return &DataFrame{s: s, err: err}
			}
			return s.memFrame("result", nil, nil)
		}
		keys := confKeys()
		if x.Key != "" {
			k, err := canonicalKey(x.Key)
			if err != nil {
				return &DataFrame{s: s, err: err}
			}
			keys = []string{k}
		}
		var rows [][]string
		for _, k := range keys {
			v, err := s.Conf(k)
			if err != nil {
				return &DataFrame{s: s, err: err}
			}
			rows = append(rows, []string{k, v})
		}
		return s.memFrame("settings", []string{"key", "value"}, rows)
	case *sql.Explain:
		df := s.sqlFrame(ctx, x.Query)
		if df.err != nil {
			return df
		}
		var text string
		var err error
		switch {
		case x.Analyze:
			text, err = df.ExplainAnalyze(ctx)
		case x.Formatted:
			text, err = df.Explain(false)
			if err == nil {
				text = formatExplain(text)
			}
		default:
			text, err = df.Explain(x.Extended)
		}
		if err != nil {
			return &DataFrame{s: s, err: err}
		}
		var rows [][]string
		for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			rows = append(rows, []string{line})
		}
		return s.memFrame("explain", []string{"plan"}, rows)
	case *sql.ShowTables:
		var rows [][]string
		seen := map[string]bool{}
		for _, n := range s.Tables() {
			if !seen[n] {
				seen[n] = true
				rows = append(rows, []string{n})
			}
		}
		return s.memFrame("tables", []string{"tableName"}, rows)
	case *sql.ShowFunctions:
		names, err := functionNames(x.Pattern)
		if err != nil {
			return &DataFrame{s: s, err: err}
		}
		rows := make([][]string, len(names))
		for i, n := range names {
			rows[i] = []string{n}
		}
		return s.memFrame("functions", []string{"function"}, rows)
	case *sql.DropView:
		if !s.dropView(x.Name) && !x.IfExists {
			return &DataFrame{s: s, err: fmt.Errorf("%w: view %s does not exist", logical.ErrAnalysis, x.Name)}
		}
		return s.memFrame("result", nil, nil)
	case *sql.DescribeModel:
		if _, ok := s.tableFunction(x.Call.Name); !ok {
			return &DataFrame{s: s, err: x.Call.Errorf("DESCRIBE MODEL needs the ML table functions registered on the session (%s is unknown)", x.Call.Name)}
		}
		return s.sqlFrame(ctx, x.Call)
	case *sql.Describe:
		df := s.Table(x.Name)
		if df.err != nil {
			return df
		}
		var rows [][]string
		for _, f := range df.Schema().Fields() {
			rows = append(rows, []string{f.Name, logical.TypeName(f.Type)})
		}
		if x.Extended {
			rows = append(rows, s.describeExtended(x.Name)...)
		}
		return s.memFrame("describe", []string{"col_name", "data_type"}, rows)
	}
	if df, ok := s.syntaxStatement(ctx, st); ok {
		return df
	}
	return &DataFrame{s: s, err: fmt.Errorf("unsupported statement %T", st)}
}

// createTableAs writes the result of x's query to x.Location (which must not
// exist yet) and registers x.Name as a view over the written files.
func (s *Session) createTableAs(ctx context.Context, x *sql.CreateTableAs) error {
	if s.tableExists(x.Name) {
		if x.IfNotExists {
			return nil
		}
		return fmt.Errorf("%w: table %s already exists", logical.ErrAnalysis, x.Name)
	}
	df := s.sqlFrame(ctx, x.Query)
	if df.err != nil {
		return df.err
	}
	w := df.Write().Mode("error").Format(x.Format)
	r := s.Read()
	for k, v := range x.Options {
		w.Option(k, v)
		r.Option(k, v)
	}
	if err := w.Save(ctx, x.Location); err != nil {
		return fmt.Errorf("table %s: %w", x.Name, err)
	}
	if x.Format != "parquet" {
		// Read text formats back with the written schema, not an inferred one.
		r.Schema(plainSchema(df.Schema()))
	}
	back := r.load(x.Format, []string{x.Location})
	if back.err != nil {
		return fmt.Errorf("table %s: reading back %s: %w", x.Name, x.Location, back.err)
	}
	return back.CreateOrReplaceTempView(x.Name)
}

// plainSchema replaces dictionary-encoded columns by their value type, as
// the text formats write them.
func plainSchema(s *arrow.Schema) *arrow.Schema {
	fields := append([]arrow.Field(nil), s.Fields()...)
	for i, f := range fields {
		if d, ok := f.Type.(*arrow.DictionaryType); ok {
			fields[i].Type = d.ValueType
		}
		fields[i].Nullable = true
	}
	return arrow.NewSchema(fields, nil)
}

// formatExplain renders the physical plan part of an Explain text as Spark's
// EXPLAIN FORMATTED does: the operator tree with each operator numbered (in
// post-order, leaves first) and then each operator's details by number.
func formatExplain(text string) string {
	type node struct {
		depth int
		desc  string
		parts string
		id    int
	}
	var nodes []*node
	inPlan := false
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.HasPrefix(line, "== ") {
			inPlan = strings.HasPrefix(line, "== Physical Plan")
			continue
		}
		if !inPlan || strings.TrimSpace(line) == "" {
			continue
		}
		trimmed := strings.TrimLeft(line, " ")
		n := &node{depth: (len(line) - len(trimmed)) / 2, desc: trimmed}
		if i := strings.LastIndex(trimmed, " [partitions="); i >= 0 && strings.HasSuffix(trimmed, "]") {
			n.desc, n.parts = trimmed[:i], strings.TrimSuffix(trimmed[i+len(" [partitions="):], "]")
		}
		nodes = append(nodes, n)
	}
	// Post-order numbering: a node's number comes after its subtree's.
	next := 1
	var number func(i int) int
	number = func(i int) int {
		j := i + 1
		for j < len(nodes) && nodes[j].depth > nodes[i].depth {
			j = number(j)
		}
		nodes[i].id = next
		next++
		return j
	}
	for i := 0; i < len(nodes); {
		i = number(i)
	}
	var b strings.Builder
	b.WriteString("== Physical Plan ==\n")
	for _, n := range nodes {
		name := n.desc
		if i := strings.IndexAny(name, " ([{"); i > 0 {
			name = name[:i]
		}
		if n.depth > 0 {
			b.WriteString(strings.Repeat("   ", n.depth-1) + "+- ")
		}
		fmt.Fprintf(&b, "%s (%d)\n", name, n.id)
	}
	byID := make([]*node, len(nodes))
	for _, n := range nodes {
		byID[n.id-1] = n
	}
	for _, n := range byID {
		name := n.desc
		detail := ""
		if i := strings.IndexAny(name, " ([{"); i > 0 {
			name, detail = name[:i], strings.TrimSpace(name[i:])
		}
		fmt.Fprintf(&b, "\n(%d) %s\n", n.id, name)
		if detail != "" {
			fmt.Fprintf(&b, "Arguments: %s\n", detail)
		}
		if n.parts != "" {
			fmt.Fprintf(&b, "Partitions: %s\n", n.parts)
		}
	}
	return b.String()
}

// tableExists reports whether name itself (not the samples.name it may stand
// for) is a table or view of the catalog.
func (s *Session) tableExists(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[strings.ToLower(name)]
	return ok && strings.EqualFold(t.name, name)
}

// memFrame is a DataFrame over a small table of non-null strings held in memory.
func (s *Session) memFrame(name string, cols []string, rows [][]string) *DataFrame {
	ptrs := make([][]*string, len(rows))
	for i, r := range rows {
		ptrs[i] = make([]*string, len(r))
		for j := range r {
			ptrs[i][j] = &r[j]
		}
	}
	return s.memFrameNullable(name, cols, ptrs)
}

// memFrameNullable is memFrame with nil for a null.
func (s *Session) memFrameNullable(name string, cols []string, rows [][]*string) *DataFrame {
	src := newStringTable(name, cols, rows)
	return s.newFrame(s.analyzer().NewScan(src, name))
}

// stringTable is a logical.Source over rows of strings kept in memory; the
// batch is built from the query's allocator when scanned.
type stringTable struct {
	name   string
	schema *arrow.Schema
	rows   [][]*string
}

func newStringTable(name string, cols []string, rows [][]*string) *stringTable {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	return &stringTable{name: name, schema: arrow.NewSchema(fields, nil), rows: rows}
}

// Describe implements logical.Source.
func (t *stringTable) Describe() string { return "memory " + t.name }

// Schema implements logical.Source.
func (t *stringTable) Schema() *arrow.Schema { return t.schema }

// EstimatedRows implements logical.Source.
func (t *stringTable) EstimatedRows() int64 { return int64(len(t.rows)) }

// Operator implements logical.Source with a one-file scan whose only batch
// holds every row.
func (t *stringTable) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	open := func(ctx context.Context, _ string) (exec.BatchReader, error) {
		return &stringBatchReader{t: t, env: env}, nil
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "Memory", Files: []string{t.name}, Open: open, Schema: t.schema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions,
	}), nil
}

type stringBatchReader struct {
	t    *stringTable
	env  *exec.Env
	done bool
}

func (r *stringBatchReader) Next() (arrow.RecordBatch, error) {
	if r.done || len(r.t.rows) == 0 {
		return nil, io.EOF
	}
	r.done = true
	cols := make([]arrow.Array, r.t.schema.NumFields())
	for c := range cols {
		b := array.NewStringBuilder(r.env.Mem)
		for _, row := range r.t.rows {
			if row[c] == nil {
				b.AppendNull()
			} else {
				b.Append(*row[c])
			}
		}
		cols[c] = b.NewArray()
		b.Release()
	}
	rb := array.NewRecordBatch(r.t.schema, cols, int64(len(r.t.rows)))
	for _, a := range cols {
		a.Release()
	}
	return rb, nil
}

func (r *stringBatchReader) Close() error { return nil }

// FormatRows renders rows under a header as an aligned text table, as Show
// does without truncation.
func FormatRows(cols []string, rows []Row) string {
	return formatTable(cols, rows, 0, false, 0)
}

// checkViewRecursion refuses a view whose query reads the view itself
// (CREATE OR REPLACE TEMP VIEW v AS SELECT … FROM v), anywhere in the query
// including its subqueries, as Spark does. CTEs are substituted by the parser,
// so a CTE of the view's name does not count.
func checkViewRecursion(name string, q logical.Plan) error {
	want := strings.ToLower(name)
	_, _, err := logical.TransformUpWithSubqueries(q, func(n logical.Plan) (logical.Plan, bool, error) {
		if r, ok := n.(*logical.UnresolvedRelation); ok && strings.ToLower(r.Name) == want {
			return n, false, fmt.Errorf("recursive view `%s` detected (cycle: `%s` -> `%s`): a view cannot read itself", name, name, name)
		}
		return n, false, nil
	})
	return err
}
