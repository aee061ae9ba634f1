package expr_test

import (
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

func TestDateTextErrorNamesTheFieldOutOfRange(t *testing.T) {
	for s, want := range map[string]string{
		"2024-02-29": "", // 2024 is a leap year
		"2000-02-29": "", // divisible by 400
		"2023-02-29": "February 2023 has 28 days, not 29",
		"1900-02-29": "February 1900 has 28 days, not 29", // divisible by 100, not by 400
		"2024-04-31": "April 2024 has 30 days, not 31",
		"2024-13-01": "month 13 is out of range 1 to 12",
		"2024-00-10": "month 0 is out of range 1 to 12",
		"2024-01-00": "day 0 is out of range 1 to 31",
		"2024-01-32": "day 32 is out of range 1 to 31",
		"2024-1x-01": "expected the form yyyy-mm-dd",
		"24-01-01":   "expected the form yyyy-mm-dd",
		"2024/01/01": "expected the form yyyy-mm-dd",
		"2024-01":    "expected the form yyyy-mm-dd",
	} {
		err := expr.DateTextError(s)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%s: got %q, want %q", s, got, want)
		}
	}
}

func TestCastAsNamesTheFunctionAndTheValue(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}}, nil)
	b := exectest.Batch(mem, schema, [][]any{{"2024-01-02"}, {"2024-13-45"}})
	defer b.Release()
	c, err := expr.CastAs("to_date", expr.Column(0, "s", arrow.BinaryTypes.String), arrow.FixedWidthTypes.Date32)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.String(); got != "to_date(s)" {
		t.Errorf("String() = %q", got)
	}
	_, err = c.Eval(mem, b)
	want := "to_date(s): '2024-13-45' is not a valid date: month 13 is out of range 1 to 12 (use try_cast to get null instead)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	if !errors.Is(err, expr.ErrInvalidCast) {
		t.Errorf("%v is not ErrInvalidCast", err)
	}
	// A plain cast keeps its own text.
	plain, _ := expr.Cast(expr.Column(0, "s", arrow.BinaryTypes.String), arrow.FixedWidthTypes.Date32)
	if _, err := plain.Eval(mem, b); err == nil || err.Error() != "CAST(s AS DATE): cast '2024-13-45' to date: invalid value" {
		t.Errorf("cast: %v", err)
	}
}
