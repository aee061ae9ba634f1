package frame_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/sql"
)

// tpchQuery is a TPC-H query in SQL and the same query with the DataFrame API.
type tpchQuery struct {
	name string
	sql  string
	df   func(s *frame.Session) *frame.DataFrame
}

func revenueCol() frame.Column {
	return F.Col("l_extendedprice").Mul(F.Lit(1).Sub(F.Col("l_discount")))
}

func tpchQueries() []tpchQuery {
	return []tpchQuery{
		{"Q1", `
select l_returnflag, l_linestatus,
       sum(l_quantity) as sum_qty,
       sum(l_extendedprice) as sum_base_price,
       sum(l_extendedprice * (1 - l_discount)) as sum_disc_price,
       sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge,
       avg(l_quantity) as avg_qty,
       avg(l_extendedprice) as avg_price,
       avg(l_discount) as avg_disc,
       count(*) as count_order
from lineitem
where l_shipdate <= date '1998-12-01' - interval '90' day
group by l_returnflag, l_linestatus
order by l_returnflag, l_linestatus`, func(s *frame.Session) *frame.DataFrame {
			return s.Table("samples.lineitem").Filter(F.Col("l_shipdate").Leq(F.Date("1998-09-02"))).
				GroupBy(F.Col("l_returnflag"), F.Col("l_linestatus")).
				Agg(F.Sum(F.Col("l_quantity")).Alias("sum_qty"),
					F.Sum(F.Col("l_extendedprice")).Alias("sum_base_price"),
					F.Sum(revenueCol()).Alias("sum_disc_price"),
					F.Sum(revenueCol().Mul(F.Lit(1).Add(F.Col("l_tax")))).Alias("sum_charge"),
					F.Avg(F.Col("l_quantity")).Alias("avg_qty"),
					F.Avg(F.Col("l_extendedprice")).Alias("avg_price"),
					F.Avg(F.Col("l_discount")).Alias("avg_disc"),
					F.CountStar().Alias("count_order")).
				OrderBy(F.Col("l_returnflag"), F.Col("l_linestatus"))
		}},
		{"Q6", `
select sum(l_extendedprice * l_discount) as revenue
from lineitem
where l_shipdate >= date '1994-01-01'
  and l_shipdate < date '1994-01-01' + interval '1' year
  and l_discount between 0.06 - 0.01 and 0.06 + 0.01
  and l_quantity < 24`, func(s *frame.Session) *frame.DataFrame {
			return s.Table("samples.lineitem").
				Filter(F.Col("l_shipdate").Geq(F.Date("1994-01-01")).And(F.Col("l_shipdate").Lt(F.Date("1995-01-01"))).
					And(F.Col("l_discount").Between(F.Decimal("0.06").Sub(F.Decimal("0.01")), F.Decimal("0.06").Add(F.Decimal("0.01")))).
					And(F.Col("l_quantity").Lt(24))).
				Agg(F.Sum(F.Col("l_extendedprice").Mul(F.Col("l_discount"))).Alias("revenue"))
		}},
		{"Q3", `
select l_orderkey, sum(l_extendedprice * (1 - l_discount)) as revenue, o_orderdate, o_shippriority
from customer, orders, lineitem
where c_mktsegment = 'BUILDING' and c_custkey = o_custkey and l_orderkey = o_orderkey
  and o_orderdate < date '1995-03-15' and l_shipdate > date '1995-03-15'
group by l_orderkey, o_orderdate, o_shippriority
order by revenue desc, o_orderdate
limit 10`, func(s *frame.Session) *frame.DataFrame {
			c := s.Table("samples.customer").Filter(F.Col("c_mktsegment").Eq("BUILDING"))
			o := s.Table("samples.orders").Filter(F.Col("o_orderdate").Lt(F.Date("1995-03-15")))
			l := s.Table("samples.lineitem").Filter(F.Col("l_shipdate").Gt(F.Date("1995-03-15")))
			return c.Join(o, F.Col("c_custkey").Eq(F.Col("o_custkey")), "inner").
				Join(l, F.Col("l_orderkey").Eq(F.Col("o_orderkey")), "inner").
				GroupBy(F.Col("l_orderkey"), F.Col("o_orderdate"), F.Col("o_shippriority")).
				Agg(F.Sum(revenueCol()).Alias("revenue")).
				Select(F.Col("l_orderkey"), F.Col("revenue"), F.Col("o_orderdate"), F.Col("o_shippriority")).
				OrderBy(F.Col("revenue").Desc(), F.Col("o_orderdate")).
				Limit(10)
		}},
		{"Q5", `
select n_name, sum(l_extendedprice * (1 - l_discount)) as revenue
from customer, orders, lineitem, supplier, nation, region
where c_custkey = o_custkey and l_orderkey = o_orderkey and l_suppkey = s_suppkey
  and c_nationkey = s_nationkey and s_nationkey = n_nationkey and n_regionkey = r_regionkey
  and r_name = 'ASIA' and o_orderdate >= date '1994-01-01'
  and o_orderdate < date '1994-01-01' + interval '1' year
group by n_name
order by revenue desc`, func(s *frame.Session) *frame.DataFrame {
			o := s.Table("samples.orders").Filter(F.Col("o_orderdate").Geq(F.Date("1994-01-01")).And(F.Col("o_orderdate").Lt(F.Date("1995-01-01"))))
			r := s.Table("samples.region").Filter(F.Col("r_name").Eq("ASIA"))
			return s.Table("samples.customer").
				Join(o, F.Col("c_custkey").Eq(F.Col("o_custkey")), "inner").
				Join(s.Table("samples.lineitem"), F.Col("l_orderkey").Eq(F.Col("o_orderkey")), "inner").
				Join(s.Table("samples.supplier"), F.Col("l_suppkey").Eq(F.Col("s_suppkey")).And(F.Col("c_nationkey").Eq(F.Col("s_nationkey"))), "inner").
				Join(s.Table("samples.nation"), F.Col("s_nationkey").Eq(F.Col("n_nationkey")), "inner").
				Join(r, F.Col("n_regionkey").Eq(F.Col("r_regionkey")), "inner").
				GroupBy(F.Col("n_name")).
				Agg(F.Sum(revenueCol()).Alias("revenue")).
				OrderBy(F.Col("revenue").Desc())
		}},
		{"Q10", `
select c_custkey, c_name, sum(l_extendedprice * (1 - l_discount)) as revenue,
       c_acctbal, n_name, c_address, c_phone, c_comment
from customer, orders, lineitem, nation
where c_custkey = o_custkey and l_orderkey = o_orderkey
  and o_orderdate >= date '1993-10-01' and o_orderdate < date '1993-10-01' + interval '3' month
  and l_returnflag = 'R' and c_nationkey = n_nationkey
group by c_custkey, c_name, c_acctbal, c_phone, n_name, c_address, c_comment
order by revenue desc
limit 20`, func(s *frame.Session) *frame.DataFrame {
			o := s.Table("samples.orders").Filter(F.Col("o_orderdate").Geq(F.Date("1993-10-01")).And(F.Col("o_orderdate").Lt(F.Date("1994-01-01"))))
			l := s.Table("samples.lineitem").Filter(F.Col("l_returnflag").Eq("R"))
			return s.Table("samples.customer").
				Join(o, F.Col("c_custkey").Eq(F.Col("o_custkey")), "inner").
				Join(l, F.Col("l_orderkey").Eq(F.Col("o_orderkey")), "inner").
				Join(s.Table("samples.nation"), F.Col("c_nationkey").Eq(F.Col("n_nationkey")), "inner").
				GroupBy(F.Col("c_custkey"), F.Col("c_name"), F.Col("c_acctbal"), F.Col("c_phone"), F.Col("n_name"), F.Col("c_address"), F.Col("c_comment")).
				Agg(F.Sum(revenueCol()).Alias("revenue")).
				Select(F.Col("c_custkey"), F.Col("c_name"), F.Col("revenue"), F.Col("c_acctbal"), F.Col("n_name"), F.Col("c_address"), F.Col("c_phone"), F.Col("c_comment")).
				OrderBy(F.Col("revenue").Desc()).
				Limit(20)
		}},
	}
}

func collectText(t *testing.T, df *frame.DataFrame) (string, []frame.Row) {
	t.Helper()
	if df.Err() != nil {
		t.Fatal(df.Err())
	}
	rows, err := df.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintln(&b, strings.Join(df.Columns(), "|"))
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteString("|")
			}
			fmt.Fprintf(&b, "%v", v)
		}
		b.WriteString("\n")
	}
	return b.String(), rows
}

func TestSQLMatchesDataFrameTPCH(t *testing.T) {
	for _, parts := range []int{1, 4} {
		for _, q := range tpchQueries() {
			t.Run(fmt.Sprintf("%s/p%d", q.name, parts), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				s := frame.NewSession(frame.WithPartitions(parts), frame.WithAllocator(mem))
				sqlDF := s.SQL(q.sql)
				got, rows := collectText(t, sqlDF)
				want, _ := collectText(t, q.df(s))
				if got != want {
					t.Fatalf("SQL and DataFrame results differ\nSQL:\n%s\nDataFrame:\n%s", got, want)
				}
				if len(rows) == 0 {
					t.Fatalf("%s returned no rows", q.name)
				}
				if !sqlDF.Schema().Equal(q.df(s).Schema()) {
					t.Errorf("schemas differ:\n%s\n%s", sqlDF.Schema(), q.df(s).Schema())
				}
			})
		}
	}
}

// smallSession has a temp view t over a small CSV file:
//
//	id name   grp amount d
//	1  apple  a   10     2024-01-05
//	2  banana b   20     2024-02-10
//	3  cherry a   NULL   2024-03-15
//	4  date   b   40     NULL
//	5  elder  c   50     2024-05-20
//	6  NULL   a   60     2024-06-25
func smallSession(t *testing.T, parts int) *frame.Session {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "t.csv")
	data := "id,name,grp,amount,d\n1,apple,a,10,2024-01-05\n2,banana,b,20,2024-02-10\n3,cherry,a,,2024-03-15\n4,date,b,40,\n5,elder,c,50,2024-05-20\n6,,a,60,2024-06-25\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	s := frame.NewSession(frame.WithPartitions(parts))
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(path)
	if err := df.CreateOrReplaceTempView("t"); err != nil {
		t.Fatal(err)
	}
	return s
}

func rowsText(rows []frame.Row) string {
	var parts []string
	for _, r := range rows {
		var cells []string
		for _, v := range r {
			if v == nil {
				cells = append(cells, "NULL")
			} else {
				cells = append(cells, fmt.Sprint(v))
			}
		}
		parts = append(parts, strings.Join(cells, ","))
	}
	return strings.Join(parts, ";")
}

func TestSQLSmallCases(t *testing.T) {
	cases := []struct{ name, sql, cols, want string }{
		{"where and order", "select id, name from t where amount > 15 order by id desc", "id|name", "6,NULL;5,elder;4,date;2,banana"},
		{"nulls first by default", "select id from t order by name, id", "id", "6;1;2;3;4;5"},
		{"desc nulls last", "select id from t order by amount desc", "id", "6;5;4;2;1;3"},
		{"nulls last explicit", "select id from t order by name asc nulls last", "id", "1;2;3;4;5;6"},
		{"in list", "select id from t where grp in ('a', 'c') order by 1", "id", "1;3;5;6"},
		{"not in list", "select id from t where id not in (1, 2, 3) order by id", "id", "4;5;6"},
		{"between", "select id from t where id between 2 and 4 order by id", "id", "2;3;4"},
		{"not between", "select id from t where not id between 2 and 4 order by id", "id", "1;5;6"},
		{"like", "select name from t where name like '%e%' order by name", "name", "apple;cherry;date;elder"},
		{"not like", "select name from t where name not like '_a%' order by name", "name", "apple;cherry;elder"},
		{"is null", "select id from t where amount is null or d is null order by id", "id", "3;4"},
		{"is not null", "select count(*) from t where name is not null", "count(1)", "5"},
		{"case searched", "select id, case when amount < 20 then 'low' when amount < 50 then 'mid' else 'high' end as band from t order by id", "id|band", "1,low;2,mid;3,high;4,mid;5,high;6,high"},
		{"case simple", "select case grp when 'a' then 1 when 'b' then 2 end as g from t order by id", "g", "1;2;1;2;NULL;1"},
		{"cast", "select cast(id as string) as s, cast('7' as int) + id as n, cast(amount as decimal(5,1)) as a from t where id = 2", "s|n|a", "2,9,20.0"},
		{"arithmetic precedence", "select id + 2 * 3 - 8 % 3 as x, -id * 2 as y, (id + 2) * 3 as z from t where id = 1", "x|y|z", "5,-2,9"},
		{"group by having", "select grp, sum(amount) as total from t group by grp having sum(amount) > 55 order by grp", "grp|total", "a,70;b,60"},
		{"having hidden aggregate", "select grp from t group by grp having count(*) >= 2 and max(amount) < 50 order by grp", "grp", "b"},
		{"group by ordinal and alias", "select upper(grp) as g, count(*) as n from t group by g order by 1", "g|n", "A,3;B,2;C,1"},
		{"group by position", "select grp, count(amount) from t group by 1 order by 2 desc, 1", "grp|count(amount)", "a,2;b,2;c,1"},
		{"order by aggregate not selected", "select grp from t group by grp order by sum(id) desc", "grp", "a;b;c"},
		{"order by hidden column", "select name from t where name is not null order by amount desc nulls first", "name", "cherry;elder;date;banana;apple"},
		{"order by expression on alias", "select id * 10 as x from t order by x desc limit 2", "x", "60;50"},
		{"global aggregate", "select count(*), count(name), min(d), max(name), avg(amount) from t", "count(1)|count(name)|min(d)|max(name)|avg(amount)", "6,5,2024-01-05 00:00:00 +0000 UTC,elder,36"},
		{"cte", "with big as (select * from t where amount >= 40), agg as (select grp, count(*) as n from big group by grp) select grp, n from agg order by grp", "grp|n", "a,1;b,1;c,1"},
		{"subquery in from", "select s.g, s.total from (select grp as g, sum(id) as total from t group by grp) s where s.total > 5 order by s.g", "g|total", "a,10;b,6"},
		{"anonymous subquery", "select max(total) from (select grp, sum(id) as total from t group by grp)", "max(total)", "10"},
		{"self join", "select a.id, b.id from t a join t b on a.id = b.id + 1 where a.id <= 3 order by a.id", "id|id", "2,1;3,2"},
		{"left join", "select a.id, b.name from t a left join t b on a.id = b.id + 3 order by a.id", "id|name", "1,NULL;2,NULL;3,NULL;4,apple;5,banana;6,cherry"},
		{"comma join", "select a.id, b.grp from t a, t b where a.id = b.id and b.grp = 'c'", "id|grp", "5,c"},
		{"qualified star", "select x.* from t x where x.id = 1", "id|name|grp|amount|d", "1,apple,a,10,2024-01-05 00:00:00 +0000 UTC"},
		{"date interval", "select id from t where d >= date '2024-01-31' + interval 1 month and d < date '2024-06-01' - interval '1' day order by id", "id", "3;5"},
		{"extract and substring", "select extract(year from d) as y, substring(name from 2 for 3) as s, substr(name, 1, 2) as p from t where id = 1", "y|s|p", "2024,ppl,ap"},
		{"backticks and comments", "select `id` /* the key */ from `t` -- trailing\n where id = 6", "id", "6"},
		{"limit zero", "select id from t limit 0", "id", ""},
		{"hidden columns inside a subquery", "select s.grp, s.n from (select grp, count(*) as n from t group by grp order by sum(id) desc limit 2) s join t on t.id = s.n order by s.grp", "grp|n", "a,3;b,2"},
		{"having on alias and unaliased aggregate", "select grp, sum(id) from t group by grp having sum(id) >= 6 and grp <> 'c' order by sum(id)", "grp|sum(id)", "b,6;a,10"},
		{"order by group column not selected", "select count(*) as n from t group by grp order by grp desc", "n", "1;2;3"},
		{"no from", "select 1 + 1 as two, upper('x'), date '2024-01-31' + interval 1 month as d", "two|upper('x')|d", "2,X,2024-02-29 00:00:00 +0000 UTC"},
		{"no from where", "select 1 as one where 1 = 2", "one", ""},
		{"distinct", "select distinct grp from t order by grp", "grp", "a;b;c"},
		{"intersect", "select grp from t intersect select grp from t where id >= 5 order by grp", "grp", "a;c"},
		{"except", "select grp from t except select grp from t where id = 5 order by grp", "grp", "a;b"},
		{"minus keeps a null no one else has", "select name from t minus select name from t where id <= 5 order by name", "name", "NULL"},
		{"intersect binds tighter", "select grp from t where id = 2 union select grp from t intersect select grp from t where id = 5 order by grp", "grp", "b;c"},
		{"try_cast", "select try_cast(name as int) as a, try_cast('12' as int) as b, try_cast('1e99' as double) as c from t where id = 1", "a|b|c", "NULL,12,1e+99"},
		{"null-safe equality", "select id, name <=> null as n, name <=> 'apple' as a from t where id <= 2 or id = 6 order by id", "id|n|a", "1,false,true;2,false,false;6,true,false"},
		{"null-safe join", "select a.id, b.id from t a join t b on a.name <=> b.name where a.id = 6 order by b.id", "id|id", "6,6"},
		{"right join", "select a.id, b.id from t a right join t b on a.id = b.id - 4 order by b.id", "id|id", "NULL,1;NULL,2;NULL,3;NULL,4;1,5;2,6"},
		{"full join", "select a.id, b.id from t a full outer join t b on a.id = b.id + 5 order by a.id nulls last, b.id", "id|id", "1,NULL;2,NULL;3,NULL;4,NULL;5,NULL;6,1;NULL,2;NULL,3;NULL,4;NULL,5;NULL,6"},
		{"left semi join", "select id from t a left semi join t b on a.grp = b.grp and b.id > a.id order by id", "id", "1;2;3"},
		{"anti join", "select id from t a anti join t b on a.grp = b.grp and b.id > a.id order by id", "id", "4;5;6"},
		{"non-equi join", "select count(*) from t a join t b on a.id < b.id", "count(1)", "15"},
		{"cross join", "select count(*) from t a cross join t b where a.grp = 'c'", "count(1)", "6"},
		{"distinct by position", "select distinct grp as g from t order by 1 desc", "g", "c;b;a"},
		{"union all", "select grp from t where id <= 2 union all select grp from t where id >= 5 order by grp", "grp", "a;a;b;c"},
		{"union distinct", "select grp from t union select grp from t where id = 5 order by grp", "grp", "a;b;c"},
		{"union of a parenthesized query", "select id from t where id = 1 union all (select id from t where id = 6) order by id desc limit 1", "id", "6"},
	}
	for _, parts := range []int{1, 3} {
		s := smallSession(t, parts)
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/p%d", c.name, parts), func(t *testing.T) {
				df := s.SQL(c.sql)
				if df.Err() != nil {
					t.Fatalf("%s: %v", c.sql, df.Err())
				}
				rows, err := df.Collect(context.Background())
				if err != nil {
					t.Fatalf("%s: %v", c.sql, err)
				}
				if got := rowsText(rows); got != c.want {
					t.Errorf("%s\ngot  %s\nwant %s", c.sql, got, c.want)
				}
				if got := strings.Join(df.Columns(), "|"); got != c.cols {
					t.Errorf("%s: columns %s, want %s", c.sql, got, c.cols)
				}
			})
		}
	}
}

func TestSQLCommaJoinWithoutOptimizer(t *testing.T) {
	s := frame.NewSession(frame.WithOptimizer(false), frame.WithPartitions(2))
	rows, err := s.SQL("select r_name, count(*) as n from nation, region where n_regionkey = r_regionkey group by r_name order by r_name").Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsText(rows); got != "AFRICA,5;AMERICA,5;ASIA,5;EUROPE,5;MIDDLE EAST,5" {
		t.Errorf("got %s", got)
	}
}

func TestSQLLazyErrors(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	df := s.SQL("select l_quantityy from samples.lineitem")
	if !errors.Is(df.Err(), logical.ErrAnalysis) || !strings.Contains(df.Err().Error(), "did you mean l_quantity") {
		t.Errorf("want an analysis error with a suggestion, got %v", df.Err())
	}
	df = s.SQL("select frobnicate(l_quantity) from lineitem")
	if df.Err() == nil || !strings.Contains(df.Err().Error(), "frobnicate") {
		t.Errorf("want an unknown function error, got %v", df.Err())
	}
	df = s.SQL("select * form lineitem")
	var se *sql.SyntaxError
	if !errors.As(df.Err(), &se) || se.Line != 1 || se.Column != 10 {
		t.Errorf("want a syntax error at 1:10, got %v", df.Err())
	}
	if df := s.SQL("select 1 from iris; select 2 from iris"); df.Err() == nil {
		t.Error("SQL with two statements should fail")
	}
}

func TestExecSQLScript(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	script := `
create temp view setosa as select * from samples.iris where species = 'setosa';
select count(*) as n from setosa;
create or replace temporary view setosa as select * from iris where species <> 'setosa';
select count(*) as n from setosa;
show tables;
describe setosa;
explain extended select species from setosa where sepal_length > 5;
`
	var outs []string
	err := s.ExecSQL(context.Background(), script, func(stmt string, df *frame.DataFrame) error {
		rows, err := df.Collect(context.Background())
		if err != nil {
			return err
		}
		outs = append(outs, strings.Join(df.Columns(), ",")+"="+rowsText(rows))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 5 {
		t.Fatalf("want 5 results, got %d: %q", len(outs), outs)
	}
	if outs[0] != "n=50" || outs[1] != "n=100" {
		t.Errorf("view counts: %q %q", outs[0], outs[1])
	}
	if !strings.HasPrefix(outs[2], "tableName=") || !strings.Contains(outs[2], "setosa") || !strings.Contains(outs[2], "samples.lineitem") || strings.Count(outs[2], "samples.iris") != 1 {
		t.Errorf("show tables: %s", outs[2])
	}
	if outs[3] != "col_name,data_type=sepal_length,double;sepal_width,double;petal_length,double;petal_width,double;species,string" {
		t.Errorf("describe: %s", outs[3])
	}
	for _, want := range []string{"plan=", "== Analyzed Logical Plan ==", "== Optimized Logical Plan ==", "== Physical Plan =="} {
		if !strings.Contains(outs[4], want) {
			t.Errorf("explain lacks %q: %s", want, outs[4])
		}
	}
	// A view may shadow a sample table that was read under its short name.
	err = s.ExecSQL(context.Background(), "select count(*) from lineitem; create temp view lineitem as select * from iris; select count(*) as n from lineitem",
		func(stmt string, df *frame.DataFrame) error {
			rows, err := df.Collect(context.Background())
			if err == nil && strings.Contains(stmt, " as n ") && rowsText(rows) != "150" {
				err = fmt.Errorf("view lineitem has %s rows, want 150", rowsText(rows))
			}
			return err
		})
	if err != nil {
		t.Error(err)
	}
	// A view must not be created twice without OR REPLACE.
	err = s.ExecSQL(context.Background(), "create temp view setosa as select * from iris", func(string, *frame.DataFrame) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("want an already-exists error, got %v", err)
	}
	// Syntax errors stop the script before anything runs.
	ran := false
	err = s.ExecSQL(context.Background(), "select 1 from iris;\nselect from", func(string, *frame.DataFrame) error { ran = true; return nil })
	var se *sql.SyntaxError
	if !errors.As(err, &se) || se.Line != 2 || ran {
		t.Errorf("want a syntax error on line 2 and nothing run, got %v (ran %v)", err, ran)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.ExecSQL(ctx, "show tables", func(string, *frame.DataFrame) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
}

func TestFormatRows(t *testing.T) {
	got := frame.FormatRows([]string{"a", "bb"}, []frame.Row{{int32(1), "x"}, {nil, "long"}})
	want := "+----+----+\n|a   |bb  |\n+----+----+\n|1   |x   |\n|NULL|long|\n+----+----+\n"
	if got != want {
		t.Errorf("FormatRows:\n%s", got)
	}
}

func TestShowFunctionsAndDropView(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	var names []string
	err := s.ExecSQL(context.Background(), "create temp view v as select 1 as x; show functions; drop view v; drop view if exists v", func(_ string, df *frame.DataFrame) error {
		rows, err := df.Collect(context.Background())
		for _, r := range rows {
			names = append(names, r[0].(string))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all := "," + strings.Join(names, ",") + ","
	for _, want := range []string{",concat_ws,", ",stddev,", ",date_add,", ",approx_count_distinct,"} {
		if !strings.Contains(all, want) {
			t.Errorf("SHOW FUNCTIONS lacks %s", want)
		}
	}
	if err := s.SQL("select * from v").Err(); err == nil {
		t.Fatal("the dropped view is still there")
	}
	if err := s.SQL("drop view v").Err(); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("dropping a missing view: %v", err)
	}
	if err := s.SQL("drop view samples.lineitem").Err(); err == nil {
		t.Fatal("a sample table is not a view to drop")
	}
}
