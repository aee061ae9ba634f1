package sql

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// parseExpr parses "SELECT <e> FROM t" and returns the select expression.
func parseExpr(t *testing.T, e string) logical.Expr {
	t.Helper()
	p, err := ParseQuery("SELECT " + e + " FROM t")
	if err != nil {
		t.Fatalf("%s: %v", e, err)
	}
	pr, ok := p.(*logical.Project)
	if !ok {
		if ag, ok := p.(*logical.Aggregate); ok {
			return ag.List[0]
		}
		t.Fatalf("%s: want a Project, got %s", e, logical.Format(p))
	}
	return pr.List[0]
}

func TestPrecedence(t *testing.T) {
	cases := map[string]string{
		"a OR b AND c":                "(a OR (b AND c))",
		"a AND b OR c AND d":          "((a AND b) OR (c AND d))",
		"NOT a = b AND c":             "((NOT (a = b)) AND c)",
		"NOT NOT a":                   "(NOT (NOT a))",
		"a + b * c - d / e % f":       "((a + (b * c)) - ((d / e) % f))",
		"(a + b) * c":                 "((a + b) * c)",
		"-a * b":                      "((- a) * b)",
		"- - 3":                       "3",
		"-2147483648":                 "-2147483648",
		"a = 1 OR b <> 2":             "((a = 1) OR (b != 2))",
		"a == 1 AND b != 2":           "((a = 1) AND (b != 2))",
		"a < 1 AND b <= 2":            "((a < 1) AND (b <= 2))",
		"a > 1 AND b >= 2":            "((a > 1) AND (b >= 2))",
		"a + 1 > b * 2":               "((a + 1) > (b * 2))",
		"x BETWEEN 1 AND 2 AND y":     "(((x >= 1) AND (x <= 2)) AND y)",
		"x NOT BETWEEN a+1 AND b":     "(NOT ((x >= (a + 1)) AND (x <= b)))",
		"x IN (1, 2, 3)":              "(((x = 1) OR (x = 2)) OR (x = 3))",
		"x NOT IN (1, 2)":             "((x != 1) AND (x != 2))",
		"x LIKE 'a%' OR y":            "((x LIKE 'a%') OR y)",
		"x NOT LIKE '_b'":             "(NOT (x LIKE '_b'))",
		"x IS NULL AND y IS NOT NULL": "((x IS NULL) AND (y IS NOT NULL))",
		"a + 1 IS NULL":               "((a + 1) IS NULL)",
		"t.a + `weird col`":           "(t.a + weird col)",
		"CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END":            "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END",
		"CASE x WHEN 1 THEN 'one' END":                           "CASE WHEN (x = 1) THEN 'one' END",
		"CAST(a AS decimal(15, 2))":                              "CAST(a AS decimal(15,2))",
		"a::bigint":                                              "CAST(a AS bigint)",
		"upper(substr(name, 1, 2))":                              "upper(substr(name, 1, 2))",
		"substring(name FROM 2 FOR 3)":                           "substring(name, 2, 3)",
		"substring(name FROM 2)":                                 "substring(name, 2)",
		"EXTRACT(YEAR FROM d)":                                   "date_part('YEAR', d)",
		"'a' || 'b'":                                             "concat('a', 'b')",
		"DATE '1998-12-01' - INTERVAL '90' DAY":                  "DATE '1998-09-02'",
		"DATE '1994-01-01' + INTERVAL '1' YEAR":                  "DATE '1995-01-01'",
		"DATE '2024-01-31' + INTERVAL 1 MONTH":                   "DATE '2024-02-29'",
		"DATE '2024-03-31' - INTERVAL '3' months":                "DATE '2023-12-31'",
		"DATE '2024-02-29' + interval 1 year":                    "DATE '2025-02-28'",
		"DATE '2024-01-01' + INTERVAL 2 WEEKS":                   "DATE '2024-01-15'",
		"DATE '2024-01-01' + INTERVAL -1 DAY + INTERVAL 1 MONTH": "DATE '2024-01-31'",
	}
	for in, want := range cases {
		if got := parseExpr(t, in).String(); got != want {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
}

func TestLiteralTypes(t *testing.T) {
	cases := []struct {
		in    string
		typ   arrow.DataType
		value string
	}{
		{"42", arrow.PrimitiveTypes.Int32, "42"},
		{"2147483647", arrow.PrimitiveTypes.Int32, "2147483647"},
		{"2147483648", arrow.PrimitiveTypes.Int64, "2147483648"},
		{"-5", arrow.PrimitiveTypes.Int32, "-5"},
		{"10L", arrow.PrimitiveTypes.Int64, "10"},
		{"7S", arrow.PrimitiveTypes.Int16, "7"},
		{"7Y", arrow.PrimitiveTypes.Int8, "7"},
		{"99999999999999999999", logical.DecimalType(20, 0), "99999999999999999999"},
		{"0.05", logical.DecimalType(2, 2), "0.05"},
		{"123.450", logical.DecimalType(6, 3), "123.450"},
		{".5", logical.DecimalType(1, 1), "0.5"},
		{"-0.06", logical.DecimalType(2, 2), "-0.06"},
		{"1.5BD", logical.DecimalType(2, 1), "1.5"},
		{"1e3", arrow.PrimitiveTypes.Float64, "1000.0"},
		{"2.5E-1", arrow.PrimitiveTypes.Float64, "0.25"},
		{"1.5D", arrow.PrimitiveTypes.Float64, "1.5"},
		{"1.5F", arrow.PrimitiveTypes.Float32, "1.5"},
		{"'it''s'", arrow.BinaryTypes.String, "'it\\'s'"},
		{`"dq"`, arrow.BinaryTypes.String, "'dq'"},
		{"'a' 'b'", arrow.BinaryTypes.String, "'ab'"},
		{"TRUE", arrow.FixedWidthTypes.Boolean, "true"},
		{"false", arrow.FixedWidthTypes.Boolean, "false"},
		{"NULL", arrow.Null, "NULL"},
		{"DATE '1998-12-01'", arrow.FixedWidthTypes.Date32, "DATE '1998-12-01'"},
		{"TIMESTAMP '2024-01-02 03:04:05.5'", datefn.SessionTimestamp, "2024-01-02 03:04:05.5"},
	}
	for _, c := range cases {
		e := parseExpr(t, c.in)
		lit, ok := e.(*logical.Literal)
		if !ok {
			t.Errorf("%s: want a literal, got %T %s", c.in, e, e)
			continue
		}
		if !arrow.TypeEqual(lit.Type, c.typ) {
			t.Errorf("%s: type %s, want %s", c.in, lit.Type, c.typ)
		}
		if got := lit.String(); got != c.value {
			t.Errorf("%s: value %s, want %s", c.in, got, c.value)
		}
	}
	if d := parseExpr(t, "0.05").(*logical.Literal).Value.(values.Decimal); d.Scale != 2 || d.Unscaled.LowBits() != 5 {
		t.Errorf("0.05 = %+v", d)
	}
}

func TestAggregateCalls(t *testing.T) {
	p, err := ParseQuery("SELECT count(*), COUNT(1), count(x), Sum(x), avg(x), mean(x), min(x), max(x), lower(x) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	ag, ok := p.(*logical.Aggregate)
	if !ok {
		t.Fatalf("want an Aggregate, got %s", logical.Format(p))
	}
	var got []string
	for _, e := range ag.List {
		got = append(got, e.String())
	}
	want := "count(1), count(1), count(x), sum(x), avg(x), avg(x), min(x), max(x), lower(x)"
	if strings.Join(got, ", ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, ", "), want)
	}
}

func TestClauses(t *testing.T) {
	cases := map[string]string{
		// select list, aliases, stars, FROM forms
		"SELECT *, t.*, a AS x, b y FROM samples.lineitem AS t": "Project [*, t.*, a AS x#0, b AS y#0]\n+- SubqueryAlias t\n   +- UnresolvedRelation samples.lineitem\n",
		"select a from (select a from t) s":                     "Project [a]\n+- SubqueryAlias s\n   +- Project [a]\n      +- UnresolvedRelation t\n",
		"select a from t1 join t2 on x = y left outer join t3 l on l.k = x cross join t4": "Project [a]\n+- Join Inner\n   +- Join LeftOuter (l.k = x)\n      +- Join Inner (x = y)\n" +
			"         +- UnresolvedRelation t1\n         +- UnresolvedRelation t2\n      +- SubqueryAlias l\n         +- UnresolvedRelation t3\n   +- UnresolvedRelation t4\n",
		"select a from t1, t2 where x = y": "Project [a]\n+- Filter (x = y)\n   +- Join Inner\n      +- UnresolvedRelation t1\n      +- UnresolvedRelation t2\n",
		// GROUP BY, HAVING, ORDER BY, LIMIT
		"select g, sum(v) as s from t where v > 0 group by g having sum(v) > 10 order by s desc limit 5": "Limit 5\n+- Sort [s DESC NULLS LAST]\n   +- Filter (s > 10)\n      +- Aggregate [g] [g, sum(v) AS s#0]\n         +- Filter (v > 0)\n            +- UnresolvedRelation t\n",
		"select g from t group by g having count(*) > 1 order by max(v)":                                 "Prune hidden columns\n+- Sort [__hidden_1 ASC NULLS FIRST]\n   +- Filter (__hidden_0 > 1)\n      +- Aggregate [g] [g, count(1) AS __hidden_0#0, max(v) AS __hidden_1#0]\n         +- UnresolvedRelation t\n",
		"select upper(g) as u, count(*) from t group by 1 order by 2":                                    "Prune hidden columns\n+- Sort [__hidden_0 ASC NULLS FIRST]\n   +- Aggregate [upper(g)] [upper(g) AS u#0, count(1), count(1) AS __hidden_0#0]\n      +- UnresolvedRelation t\n",
		"select upper(g) as u, count(*) as n from t group by u order by n":                               "Sort [n ASC NULLS FIRST]\n+- Aggregate [upper(g)] [upper(g) AS u#0, count(1) AS n#0]\n   +- UnresolvedRelation t\n",
		"select a from t order by b desc nulls first, a asc nulls last":                                  "Prune hidden columns\n+- Sort [__hidden_0 DESC NULLS FIRST, a ASC NULLS LAST]\n   +- Project [a, b AS __hidden_0#0]\n      +- UnresolvedRelation t\n",
		"select * from t order by b + 1":                                                                 "Project [*]\n+- Sort [(b + 1) ASC NULLS FIRST]\n   +- UnresolvedRelation t\n",
		"select a + 1 as x from t order by x, 1":                                                         "Sort [x ASC NULLS FIRST, x ASC NULLS FIRST]\n+- Project [(a + 1) AS x#0]\n   +- UnresolvedRelation t\n",
		// CTEs are inlined as aliased subqueries, visible to later CTEs.
		"with a as (select x from t), b as (select x from a) select x from b": "Project [x]\n+- SubqueryAlias b\n   +- Project [x]\n      +- SubqueryAlias a\n         +- Project [x]\n            +- UnresolvedRelation t\n",
		"select 1 as one where true":                                          "Project [1 AS one#0]\n+- Filter true\n   +- UnresolvedRelation __one_row__\n",
		"(select a from t) order by a limit 1":                                "Limit 1\n+- Sort [a ASC NULLS FIRST]\n   +- Project [a]\n      +- UnresolvedRelation t\n",
	}
	for in, want := range cases {
		p, err := ParseQuery(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := logical.Format(p); got != want {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", in, got, want)
		}
	}
}

func TestStatements(t *testing.T) {
	stmts, err := Parse(`
-- a script
CREATE OR REPLACE TEMPORARY VIEW v AS SELECT a FROM t;
create temp view db.w as with c as (select 1 from t) select * from c;;
EXPLAIN select a from v;
explain extended select a from v;
SHOW TABLES;
describe table samples.lineitem;
desc v
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 7 {
		t.Fatalf("want 7 statements, got %d", len(stmts))
	}
	if v, ok := stmts[0].(*CreateView); !ok || v.Name != "v" || !v.Replace || v.SQL() != "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT a FROM t" {
		t.Errorf("statement 0: %#v", stmts[0])
	}
	if v, ok := stmts[1].(*CreateView); !ok || v.Name != "db.w" || v.Replace {
		t.Errorf("statement 1: %#v", stmts[1])
	}
	if e, ok := stmts[2].(*Explain); !ok || e.Extended {
		t.Errorf("statement 2: %#v", stmts[2])
	}
	if e, ok := stmts[3].(*Explain); !ok || !e.Extended {
		t.Errorf("statement 3: %#v", stmts[3])
	}
	if _, ok := stmts[4].(*ShowTables); !ok {
		t.Errorf("statement 4: %#v", stmts[4])
	}
	if d, ok := stmts[5].(*Describe); !ok || d.Name != "samples.lineitem" {
		t.Errorf("statement 5: %#v", stmts[5])
	}
	if d, ok := stmts[6].(*Describe); !ok || d.Name != "v" || d.SQL() != "desc v" {
		t.Errorf("statement 6: %#v", stmts[6])
	}
	if stmts, err := Parse("  ;\n -- nothing\n ; "); err != nil || len(stmts) != 0 {
		t.Errorf("empty script: %v %v", stmts, err)
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT a FORM t", "syntax error at line 1, column 15: expected ',' or FROM, found 't'\nSELECT a FORM t\n              ^"},
		{"SELECT a FROM t WHRE a = 1", "syntax error at line 1, column 22: expected ';' or end of input, found 'a'\nSELECT a FROM t WHRE a = 1\n                     ^"},
		{"select a,\nfrom t", "syntax error at line 2, column 1: expected an expression, found 'from'\nfrom t\n^"},
		{"select a from t\nwhere a = = 1", "syntax error at line 2, column 11: expected an expression, found '='\nwhere a = = 1\n          ^"},
		{"select a from t where", "syntax error at line 1, column 22: expected an expression, found end of input\nselect a from t where\n                     ^"},
		{"select (a + b from t", "syntax error at line 1, column 15: expected ')', found 'from'\nselect (a + b from t\n              ^"},
		{"select 'abc from t", "syntax error at line 1, column 8: unterminated string literal\nselect 'abc from t\n       ^"},
		{"select a /* open", "syntax error at line 1, column 10: unterminated /* comment\nselect a /* open\n         ^"},
		{"select a # b from t", "syntax error at line 1, column 10: unexpected character '#'\nselect a # b from t\n         ^"},
		{"\tselect a from t limit x", "syntax error at line 1, column 24: expected a row count after LIMIT, found 'x'\n\tselect a from t limit x\n\t                      ^"},
		{"select cast(a as int32) from t", "syntax error at line 1, column 18: unknown type \"int32\"\nselect cast(a as int32) from t\n                 ^"},
		{"select date '2024-13-01' from t", "syntax error at line 1, column 13: invalid DATE literal '2024-13-01': month 13 is out of range 1 to 12\nselect date '2024-13-01' from t\n            ^"},
		{"select date '2024-02-30' from t", "syntax error at line 1, column 13: invalid DATE literal '2024-02-30': February 2024 has 29 days, not 30\nselect date '2024-02-30' from t\n            ^"},
		{"select date '2024-2x-30' from t", "syntax error at line 1, column 13: invalid DATE literal '2024-2x-30': expected the form yyyy-mm-dd\nselect date '2024-2x-30' from t\n            ^"},
		{"select date '2024-1-5' from t", "syntax error at line 1, column 13: invalid DATE literal '2024-1-5': expected the form yyyy-mm-dd\nselect date '2024-1-5' from t\n            ^"},
		{"select 1 2 3", "syntax error at line 1, column 10: expected ',' or FROM, found '2'\nselect 1 2 3\n         ^"},
		{"drop table t", "syntax error at line 1, column 6: expected VIEW, found 'table'\ndrop table t\n     ^"},
		// Spark: "CTE definition can't have duplicate names"; names compare ignoring case.
		{"with a as (select 1), A as (select 2) select * from a", "syntax error at line 1, column 23: CTE definition can't have duplicate names: A\nwith a as (select 1), A as (select 2) select * from a\n                      ^"},
		{"select é from t where x = 'ü' and", "syntax error at line 1, column 34: expected an expression, found end of input\nselect é from t where x = 'ü' and\n                                 ^"},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: want a SyntaxError, got %v", c.in, err)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%q:\ngot\n%s\nwant\n%s", c.in, err, c.want)
		}
	}
	// Semantic errors found while building the plan are plain errors.
	for _, in := range []string{"select a from t group by 3", "select sum(a) from t where sum(a) > 1", "select a from t order by 0"} {
		if _, err := ParseQuery(in); err == nil {
			t.Errorf("%q should fail", in)
		}
	}
}

func TestDeepNestingFails(t *testing.T) {
	in := "select " + strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000) + " from t"
	if _, err := Parse(in); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("want a nesting error, got %v", err)
	}
	in = "select " + strings.Repeat("-", 10000) + "1 from t"
	if _, err := Parse(in); err == nil {
		t.Error("deep unary minus should fail")
	}
	in = "select " + strings.Repeat("not ", 10000) + "a from t"
	if _, err := Parse(in); err == nil {
		t.Error("deep NOT should fail")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"select a, b as c, t.* from samples.lineitem t where a between 1 and 2 and b in (1, 2) group by 1 having count(*) > 1 order by 2 desc nulls last limit 10",
		"with x as (select * from t) select count(*) from x, y where x.a = y.b",
		"select case when a like 'x%' then cast(b as decimal(10,2)) else -1.5e3 end from t left join u on t.k = u.k",
		"create or replace temp view v as select date '1998-12-01' - interval '90' day from t; show tables; describe v",
		"explain extended select extract(year from d), substring(s from 1 for 2), `q``x` from (select * from t) s -- c\n/* c */",
		"select 'it''s', \"dq\", 10L, 1.5BD, .5, 0x from t",
		"select a from t where not a is not null or a not like '_' and a not in (1) and a not between 1 and 2",
		"select a as x, x + 1, sum(b) from t group by all having x > 1 qualify rank() over (order by sum(b)) = 1 order by 1",
		"select * from t lateral view outer explode(m) v as k, w, range(1, 10, 2) r, stack(2, 1, 2) s where (a, b) not in (select 1, 2) union select 1 order by 1",
		"select mask(str => 'a', lowerChar => 'q'), posexplode(a) as (p, v), count(a, b), a in (select 1) from explode(collection => array(1))",
		"declare or replace variable v int default 1; set var v = 2; cache table c as select 1; uncache table if exists c; show columns in t; show functions like 'a*'; describe extended t; drop temporary variable v",
		"select transform(xs, (x, i) -> x + i), aggregate(xs, 0, (acc, x) -> acc + x, a -> (a, 1)), cast(null as map<string, array<struct<f: int>>>), sequence(d, e, interval 1 month) from t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		stmts, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if errors.As(err, &se) {
				if se.Line < 1 || se.Column < 1 || !strings.Contains(err.Error(), "^") {
					t.Fatalf("bad position in %v", err)
				}
			}
			return
		}
		for _, st := range stmts {
			_ = st.SQL()
			var p logical.Plan
			switch x := st.(type) {
			case *Query:
				p = x.Plan
			case *CreateView:
				p = x.Query
			case *Explain:
				p = x.Query
			}
			if p != nil {
				_ = logical.Format(p)
			}
		}
	})
}

func TestStringSyntaxForms(t *testing.T) {
	for in, want := range map[string]string{
		"select trim(both 'x' from s) from t":      "trim('x', s)",
		"select trim(leading from s) from t":       "ltrim(s)",
		"select trim(trailing 'ab' from s) from t": "rtrim('ab', s)",
		"select trim(s) from t":                    "trim(s)",
		"select position('b' in s) from t":         "locate('b', s)",
		"select position('b', s) from t":           "position('b', s)",
		"select s from t where s rlike 'a+'":       "rlike(s, 'a+')",
		"select s from t where s regexp 'a+'":      "rlike(s, 'a+')",
	} {
		p, err := ParseQuery(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := logical.Format(p); !strings.Contains(got, want) {
			t.Errorf("%s: plan lacks %s:\n%s", in, want, got)
		}
	}
}

// A chain of UNION ALL parses as one n-ary union (nested pairs made
// planning and execution quadratic in the branches); UNION (distinct)
// still wraps what precedes it.
func TestUnionAllChainIsOneUnion(t *testing.T) {
	var b strings.Builder
	b.WriteString("SELECT 0 AS x")
	for i := 1; i < 500; i++ {
		b.WriteString(" UNION ALL SELECT 1")
	}
	p, err := ParseQuery(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := p.(*logical.Union); !ok || len(u.Inputs) != 500 {
		t.Fatalf("want one union of 500 inputs, got %T", p)
	}
	p, err = ParseQuery("SELECT 1 UNION SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4")
	if err != nil {
		t.Fatal(err)
	}
	u, ok := p.(*logical.Union)
	if !ok || len(u.Inputs) != 3 {
		t.Fatalf("want Union(Distinct(Union(1, 2)), 3, 4), got %s", logical.Format(p))
	}
	if d, ok := u.Inputs[0].(*logical.Distinct); !ok || len(d.Child.(*logical.Union).Inputs) != 2 {
		t.Fatalf("first input: %s", logical.Format(u.Inputs[0]))
	}
}

// A syntax error in a huge line shows the part around the error, and no
// control character reaches the terminal.
func TestSyntaxErrorOnAHugeLine(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	q := "SELECT '" + long + "' AS x, \x1b[31m FROM t"
	_, err := ParseQuery(q)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if len(msg) > 600 {
		t.Errorf("message of %d bytes", len(msg))
	}
	if strings.ContainsAny(msg, "\x1b\x00") {
		t.Errorf("control characters in %q", msg)
	}
	lines := strings.Split(msg, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "…") {
		t.Fatalf("message %q", msg)
	}
	// The caret stands under the character the message is about.
	caret := strings.Index(lines[2], "^")
	if got := []rune(lines[1])[caret]; got != '\uFFFD' {
		t.Errorf("caret under %q in\n%s", got, msg)
	}
}

// An IN list longer than inListChain is a balanced tree of ORs (ANDs for
// NOT IN): its depth grows with the logarithm of its length, so walks over
// it stay shallow; short lists keep the chain folded to the left.
func TestLongInListIsABalancedTree(t *testing.T) {
	depth := func(e logical.Expr) int {
		var d func(logical.Expr) int
		d = func(e logical.Expr) int {
			m := 0
			for _, c := range e.Children() {
				m = max(m, d(c))
			}
			return m + 1
		}
		return d(e)
	}
	for _, c := range []struct {
		items, maxDepth int
		not             bool
	}{{4, 5, false}, {32, 33, false}, {33, 20, false}, {10000, 48, false}, {10000, 48, true}} {
		var b strings.Builder
		b.WriteString("x ")
		if c.not {
			b.WriteString("NOT ")
		}
		b.WriteString("IN (0")
		for i := 1; i < c.items; i++ {
			b.WriteString(", 1")
		}
		b.WriteString(")")
		e := parseExpr(t, b.String())
		if got := depth(e); got > c.maxDepth {
			t.Errorf("%d items (NOT %v): depth %d, want at most %d", c.items, c.not, got, c.maxDepth)
		}
		leaves, op := 0, logical.OpEq
		if c.not {
			op = logical.OpNotEq
		}
		logical.Walk(e, func(x logical.Expr) bool {
			if b, ok := x.(*logical.Binary); ok && b.Op == op {
				leaves++
				return false
			}
			return true
		})
		if leaves != c.items {
			t.Errorf("%d items: %d comparisons", c.items, leaves)
		}
	}
}
