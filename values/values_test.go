package values

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Expected strings are what Java's Double.toString prints (Spark's Show).
func TestFormatDoubleLikeJava(t *testing.T) {
	cases := map[float64]string{
		0: "0.0", math.Copysign(0, -1): "-0.0", 1: "1.0", -2.5: "-2.5", 0.001: "0.001",
		123456.789: "123456.789", 9999999: "9999999.0", 1e7: "1.0E7", 12345678.9: "1.23456789E7",
		1e-4: "1.0E-4", -2.5e-5: "-2.5E-5", 1.5e300: "1.5E300", 0.30000000000000004: "0.30000000000000004",
		math.NaN(): "NaN", math.Inf(1): "Infinity", math.Inf(-1): "-Infinity",
	}
	for f, want := range cases {
		if got := FormatDouble(f); got != want {
			t.Errorf("FormatDouble(%v) = %q, want %q", f, got, want)
		}
	}
}

// Expected strings are what Java's Float.toString prints: the digits
// identify the 32-bit value, so 0.1f is 0.1, not 0.10000000149011612.
func TestFormatFloatLikeJava(t *testing.T) {
	cases := map[float32]string{
		0: "0.0", 0.1: "0.1", 100: "100.0", 1e7: "1.0E7", 1e10: "1.0E10", 1e-5: "1.0E-5",
		3.4028235e38: "3.4028235E38", float32(math.Inf(-1)): "-Infinity",
	}
	for f, want := range cases {
		if got := FormatFloat(f); got != want {
			t.Errorf("FormatFloat(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	for in, want := range map[string]string{"-12.340": "-12.340", "+7": "7", "0.05": "0.05", ".5": "0.5", "12.": "12"} {
		d, err := ParseDecimal(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if d.String() != want {
			t.Errorf("ParseDecimal(%q) = %s, want %s", in, d, want)
		}
	}
	d, _ := ParseDecimal("-12.340")
	if d.Scale != 3 || d.Rat().RatString() != "-617/50" {
		t.Errorf("scale %d, rat %s; want 3 and -617/50", d.Scale, d.Rat().RatString())
	}
	for _, bad := range []string{"", "-", "1.2.3", "abc", "1e5", "123456789012345678901234567890123456789"} {
		if _, err := ParseDecimal(bad); err == nil {
			t.Errorf("ParseDecimal(%q) succeeded, want an error", bad)
		}
	}
}

func TestValueAndFormat(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	db := array.NewDecimal64Builder(mem, &arrow.Decimal64Type{Precision: 15, Scale: 2})
	db.Append(decimal.Decimal64(-1234))
	db.AppendNull()
	dec := db.NewArray()
	defer dec.Release()
	db.Release()
	if v := Value(dec, 0).(Decimal); v.String() != "-12.34" {
		t.Errorf("decimal64 value %s, want -12.34", v)
	}
	if Value(dec, 1) != nil || FormatValue(Value(dec, 1)) != "NULL" {
		t.Error("a null must be nil and print as NULL")
	}
	dt := array.NewDate32Builder(mem)
	dt.Append(arrow.Date32FromTime(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)))
	dates := dt.NewArray()
	defer dates.Release()
	dt.Release()
	if got := FormatValue(Value(dates, 0)); got != "2024-02-29" {
		t.Errorf("date prints as %q", got)
	}
	ts := time.Date(2024, 1, 2, 3, 4, 5, 120000000, time.UTC)
	if got := FormatValue(ts); got != "2024-01-02 03:04:05.12" {
		t.Errorf("timestamp prints as %q", got)
	}
	if got := FormatValue(2.0); got != "2.0" {
		t.Errorf("double prints as %q", got)
	}
}

func TestNullTypedColumnIsNil(t *testing.T) {
	a := array.NewNull(2)
	defer a.Release()
	if v := Value(a, 1); v != nil {
		t.Fatalf("a NULL-typed value is %#v, want nil", v)
	}
}
