package functions

import "testing"

// TestParseIntervalStrings checks the readers of CAST(string AS INTERVAL
// ...) against hand-computed months and microseconds, and the strings
// Spark rejects.
func TestParseIntervalStrings(t *testing.T) {
	ym := []struct {
		s    string
		want int64
	}{
		{"1-2", 14}, {"-1-2", -14}, {"+0-11", 11}, {" 10-0 ", 120},
		{"INTERVAL '1-2' YEAR TO MONTH", 14}, {"interval -'1-2' year to month", -14},
		{"INTERVAL -'-1-2' YEAR TO MONTH", 14}, {"INTERVAL '-0-1'  YEAR  TO  MONTH", -1},
	}
	for _, c := range ym {
		got, err := parseYearMonth(c.s)
		if err != nil || got != c.want {
			t.Errorf("parseYearMonth(%q) = %d, %v; want %d", c.s, got, err, c.want)
		}
	}
	dt := []struct {
		s    string
		want int64
	}{
		{"1 2:03:04.5", 93_784_500_000}, {"-0 00:00:01", -1_000_000}, {"0 0:0:0.000001", 1},
		{"0 00:00:00.1234569", 123_456}, {"INTERVAL '2 00:00:00' DAY TO SECOND", 172_800_000_000},
		{"INTERVAL -'-1 23:59:59' DAY TO SECOND", 172_799_000_000},
	}
	for _, c := range dt {
		got, err := parseDayTime(c.s)
		if err != nil || got != c.want {
			t.Errorf("parseDayTime(%q) = %d, %v; want %d", c.s, got, err, c.want)
		}
	}
	for _, s := range []string{"1", "1-12", "a-1", "1--1", "INTERVAL '1-2' DAY TO SECOND", "INTERVAL '1-2", ""} {
		if _, err := parseYearMonth(s); err == nil {
			t.Errorf("parseYearMonth(%q) gave no error", s)
		}
	}
	for _, s := range []string{"1", "5 minutes", "1 24:00:00", "1 00:60:00", "1 00:00:60", "1 0:0:0.1234567890", "1 000:00:00", "INTERVAL '1 0:0:0' YEAR TO MONTH"} {
		if _, err := parseDayTime(s); err == nil {
			t.Errorf("parseDayTime(%q) gave no error", s)
		}
	}
}
