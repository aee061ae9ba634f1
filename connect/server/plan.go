package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	cproto "github.com/gspark/gspark/connect/proto"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/sql"
)

// relation translates a Spark Connect Relation into a gspark DataFrame of
// the session. Only show_string runs anything (the text is the relation's
// single row).
func (s *session) relation(ctx context.Context, r cproto.Msg) (*frame.DataFrame, error) {
	df, err := s.relationUnchecked(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := df.Err(); err != nil {
		return nil, err
	}
	return df, nil
}

func (s *session) input(ctx context.Context, r cproto.Msg, field string) (*frame.DataFrame, error) {
	in := r.Get(field)
	if !in.Valid() {
		return nil, fmt.Errorf("%s: %s relation not set", r.Name(), field)
	}
	return s.relation(ctx, in)
}

func (s *session) relationUnchecked(ctx context.Context, r cproto.Msg) (*frame.DataFrame, error) {
	kind := r.Which("rel_type")
	x := r.Get(kind)
	fs := s.fs
	switch kind {
	case "sql":
		return s.sqlQuery(x)
	case "read":
		return s.read(x)
	case "range":
		step := x.Int("step")
		if !x.Has("step") {
			step = 1
		}
		q := fmt.Sprintf("SELECT * FROM range(%d, %d, %d)", x.Int("start"), x.Int("end"), step)
		if n := x.Int("num_partitions"); n > 0 {
			q = fmt.Sprintf("SELECT * FROM range(%d, %d, %d, %d)", x.Int("start"), x.Int("end"), step, n)
		}
		return fs.SQL(q), nil
	case "local_relation":
		return s.localRelation(x)
	case "project":
		cols, err := columns(x.List("expressions"))
		if err != nil {
			return nil, err
		}
		if !x.Get("input").Valid() {
			return fs.SQL("SELECT 1").Select(cols...), nil
		}
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		return in.Select(cols...), nil
	case "filter":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		c, err := column(x.Get("condition"))
		if err != nil {
			return nil, err
		}
		return in.Filter(c), nil
	case "aggregate":
		return s.aggregate(ctx, x)
	case "join":
		return s.join(ctx, x)
	case "set_op":
		return s.setOp(ctx, x)
	case "sort":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		var cols []frame.Column
		for _, so := range x.List("order") {
			c, err := sortColumn(so)
			if err != nil {
				return nil, err
			}
			cols = append(cols, c)
		}
		return in.OrderBy(cols...), nil
	case "limit":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		return in.Limit(int(x.Int("limit"))), nil
	case "offset":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		return in.Offset(int(x.Int("offset"))), nil
	case "with_columns":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		for _, a := range x.List("aliases") {
			names := a.Strings("name")
			if len(names) != 1 {
				return nil, fmt.Errorf("with_columns: an alias needs one name, got %d", len(names))
			}
			c, err := column(a.Get("expr"))
			if err != nil {
				return nil, err
			}
			in = in.WithColumn(names[0], c)
		}
		return in, nil
	case "with_columns_renamed":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		for k, v := range x.Map("rename_columns_map") {
			in = in.WithColumnRenamed(k, v)
		}
		for _, rn := range x.List("renames") {
			in = in.WithColumnRenamed(rn.Str("col_name"), rn.Str("new_col_name"))
		}
		return in, nil
	case "drop":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		names := x.Strings("column_names")
		for _, c := range x.List("columns") {
			if c.Which("expr_type") != "unresolved_attribute" {
				return nil, fmt.Errorf("%w: drop of an expression other than a column name", errUnsupported)
			}
			names = append(names, c.Get("unresolved_attribute").Str("unparsed_identifier"))
		}
		return in.Drop(names...), nil
	case "deduplicate":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		if x.Bool("all_columns_as_keys") || len(x.Strings("column_names")) == 0 {
			return in.Distinct(), nil
		}
		return in.DropDuplicates(x.Strings("column_names")...), nil
	case "repartition":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		n := int(x.Int("num_partitions"))
		if x.Has("shuffle") && !x.Bool("shuffle") {
			return in.Coalesce(n), nil
		}
		return in.Repartition(n), nil
	case "repartition_by_expression":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		var keys []frame.Column
		for _, e := range x.List("partition_exprs") {
			if e.Which("expr_type") == "sort_order" {
				// Range partitioning: gspark partitions by a hash of the
				// keys; the rows are the same, their spread differs.
				e = e.Get("sort_order").Get("child")
			}
			c, err := column(e)
			if err != nil {
				return nil, err
			}
			keys = append(keys, c)
		}
		n := int(x.Int("num_partitions"))
		if n <= 0 {
			n = fs.Partitions()
		}
		return in.Repartition(n, keys...), nil
	case "to_df":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		names := x.Strings("column_names")
		old := in.Columns()
		if len(names) != len(old) {
			return nil, fmt.Errorf("toDF: %d column names for %d columns", len(names), len(old))
		}
		cols := make([]frame.Column, len(old))
		for i, o := range old {
			e, err := sql.ParseExpression(quoteIdent(o))
			if err != nil {
				return nil, err
			}
			cols[i] = frame.ColumnOf(e).Alias(names[i])
		}
		return in.Select(cols...), nil
	case "subquery_alias":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		return in.Alias(x.Str("alias")), nil
	case "hint":
		return s.input(ctx, x, "input")
	case "show_string":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		if x.Bool("vertical") {
			return nil, fmt.Errorf("%w: show_string vertical", errUnsupported)
		}
		text, err := in.ShowString(ctx, int(x.Int("num_rows")), int(x.Int("truncate")))
		if err != nil {
			return nil, err
		}
		return fs.CreateDataFrameRows([][]any{{text}}, "show_string string"), nil
	case "sample":
		in, err := s.input(ctx, x, "input")
		if err != nil {
			return nil, err
		}
		if x.Bool("with_replacement") || x.Float("lower_bound") != 0 {
			return nil, fmt.Errorf("%w: sample with replacement or a lower bound", errUnsupported)
		}
		return in.Sample(x.Float("upper_bound"), x.Int("seed")), nil
	case "":
		return nil, fmt.Errorf("relation type not set")
	}
	return nil, fmt.Errorf("%w: %s", errUnsupported, kind)
}

// sqlQuery is a SQL relation, with named arguments substituted as literals.
func (s *session) sqlQuery(x cproto.Msg) (*frame.DataFrame, error) {
	q := x.Str("query")
	params := map[string]string{}
	for _, a := range x.List("args") {
		t, err := literalText(a.Get("value"))
		if err != nil {
			return nil, err
		}
		params[a.Str("key")] = t
	}
	for _, a := range x.List("named_arguments") {
		t, err := exprText(a.Get("value"), false)
		if err != nil {
			return nil, err
		}
		params[a.Str("key")] = t
	}
	if len(x.List("pos_args"))+len(x.List("pos_arguments")) > 0 {
		return nil, fmt.Errorf("%w: positional SQL parameters", errUnsupported)
	}
	if len(params) > 0 {
		var err error
		if q, err = frame.SubstituteParams(q, params); err != nil {
			return nil, err
		}
	}
	return s.fs.SQL(q), nil
}

// localPath turns a file: URL into a local path; other paths pass as they are.
func localPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "file://"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(p, "file:"); ok {
		return rest
	}
	return p
}

func (s *session) read(x cproto.Msg) (*frame.DataFrame, error) {
	if x.Bool("is_streaming") {
		return nil, fmt.Errorf("%w: streaming reads", errUnsupported)
	}
	switch x.Which("read_type") {
	case "named_table":
		return s.fs.Table(x.Get("named_table").Str("unparsed_identifier")), nil
	case "data_source":
		ds := x.Get("data_source")
		if len(ds.Strings("predicates")) > 0 {
			return nil, fmt.Errorf("%w: JDBC predicates", errUnsupported)
		}
		r := s.fs.Read()
		if f := ds.Str("format"); f != "" {
			r = r.Format(f)
		}
		if sc := ds.Str("schema"); sc != "" {
			r = r.SchemaDDL(sc)
		}
		for k, v := range ds.Map("options") {
			r = r.Option(k, v)
		}
		paths := ds.Strings("paths")
		for i, p := range paths {
			paths[i] = localPath(p)
		}
		if len(paths) == 0 {
			if p, ok := ds.Map("options")["path"]; ok {
				paths = []string{localPath(p)}
			}
		}
		return r.Load(paths...), nil
	}
	return nil, fmt.Errorf("read type not set")
}

// localRelation reads the Arrow IPC stream a client sent.
func (s *session) localRelation(x cproto.Msg) (*frame.DataFrame, error) {
	data := x.Bytes("data")
	if len(data) == 0 {
		ddl := x.Str("schema")
		if ddl == "" {
			return nil, fmt.Errorf("local relation without data or schema")
		}
		return s.fs.CreateDataFrameRows(nil, ddl), nil
	}
	rd, err := ipc.NewReader(bytes.NewReader(data), ipc.WithAllocator(s.mem))
	if err != nil {
		return nil, fmt.Errorf("local relation: Arrow IPC stream: %w", err)
	}
	defer rd.Release()
	var batches []arrow.RecordBatch
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	for rd.Next() {
		b := rd.RecordBatch()
		b.Retain()
		batches = append(batches, b)
	}
	if err := rd.Err(); err != nil {
		return nil, fmt.Errorf("local relation: Arrow IPC stream: %w", err)
	}
	return s.fs.FromBatches(rd.Schema(), [][]arrow.RecordBatch{batches})
}

func (s *session) aggregate(ctx context.Context, x cproto.Msg) (*frame.DataFrame, error) {
	in, err := s.input(ctx, x, "input")
	if err != nil {
		return nil, err
	}
	groups, err := columns(x.List("grouping_expressions"))
	if err != nil {
		return nil, err
	}
	aggs, err := columns(x.List("aggregate_expressions"))
	if err != nil {
		return nil, err
	}
	switch x.Int("group_type") {
	case 0, 1:
		return in.GroupBy(groups...).Agg(aggs...), nil
	case 2:
		return in.Rollup(groups...).Agg(aggs...), nil
	case 3:
		return in.Cube(groups...).Agg(aggs...), nil
	case 4:
		p := x.Get("pivot")
		pc, err := column(p.Get("col"))
		if err != nil {
			return nil, err
		}
		var vals []any
		for _, l := range p.List("values") {
			t, err := literalText(l)
			if err != nil {
				return nil, err
			}
			v, err := s.constant(ctx, t)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
		if len(vals) == 0 {
			pd, err := in.GroupBy(groups...).PivotDistinct(ctx, pc)
			if err != nil {
				return nil, err
			}
			return pd.Agg(aggs...), nil
		}
		return in.GroupBy(groups...).Pivot(pc, vals...).Agg(aggs...), nil
	}
	return nil, fmt.Errorf("%w: aggregate group type %d (grouping sets)", errUnsupported, x.Int("group_type"))
}

// constant evaluates a literal's SQL text to its Go value.
func (s *session) constant(ctx context.Context, text string) (any, error) {
	rows, err := s.fs.SQL("SELECT " + text).Collect(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) != 1 || len(rows[0]) != 1 {
		return nil, errors.New("constant: not one value")
	}
	return rows[0][0], nil
}

// joinHow is the frame join kind of a Join.JoinType.
func joinHow(t int64) string {
	switch t {
	case 0, 1:
		return "inner"
	case 2:
		return "full"
	case 3:
		return "left"
	case 4:
		return "right"
	case 5:
		return "left_anti"
	case 6:
		return "left_semi"
	case 7:
		return "cross"
	}
	return ""
}

func (s *session) join(ctx context.Context, x cproto.Msg) (*frame.DataFrame, error) {
	left, err := s.input(ctx, x, "left")
	if err != nil {
		return nil, err
	}
	right, err := s.input(ctx, x, "right")
	if err != nil {
		return nil, err
	}
	how := joinHow(x.Int("join_type"))
	if how == "" {
		return nil, fmt.Errorf("%w: join type %d", errUnsupported, x.Int("join_type"))
	}
	if using := x.Strings("using_columns"); len(using) > 0 {
		return left.JoinUsing(right, using, how), nil
	}
	if !x.Get("join_condition").Valid() {
		if how == "inner" || how == "cross" {
			return left.CrossJoin(right), nil
		}
		return nil, fmt.Errorf("%s join without a condition", how)
	}
	cond, err := column(x.Get("join_condition"))
	if err != nil {
		return nil, err
	}
	return left.Join(right, cond, how), nil
}

func (s *session) setOp(ctx context.Context, x cproto.Msg) (*frame.DataFrame, error) {
	left, err := s.input(ctx, x, "left_input")
	if err != nil {
		return nil, err
	}
	right, err := s.input(ctx, x, "right_input")
	if err != nil {
		return nil, err
	}
	all := x.Bool("is_all")
	switch x.Int("set_op_type") {
	case 1:
		if all {
			return left.IntersectAll(right), nil
		}
		return left.Intersect(right), nil
	case 2:
		var out *frame.DataFrame
		if x.Bool("by_name") {
			out = left.UnionByName(right, x.Bool("allow_missing_columns"))
		} else {
			out = left.UnionAll(right)
		}
		if !all {
			out = out.Distinct()
		}
		return out, nil
	case 3:
		if all {
			return left.ExceptAll(right), nil
		}
		return left.Except(right), nil
	}
	return nil, fmt.Errorf("set operation type not set")
}
