package textfmt_test

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/io/textfmt"
)

func TestAppendDouble(t *testing.T) {
	for _, c := range []struct {
		f     float64
		quote bool
		want  string
	}{
		{1, false, "1.0"}, {0.001, false, "0.001"}, {1e7, false, "1.0E7"}, {-2.5e-4, false, "-2.5E-4"},
		{math.Copysign(0, -1), false, "-0.0"}, {math.NaN(), false, "NaN"}, {math.NaN(), true, `"NaN"`},
		{math.Inf(-1), true, `"-Infinity"`}, {math.Inf(1), false, "Infinity"},
	} {
		if got := string(textfmt.AppendDouble(nil, c.f, 64, c.quote)); got != c.want {
			t.Errorf("%v quote=%v: %s, want %s", c.f, c.quote, got, c.want)
		}
	}
}

// The options decide quoting of dates and the escaping of strings; nulls
// are reported, not written.
func TestOptions(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	b := exectest.Batch(mem, schema, [][]any{{arrow.Date32(19000), "a\"b"}, {nil, nil}})
	defer b.Release()
	quoted := textfmt.Options{DateLayout: "2006-01-02", QuoteTemporal: true,
		String: func(dst, s []byte) []byte { return append(append(append(dst, '<'), s...), '>') }}
	for _, c := range []struct {
		o    textfmt.Options
		want [2]string
	}{
		{textfmt.Options{DateLayout: "02/01/2006"}, [2]string{"08/01/2022", `a"b`}},
		{quoted, [2]string{`"2022-01-08"`, `<a"b>`}},
	} {
		for col := 0; col < 2; col++ {
			f, err := textfmt.New(b.Column(col), c.o)
			if err != nil {
				t.Fatal(err)
			}
			if got, null := f(nil, 0); null || string(got) != c.want[col] {
				t.Errorf("column %d: %q (null %v), want %q", col, got, null, c.want[col])
			}
			if _, null := f(nil, 1); !null {
				t.Errorf("column %d: row 1 is null", col)
			}
		}
	}
	if _, err := textfmt.New(array.NewNull(1), textfmt.Options{}); err == nil {
		t.Error("a null-type column should be an error")
	}
}
