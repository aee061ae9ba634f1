package frame_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/planner/logical"
)

// rowsSource is an in-memory table whose rows are dealt round-robin over the
// requested partitions.
type rowsSource struct {
	schema *arrow.Schema
	rows   [][]any
}

func (s *rowsSource) Describe() string      { return "rows" }
func (s *rowsSource) Schema() *arrow.Schema { return s.schema }
func (s *rowsSource) EstimatedRows() int64  { return int64(len(s.rows)) }
func (s *rowsSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	n := max(req.Partitions, 1)
	fields := make([]arrow.Field, len(req.ReadColumns))
	for i, c := range req.ReadColumns {
		fields[i] = s.schema.Field(c)
	}
	read := arrow.NewSchema(fields, nil)
	outFields := make([]arrow.Field, len(req.Output))
	for i, o := range req.Output {
		outFields[i] = fields[o]
	}
	out := arrow.NewSchema(outFields, nil)
	parts := make([][]arrow.RecordBatch, n)
	mem := memory.DefaultAllocator
	for p := range n {
		var rows [][]any
		for i := p; i < len(s.rows); i += n {
			r := make([]any, len(req.ReadColumns))
			for j, c := range req.ReadColumns {
				r[j] = s.rows[i][c]
			}
			rows = append(rows, r)
		}
		b := exectest.Batch(mem, read, rows)
		if req.Predicate != nil {
			m, err := req.Predicate.Eval(mem, b)
			if err != nil {
				return nil, err
			}
			fb, err := kernels.FilterBatch(mem, b, m.(*array.Boolean))
			if err != nil {
				return nil, err
			}
			b = fb
		}
		cols := make([]arrow.Array, len(req.Output))
		for i, o := range req.Output {
			cols[i] = b.Column(o)
		}
		parts[p] = []arrow.RecordBatch{array.NewRecordBatch(out, cols, b.NumRows())}
	}
	return exec.NewMemorySource(out, parts), nil
}

func employees() *rowsSource {
	return &rowsSource{
		schema: arrow.NewSchema([]arrow.Field{
			{Name: "name", Type: arrow.BinaryTypes.String},
			{Name: "dept", Type: arrow.BinaryTypes.String},
			{Name: "salary", Type: arrow.PrimitiveTypes.Int32},
			{Name: "age", Type: arrow.PrimitiveTypes.Int32},
		}, nil),
		rows: [][]any{
			{"Lisa", "Sales", 10000, 35}, {"Evan", "Sales", 32000, 38}, {"Fred", "Engineering", 21000, 28},
			{"Alex", "Sales", 30000, 33}, {"Tom", "Engineering", 23000, 33}, {"Jane", "Marketing", 29000, 28},
			{"Jeff", "Marketing", 35000, 38}, {"Paul", "Engineering", 29000, 23}, {"Chloe", "Engineering", 23000, 25},
		},
	}
}

func formatRows(rows []frame.Row) string {
	var b strings.Builder
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteString(" ")
			}
			switch x := v.(type) {
			case nil:
				b.WriteString("NULL")
			case float64:
				b.WriteString(strconv.FormatFloat(x, 'f', 4, 64))
			default:
				fmt.Fprint(&b, x)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Spark's documentation examples over the employees table, with the expected
// values computed by hand.
const windowSQL = `
SELECT name, dept, salary,
  rank() OVER (PARTITION BY dept ORDER BY salary) AS rk,
  dense_rank() OVER (PARTITION BY dept ORDER BY salary ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS drk,
  cume_dist() OVER (PARTITION BY dept ORDER BY age RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cd,
  lag(salary) OVER (PARTITION BY dept ORDER BY salary, name) AS lg,
  lead(salary, 1, 0) OVER (PARTITION BY dept ORDER BY salary, name) AS ld,
  ntile(2) OVER (PARTITION BY dept ORDER BY salary, name) AS nt,
  percent_rank() OVER (PARTITION BY dept ORDER BY salary) AS pr,
  row_number() OVER (PARTITION BY dept ORDER BY salary DESC, name) AS rn,
  sum(salary) OVER (PARTITION BY dept) AS total,
  sum(salary) OVER (PARTITION BY dept ORDER BY salary) AS running,
  avg(salary) OVER (PARTITION BY dept ORDER BY age ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS mavg,
  count(*) OVER (ORDER BY age RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) AS c5,
  first_value(name) OVER (PARTITION BY dept ORDER BY salary DESC, name) AS top
FROM employees ORDER BY name`

const windowWant = `Alex Sales 30000 2 2 0.3333 10000 32000 1 0.5000 2 72000 40000 20000.0000 4 Evan
Chloe Engineering 23000 2 2 0.5000 21000 23000 1 0.3333 2 96000 67000 24333.3333 2 Paul
Evan Sales 32000 3 3 1.0000 30000 0 2 1.0000 1 72000 72000 21000.0000 5 Evan
Fred Engineering 21000 1 1 0.7500 NULL 23000 1 0.0000 4 96000 21000 22333.3333 4 Paul
Jane Marketing 29000 1 1 0.5000 NULL 35000 1 0.0000 2 64000 29000 32000.0000 4 Jeff
Jeff Marketing 35000 2 2 1.0000 29000 0 2 1.0000 1 64000 64000 32000.0000 5 Jeff
Lisa Sales 10000 1 1 0.6667 NULL 30000 1 0.0000 3 72000 10000 24000.0000 3 Evan
Paul Engineering 29000 4 3 0.2500 23000 0 2 1.0000 1 96000 96000 26000.0000 1 Paul
Tom Engineering 23000 2 2 1.0000 23000 29000 2 0.3333 3 96000 67000 22000.0000 4 Paul
`

func windowSessions(t *testing.T) map[string]*frame.Session {
	out := map[string]*frame.Session{}
	for _, p := range exectest.PartitionCounts(1, 3) {
		for _, opt := range []bool{true, false} {
			s := frame.NewSession(frame.WithPartitions(p), frame.WithOptimizer(opt), frame.WithAllocator(exectest.Alloc(t)))
			s.RegisterSource("employees", employees())
			out[fmt.Sprintf("partitions=%d/optimizer=%v", p, opt)] = s
		}
	}
	return out
}

func TestWindowSQL(t *testing.T) {
	for name, s := range windowSessions(t) {
		t.Run(name, func(t *testing.T) {
			rows, err := s.SQL(windowSQL).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := formatRows(rows); got != windowWant {
				t.Fatalf("got\n%s\nwant\n%s", got, windowWant)
			}
		})
	}
}

func TestWindowDataFrame(t *testing.T) {
	byDept := frame.Window{}.PartitionBy(F.Col("dept"))
	bySalary := byDept.OrderBy(F.Col("salary"))
	bySalaryName := byDept.OrderBy(F.Col("salary"), F.Col("name"))
	byAge := byDept.OrderBy(F.Col("age"))
	for name, s := range windowSessions(t) {
		t.Run(name, func(t *testing.T) {
			df := s.Table("employees").Select(F.Col("name"), F.Col("dept"), F.Col("salary"),
				F.Rank().Over(bySalary).Alias("rk"),
				F.DenseRank().Over(bySalary.RowsBetween(frame.UnboundedPreceding, frame.CurrentRow)).Alias("drk"),
				F.CumeDist().Over(byAge.RangeBetween(frame.UnboundedPreceding, frame.CurrentRow)).Alias("cd"),
				F.Lag(F.Col("salary"), 1, nil).Over(bySalaryName).Alias("lg"),
				F.Lead(F.Col("salary"), 1, 0).Over(bySalaryName).Alias("ld"),
				F.Ntile(2).Over(bySalaryName).Alias("nt"),
				F.PercentRank().Over(bySalary).Alias("pr"),
				F.RowNumber().Over(byDept.OrderBy(F.Col("salary").Desc(), F.Col("name"))).Alias("rn"),
				F.Sum(F.Col("salary")).Over(byDept).Alias("total"),
				F.Sum(F.Col("salary")).Over(bySalary).Alias("running"),
				F.Avg(F.Col("salary")).Over(byAge.RowsBetween(-1, 1)).Alias("mavg"),
				F.CountStar().Over(frame.Window{}.OrderBy(F.Col("age")).RangeBetween(-5, frame.CurrentRow)).Alias("c5"),
				F.FirstValue(F.Col("name"), false).Over(byDept.OrderBy(F.Col("salary").Desc(), F.Col("name"))).Alias("top"),
			).OrderBy(F.Col("name"))
			rows, err := df.Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := formatRows(rows); got != windowWant {
				t.Fatalf("got\n%s\nwant\n%s", got, windowWant)
			}
		})
	}
}

func TestWindowFilterAndErrors(t *testing.T) {
	for name, s := range windowSessions(t) {
		t.Run(name, func(t *testing.T) {
			rows, err := s.SQL(`SELECT name, rk FROM (SELECT name, dept, rank() OVER (PARTITION BY dept ORDER BY salary DESC) AS rk FROM employees) t
				WHERE dept <> 'Sales' AND rk = 1 ORDER BY name`).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := formatRows(rows), "Jeff 1\nPaul 1\n"; got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			rows, err = s.SQL(`SELECT name, s FROM (SELECT name, salary + 1 AS s1, sum(salary) OVER (PARTITION BY upper(dept) ORDER BY age ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) + 1 AS s FROM employees) t WHERE name LIKE 'J%' ORDER BY name`).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := formatRows(rows), "Jane 64001\nJeff 64001\n"; got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			rows, err = s.SQL(`SELECT name, rank() OVER (ORDER BY salary DESC) AS r FROM employees ORDER BY r, name LIMIT 3`).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := formatRows(rows), "Jeff 1\nEvan 2\nAlex 3\n"; got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			rows, err = s.SQL(`SELECT name, lag(name, 2, 'none') OVER (ORDER BY age DESC, name) AS l2,
				nth_value(name, 2) OVER (PARTITION BY dept ORDER BY age ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second,
				last_value(name) OVER (PARTITION BY dept ORDER BY age ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS nxt,
				max(age) OVER (PARTITION BY dept ORDER BY salary, name ROWS 1 PRECEDING) AS mx
				FROM employees WHERE dept = 'Engineering' ORDER BY name`).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// Engineering by age: Paul 23, Chloe 25, Fred 28, Tom 33; by salary, name: Fred, Chloe, Tom, Paul.
			want := "Chloe Tom Chloe Fred 28\nFred none Chloe Tom 28\nPaul Fred Chloe Chloe 33\nTom none Chloe Tom 33\n"
			if got := formatRows(rows); got != want {
				t.Fatalf("got\n%s\nwant\n%s", got, want)
			}
			for _, q := range []string{
				`SELECT rank() OVER (PARTITION BY dept) FROM employees`,
				`SELECT sum(salary) OVER (ORDER BY name RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM employees`,
				`SELECT sum(salary) OVER (ORDER BY age, name RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM employees`,
				`SELECT stddev(DISTINCT salary) OVER (PARTITION BY dept) FROM employees`,
				`SELECT ntile(0) OVER (ORDER BY age) FROM employees`,
			} {
				if _, err := s.SQL(q).Collect(context.Background()); err == nil {
					t.Errorf("%s: no error", q)
				}
			}
		})
	}
}

// TestWindowLineitem runs windows over the lineitem sample, where the line
// numbers of an order are 1..n: row_number over the order's lines ordered by
// line number is the line number, and the largest line number is the count.
func TestWindowLineitem(t *testing.T) {
	for _, p := range exectest.PartitionCounts(1, 3) {
		for _, opt := range []bool{true, false} {
			s := frame.NewSession(frame.WithPartitions(p), frame.WithOptimizer(opt), frame.WithAllocator(exectest.Alloc(t)))
			rows, err := s.SQL(`SELECT count(*), sum(CASE WHEN rn = l_linenumber THEN 1 ELSE 0 END),
					sum(CASE WHEN mx = cnt THEN 1 ELSE 0 END), sum(CASE WHEN prev_mode IS NULL THEN 1 ELSE 0 END),
					sum(CASE WHEN l_linenumber = 1 THEN 1 ELSE 0 END)
				FROM (SELECT l_linenumber,
					row_number() OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) AS rn,
					max(l_linenumber) OVER (PARTITION BY l_orderkey) AS mx,
					count(*) OVER (PARTITION BY l_orderkey) AS cnt,
					lag(l_shipmode) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) AS prev_mode
				FROM samples.lineitem) t`).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			r := rows[0]
			if r[0] != r[1] || r[0] != r[2] || r[3] != r[4] || r[0].(int64) == 0 {
				t.Fatalf("partitions=%d optimizer=%v: %v", p, opt, r)
			}
			// Decimal window sums and averages equal the grouped ones.
			rows, err = s.SQL(`SELECT count(*), sum(CASE WHEN ws = s AND wa = a THEN 1 ELSE 0 END)
				FROM (SELECT l_orderkey, sum(l_quantity) OVER (PARTITION BY l_orderkey) AS ws,
					avg(l_extendedprice) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS wa
					FROM samples.lineitem) w
				JOIN (SELECT l_orderkey AS k, sum(l_quantity) AS s, avg(l_extendedprice) AS a FROM samples.lineitem GROUP BY l_orderkey) g
				ON w.l_orderkey = g.k`).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if r := rows[0]; r[0] != r[1] || r[0].(int64) == 0 {
				t.Fatalf("partitions=%d optimizer=%v: decimal sums %v", p, opt, r)
			}
		}
	}
}

func TestWindowWithColumn(t *testing.T) {
	for name, s := range windowSessions(t) {
		t.Run(name, func(t *testing.T) {
			w := frame.Window{}.PartitionBy(F.Col("dept")).OrderBy(F.Col("age").Desc())
			df := s.Table("employees").
				WithColumn("oldest", F.FirstValue(F.Col("name"), false).Over(w)).
				WithColumn("n", F.Count(F.Col("name")).Over(w.RowsBetween(frame.UnboundedPreceding, frame.UnboundedFollowing))).
				Filter(F.Col("dept").NotEq("Sales")).
				Select(F.Col("name"), F.Col("oldest"), F.Col("n")).
				OrderBy(F.Col("name"))
			rows, err := df.Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := "Chloe Tom 4\nFred Tom 4\nJane Jeff 2\nJeff Jeff 2\nPaul Tom 4\nTom Tom 4\n"
			if got := formatRows(rows); got != want {
				t.Fatalf("got\n%s\nwant\n%s", got, want)
			}
			if _, err := s.Table("employees").Select(F.Col("name").Over(w)).Collect(context.Background()); err == nil {
				t.Fatal("a plain column over a window: no error")
			}
		})
	}
}
