package datefn

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// goLayouts pairs Spark patterns with the Go layout that formats the same way
// (for years 1000..9999).
var goLayouts = []struct{ spark, golang string }{
	{"yyyy-MM-dd HH:mm:ss", "2006-01-02 15:04:05"},
	{"yyyy-MM-dd'T'HH:mm:ss.SSS", "2006-01-02T15:04:05.000"},
	{"yyyy-MM-dd HH:mm:ss.SSSSSS", "2006-01-02 15:04:05.000000"},
	{"dd/MM/yy hh:mm a", "02/01/06 03:04 PM"},
	{"EEE, d MMM yyyy", "Mon, 2 Jan 2006"},
	{"EEEE MMMM d yyyy", "Monday January 2 2006"},
	{"yyyy DDD", "2006 002"},
	{"M/d/yyyy h:m:s", "1/2/2006 3:4:5"},
	{"'at' HH 'o''clock'", "at 15 o'clock"},
}

// randModern returns a random timestamp in years 1000..9999.
func randModern(r *rand.Rand) int64 {
	lo := time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	hi := time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC).UnixMicro()
	return lo + r.Int64N(hi-lo)
}

func TestPatternFormatMatchesGo(t *testing.T) {
	r := newRng(t)
	for _, l := range goLayouts {
		p, err := CompilePattern(l.spark)
		if err != nil {
			t.Fatal(err)
		}
		for range 2000 {
			us := randModern(r)
			got := string(p.AppendFormat(nil, us))
			want := microTime(us).Format(l.golang)
			if got != want {
				t.Fatalf("format %d with %q: %q, want %q", us, l.spark, got, want)
			}
		}
	}
}

func TestPatternRoundTrip(t *testing.T) {
	r := newRng(t)
	for _, c := range []struct {
		pattern string
		unit    int64 // the precision the pattern keeps
	}{
		{"yyyy-MM-dd HH:mm:ss.SSSSSS", 1},
		{"yyyyMMddHHmmss", usPerSec},
		{"dd/MM/yyyy hh:mm:ss a", usPerSec},
		{"EEE, d MMM yyyy HH:mm:ss.SSS", 1000},
		{"EEEE, MMMM dd, yyyy", usPerDay},
		{"yyyy DDD HH:mm", 60 * usPerSec},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS", 1},
	} {
		p, err := CompilePattern(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		for range 2000 {
			us := randModern(r)
			text := p.AppendFormat(nil, us)
			got, ok := p.Parse(text)
			if want := floorDiv(us, c.unit) * c.unit; !ok || got != want {
				t.Fatalf("%q with %q: %d %v, want %d", text, c.pattern, got, ok, want)
			}
			if got, ok := p.Parse([]byte(strings.ToUpper(string(text)))); !ok || got != floorDiv(us, c.unit)*c.unit {
				t.Fatalf("upper-case %q with %q did not parse", text, c.pattern)
			}
		}
	}
}

func TestPatternParseCases(t *testing.T) {
	for _, c := range []struct {
		pattern, text, want string // want "" means no parse
	}{
		{"yyyy-MM-dd", "2016-12-31", "2016-12-31 00:00:00"},
		{"yyyy-MM-dd", "2016-12-32", ""},
		{"yyyy-MM-dd", "2015-02-29", ""},
		{"yyyy-MM-dd", "2016-02-29", "2016-02-29 00:00:00"},
		{"yyyy-MM-dd", "2016-2-3", ""},
		{"yyyy-M-d", "2016-2-3", "2016-02-03 00:00:00"},
		{"yyyy-M-d", "2016-12-31", "2016-12-31 00:00:00"},
		{"yyyy-MM-dd", "2016-12-31 ", ""},
		{"yyyy-MM-dd", " 2016-12-31", ""},
		{"yyyy-MM-dd", "", ""},
		{"yy-MM-dd", "16-12-31", "2016-12-31 00:00:00"},
		{"yyyyMMdd", "20160102", "2016-01-02 00:00:00"},
		{"yyyyMMdd", "2016012", ""},
		{"dd MMM yyyy", "05 jan 2020", "2020-01-05 00:00:00"},
		{"dd MMM yyyy", "05 January 2020", ""},
		{"dd MMMM yyyy", "05 JANUARY 2020", "2020-01-05 00:00:00"},
		{"hh:mm a", "12:00 PM", "1970-01-01 12:00:00"},
		{"hh:mm a", "12:30 am", "1970-01-01 00:30:00"},
		{"hh:mm a", "13:00 PM", ""},
		{"HH:mm a", "13:00 PM", "1970-01-01 13:00:00"},
		{"HH:mm a", "13:00 AM", ""},
		{"HH:mm:ss", "24:00:00", ""},
		{"HH:mm:ss", "23:60:00", ""},
		{"mm:ss.SSS", "01:02.5", "1970-01-01 00:01:02.500000"},
		{"mm:ss.SSS", "01:02.5678", ""},
		{"mm:ss.SSS", "01:02.", ""},
		{"EEE yyyy-MM-dd", "Tue 2015-01-20", "2015-01-20 00:00:00"},
		{"EEE yyyy-MM-dd", "Wed 2015-01-20", ""},
		{"yyyy DDD", "2016 366", "2016-12-31 00:00:00"},
		{"yyyy DDD", "2015 366", ""},
		{"yyyy", "99999", "99999-01-01 00:00:00"},
		{"yyyy", "999", ""},
		{"'T'HH", "t05", "1970-01-01 05:00:00"},
	} {
		p, err := CompilePattern(c.pattern)
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		us, ok := p.Parse([]byte(c.text))
		got := ""
		if ok {
			got = tsText(us)
		}
		if got != c.want {
			t.Errorf("parse %q with %q: %q, want %q", c.text, c.pattern, got, c.want)
		}
	}
}

func TestPatternCompileErrors(t *testing.T) {
	for _, p := range []string{"yyyy-MM-dd'T", "YYYY", "yyyy-ww", "SSSSSSSSSS", "MMMMM", "ddd", "aa", "EEEEE", "zzz"} {
		if _, err := CompilePattern(p); err == nil {
			t.Errorf("pattern %q compiled", p)
		} else if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not name pattern %q", err, p)
		}
	}
}

// stringArray builds a string array; nil is null.
func stringArray(mem memory.Allocator, vs []*string) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for _, v := range vs {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(*v)
		}
	}
	return b.NewArray()
}

func TestParseKernelsRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	const pattern = "yyyy-MM-dd HH:mm:ss.SSS"
	for _, n := range sizes {
		texts := make([]*string, n)
		want := make([]int64, n)
		for i := range texts {
			if r.IntN(10) == 0 {
				continue
			}
			us := randModern(r)
			s := microTime(us).Format("2006-01-02 15:04:05.000")
			texts[i], want[i] = &s, floorDiv(us, 1000)*1000
		}
		in := stringArray(mem, texts)
		ok := func(i int) bool { return texts[i] != nil }
		mk := []func() (expr.Expr, error){
			func() (expr.Expr, error) { return ToTimestamp(colExpr(0, in), pattern, false) },
			func() (expr.Expr, error) { return ToDate(colExpr(0, in), pattern) },
			func() (expr.Expr, error) { return UnixTimestamp(colExpr(0, in), pattern) },
			func() (expr.Expr, error) { return ToTimestamp(colExpr(0, in), pattern, true) },
		}
		for k, f := range mk {
			e, err := f()
			if err != nil {
				t.Fatal(err)
			}
			out := mustEval(t, mem, e, in)
			switch k {
			case 0, 3:
				check(t, e.String(), out, func(i int) (int64, bool) { return want[i], ok(i) })
			case 1:
				check(t, e.String(), out, func(i int) (int32, bool) { return int32(floorDiv(want[i], usPerDay)), ok(i) })
			case 2:
				check(t, e.String(), out, func(i int) (int64, bool) { return floorDiv(want[i], usPerSec), ok(i) })
			}
			out.Release()
		}
		in.Release()

		// Garbage: try_to_timestamp gives null, to_timestamp an error naming
		// the value and the pattern.
		bad := "2016-13-01 00:00:00.000"
		mixed := append([]*string{&bad}, texts...)
		in = stringArray(mem, mixed)
		e, _ := ToTimestamp(colExpr(0, in), pattern, true)
		out := mustEval(t, mem, e, in)
		check(t, e.String(), out, func(i int) (int64, bool) {
			if i == 0 {
				return 0, false
			}
			return want[i-1], ok(i - 1)
		})
		out.Release()
		e, _ = ToTimestamp(colExpr(0, in), pattern, false)
		_, err := evalOn(t, mem, e, in)
		if !errors.Is(err, expr.ErrInvalidCast) || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), pattern) {
			t.Fatalf("to_timestamp of %q: %v", bad, err)
		}
		in.Release()
	}
}

func TestFormatKernelsRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		tb := array.NewTimestampBuilder(mem, Timestamp.(*arrow.TimestampType))
		sb := array.NewInt64Builder(mem)
		for range n {
			if r.IntN(10) == 0 {
				tb.AppendNull()
				sb.AppendNull()
				continue
			}
			us := randModern(r)
			tb.Append(arrow.Timestamp(us))
			sb.Append(floorDiv(us, usPerSec))
		}
		ts, secs := tb.NewArray(), sb.NewArray()
		tb.Release()
		sb.Release()
		for _, l := range goLayouts {
			for k, in := range []arrow.Array{ts, secs} {
				var e expr.Expr
				var err error
				if k == 0 {
					e, err = DateFormat(colExpr(0, in), l.spark)
				} else {
					e, err = FromUnixtime(colExpr(0, in), l.spark)
				}
				if err != nil {
					t.Fatal(err)
				}
				out := mustEval(t, mem, e, in)
				strs := out.(*array.String)
				for i := range n {
					if in.IsNull(i) != out.IsNull(i) {
						t.Fatalf("%s row %d: null %v", e, i, out.IsNull(i))
					}
					if in.IsNull(i) {
						continue
					}
					var tm time.Time
					if k == 0 {
						tm = microTime(micros(in, i))
					} else {
						tm = time.Unix(in.(*array.Int64).Value(i), 0).UTC()
					}
					if want := tm.Format(l.golang); strs.Value(i) != want {
						t.Fatalf("%s row %d: %q, want %q", e, i, strs.Value(i), want)
					}
				}
				out.Release()
			}
		}
		ts.Release()
		secs.Release()
	}
}

func TestDictionaryInput(t *testing.T) {
	mem := exectest.Alloc(t)
	db := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}).(*array.BinaryDictionaryBuilder)
	for _, v := range []string{"2015-01-14", "", "2016-02-29", "2015-01-14"} {
		if v == "" {
			db.AppendNull()
		} else if err := db.AppendString(v); err != nil {
			t.Fatal(err)
		}
	}
	in := db.NewArray()
	db.Release()
	defer in.Release()
	e, err := ToDate(colExpr(0, in), "yyyy-MM-dd")
	if err != nil {
		t.Fatal(err)
	}
	out := mustEval(t, mem, e, in)
	defer out.Release()
	want := []string{"2015-01-14", "", "2016-02-29", "2015-01-14"}
	for i, w := range want {
		got := ""
		if out.IsValid(i) {
			got = dateText(days32(out, i))
		}
		if got != w {
			t.Errorf("row %d: %q, want %q", i, got, w)
		}
	}
}
