package csv

import "testing"

// A field that is not a number is rejected without making a strconv error:
// PERMISSIVE reads of columns with bad values allocate nothing per bad field.
func TestParseFloatRejectsWithoutAllocating(t *testing.T) {
	for _, bad := range []string{"n/a", "abc", "12 kg", "?", "1,5"} {
		b := []byte(bad)
		if _, ok := parseFloat(b, 64); ok {
			t.Fatalf("%q parsed as a number", bad)
		}
		if n := testing.AllocsPerRun(100, func() { parseFloat(b, 64) }); n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0", bad, n)
		}
	}
	for _, good := range []string{"1.5", "-2e3", "Infinity", "nan", "+.5"} {
		if _, ok := parseFloat([]byte(good), 64); !ok {
			t.Errorf("%q did not parse", good)
		}
	}
}
