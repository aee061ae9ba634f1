package functions_test

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// mathRows is the test table: id, an INT n, a DOUBLE x, a DECIMAL(10,3) d
// and a STRING s, with nulls.
var mathRows = []string{
	"1,0,2.5,-2.505,Spark",
	"2,-7,-0.1,123.456,",
	"3,,NaN,,abc",
	"4,2147483647,16,0.005,é漢",
	"5,5,,-999.999,x",
	"6,-2147483647,-2.5,1.500,Spark",
	"7,3,1e300,,",
	"8,,0,7.25,zz",
}

// mathSession returns a session with the table registered as view t, split
// over three CSV files so three partitions read it.
func mathSession(t *testing.T, partitions int) *frame.Session {
	t.Helper()
	s := frame.NewSession(frame.WithPartitions(partitions))
	dir := t.TempDir()
	var paths []string
	for p := 0; p < 3; p++ {
		var b strings.Builder
		b.WriteString("id,n,x,d,s\n")
		for i, r := range mathRows {
			if i%3 == p {
				b.WriteString(r + "\n")
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("part%d.csv", p))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "d", Type: logical.DecimalType(10, 3), Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	df := s.Read().Option("header", "true").Schema(schema).CSV(paths...)
	if err := df.CreateOrReplaceTempView("t"); err != nil {
		t.Fatal(err)
	}
	return s
}

func partitionCounts(t *testing.T, f func(t *testing.T, s *frame.Session)) {
	for _, p := range []int{1, 3} {
		t.Run(fmt.Sprintf("partitions=%d", p), func(t *testing.T) { f(t, mathSession(t, p)) })
	}
}

func collectRows(t *testing.T, df *frame.DataFrame) []frame.Row {
	t.Helper()
	rows, err := df.Collect(context.Background())
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	return rows
}

// TestMathSparkExamples runs the examples of Spark's SQL function reference
// (spark.apache.org/docs/latest/api/sql/) and checks the documented results.
func TestMathSparkExamples(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"abs(-1)", "1"},
		{"round(2.5, 0)", "3"},
		{"bround(2.5, 0)", "2"},
		{"bround(-2.5, 0)", "-2"},
		{"bround(25, -1)", "20"},
		{"round(25, -1)", "30"},
		{"floor(-0.1)", "-1"},
		{"floor(5)", "5"},
		{"floor(3.1411, 3)", "3.141"},
		{"floor(3.1411, -3)", "0"},
		{"ceil(-0.1)", "0"},
		{"ceil(5)", "5"},
		{"ceil(3.1411, 3)", "3.142"},
		{"ceil(3.1411, -3)", "1000"},
		{"ceiling(-0.1)", "0"},
		{"sqrt(4)", "2.0"},
		{"exp(0)", "1.0"},
		{"ln(1)", "0.0"},
		{"log(10, 100)", "2.0"},
		{"log10(10)", "1.0"},
		{"log2(2)", "1.0"},
		{"pow(2, 3)", "8.0"},
		{"power(2, 3)", "8.0"},
		{"sign(40)", "1.0"},
		{"signum(40)", "1.0"},
		{"mod(2, 1.8)", "0.2"},
		{"pmod(10, 3)", "1"},
		{"pmod(-10, 3)", "2"},
		{"greatest(10, 9, 2, 4, 3)", "10"},
		{"least(10, 9, 2, 4, 3)", "2"},
		{"coalesce(NULL, 1, NULL)", "1"},
		{"ifnull(NULL, 2)", "2"},
		{"nvl(NULL, 2)", "2"},
		{"nullif(2, 2)", "NULL"},
		{"nvl2(NULL, 2, 1)", "1"},
		{"if(1 < 2, 'a', 'b')", "a"},
		{"isnan(cast('NaN' as double))", "true"},
		{"nanvl(cast('NaN' as double), 123)", "123.0"},
		{"rand(0)", "0.7604953758285915"},
		{"hash('Spark', 123, 2)", "-1321691492"}, // docs: hash('Spark', array(123), 2); an array hashes its elements in turn
		{"md5('Spark')", "8cde774d6f7333752ed72cacddb05126"},
		{"sha1('Spark')", "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c"},
		{"sha('Spark')", "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c"},
		{"sha2('Spark', 256)", "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b"},
		{"crc32('Spark')", "1557323817"},
		// not docs examples: Spark's typing and null rules
		{"sha2('Spark', 100)", "NULL"},
		{"isnan(NULL)", "false"},
		{"round(cast(999.95 as decimal(5,2)), 1)", "1000.0"},
		{"greatest(1, NULL, 2.5)", "2.5"},
		{"coalesce(NULL, 'x')", "x"},
		{"coalesce(NULL, NULL)", "NULL"},
		{"greatest(NULL, NULL)", "NULL"},
		{"if(false, NULL, NULL)", "NULL"},
		{"pmod(-7, -3)", "-1"},
		{"pmod(7, -3)", "1"},
		{"pmod(-7, 2147483647)", "2147483640"},
		{"pmod(-0.1, 0.3)", "0.2"},
		{"pmod(-7.5, 2)", "0.5"},
		{"abs(-2.50)", "2.50"},
		{"round(-0.5)", "-1"},
		{"bround(0.125, 2)", "0.12"},
		{"round(cast(0.125 as double), 2)", "0.13"},
		{"round(cast(-12345 as smallint), -2)", "-12300"},
	}
	s := mathSession(t, 1)
	var sel []string
	for _, c := range cases {
		sel = append(sel, c.sql)
	}
	rows := collectRows(t, s.SQL("SELECT "+strings.Join(sel, ", ")+" FROM t WHERE id = 1"))
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, c := range cases {
		if got := values.FormatValue(rows[0][i]); got != c.want {
			t.Errorf("SELECT %s → %s, want %s", c.sql, got, c.want)
		}
	}
}

// TestMathResultTypes checks Spark's result types.
func TestMathResultTypes(t *testing.T) {
	s := mathSession(t, 1)
	cases := []struct{ sql, want string }{
		{"abs(n)", "int"}, {"abs(d)", "decimal(10,3)"},
		{"round(d, 1)", "decimal(9,1)"}, {"round(d, 5)", "decimal(11,3)"}, {"round(d, -2)", "decimal(8,0)"},
		{"round(x, 1)", "double"}, {"round(n, -1)", "int"},
		{"floor(x)", "bigint"}, {"ceil(n)", "bigint"}, {"floor(d)", "decimal(8,0)"},
		{"sqrt(n)", "double"}, {"hash(s)", "int"}, {"crc32(s)", "bigint"}, {"md5(s)", "string"},
		{"greatest(n, x)", "double"}, {"coalesce(n, d)", "decimal(13,3)"}, {"pmod(n, 3)", "int"},
	}
	for _, c := range cases {
		df := s.SQL("SELECT " + c.sql + " FROM t")
		if err := df.Err(); err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		if got := logical.TypeName(df.Schema().Field(0).Type); got != c.want {
			t.Errorf("%s: type %s, want %s", c.sql, got, c.want)
		}
	}
}

// TestMathColumnNames checks output columns are named after the call, as
// Spark names them, including the calls rewritten to CASE.
func TestMathColumnNames(t *testing.T) {
	s := mathSession(t, 1)
	df := s.SQL("SELECT coalesce(n, 0), nvl(n, 1), if(n > 0, 1, 2), nvl2(n, 1, 2), nullif(n, 0), pmod(n, 3), rand(3), round(x, 1) FROM t")
	want := []string{"coalesce(n, 0)", "nvl(n, 1)", "if((n > 0), 1, 2)", "nvl2(n, 1, 2)", "nullif(n, 0)", "pmod(n, 3)", "rand(3)", "round(x, 1)"}
	if got := df.Columns(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("columns %q, want %q", got, want)
	}
}

// TestMathColumnsAgainstReference evaluates the F wrappers over the table
// and compares each row with a row-at-a-time Go computation.
func TestMathColumnsAgainstReference(t *testing.T) {
	partitionCounts(t, func(t *testing.T, s *frame.Session) {
		n, x, str := F.Col("n"), F.Col("x"), F.Col("s")
		df := s.Table("t").Select(F.Col("id"),
			F.Abs(x), F.Sqrt(x), F.Ln(x), F.Log10(x), F.Log2(x), F.Exp(x), F.Pow(x, F.Lit(2)), F.Signum(x),
			F.Log(2, x), F.Floor(x), F.Ceil(x), F.Round(x, 0), F.BRound(x, 0), F.IsNaN(x), F.NaNvl(x, F.Lit(-1.0)),
			F.Coalesce(n, F.Lit(0)), F.Nvl(str, F.Lit("-")), F.IfNull(n, F.Lit(-1)), F.NullIf(str, F.Lit("Spark")),
			F.Nvl2(n, F.Lit("set"), F.Lit("unset")), F.If(n.Gt(F.Lit(0)), F.Lit("pos"), F.Lit("other")),
			F.Greatest(n, F.Lit(1)), F.Least(x, F.Lit(0.0)), F.Md5(str), F.Crc32(str), F.Sha2(str, 512), F.Sha1(str),
			F.Hash(n, str), F.Mod(n, F.Lit(4)), F.Pmod(n, F.Lit(4)),
		).OrderBy(F.Col("id"))
		rows := collectRows(t, df)
		if len(rows) != len(mathRows) {
			t.Fatalf("%d rows", len(rows))
		}
		for _, row := range rows {
			id := row[0].(int32)
			src := strings.Split(mathRows[id-1], ",")
			var nv *int32
			if src[1] != "" {
				var v int32
				fmt.Sscan(src[1], &v)
				nv = &v
			}
			var xv *float64
			if src[2] != "" {
				var v float64
				if src[2] == "NaN" {
					v = math.NaN()
				} else {
					fmt.Sscan(src[2], &v)
				}
				xv = &v
			}
			sv := src[4]
			want := refMathRow(nv, xv, sv)
			for k, w := range want {
				if g := values.FormatValue(row[k+1]); g != w && w != "*" {
					t.Errorf("id %d column %s: got %s, want %s", id, df.Columns()[k+1], g, w)
				}
			}
		}
	})
}

// log2 is Spark's Log2: StrictMath.log(x) / StrictMath.log(2).
func log2(v float64) float64 { return math.Log(v) / math.Ln2 }

// refMathRow computes the expected text of each column of
// TestMathColumnsAgainstReference for one row (empty CSV strings are null).
func refMathRow(n *int32, x *float64, s string) []string {
	f := func(fn func(float64) float64) string {
		if x == nil {
			return "NULL"
		}
		return values.FormatDouble(fn(*x))
	}
	logf := func(fn func(float64) float64) string {
		if x != nil && *x <= 0 {
			return "NULL"
		}
		return f(fn)
	}
	str := func(fn func(string) string) string {
		if s == "" {
			return "NULL"
		}
		return fn(s)
	}
	nstr := func(fn func(int32) string) string {
		if n == nil {
			return "NULL"
		}
		return fn(*n)
	}
	jlong := func(v float64) string {
		switch {
		case v != v:
			return "0"
		case v >= math.MaxInt64:
			return fmt.Sprint(int64(math.MaxInt64))
		}
		return fmt.Sprint(int64(v))
	}
	round := func(v float64, even bool) float64 {
		if v != v || math.IsInf(v, 0) {
			return v
		}
		r := math.Round(v)
		if even {
			r = math.RoundToEven(v)
		}
		if r == 0 {
			return 0
		}
		return r
	}
	out := []string{
		f(math.Abs), f(math.Sqrt), logf(math.Log), logf(math.Log10), logf(log2), f(math.Exp),
		f(func(v float64) float64 { return math.Pow(v, 2) }),
		f(func(v float64) float64 {
			if v > 0 {
				return 1
			} else if v < 0 {
				return -1
			}
			return v
		}),
		logf(log2),
	}
	if x == nil {
		out = append(out, "NULL", "NULL")
	} else {
		out = append(out, jlong(math.Floor(*x)), jlong(math.Ceil(*x)))
	}
	out = append(out, f(func(v float64) float64 { return round(v, false) }), f(func(v float64) float64 { return round(v, true) }))
	if x == nil {
		out = append(out, "false", "NULL")
	} else {
		out = append(out, fmt.Sprint(*x != *x), f(func(v float64) float64 {
			if v != v {
				return -1
			}
			return v
		}))
	}
	out = append(out,
		nstr(func(v int32) string { return fmt.Sprint(v) }),
		str(func(v string) string { return v }),
		nstr(func(v int32) string { return fmt.Sprint(v) }),
		str(func(v string) string {
			if v == "Spark" {
				return "NULL"
			}
			return v
		}),
	)
	if s == "" {
		out[len(out)-3] = "-"
	}
	if n == nil {
		out[len(out)-4], out[len(out)-2] = "0", "-1"
		out = append(out, "unset", "other", "1")
	} else {
		cond := "other"
		if *n > 0 {
			cond = "pos"
		}
		out = append(out, "set", cond, fmt.Sprint(max(*n, 1)))
	}
	if x == nil {
		out = append(out, "0.0") // nulls are skipped
	} else {
		out = append(out, f(func(v float64) float64 {
			if v != v || v > 0 {
				return 0 // NaN is the largest double, so least(NaN, 0) is 0
			}
			return v
		}))
	}
	out = append(out,
		str(func(v string) string { h := md5.Sum([]byte(v)); return hex.EncodeToString(h[:]) }),
		str(func(v string) string { return fmt.Sprint(crc32.ChecksumIEEE([]byte(v))) }),
		str(func(v string) string { h := sha512.Sum512([]byte(v)); return hex.EncodeToString(h[:]) }),
		str(func(v string) string { h := sha1.Sum([]byte(v)); return hex.EncodeToString(h[:]) }),
		"*", // hash: checked against a reference Murmur3 in the kernel tests
		nstr(func(v int32) string { return fmt.Sprint(v % 4) }),
		nstr(func(v int32) string {
			r := v % 4
			if r < 0 {
				r = (r + 4) % 4
			}
			return fmt.Sprint(r)
		}))
	return out
}

// TestConditionalsAreLazy checks if, coalesce, nvl2 and nullif evaluate an
// argument only on the rows that need it, as Spark does: 100 div 0 would be
// a DIVIDE_BY_ZERO error in ANSI mode.
func TestConditionalsAreLazy(t *testing.T) {
	partitionCounts(t, func(t *testing.T, s *frame.Session) {
		rows := collectRows(t, s.SQL(`SELECT id,
			if(n = 0 OR n IS NULL, -1, 1000 % n),
			coalesce(if(n = 0, 0, NULL), 1000 % n, -2),
			nvl2(nullif(n, 0), 1000 % n, -3)
			FROM t ORDER BY id`))
		for _, r := range rows {
			id := r[0].(int32)
			var want []string
			switch id {
			case 1: // n = 0
				want = []string{"-1", "0", "-3"}
			case 3, 8: // n null
				want = []string{"-1", "-2", "-3"}
			default:
				var n int32
				fmt.Sscan(strings.Split(mathRows[id-1], ",")[1], &n)
				v := fmt.Sprint(1000 % n)
				want = []string{v, v, v}
			}
			for k, w := range want {
				if g := values.FormatValue(r[k+1]); g != w {
					t.Errorf("id %d column %d: got %s, want %s", id, k+1, g, w)
				}
			}
		}
	})
}

// TestMathErrors checks ANSI runtime errors and analysis errors.
func TestMathErrors(t *testing.T) {
	s := mathSession(t, 3)
	runtime := []struct {
		sql  string
		want error
	}{
		{"SELECT abs(n - 1) FROM t", expr.ErrOverflow},   // -2147483648
		{"SELECT round(n, -1) FROM t", expr.ErrOverflow}, // 2147483647 rounds to 2147483650
		{"SELECT pmod(n, 0) FROM t", expr.ErrDivideByZero},
		{"SELECT mod(n, 0) FROM t", expr.ErrDivideByZero},
	}
	for _, c := range runtime {
		_, err := s.SQL(c.sql).Collect(context.Background())
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.sql, err, c.want)
		}
	}
	analysis := []string{
		"SELECT sqrt(id > 1) FROM t",
		"SELECT round(x, n) FROM t",
		"SELECT sha2(s, n) FROM t",
		"SELECT greatest(n) FROM t",
		"SELECT greatest(n, id > 1) FROM t",
		"SELECT if(n, 1, 2) FROM t",
		"SELECT md5(n) FROM t",
		"SELECT rand(x) FROM t",
	}
	for _, q := range analysis {
		if _, err := s.SQL(q).Collect(context.Background()); !errors.Is(err, logical.ErrAnalysis) {
			t.Errorf("%s: got %v, want an analysis error", q, err)
		}
	}
}

// TestRandDeterministic checks rand and randn are reproducible for a seed.
func TestRandDeterministic(t *testing.T) {
	s := mathSession(t, 1)
	q := "SELECT rand(11), randn(11), rand(NULL) FROM t"
	a := collectRows(t, s.SQL(q))
	b := collectRows(t, s.SQL(q))
	for i := range a {
		for k := range a[i] {
			if a[i][k] != b[i][k] {
				t.Fatalf("row %d column %d: %v then %v", i, k, a[i][k], b[i][k])
			}
		}
		if u := a[i][0].(float64); u < 0 || u >= 1 {
			t.Fatalf("rand(11) = %v", u)
		}
	}
	// a value per row (not folded to a constant), distinct across partitions
	for _, parts := range []int{1, 3} {
		df := mathSession(t, parts).SQL("SELECT rand(5), randn(5) FROM t")
		if got := df.Columns(); got[0] != "rand(5)" || got[1] != "randn(5)" {
			t.Errorf("column names %v", got)
		}
		seen := map[float64]bool{}
		for _, r := range collectRows(t, df) {
			seen[r[0].(float64)] = true
		}
		if len(seen) != len(mathRows) {
			t.Errorf("%d partitions: %d distinct rand values in %d rows", parts, len(seen), len(mathRows))
		}
	}
	// rand(NULL) is rand(0): Spark docs, SELECT rand(0) → 0.7604953758285915
	if a[0][2] != 0.7604953758285915 {
		t.Errorf("rand(NULL) first value %v", a[0][2])
	}
}
