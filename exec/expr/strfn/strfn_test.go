package strfn

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// alphabet mixes ASCII, two- three- and four-byte characters and spaces so
// that short random needles often occur in random haystacks.
var alphabet = []string{"a", "b", "A", " ", " ", "é", "日", "😀", "-", "1"}

func randString(r *rand.Rand, maxLen int) string {
	var sb strings.Builder
	for n := r.IntN(maxLen + 1); n > 0; n-- {
		sb.WriteString(alphabet[r.IntN(len(alphabet))])
	}
	return sb.String()
}

// randRows makes n rows for argument kinds ('s' string, 'i' int32), about
// 15% null; the first string is longer than the others.
func randRows(r *rand.Rand, kinds string, n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		row := make([]any, len(kinds))
		for j, k := range kinds {
			if r.IntN(100) < 15 {
				continue
			}
			switch {
			case k == 'i':
				row[j] = int32(r.IntN(16) - 3)
			case j == 0:
				row[j] = randString(r, 10)
			default:
				row[j] = randString(r, 3)
			}
		}
		rows[i] = row
	}
	return rows
}

func schemaFor(kinds string) *arrow.Schema {
	fields := make([]arrow.Field, len(kinds))
	for i, k := range kinds {
		t := arrow.DataType(arrow.BinaryTypes.String)
		if k == 'i' {
			t = arrow.PrimitiveTypes.Int32
		}
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: t, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

func columns(s *arrow.Schema) []expr.Expr {
	cols := make([]expr.Expr, s.NumFields())
	for i, f := range s.Fields() {
		cols[i] = expr.Column(i, f.Name, f.Type)
	}
	return cols
}

// values reads an evaluated array back as Go values.
func values(t *testing.T, a arrow.Array) []any {
	t.Helper()
	out := make([]any, a.Len())
	for i := range out {
		if a.IsNull(i) {
			continue
		}
		switch x := a.(type) {
		case *array.String:
			out[i] = x.Value(i)
		case *array.Binary: // compared as the text of its bytes
			out[i] = string(x.Value(i))
		case *array.Int32:
			out[i] = x.Value(i)
		case *array.Boolean:
			out[i] = x.Value(i)
		default:
			t.Fatalf("unexpected result type %s", a.DataType())
		}
	}
	return out
}

func eval(t *testing.T, mem memory.Allocator, e expr.Expr, b arrow.RecordBatch) []any {
	t.Helper()
	a, err := e.Eval(mem, b)
	if err != nil {
		t.Fatalf("%s: %v", e, err)
	}
	defer a.Release()
	if a.Len() != int(b.NumRows()) {
		t.Fatalf("%s: %d rows, want %d", e, a.Len(), b.NumRows())
	}
	if !arrow.TypeEqual(a.DataType(), e.DataType()) {
		t.Fatalf("%s: result type %s, declared %s", e, a.DataType(), e.DataType())
	}
	return values(t, a)
}

// refCase is a function checked against a naive reference.
type refCase struct {
	name  string
	kinds string
	build func(c []expr.Expr) (expr.Expr, error)
	// ref computes one row; args are nil, string or int32. Unless
	// nullSafe, a row with a null argument is expected to be null.
	ref      func(a []any) any
	nullSafe bool
}

func s(a any) string { return a.(string) }
func n(a any) int    { return int(a.(int32)) }
func runes(a any) []rune {
	return []rune(a.(string))
}

func refPad(a []any, left bool) any {
	str, l := runes(a[0]), n(a[1])
	pad := []rune(" ")
	if len(a) > 2 {
		pad = runes(a[2])
	}
	if l <= len(str) || len(pad) == 0 {
		return string(str[:max(0, min(l, len(str)))])
	}
	var p []rune
	for i := 0; len(p) < l-len(str); i++ {
		p = append(p, pad[i%len(pad)])
	}
	if left {
		return string(p) + string(str)
	}
	return string(str) + string(p)
}

// refIndex finds sub in str at or after rune start, naively; 1-based, 0 when absent.
func refIndex(str, sub []rune, start int) int {
	if len(sub) == 0 {
		return 1
	}
	for i := start; i+len(sub) <= len(str); i++ {
		if string(str[i:i+len(sub)]) == string(sub) {
			return i + 1
		}
	}
	return 0
}

func refTranslate(in, from, to string) string {
	f, t := []rune(from), []rune(to)
	var out []rune
	for _, r := range in {
		idx := -1
		for i, x := range f {
			if x == r {
				idx = i
				break
			}
		}
		switch {
		case idx < 0:
			out = append(out, r)
		case idx < len(t):
			out = append(out, t[idx])
		}
	}
	return string(out)
}

func refCases() []refCase {
	digits := regexp.MustCompile(`([a-b]+)|(1)`)
	return append([]refCase{
		{name: "concat", kinds: "sss", build: func(c []expr.Expr) (expr.Expr, error) { return Concat(c...) },
			ref: func(a []any) any { return s(a[0]) + s(a[1]) + s(a[2]) }},
		{name: "concat_ws", kinds: "sss", nullSafe: true, build: func(c []expr.Expr) (expr.Expr, error) { return ConcatWs(c[0], c[1:]...) },
			ref: func(a []any) any {
				if a[0] == nil {
					return nil
				}
				var parts []string
				for _, x := range a[1:] {
					if x != nil {
						parts = append(parts, s(x))
					}
				}
				return strings.Join(parts, s(a[0]))
			}},
		{name: "length", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return Length(c[0]) },
			ref: func(a []any) any { return int32(len(runes(a[0]))) }},
		{name: "trim", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return Trim("trim", TrimBoth, c[0], nil) },
			ref: func(a []any) any { return strings.Trim(s(a[0]), " ") }},
		{name: "ltrim", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return Trim("ltrim", TrimLeading, c[0], nil) },
			ref: func(a []any) any { return strings.TrimLeft(s(a[0]), " ") }},
		{name: "rtrim", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return Trim("rtrim", TrimTrailing, c[0], nil) },
			ref: func(a []any) any { return strings.TrimRight(s(a[0]), " ") }},
		{name: "trim chars", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return Trim("trim", TrimBoth, c[0], c[1]) },
			ref: func(a []any) any { return strings.Trim(s(a[0]), s(a[1])) }},
		{name: "ltrim chars", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return Trim("ltrim", TrimLeading, c[0], c[1]) },
			ref: func(a []any) any { return strings.TrimLeft(s(a[0]), s(a[1])) }},
		{name: "rtrim chars", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return Trim("rtrim", TrimTrailing, c[0], c[1]) },
			ref: func(a []any) any { return strings.TrimRight(s(a[0]), s(a[1])) }},
		{name: "lpad", kinds: "sis", build: func(c []expr.Expr) (expr.Expr, error) { return Lpad(c[0], c[1], c[2]) },
			ref: func(a []any) any { return refPad(a, true) }},
		{name: "rpad", kinds: "sis", build: func(c []expr.Expr) (expr.Expr, error) { return Rpad(c[0], c[1], c[2]) },
			ref: func(a []any) any { return refPad(a, false) }},
		{name: "lpad space", kinds: "si", build: func(c []expr.Expr) (expr.Expr, error) { return Lpad(c[0], c[1], nil) },
			ref: func(a []any) any { return refPad(a, true) }},
		{name: "rpad space", kinds: "si", build: func(c []expr.Expr) (expr.Expr, error) { return Rpad(c[0], c[1], nil) },
			ref: func(a []any) any { return refPad(a, false) }},
		{name: "instr", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return Instr(c[0], c[1]) },
			ref: func(a []any) any { return int32(refIndex(runes(a[0]), runes(a[1]), 0)) }},
		{name: "locate", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return Locate(c[0], c[1], nil) },
			ref: func(a []any) any { return int32(refIndex(runes(a[1]), runes(a[0]), 0)) }},
		{name: "locate pos", kinds: "ssi", nullSafe: true, build: func(c []expr.Expr) (expr.Expr, error) { return Locate(c[0], c[1], c[2]) },
			ref: func(a []any) any {
				switch {
				case a[2] == nil || n(a[2]) < 1 && a[0] != nil && a[1] != nil:
					return int32(0)
				case a[0] == nil || a[1] == nil:
					return nil
				case len(s(a[0])) == 0:
					return int32(1)
				}
				return int32(refIndex(runes(a[1]), runes(a[0]), n(a[2])-1))
			}},
		{name: "replace", kinds: "sss", build: func(c []expr.Expr) (expr.Expr, error) { return Replace(c[0], c[1], c[2]) },
			ref: func(a []any) any {
				if s(a[1]) == "" {
					return s(a[0])
				}
				return strings.ReplaceAll(s(a[0]), s(a[1]), s(a[2]))
			}},
		{name: "replace remove", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return Replace(c[0], c[1], nil) },
			ref: func(a []any) any {
				if s(a[1]) == "" {
					return s(a[0])
				}
				return strings.ReplaceAll(s(a[0]), s(a[1]), "")
			}},
		{name: "initcap", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return InitCap(c[0]) },
			ref: func(a []any) any {
				out := []rune(strings.ToLower(s(a[0])))
				for i := range out {
					if i == 0 || out[i-1] == ' ' {
						out[i] = []rune(strings.ToTitle(string(out[i])))[0]
					}
				}
				return string(out)
			}},
		{name: "reverse", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return Reverse(c[0]) },
			ref: func(a []any) any {
				r := runes(a[0])
				for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
					r[i], r[j] = r[j], r[i]
				}
				return string(r)
			}},
		{name: "repeat", kinds: "si", build: func(c []expr.Expr) (expr.Expr, error) { return Repeat(c[0], c[1]) },
			ref: func(a []any) any { return strings.Repeat(s(a[0]), max(0, n(a[1]))) }},
		{name: "left", kinds: "si", build: func(c []expr.Expr) (expr.Expr, error) { return Left(c[0], c[1]) },
			ref: func(a []any) any { r := runes(a[0]); return string(r[:max(0, min(n(a[1]), len(r)))]) }},
		{name: "right", kinds: "si", build: func(c []expr.Expr) (expr.Expr, error) { return Right(c[0], c[1]) },
			ref: func(a []any) any { r := runes(a[0]); return string(r[len(r)-max(0, min(n(a[1]), len(r))):]) }},
		{name: "ascii", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return Ascii(c[0]) },
			ref: func(a []any) any {
				for _, r := range s(a[0]) {
					return r
				}
				return int32(0)
			}},
		{name: "translate", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return Translate(c[0], "a 日ab😀", "x_") },
			ref: func(a []any) any { return refTranslate(s(a[0]), "a 日ab😀", "x_") }},
		{name: "regexp_replace", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) {
			return RegexpReplace(c[0], `([a-b]+)|(1)`, `<$1\$$2>`, 1)
		}, ref: func(a []any) any { return digits.ReplaceAllString(s(a[0]), "<${1}$$${2}>") }},
		{name: "regexp_replace pos", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) {
			return RegexpReplace(c[0], `[é ]`, `#`, 3)
		}, ref: func(a []any) any {
			r := runes(a[0])
			if len(r) <= 2 {
				return s(a[0])
			}
			return string(r[:2]) + strings.NewReplacer("é", "#", " ", "#").Replace(string(r[2:]))
		}},
		{name: "regexp_extract", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) {
			return RegexpExtract(c[0], `([a-b]+)|(1)`, 2)
		}, ref: func(a []any) any {
			m := digits.FindStringSubmatch(s(a[0]))
			if m == nil {
				return ""
			}
			return m[2]
		}},
		{name: "rlike", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return RLike(c[0], `^[aA].*日`) },
			ref: func(a []any) any {
				str := s(a[0])
				return (strings.HasPrefix(str, "a") || strings.HasPrefix(str, "A")) && strings.Contains(str, "日")
			}},
	}, partsRefCases()...)
}

// expected computes the reference result of every row.
func expected(c refCase, rows [][]any) []any {
	out := make([]any, len(rows))
	for i, row := range rows {
		if !c.nullSafe {
			null := false
			for _, v := range row {
				null = null || v == nil
			}
			if null {
				continue
			}
		}
		out[i] = c.ref(row)
	}
	return out
}

func TestAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(7, 11))
	for _, c := range refCases() {
		t.Run(c.name, func(t *testing.T) {
			sc := schemaFor(c.kinds)
			e, err := c.build(columns(sc))
			if err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{0, 1, 5, 300, 2000} {
				rows := randRows(r, c.kinds, size)
				b := exectest.Batch(mem, sc, rows)
				got := eval(t, mem, e, b)
				want := expected(c, rows)
				for i := range want {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Fatalf("%s row %d %q: got %#v, want %#v", e, i, rows[i], got[i], want[i])
					}
				}
				// A slice of the batch (arrays with an offset) gives the
				// matching slice of the results.
				if size > 10 {
					sl := b.NewSlice(3, int64(size-2))
					gs := eval(t, mem, e, sl)
					sl.Release()
					if !reflect.DeepEqual(gs, want[3:size-2]) {
						t.Fatalf("%s on a slice differs", e)
					}
				}
				b.Release()
			}
			if len(c.kinds) > 1 {
				checkConstArgs(t, mem, r, c)
			}
		})
	}
}

// checkConstArgs evaluates c with every argument but the first given as a
// StringConst or IntConst.
func checkConstArgs(t *testing.T, mem memory.Allocator, r *rand.Rand, c refCase) {
	t.Helper()
	sc := schemaFor(c.kinds)
	cols := columns(sc)
	var consts []any
	for len(consts) == 0 || slicesContainNil(consts) {
		consts = randRows(r, c.kinds, 1)[0][1:]
	}
	for j, v := range consts {
		var err error
		if s, ok := v.(string); ok {
			cols[j+1], err = StringConst(s)
		} else {
			cols[j+1], err = IntConst(v.(int32))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	e, err := c.build(cols)
	if err != nil {
		t.Fatal(err)
	}
	rows := randRows(r, c.kinds, 500)
	b := exectest.Batch(mem, sc, rows)
	defer b.Release()
	for _, row := range rows {
		copy(row[1:], consts)
	}
	got, want := eval(t, mem, e, b), expected(c, rows)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s with constants %q: got %q, want %q", e, consts, got, want)
	}
}

func slicesContainNil(vs []any) bool {
	for _, v := range vs {
		if v == nil {
			return true
		}
	}
	return false
}

// TestDictionaryInput checks dictionary-encoded string input is decoded.
func TestDictionaryInput(t *testing.T) {
	mem := exectest.Alloc(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	bld := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	defer bld.Release()
	for _, v := range []string{"ab", "", "日本", "ab"} {
		if err := bld.AppendString(v); err != nil {
			t.Fatal(err)
		}
	}
	bld.AppendNull()
	arr := bld.NewArray()
	defer arr.Release()
	sc := arrow.NewSchema([]arrow.Field{{Name: "d", Type: dt, Nullable: true}}, nil)
	b := array.NewRecordBatch(sc, []arrow.Array{arr}, int64(arr.Len()))
	defer b.Release()
	e, err := Length(expr.Column(0, "d", dt))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := eval(t, mem, e, b), []any{int32(2), int32(0), int32(2), int32(2), nil}; !reflect.DeepEqual(got, want) {
		t.Fatalf("length over a dictionary: got %v, want %v", got, want)
	}
}

func lit(t *testing.T, v any) expr.Expr {
	t.Helper()
	typ := arrow.DataType(arrow.BinaryTypes.String)
	switch v.(type) {
	case int:
		typ = arrow.PrimitiveTypes.Int32
	case nil:
		typ = arrow.Null
	}
	e, err := expr.Literal(v, typ)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestSparkExamples checks the examples of the Spark SQL function
// reference (spark.apache.org/docs/latest/api/sql/), evaluated over a
// one-column batch holding the first argument.
func TestSparkExamples(t *testing.T) {
	mem := exectest.Alloc(t)
	sc := schemaFor("s")
	x := columns(sc)[0]
	cases := []struct {
		in   any
		e    func() (expr.Expr, error)
		want any
	}{
		// SELECT concat('Spark', 'SQL') → SparkSQL
		{"Spark", func() (expr.Expr, error) { return Concat(x, lit(t, "SQL")) }, "SparkSQL"},
		// SELECT concat_ws(' ', 'Spark', 'SQL') → Spark SQL
		{"Spark", func() (expr.Expr, error) { return ConcatWs(lit(t, " "), x, lit(t, "SQL")) }, "Spark SQL"},
		// SELECT concat_ws('s') → ''
		{"s", func() (expr.Expr, error) { return ConcatWs(x) }, ""},
		// SELECT concat_ws('/', 'foo', null, 'bar') → foo/bar
		{"foo", func() (expr.Expr, error) { return ConcatWs(lit(t, "/"), x, lit(t, nil), lit(t, "bar")) }, "foo/bar"},
		// SELECT concat_ws(null, 'Spark', 'SQL') → NULL
		{"Spark", func() (expr.Expr, error) { return ConcatWs(lit(t, nil), x, lit(t, "SQL")) }, nil},
		// SELECT length('Spark SQL ') → 10 (also char_length, character_length)
		{"Spark SQL ", func() (expr.Expr, error) { return Length(x) }, int32(10)},
		// SELECT trim('    SparkSQL   ') → SparkSQL
		{"    SparkSQL   ", func() (expr.Expr, error) { return Trim("trim", TrimBoth, x, nil) }, "SparkSQL"},
		// SELECT trim(BOTH 'SL' FROM 'SSparkSQLS') → parkSQ
		{"SSparkSQLS", func() (expr.Expr, error) { return Trim("trim", TrimBoth, x, lit(t, "SL")) }, "parkSQ"},
		// SELECT trim(LEADING 'SL' FROM 'SSparkSQLS') → parkSQLS
		{"SSparkSQLS", func() (expr.Expr, error) { return Trim("trim", TrimLeading, x, lit(t, "SL")) }, "parkSQLS"},
		// SELECT trim(TRAILING 'SL' FROM 'SSparkSQLS') → SSparkSQ
		{"SSparkSQLS", func() (expr.Expr, error) { return Trim("trim", TrimTrailing, x, lit(t, "SL")) }, "SSparkSQ"},
		// SELECT ltrim('    SparkSQL   ') → 'SparkSQL   '
		{"    SparkSQL   ", func() (expr.Expr, error) { return Trim("ltrim", TrimLeading, x, nil) }, "SparkSQL   "},
		// SELECT rtrim('    SparkSQL   ') → '    SparkSQL'
		{"    SparkSQL   ", func() (expr.Expr, error) { return Trim("rtrim", TrimTrailing, x, nil) }, "    SparkSQL"},
		// Spark trims only U+0020, not tabs.
		{"\t a \t", func() (expr.Expr, error) { return Trim("trim", TrimBoth, x, nil) }, "\t a \t"},
		// SELECT lpad('hi', 5, '??') → ???hi; lpad('hi', 1, '??') → h; lpad('hi', 5) → '   hi'
		{"hi", func() (expr.Expr, error) { return Lpad(x, lit(t, 5), lit(t, "??")) }, "???hi"},
		{"hi", func() (expr.Expr, error) { return Lpad(x, lit(t, 1), lit(t, "??")) }, "h"},
		{"hi", func() (expr.Expr, error) { return Lpad(x, lit(t, 5), nil) }, "   hi"},
		// SELECT rpad('hi', 5, '??') → hi???; rpad('hi', 1, '??') → h; rpad('hi', 5) → 'hi   '
		{"hi", func() (expr.Expr, error) { return Rpad(x, lit(t, 5), lit(t, "??")) }, "hi???"},
		{"hi", func() (expr.Expr, error) { return Rpad(x, lit(t, 1), lit(t, "??")) }, "h"},
		{"hi", func() (expr.Expr, error) { return Rpad(x, lit(t, 5), nil) }, "hi   "},
		// SELECT instr('SparkSQL', 'SQL') → 6
		{"SparkSQL", func() (expr.Expr, error) { return Instr(x, lit(t, "SQL")) }, int32(6)},
		// SELECT locate('bar', 'foobarbar') → 4; locate('bar', 'foobarbar', 5) → 7
		{"foobarbar", func() (expr.Expr, error) { return Locate(lit(t, "bar"), x, nil) }, int32(4)},
		{"foobarbar", func() (expr.Expr, error) { return Locate(lit(t, "bar"), x, lit(t, 5)) }, int32(7)},
		// Spark returns 0, not null, for a null start position.
		{"foobarbar", func() (expr.Expr, error) { return Locate(lit(t, "bar"), x, lit(t, nil)) }, int32(0)},
		// SELECT replace('ABCabc', 'abc', 'DEF') → ABCDEF
		{"ABCabc", func() (expr.Expr, error) { return Replace(x, lit(t, "abc"), lit(t, "DEF")) }, "ABCDEF"},
		// SELECT initcap('sPark sql') → Spark Sql
		{"sPark sql", func() (expr.Expr, error) { return InitCap(x) }, "Spark Sql"},
		// SELECT reverse('Spark SQL') → LQS krapS
		{"Spark SQL", func() (expr.Expr, error) { return Reverse(x) }, "LQS krapS"},
		// SELECT repeat('123', 2) → 123123
		{"123", func() (expr.Expr, error) { return Repeat(x, lit(t, 2)) }, "123123"},
		// SELECT left('Spark SQL', 3) → Spa; right('Spark SQL', 3) → SQL
		{"Spark SQL", func() (expr.Expr, error) { return Left(x, lit(t, 3)) }, "Spa"},
		{"Spark SQL", func() (expr.Expr, error) { return Right(x, lit(t, 3)) }, "SQL"},
		// SELECT regexp_replace('100-200', '(\\d+)', 'num') → num-num
		{"100-200", func() (expr.Expr, error) { return RegexpReplace(x, `(\d+)`, "num", 1) }, "num-num"},
		// SELECT regexp_extract('100-200', '(\\d+)-(\\d+)', 1) → 100
		{"100-200", func() (expr.Expr, error) { return RegexpExtract(x, `(\d+)-(\d+)`, 1) }, "100"},
		// '%SystemDrive%\Users\John' rlike '%SystemDrive%\\Users.*' → true
		{`%SystemDrive%\Users\John`, func() (expr.Expr, error) { return RLike(x, `%SystemDrive%\\Users.*`) }, true},
		// SELECT translate('AaBbCc', 'abc', '123') → A1B2C3
		{"AaBbCc", func() (expr.Expr, error) { return Translate(x, "abc", "123") }, "A1B2C3"},
		// SELECT ascii('222') → 50
		{"222", func() (expr.Expr, error) { return Ascii(x) }, int32(50)},
		// Java replacement syntax: $n groups, ${name}, \$ literal; $12 is
		// group 1 then '2' when there are fewer than 12 groups.
		{"ab", func() (expr.Expr, error) { return RegexpReplace(x, `(?P<x>a)(b)`, `[$2${x}\$$12]`, 1) }, "[ba$a2]"},
	}
	for _, c := range cases {
		e, err := c.e()
		if err != nil {
			t.Fatal(err)
		}
		b := exectest.Batch(mem, sc, [][]any{{c.in}})
		got := eval(t, mem, e, b)
		b.Release()
		if !reflect.DeepEqual(got[0], c.want) {
			t.Errorf("%s on %q: got %#v, want %#v", e, c.in, got[0], c.want)
		}
	}
}

func TestErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	x := expr.Column(0, "x", arrow.BinaryTypes.String)
	for _, c := range []struct {
		build func() (expr.Expr, error)
		want  string
	}{
		{func() (expr.Expr, error) { return RLike(x, `a(?=b)`) }, "RE2 does not support"},
		{func() (expr.Expr, error) { return RegexpReplace(x, `(a)\1`, "", 1) }, "RE2 does not support"},
		{func() (expr.Expr, error) { return RegexpReplace(x, `a`, "", 0) }, "position must be positive"},
		{func() (expr.Expr, error) { return RegexpReplace(x, `(a)`, "$2", 1) }, "no group 2"},
		{func() (expr.Expr, error) { return RegexpReplace(x, `(a)`, "$x", 1) }, "illegal group reference"},
		{func() (expr.Expr, error) { return RegexpReplace(x, `(a)`, `a\`, 1) }, "escaped is missing"},
		{func() (expr.Expr, error) { return RegexpExtract(x, `(a)`, 2) }, "group index 2 is out of range"},
		{func() (expr.Expr, error) { return Length(expr.Column(0, "n", arrow.PrimitiveTypes.Int64)) }, "is int64, want string"},
	} {
		_, err := c.build()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
		if err != nil && strings.Contains(c.want, "RE2") && !errors.Is(err, expr.ErrInvalidCast) {
			t.Errorf("%v does not wrap ErrInvalidCast", err)
		}
	}
	// A result over 2 GiB is an overflow error, detected before allocating.
	sc := schemaFor("s")
	e, err := Repeat(columns(sc)[0], lit(t, 1<<30))
	if err != nil {
		t.Fatal(err)
	}
	b := exectest.Batch(mem, sc, [][]any{{"abc"}})
	defer b.Release()
	if _, err := e.Eval(mem, b); !errors.Is(err, expr.ErrOverflow) {
		t.Fatalf("repeat over 2 GiB: got %v", err)
	}
}
