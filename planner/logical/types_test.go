package logical

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestParseType(t *testing.T) {
	for name, want := range map[string]arrow.DataType{
		"int": arrow.PrimitiveTypes.Int32, "BIGINT": arrow.PrimitiveTypes.Int64, "double": arrow.PrimitiveTypes.Float64,
		"decimal(15,2)": dec(15, 2), "decimal(20, 3)": dec(20, 3), "date": arrow.FixedWidthTypes.Date32, "string": arrow.BinaryTypes.String,
	} {
		got, err := ParseType(name)
		if err != nil || !arrow.TypeEqual(got, want) {
			t.Errorf("ParseType(%q) = %v, %v; want %s", name, got, err, want)
		}
	}
	for _, bad := range []string{"decimal(40,2)", "decimal(5,6)", "integr"} {
		if _, err := ParseType(bad); err == nil {
			t.Errorf("ParseType(%q) should fail", bad)
		}
	}
}
