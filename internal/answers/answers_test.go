package answers

import (
	"bytes"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/values"
)

func dec(t *testing.T, s string) Value {
	t.Helper()
	v, err := Parse(KindDecimal, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestSame checks the cell rule: exact kinds compare exactly (a one-cent
// difference in a large decimal sum is caught although it is far below any
// relative float tolerance), a tolerance applies only with a float side.
func TestSame(t *testing.T) {
	big60 := new(big.Int).Lsh(big.NewInt(1), 60)
	big60p1 := new(big.Int).Add(big60, big.NewInt(1))
	cases := []struct {
		name string
		a, b Value
		want bool
	}{
		// Decimals: exact by value.
		{"decimal equal", dec(t, "56586554400.73"), dec(t, "56586554400.73"), true},
		{"decimal one cent", dec(t, "56586554400.73"), dec(t, "56586554400.74"), false},
		{"decimal one cent small", dec(t, "0.05"), dec(t, "0.06"), false},
		{"decimal scale differs, value equal", dec(t, "1.50"), dec(t, "1.5"), true},
		{"decimal scale differs, value not", dec(t, "1.500001"), dec(t, "1.5"), false},
		{"decimal negative", dec(t, "-0.05"), Decimal(big.NewInt(-5), 2), true},
		{"decimal vs integer equal", dec(t, "42.00"), Int(42), true},
		{"decimal vs integer off", dec(t, "42.01"), Int(42), false},
		// Integers: exact, also beyond float64's 2^53.
		{"integer equal", Int(14564), Int(14564), true},
		{"integer off by one", Int(14564), Int(14565), false},
		{"huge integer off by one", BigInt(big60), BigInt(big60p1), false},
		{"huge integer equal", BigInt(big60), Int(1 << 60), true},
		// Floats: a tolerance.
		{"float equal", Float(0.04972878330129085), Float(0.04972878330129085), true},
		{"float within tolerance", Float(1e6), Float(1e6 * (1 + 5e-10)), true},
		{"float outside tolerance", Float(1e6), Float(1e6 * (1 + 5e-9)), false},
		{"float near zero within", Float(0), Float(1e-13), true},
		{"float near zero outside", Float(0), Float(1e-10), false},
		{"float vs integer", Float(7), Int(7), true},
		{"float vs integer off", Float(7.001), Int(7), false},
		{"NaN", Float(math.NaN()), Float(math.NaN()), true},
		{"NaN vs number", Float(math.NaN()), Float(0), false},
		{"infinity", Float(math.Inf(1)), Float(math.Inf(1)), true},
		{"infinities", Float(math.Inf(1)), Float(math.Inf(-1)), false},
		// A decimal rounded to its scale (Spark's avg) against a double
		// (DuckDB's avg): half a unit in the last place, no more.
		{"rounded decimal vs float", dec(t, "0.049729"), Float(0.04972878330129085), true},
		{"decimal rounded the wrong way", dec(t, "0.049728"), Float(0.04972878330129085), false},
		{"decimal two units off", dec(t, "0.049731"), Float(0.04972878330129085), false},
		{"decimal cents vs float", dec(t, "123.45"), Float(123.45), true},
		{"decimal cents vs float a cent off", dec(t, "123.45"), Float(123.46), false},
		// Text kinds.
		{"string", Str("A"), Str("A"), true},
		{"string case", Str("A"), Str("a"), false},
		{"string vs number", Str("5"), Int(5), false},
		{"string vs float", Str("5"), Float(5), false},
		{"date", Date(day("1995-03-15")), Date(day("1995-03-15")), true},
		{"date off by a day", Date(day("1995-03-15")), Date(day("1995-03-16")), false},
		{"date vs string", Date(day("1995-03-15")), Str("1995-03-15"), false},
		{"bool", Bool(true), Bool(true), true},
		{"bool differs", Bool(true), Bool(false), false},
		// NULL.
		{"null", Null(), Null(), true},
		{"null vs empty string", Null(), Str(""), false},
		{"null vs zero", Null(), Int(0), false},
		{"null vs float zero", Null(), Float(0), false},
	}
	for _, c := range cases {
		if got := Same(c.a, c.b); got != c.want {
			t.Errorf("%s: Same(%v, %v) = %v, want %v", c.name, c.a, c.b, got, c.want)
		}
		if got := Same(c.b, c.a); got != c.want {
			t.Errorf("%s reversed: Same(%v, %v) = %v, want %v", c.name, c.b, c.a, got, c.want)
		}
	}
}

// TestQ1OneCent is the case the comparator exists for: Q1 at SF 1 with
// sum_base_price one cent off must not agree.
func TestQ1OneCent(t *testing.T) {
	const file = "l_returnflag:VARCHAR,l_linestatus:VARCHAR,\"sum_base_price:DECIMAL(38,2)\",avg_disc:DOUBLE,count_order:BIGINT\n" +
		"A,F,56586554400.73,0.04998529583839761,1478493\n"
	want, err := Read(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	row := func(sum string, avg Value, n int64) Table {
		return Table{Columns: want.Columns, Rows: [][]Value{{Str("A"), Str("F"), dec(t, sum), avg, Int(n)}}}
	}
	if err := Compare(row("56586554400.73", dec(t, "0.049985"), 1478493), want, []int{0, 1}); err != nil {
		t.Errorf("equal answer (avg rounded to 6 places): %v", err)
	}
	bad := map[string]Table{
		"sum one cent over":  row("56586554400.74", dec(t, "0.049985"), 1478493),
		"sum one cent under": row("56586554400.72", dec(t, "0.049985"), 1478493),
		"count off by one":   row("56586554400.73", dec(t, "0.049985"), 1478494),
		"avg a unit off":     row("56586554400.73", dec(t, "0.049986"), 1478493),
		"avg float off":      row("56586554400.73", Float(0.0499853), 1478493),
	}
	for name, got := range bad {
		if err := Compare(got, want, []int{0, 1}); err == nil {
			t.Errorf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func TestCompareOrderAndTies(t *testing.T) {
	cols := []Column{{"k", "VARCHAR"}, {"v", "BIGINT"}, {"s", "VARCHAR"}}
	row := func(k string, v int64, s string) []Value { return []Value{Str(k), Int(v), Str(s)} }
	want := Table{Columns: cols, Rows: [][]Value{
		row("a", 1, "x"), row("b", 2, "y"), row("b", 2, "z"), row("c", 3, "w"),
	}}
	keys := []int{0, 1}
	tie := Table{Columns: cols, Rows: [][]Value{row("a", 1, "x"), row("b", 2, "z"), row("b", 2, "y"), row("c", 3, "w")}}
	for name, got := range map[string]Table{"same": want, "tie permuted": tie} {
		if err := Compare(got, want, keys); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string]Table{
		"order across keys": {Columns: cols, Rows: [][]Value{row("b", 2, "y"), row("a", 1, "x"), row("b", 2, "z"), row("c", 3, "w")}},
		"value":             {Columns: cols, Rows: [][]Value{row("a", 1, "x"), row("b", 2, "y"), row("b", 2, "y"), row("c", 3, "w")}},
		"rows":              {Columns: cols, Rows: want.Rows[:3]},
		"columns":           {Columns: cols[:2], Rows: want.Rows},
		"short row":         {Columns: cols, Rows: [][]Value{row("a", 1, "x"), row("b", 2, "y"), row("b", 2, "z"), {Str("c"), Int(3)}}},
		"null":              {Columns: cols, Rows: [][]Value{row("a", 1, "x"), row("b", 2, "y"), row("b", 2, "z"), {Str("c"), Int(3), Null()}}},
	}
	for name, got := range bad {
		if err := Compare(got, want, keys); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Without keys the answer is a multiset.
	shuffled := Table{Columns: cols, Rows: [][]Value{want.Rows[3], want.Rows[1], want.Rows[0], want.Rows[2]}}
	if err := Compare(shuffled, want, nil); err != nil {
		t.Errorf("multiset: %v", err)
	}
	if err := Compare(shuffled, want, keys); err == nil {
		t.Error("ordered comparison accepted a shuffled answer")
	}
	// Duplicates are counted: {x, x} is not {x, y}.
	if err := Compare(Table{Columns: cols, Rows: [][]Value{want.Rows[0], want.Rows[0]}},
		Table{Columns: cols, Rows: [][]Value{want.Rows[0], want.Rows[1]}}, nil); err == nil {
		t.Error("duplicate row matched twice")
	}
	if err := Compare(want, want, []int{3}); err == nil {
		t.Error("order key out of range accepted")
	}
	// Runs are of identical keys: 1.50 and 1.5 are one run, 1.5 and 1.51 two.
	dcols := []Column{{"d", "DECIMAL(10,2)"}, {"s", "VARCHAR"}}
	dwant := Table{Columns: dcols, Rows: [][]Value{{dec(t, "1.50"), Str("x")}, {dec(t, "1.5"), Str("y")}, {dec(t, "1.51"), Str("z")}}}
	dgot := Table{Columns: dcols, Rows: [][]Value{{dec(t, "1.5"), Str("y")}, {dec(t, "1.50"), Str("x")}, {dec(t, "1.51"), Str("z")}}}
	if err := Compare(dgot, dwant, []int{0}); err != nil {
		t.Errorf("decimal tie: %v", err)
	}
	dgot.Rows[1], dgot.Rows[2] = dgot.Rows[2], dgot.Rows[1]
	if err := Compare(dgot, dwant, []int{0}); err == nil {
		t.Error("decimal order across keys accepted")
	}
}

func TestFileRoundTrip(t *testing.T) {
	tbl := Table{
		Columns: []Column{{"s", "VARCHAR"}, {"d", "DECIMAL(38,2)"}, {"f", "DOUBLE"}, {"n", "HUGEINT"}, {"day", "DATE"}, {"b", "BOOLEAN"}},
		Rows: [][]Value{
			{Str("a,b"), dec(t, "-0.05"), Float(0.1), Int(-3), Date(day("1998-12-01")), Bool(true)},
			{Str(`q"uote`), Null(), Float(1e21), BigInt(new(big.Int).Lsh(big.NewInt(1), 100)), Null(), Bool(false)},
		},
	}
	var buf bytes.Buffer
	if err := Write(&buf, tbl); err != nil {
		t.Fatal(err)
	}
	const wantText = `s:VARCHAR,"d:DECIMAL(38,2)",f:DOUBLE,n:HUGEINT,day:DATE,b:BOOLEAN
"a,b",-0.05,0.1,-3,1998-12-01,true
"q""uote",NULL,1e+21,1267650600228229401496703205376,NULL,false
`
	if buf.String() != wantText {
		t.Errorf("written:\n%s\nwant:\n%s", buf.String(), wantText)
	}
	back, err := Read(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if err := Compare(back, tbl, []int{0}); err != nil {
		t.Error(err)
	}
	for i, c := range back.Columns {
		if c != tbl.Columns[i] {
			t.Errorf("column %d: %+v, want %+v", i, c, tbl.Columns[i])
		}
	}
	if k := back.Rows[0][1].Kind(); k != KindDecimal {
		t.Errorf("decimal column read as %v", k)
	}
	// A value of the wrong kind cannot be written under a column's type.
	wrong := Table{Columns: []Column{{"d", "DECIMAL(15,2)"}}, Rows: [][]Value{{Float(1.5)}}}
	if err := Write(&buf, wrong); err == nil {
		t.Error("float written into a DECIMAL column")
	}
	if err := Write(&buf, Table{Columns: []Column{{"x", ""}}}); err == nil {
		t.Error("column without a type written")
	}
}

func TestReadErrors(t *testing.T) {
	for name, text := range map[string]string{
		"empty":           "",
		"untyped header":  "a,b\n1,2\n",
		"unknown type":    "a:WIDGET\n1\n",
		"bad decimal":     "a:DECIMAL\n1.2.3\n",
		"decimal exp":     "a:DECIMAL\n1e5\n",
		"decimal no frac": "a:DECIMAL\n1.\n",
		"bad integer":     "a:BIGINT\n1.0\n",
		"bad float":       "a:DOUBLE\nabc\n",
		"bad date":        "a:DATE\n1995-13-01\n",
		"bad bool":        "a:BOOLEAN\nyes\n",
		"ragged":          "a:BIGINT,b:BIGINT\n1\n",
	} {
		if _, err := Read(strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestKindOf(t *testing.T) {
	for typ, want := range map[string]Kind{
		"VARCHAR": KindString, "string": KindString, "BOOLEAN": KindBool, "DATE": KindDate,
		"TIMESTAMP WITH TIME ZONE": KindTimestamp, "INTEGER": KindInt, "bigint": KindInt, "HUGEINT": KindInt,
		"DECIMAL(38,2)": KindDecimal, "decimal(19, 6)": KindDecimal, "DOUBLE": KindFloat, "FLOAT": KindFloat,
	} {
		if got, err := KindOf(typ); err != nil || got != want {
			t.Errorf("KindOf(%q) = %v, %v; want %v", typ, got, err, want)
		}
	}
	if _, err := KindOf("BLOB"); err == nil {
		t.Error("KindOf(BLOB) did not fail")
	}
}

func TestFromGo(t *testing.T) {
	d := values.Decimal{Unscaled: decimal128.FromI64(-1234), Scale: 2}
	cases := []struct {
		in   any
		want string
		kind Kind
	}{
		{nil, "NULL", 0},
		{"x", "x", KindString},
		{true, "true", KindBool},
		{int8(-8), "-8", KindInt},
		{int32(7), "7", KindInt},
		{int64(1) << 62, "4611686018427387904", KindInt},
		{uint64(math.MaxUint64), "18446744073709551615", KindInt},
		{float32(0.5), "0.5", KindFloat},
		{0.1, "0.1", KindFloat},
		{d, "-12.34", KindDecimal},
		{big.NewInt(5), "5", KindInt},
		{day("1995-03-15"), "1995-03-15", KindDate},
		{time.Date(1995, 3, 15, 10, 30, 0, 0, time.UTC), "1995-03-15 10:30:00", KindTimestamp},
	}
	for _, c := range cases {
		v, err := FromGo(c.in)
		if err != nil {
			t.Errorf("FromGo(%v): %v", c.in, err)
			continue
		}
		if v.String() != c.want || v.Kind() != c.kind {
			t.Errorf("FromGo(%#v) = %s (%v), want %s (%v)", c.in, v, v.Kind(), c.want, c.kind)
		}
	}
	if _, err := FromGo([]byte("x")); err == nil {
		t.Error("FromGo([]byte) did not fail")
	}
}
