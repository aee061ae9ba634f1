package functions_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values"
)

const strWordsCSV = `id,s,n,p
1,  Spark SQL ,5,xy
2,,3,-
3,héllo wörld,-1,
4,日本語😀,7,ab
5,a-b-a,0,a
`

// strWordsDF reads strWordsCSV (row 2 has a null s, row 3 a null p) with a fixed schema.
func strWordsDF(t *testing.T, s *frame.Session) *frame.DataFrame {
	t.Helper()
	p := filepath.Join(t.TempDir(), "words.csv")
	if err := os.WriteFile(p, []byte(strWordsCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "p", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	df := s.Read().Option("header", "true").Schema(sc).CSV(p)
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	return df
}

// strOneRow returns a session with a one-row table "one" to select literals from.
func strOneRow(t *testing.T) *frame.Session {
	t.Helper()
	s := frame.NewSession()
	p := filepath.Join(t.TempDir(), "one.csv")
	if err := os.WriteFile(p, []byte("x\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	df := s.Read().Option("header", "true").CSV(p)
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	df.CreateOrReplaceTempView("one")
	return s
}

func strTextRows(rows []frame.Row) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		for _, v := range r {
			out[i] = append(out[i], values.FormatValue(v))
		}
	}
	return out
}

func TestStringFunctionsOnColumns(t *testing.T) {
	s, n, p := F.Col("s"), F.Col("n"), F.Col("p")
	cases := []struct {
		name string
		col  frame.Column
		want []string // rows 1..5
	}{
		{"concat", F.Concat(s, F.Lit("|"), p), []string{"  Spark SQL |xy", "NULL", "NULL", "日本語😀|ab", "a-b-a|a"}},
		{"concat with a number (implicit cast)", F.Concat(F.Col("id"), s), []string{"1  Spark SQL ", "NULL", "3héllo wörld", "4日本語😀", "5a-b-a"}},
		{"concat_ws skips nulls", F.ConcatWs("/", s, p, F.Lit("z")), []string{"  Spark SQL /xy/z", "-/z", "héllo wörld/z", "日本語😀/ab/z", "a-b-a/a/z"}},
		{"length counts code points", F.Length(s), []string{"12", "NULL", "11", "4", "5"}},
		{"trim", F.Trim(s), []string{"Spark SQL", "NULL", "héllo wörld", "日本語😀", "a-b-a"}},
		{"ltrim", F.Ltrim(s), []string{"Spark SQL ", "NULL", "héllo wörld", "日本語😀", "a-b-a"}},
		{"rtrim", F.Rtrim(s), []string{"  Spark SQL", "NULL", "héllo wörld", "日本語😀", "a-b-a"}},
		{"trim chars", F.TrimChars(s, "a😀h "), []string{"Spark SQL", "NULL", "éllo wörld", "日本語", "-b-"}},
		{"ltrim chars", F.LtrimChars(s, "a😀h "), []string{"Spark SQL ", "NULL", "éllo wörld", "日本語😀", "-b-a"}},
		{"rtrim chars", F.RtrimChars(s, "a😀h "), []string{"  Spark SQL", "NULL", "héllo wörld", "日本語", "a-b-"}},
		{"lpad", F.Lpad(s, 13, "ab"), []string{"a  Spark SQL ", "NULL", "abhéllo wörld", "ababababa日本語😀", "ababababa-b-a"}},
		{"rpad by column", frame.Call("rpad", s, n, p), []string{"  Spa", "NULL", "NULL", "日本語😀aba", ""}},
		{"instr", F.Instr(s, "l"), []string{"0", "NULL", "3", "0", "0"}},
		{"locate from", F.LocateFrom("a", s, 3), []string{"5", "NULL", "0", "0", "5"}},
		{"replace", F.Replace(s, "a", "AA"), []string{"  SpAArk SQL ", "NULL", "héllo wörld", "日本語😀", "AA-b-AA"}},
		{"initcap", F.Initcap(s), []string{"  Spark Sql ", "NULL", "Héllo Wörld", "日本語😀", "A-b-a"}},
		{"reverse", F.Reverse(s), []string{" LQS krapS  ", "NULL", "dlröw olléh", "😀語本日", "a-b-a"}},
		{"repeat by column", F.Repeat(p, n), []string{"xyxyxyxyxy", "---", "NULL", "abababababababab"[:14], ""}},
		{"left", F.Left(s, 3), []string{"  S", "NULL", "hél", "日本語", "a-b"}},
		{"right by column", F.Right(s, n), []string{" SQL ", "NULL", "", "日本語😀", ""}},
		{"regexp_replace", F.RegexpReplace(s, `([aeiouéö])`, "<$1>"), []string{"  Sp<a>rk SQL ", "NULL", "h<é>ll<o> w<ö>rld", "日本語😀", "<a>-b-<a>"}},
		{"regexp_extract", F.RegexpExtract(s, `(\w+)\s+(\w+)`, 2), []string{"SQL", "NULL", "w", "", ""}}, // \w is ASCII-only, as in Java
		{"rlike", F.Rlike(s, `^[a-z]`), []string{"false", "NULL", "true", "false", "true"}},
		{"translate", F.Translate(s, "a-", "A"), []string{"  SpArk SQL ", "NULL", "héllo wörld", "日本語😀", "AbA"}},
		{"ascii", F.Ascii(s), []string{"32", "NULL", "104", "26085", "97"}},
		{"format_number", F.FormatNumber(n.Mul(1000000), 2), []string{"5,000,000.00", "3,000,000.00", "-1,000,000.00", "7,000,000.00", "0.00"}},
	}
	for _, parts := range []int{1, 3} {
		sess := frame.NewSession(frame.WithPartitions(parts))
		df := strWordsDF(t, sess)
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%d partitions", c.name, parts), func(t *testing.T) {
				rows, err := df.Select(F.Col("id"), c.col.Alias("r")).OrderBy(F.Col("id")).Collect(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range strTextRows(rows) {
					got = append(got, r[1])
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Fatalf("got %q\nwant %q", got, c.want)
				}
			})
		}
	}
}

// TestStringFunctionsSparkExamples runs the examples of the Spark SQL
// function reference (spark.apache.org/docs/latest/api/sql/) through SQL.
func TestStringFunctionsSparkExamples(t *testing.T) {
	s := strOneRow(t)
	for _, c := range []struct{ query, want string }{
		{"SELECT concat('Spark', 'SQL')", "SparkSQL"},
		{"SELECT concat_ws(' ', 'Spark', 'SQL')", "Spark SQL"},
		{"SELECT concat_ws('s')", ""},
		{"SELECT concat_ws('/', 'foo', null, 'bar')", "foo/bar"},
		{"SELECT concat_ws(null, 'Spark', 'SQL')", "NULL"},
		{"SELECT length('Spark SQL ')", "10"},
		{"SELECT char_length('Spark SQL ')", "10"},
		{"SELECT character_length('Spark SQL ')", "10"},
		{"SELECT trim('    SparkSQL   ')", "SparkSQL"},
		{"SELECT ltrim('    SparkSQL   ')", "SparkSQL   "},
		{"SELECT rtrim('    SparkSQL   ')", "    SparkSQL"},
		{"SELECT btrim('SSparkSQLS', 'SL')", "parkSQ"},
		// Spark's two-argument trim, ltrim and rtrim take the characters first.
		{"SELECT trim('SL', 'SSparkSQLS')", "parkSQ"},
		{"SELECT ltrim('SL', 'SSparkSQLS')", "parkSQLS"},
		{"SELECT rtrim('SL', 'SSparkSQLS')", "SSparkSQ"},
		{"SELECT lpad('hi', 5, '??')", "???hi"},
		{"SELECT lpad('hi', 1, '??')", "h"},
		{"SELECT lpad('hi', 5)", "   hi"},
		{"SELECT rpad('hi', 5, '??')", "hi???"},
		{"SELECT rpad('hi', 1, '??')", "h"},
		{"SELECT rpad('hi', 5)", "hi   "},
		{"SELECT instr('SparkSQL', 'SQL')", "6"},
		{"SELECT locate('bar', 'foobarbar')", "4"},
		{"SELECT locate('bar', 'foobarbar', 5)", "7"},
		{"SELECT position('bar', 'foobarbar')", "4"},
		{"SELECT replace('ABCabc', 'abc', 'DEF')", "ABCDEF"},
		{"SELECT initcap('sPark sql')", "Spark Sql"},
		{"SELECT reverse('Spark SQL')", "LQS krapS"},
		{"SELECT repeat('123', 2)", "123123"},
		{"SELECT left('Spark SQL', 3)", "Spa"},
		{"SELECT right('Spark SQL', 3)", "SQL"},
		{`SELECT regexp_replace('100-200', '(\\d+)', 'num')`, "num-num"},
		{`SELECT regexp_extract('100-200', '(\\d+)-(\\d+)', 1)`, "100"},
		{`SELECT regexp_like('%SystemDrive%\\Users\\John', '%SystemDrive%\\\\Users.*')`, "true"},
		{"SELECT translate('AaBbCc', 'abc', '123')", "A1B2C3"},
		{"SELECT ascii('222')", "50"},
		{"SELECT ascii(2)", "50"},
		{"SELECT format_number(12332.123456, 4)", "12,332.1235"},
		{"SELECT format_number(-1234567, 1)", "-1,234,567.0"},
		{"SELECT format_number(cast(2.5 as double), 0)", "2"},
		{"SELECT format_number(1, -1)", "NULL"},
		{"SELECT 'Spark' || 'SQL'", "SparkSQL"},
		{"SELECT regexp_replace(null, 'a', 'b')", "NULL"},
		{"SELECT regexp_extract('abc', null, 1)", "NULL"},
	} {
		rows, err := s.SQL(c.query + " FROM one").Collect(context.Background())
		if err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		if got := strTextRows(rows); len(got) != 1 || got[0][0] != c.want {
			t.Errorf("%s: got %q, want %q", c.query, got, c.want)
		}
	}
}

func TestStringFunctionErrors(t *testing.T) {
	s := strOneRow(t)
	for _, c := range []struct {
		query, want string
		is          error
	}{
		{"SELECT rlike('abc', 'a(?=b)')", "RE2 does not support", expr.ErrInvalidCast},
		{`SELECT regexp_replace('abc', '(a)\\1', 'x')`, "RE2 does not support", expr.ErrInvalidCast},
		{"SELECT regexp_extract('abc', '(a)', 2)", "out of range", expr.ErrInvalidCast},
		{"SELECT regexp_replace('abc', 'a', 'x', 0)", "position must be positive", expr.ErrInvalidCast},
		{"SELECT lpad('a', 3000000000, 'b')", "", expr.ErrOverflow},
		{"SELECT lpad('a', 'x')", "", expr.ErrInvalidCast},
		{"SELECT repeat('a', 'x', 1)", "takes 2 argument(s)", nil},
		{"SELECT length(date '2024-01-01') = 10", "", nil},
		{"SELECT format_number(1.5, '#.#%')", "not supported", expr.ErrInvalidCast},
		{"SELECT format_number(1.5, concat('#', '.#'))", "format pattern as a string literal", nil},
	} {
		_, err := s.SQL(c.query + " FROM one").Collect(context.Background())
		if c.want == "" && c.is == nil {
			if err != nil {
				t.Errorf("%s: %v", c.query, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: got %v, want an error containing %q wrapping %v", c.query, err, c.want, c.is)
		}
	}
}

// TestStringFunctionsRelease checks every buffer is released.
func TestStringFunctionsRelease(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sess := frame.NewSession(frame.WithPartitions(3), frame.WithAllocator(mem))
	df := strWordsDF(t, sess)
	rows, err := df.Select(F.Concat(F.Col("s"), F.Col("p")), F.Lpad(F.Col("s"), 20, "."), F.RegexpReplace(F.Col("s"), "a", "b"),
		F.Rlike(F.Col("s"), "a"), F.Length(F.Col("p"))).Collect(context.Background())
	if err != nil || len(rows) != 5 {
		t.Fatalf("%v %v", rows, err)
	}
}

// TestStringFunctionsRandom compares string functions over a random CSV
// (empty fields read as null) with row-at-a-time Go references, with 1 and
// 3 partitions.
func TestStringFunctionsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 4))
	alphabet := []rune("ab é日😀-")
	word := func(maxLen int) string {
		var sb strings.Builder
		for n := r.IntN(maxLen + 1); n > 0; n-- {
			sb.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		return sb.String()
	}
	type row struct {
		s, p string // "" is null
		n    int
	}
	rows := make([]row, 600)
	var csv strings.Builder
	csv.WriteString("id,s,n,p\n")
	for i := range rows {
		rows[i] = row{s: word(8), p: word(2), n: r.IntN(12) - 2}
		fmt.Fprintf(&csv, "%d,%s,%d,%s\n", i, rows[i].s, rows[i].n, rows[i].p)
	}
	null := func(s string, f func() string) string {
		if s == "" {
			return "NULL"
		}
		return f()
	}
	pad := func(s []rune, n int, p []rune) string {
		if n <= len(s) {
			return string(s[:max(n, 0)])
		}
		out := []rune{}
		for len(out) < n-len(s) {
			out = append(out, p[len(out)%len(p)])
		}
		return string(out) + string(s)
	}
	want := func(rw row) []string {
		s, p := []rune(rw.s), []rune(rw.p)
		ws := strings.Join(strings.FieldsFunc(rw.s+"\x00"+rw.p, func(c rune) bool { return c == 0 }), "/")
		return []string{
			null(rw.s, func() string { return fmt.Sprint(len(s)) }),
			ws,
			null(rw.s, func() string { return null(rw.p, func() string { return pad(s, rw.n, p) }) }),
			null(rw.s, func() string { return null(rw.p, func() string { return fmt.Sprint(utf8Index(rw.s, rw.p)) }) }),
			null(rw.s, func() string { return strings.Trim(rw.s, " ") }),
		}
	}
	for _, parts := range []int{1, 3} {
		sess := frame.NewSession(frame.WithPartitions(parts))
		p := filepath.Join(t.TempDir(), "random.csv")
		if err := os.WriteFile(p, []byte(csv.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		sc := arrow.NewSchema([]arrow.Field{
			{Name: "id", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
			{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
			{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
			{Name: "p", Type: arrow.BinaryTypes.String, Nullable: true},
		}, nil)
		df := sess.Read().Option("header", "true").Schema(sc).CSV(p)
		s, n, pc := F.Col("s"), F.Col("n"), F.Col("p")
		got, err := df.Select(F.Length(s), F.ConcatWs("/", s, pc), frame.Call("lpad", s, n, pc), frame.Call("instr", s, pc), F.Trim(s)).
			Collect(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(rows) {
			t.Fatalf("%d rows, want %d", len(got), len(rows))
		}
		// Partitions may return rows in any order: compare sorted rows.
		var gotText, wantText []string
		for i, g := range strTextRows(got) {
			gotText = append(gotText, strings.Join(g, "|"))
			wantText = append(wantText, strings.Join(want(rows[i]), "|"))
		}
		slices.Sort(gotText)
		slices.Sort(wantText)
		if !reflect.DeepEqual(gotText, wantText) {
			for i := range gotText {
				if gotText[i] != wantText[i] {
					t.Fatalf("%d partitions: got %q, want %q", parts, gotText[i], wantText[i])
				}
			}
		}
	}
}

// utf8Index is the 1-based code point position of sub in s, 0 when absent.
func utf8Index(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return 0
	}
	return utf8.RuneCountInString(s[:i]) + 1
}
