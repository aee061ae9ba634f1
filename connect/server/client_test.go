package server_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/spark-connect-go/spark/sql"
	"github.com/apache/spark-connect-go/spark/sql/functions"
	"github.com/apache/spark-connect-go/spark/sql/types"
	"github.com/apache/spark-connect-go/spark/sql/utils"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// The test tables, built on both sides: the client sends emp as a local
// relation (Arrow IPC) and dept through SQL.
var empRows = [][]any{
	{int64(1), "ann", "eng", 120.0},
	{int64(2), "bob", "eng", 100.0},
	{int64(3), "cid", "ops", 80.0},
	{int64(4), "dee", "ops", 95.5},
	{int64(5), "eve", "hr", 70.0},
}

const deptSQL = "SELECT * FROM VALUES ('eng', 'Engineering'), ('ops', 'Operations'), ('hr', 'People') AS t(dname, title)"

func remoteTables(t *testing.T, ctx context.Context, spark sql.SparkSession) {
	t.Helper()
	schema := types.StructOf(
		types.NewStructField("id", types.LONG),
		types.NewStructField("name", types.STRING),
		types.NewStructField("dept", types.STRING),
		types.NewStructField("salary", types.DOUBLE),
	)
	data := make([][]any, len(empRows))
	for i, r := range empRows {
		data[i] = []any{int(r[0].(int64)), r[1], r[2], r[3]}
	}
	emp, err := spark.CreateDataFrame(ctx, data, schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := emp.CreateTempView(ctx, "emp", true, false); err != nil {
		t.Fatal(err)
	}
	dept, err := spark.Sql(ctx, deptSQL)
	if err != nil {
		t.Fatal(err)
	}
	if err := dept.CreateTempView(ctx, "dept", true, false); err != nil {
		t.Fatal(err)
	}
}

func localTables(t *testing.T) *frame.Session {
	t.Helper()
	s := frame.NewSession()
	if err := s.CreateDataFrameRows(empRows, "id bigint, name string, dept string, salary double").CreateOrReplaceTempView("emp"); err != nil {
		t.Fatal(err)
	}
	if err := s.SQL(deptSQL).CreateOrReplaceTempView("dept"); err != nil {
		t.Fatal(err)
	}
	return s
}

// text renders rows as strings for comparison.
func text(rows [][]any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.TrimSuffix(fmt.Sprintln(r...), "\n")
	}
	return out
}

// sparkTypeName is the client's name of the Spark type of an Arrow type.
func sparkTypeName(t arrow.DataType) string {
	switch t.(type) {
	case *arrow.Int32Type:
		return "Integer"
	case *arrow.Int64Type:
		return "Long"
	case *arrow.Float64Type:
		return "Double"
	case *arrow.StringType, *arrow.LargeStringType:
		return "String"
	case *arrow.BooleanType:
		return "Boolean"
	case *arrow.Decimal128Type:
		return "Decimal"
	case *arrow.Date32Type:
		return "Date"
	case *arrow.DictionaryType:
		return "String"
	}
	return t.String()
}

func TestClientAgainstLocal(t *testing.T) {
	ctx := context.Background()
	spark := connect(t, startServer(t))
	remoteTables(t, ctx, spark)
	local := localTables(t)
	col := functions.Col
	cases := []struct {
		name   string
		remote func() (sql.DataFrame, error)
		local  func() *frame.DataFrame
		want   []string // hand-computed rows, when given
		sorted bool     // compare as sets (the query has no ORDER BY)
	}{
		{
			name: "Sql",
			remote: func() (sql.DataFrame, error) {
				return spark.Sql(ctx, "SELECT id, name FROM emp WHERE salary > 90 ORDER BY id")
			},
			local: func() *frame.DataFrame { return local.SQL("SELECT id, name FROM emp WHERE salary > 90 ORDER BY id") },
			want:  []string{"1 ann", "2 bob", "4 dee"},
		},
		{
			name: "FilterByString",
			remote: func() (sql.DataFrame, error) {
				df, err := spark.Sql(ctx, "select id from range(100)")
				if err != nil {
					return nil, err
				}
				return df.FilterByString(ctx, "id < 4")
			},
			local: func() *frame.DataFrame {
				return local.SQL("select id from range(100)").Filter(frame.Col("id").Lt(4))
			},
			want: []string{"0", "1", "2", "3"}, sorted: true,
		},
		{
			name: "Filter",
			remote: func() (sql.DataFrame, error) {
				df, err := spark.Sql(ctx, "select * from range(100)")
				if err != nil {
					return nil, err
				}
				return df.Filter(ctx, col("id").Ge(functions.Lit(types.Int64(97))))
			},
			local: func() *frame.DataFrame {
				return local.SQL("select * from range(100)").Filter(frame.Col("id").Geq(int64(97)))
			},
			want: []string{"97", "98", "99"}, sorted: true,
		},
		{
			name: "Select",
			remote: func() (sql.DataFrame, error) {
				emp, err := spark.Table("emp")
				if err != nil {
					return nil, err
				}
				df, err := emp.Select(ctx, col("name"), col("salary").Mul(functions.Lit(types.Int64(2))).Alias("twice"))
				if err != nil {
					return nil, err
				}
				return df.OrderBy(ctx, col("name").Asc())
			},
			local: func() *frame.DataFrame {
				return local.Table("emp").Select(frame.Col("name"), frame.Col("salary").Mul(int64(2)).Alias("twice")).OrderBy(frame.Col("name").Asc())
			},
			want: []string{"ann 240", "bob 200", "cid 160", "dee 191", "eve 140"},
		},
		{
			name: "GroupByAgg",
			remote: func() (sql.DataFrame, error) {
				emp, err := spark.Table("emp")
				if err != nil {
					return nil, err
				}
				df, err := emp.GroupBy(col("dept")).Agg(ctx, functions.Sum(col("salary")).Alias("total"), functions.Count(col("id")).Alias("n"))
				if err != nil {
					return nil, err
				}
				return df.OrderBy(ctx, col("dept").Asc())
			},
			local: func() *frame.DataFrame {
				return local.Table("emp").GroupBy(frame.Col("dept")).Agg(
					F.Sum(frame.Col("salary")).Alias("total"), F.Count(frame.Col("id")).Alias("n"),
				).OrderBy(frame.Col("dept").Asc())
			},
			want: []string{"eng 220 2", "hr 70 1", "ops 175.5 2"},
		},
		{
			name: "Join",
			remote: func() (sql.DataFrame, error) {
				emp, err := spark.Table("emp")
				if err != nil {
					return nil, err
				}
				dept, err := spark.Table("dept")
				if err != nil {
					return nil, err
				}
				j, err := emp.Join(ctx, dept, col("dept").Eq(col("dname")), utils.JoinTypeInner)
				if err != nil {
					return nil, err
				}
				j, err = j.Select(ctx, col("name"), col("title"))
				if err != nil {
					return nil, err
				}
				return j.OrderBy(ctx, col("name").Asc())
			},
			local: func() *frame.DataFrame {
				return local.Table("emp").Join(local.Table("dept"), frame.Col("dept").Eq(frame.Col("dname")), "inner").
					Select(frame.Col("name"), frame.Col("title")).OrderBy(frame.Col("name").Asc())
			},
			want: []string{"ann Engineering", "bob Engineering", "cid Operations", "dee Operations", "eve People"},
		},
		{
			name: "OrderByLimit",
			remote: func() (sql.DataFrame, error) {
				emp, err := spark.Table("emp")
				if err != nil {
					return nil, err
				}
				df, err := emp.OrderBy(ctx, col("salary").Desc())
				if err != nil {
					return nil, err
				}
				return df.Limit(ctx, 2).Select(ctx, col("name"))
			},
			local: func() *frame.DataFrame {
				return local.Table("emp").OrderBy(frame.Col("salary").Desc()).Limit(2).Select(frame.Col("name"))
			},
			want: []string{"ann", "bob"},
		},
		{
			name: "WithColumn",
			remote: func() (sql.DataFrame, error) {
				emp, err := spark.Table("emp")
				if err != nil {
					return nil, err
				}
				df, err := emp.WithColumn(ctx, "bonus", col("salary").Div(functions.Lit(types.Int64(10))))
				if err != nil {
					return nil, err
				}
				df, err = df.FilterByString(ctx, "dept = 'ops'")
				if err != nil {
					return nil, err
				}
				return df.OrderBy(ctx, col("id").Asc())
			},
			local: func() *frame.DataFrame {
				return local.Table("emp").WithColumn("bonus", frame.Col("salary").Div(int64(10))).
					Filter(frame.Col("dept").Eq("ops")).OrderBy(frame.Col("id").Asc())
			},
			want: []string{"3 cid ops 80 8", "4 dee ops 95.5 9.55"},
		},
		{
			name: "Repartition",
			remote: func() (sql.DataFrame, error) {
				emp, err := spark.Table("emp")
				if err != nil {
					return nil, err
				}
				df, err := emp.Repartition(ctx, 3, []string{"dept"})
				if err != nil {
					return nil, err
				}
				return df.Select(ctx, col("id"))
			},
			local: func() *frame.DataFrame {
				return local.Table("emp").Repartition(3, frame.Col("dept")).Select(frame.Col("id"))
			},
			want: []string{"1", "2", "3", "4", "5"}, sorted: true,
		},
		{
			name: "SetOpsDropDedupOffset",
			remote: func() (sql.DataFrame, error) {
				emp, err := spark.Table("emp")
				if err != nil {
					return nil, err
				}
				depts, err := emp.Select(ctx, col("dept"))
				if err != nil {
					return nil, err
				}
				u := depts.UnionAll(ctx, depts)
				d, err := u.DropDuplicates(ctx, "dept")
				if err != nil {
					return nil, err
				}
				d = d.Intersect(ctx, depts)
				d, err = d.OrderBy(ctx, col("dept").Asc())
				if err != nil {
					return nil, err
				}
				return d.Offset(ctx, 1), nil
			},
			local: func() *frame.DataFrame {
				depts := local.Table("emp").Select(frame.Col("dept"))
				return depts.UnionAll(depts).DropDuplicates("dept").Intersect(depts).OrderBy(frame.Col("dept").Asc()).Offset(1)
			},
			want: []string{"hr", "ops"},
		},
		{
			name: "SelectExprRenameDrop",
			remote: func() (sql.DataFrame, error) {
				emp, err := spark.Table("emp")
				if err != nil {
					return nil, err
				}
				df, err := emp.SelectExpr(ctx, "id", "upper(name) AS who", "salary * 2 AS pay", "dept")
				if err != nil {
					return nil, err
				}
				df, err = df.WithColumnRenamed(ctx, "pay", "double_pay")
				if err != nil {
					return nil, err
				}
				df, err = df.DropByName(ctx, "dept")
				if err != nil {
					return nil, err
				}
				df, err = df.FilterByString(ctx, "id IN (2, 5)")
				if err != nil {
					return nil, err
				}
				return df.OrderBy(ctx, col("id").Desc())
			},
			local: func() *frame.DataFrame {
				return local.SQL("SELECT id, upper(name) AS who, salary * 2 AS double_pay FROM emp WHERE id IN (2, 5) ORDER BY id DESC")
			},
			want: []string{"5 EVE 140", "2 BOB 200"},
		},
		{
			name: "SQLCommandAndView",
			remote: func() (sql.DataFrame, error) {
				if _, err := spark.Sql(ctx, "CREATE OR REPLACE TEMP VIEW rich AS SELECT name FROM emp WHERE salary >= 100"); err != nil {
					return nil, err
				}
				return spark.Sql(ctx, "SELECT name FROM rich ORDER BY name")
			},
			local: func() *frame.DataFrame {
				return local.SQL("SELECT name FROM emp WHERE salary >= 100 ORDER BY name")
			},
			want: []string{"ann", "bob"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rdf, err := c.remote()
			if err != nil {
				t.Fatal(err)
			}
			rows, err := rdf.Collect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := text(rowValues(rows))
			ldf := c.local()
			lrows, err := ldf.Collect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			lvals := make([][]any, len(lrows))
			for i, r := range lrows {
				lvals[i] = r
			}
			want := text(lvals)
			if c.sorted {
				sort.Strings(got)
				sort.Strings(want)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("remote rows %q, local rows %q", got, want)
			}
			if c.want != nil && !reflect.DeepEqual(got, c.want) {
				t.Errorf("remote rows %q, want %q", got, c.want)
			}
			schema, err := rdf.Schema(ctx)
			if err != nil {
				t.Fatal(err)
			}
			lschema := ldf.Schema()
			if len(schema.Fields) != lschema.NumFields() {
				t.Fatalf("remote schema %v, local %v", schema, lschema)
			}
			for i, f := range schema.Fields {
				lf := lschema.Field(i)
				if f.Name != lf.Name || f.DataType.TypeName() != sparkTypeName(lf.Type) {
					t.Errorf("column %d: remote %s %s, local %s %s", i, f.Name, f.DataType.TypeName(), lf.Name, sparkTypeName(lf.Type))
				}
			}
		})
	}
}

type collector struct{ rows [][]any }

func (c *collector) WriteRow(values []any) { c.rows = append(c.rows, values) }

func TestClientShow(t *testing.T) {
	ctx := context.Background()
	spark := connect(t, startServer(t))
	df, err := spark.Sql(ctx, "SELECT * FROM (SELECT 'apple' AS word, 123 AS count UNION ALL SELECT 'orange' AS word, 456 AS count) ORDER BY word")
	if err != nil {
		t.Fatal(err)
	}
	if err := df.Show(ctx, 10, false); err != nil {
		t.Fatal(err)
	}
	var c collector
	if err := df.WriteResult(ctx, &c, 10, false); err != nil {
		t.Fatal(err)
	}
	// Spark's show of these rows without truncation (cells padded on the
	// right), by hand.
	want := "+------+-----+\n" +
		"|word  |count|\n" +
		"+------+-----+\n" +
		"|apple |123  |\n" +
		"|orange|456  |\n" +
		"+------+-----+\n"
	if len(c.rows) != 1 || len(c.rows[0]) != 1 || c.rows[0][0] != want {
		t.Fatalf("show_string %q, want %q", c.rows, want)
	}
}

func TestClientParquetWriteRead(t *testing.T) {
	ctx := context.Background()
	spark := connect(t, startServer(t))
	remoteTables(t, ctx, spark)
	dir := filepath.Join(t.TempDir(), "out.parquet")
	emp, err := spark.Table("emp")
	if err != nil {
		t.Fatal(err)
	}
	if err := emp.Writer().Mode("overwrite").Format("parquet").Save(ctx, "file://"+dir); err != nil {
		t.Fatal(err)
	}
	back, err := spark.Read().Format("parquet").Load("file://" + dir)
	if err != nil {
		t.Fatal(err)
	}
	back, err = back.OrderBy(ctx, functions.Col("id").Asc())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := back.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := text(rowValues(rows)), text(empRows); !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %q, want %q", got, want)
	}
	// The files are gspark's: a local session reads the same rows.
	lrows, err := frame.NewSession().Read().Parquet(dir).OrderBy(frame.Col("id")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lrows) != len(empRows) {
		t.Fatalf("local read %d rows, want %d", len(lrows), len(empRows))
	}
	schema, err := back.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range schema.Fields {
		names = append(names, f.Name+":"+f.DataType.TypeName())
	}
	if got := strings.Join(names, ","); got != "id:Long,name:String,dept:String,salary:Double" {
		t.Fatalf("schema %s", got)
	}
}

func TestSQLCommandResults(t *testing.T) {
	ctx := context.Background()
	spark := connect(t, startServer(t))
	if _, err := spark.Sql(ctx, "SET spark.sql.shuffle.partitions=3"); err != nil {
		t.Fatal(err)
	}
	df, err := spark.Sql(ctx, "SET spark.sql.shuffle.partitions")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Spark's SET key answers one row: the key and its value.
	if got := text(rowValues(rows)); !reflect.DeepEqual(got, []string{"spark.sql.shuffle.partitions 3"}) {
		t.Fatalf("SET key: %q", got)
	}
	if got, err := spark.Config().Get(ctx, "spark.sql.shuffle.partitions"); err != nil || got != "3" {
		t.Fatalf("config after SET: %q, %v", got, err)
	}
}

func TestEmptyResult(t *testing.T) {
	ctx := context.Background()
	spark := connect(t, startServer(t))
	df, err := spark.Sql(ctx, "SELECT id, CAST(id AS STRING) AS s FROM range(5) WHERE id > 10")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 0 {
		t.Fatalf("%d rows, want none", len(rows))
	}
	schema, err := df.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(schema.Fields) != 2 || schema.Fields[1].Name != "s" {
		t.Fatalf("schema %v", schema)
	}
}
