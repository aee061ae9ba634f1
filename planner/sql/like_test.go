package sql

import (
	"strings"
	"testing"
)

// TestLikeForms checks the parse of raw strings, ILIKE, LIKE ... ESCAPE,
// LIKE ANY/SOME/ALL and OVERLAY ... PLACING.
func TestLikeForms(t *testing.T) {
	cases := map[string]string{
		`r'\d\''`:                           `'\d\\''`, // the value \d\' with its quote escaped by String
		`R"a\b"`:                            `'a\b'`,
		"x ILIKE 'a%'":                      "ilike(x, 'a%')",
		"x NOT ILIKE 'a%'":                  "(NOT ilike(x, 'a%'))",
		"x LIKE '/%' ESCAPE '/'":            "like(x, '/%', '/')",
		"x LIKE y":                          "like(x, y)",
		"x LIKE ANY ('a', 'b')":             "(like(x, 'a') OR like(x, 'b'))",
		"x LIKE SOME ('a')":                 "like(x, 'a')",
		"x LIKE ALL ('a', 'b')":             "(like(x, 'a') AND like(x, 'b'))",
		"x NOT LIKE ANY ('a', 'b')":         "((NOT like(x, 'a')) OR (NOT like(x, 'b')))",
		"x NOT ILIKE ALL ('a', 'b')":        "((NOT ilike(x, 'a')) AND (NOT ilike(x, 'b')))",
		"like(x, 'a')":                      "like(x, 'a')",
		"overlay(x PLACING 'ab' FROM 2)":    "overlay(x, 'ab', 2)",
		"OVERLAY(x PLACING y FROM 2 FOR 3)": "overlay(x, y, 2, 3)",
		"x'4142' = X'123'":                  "(4142 = 0123)",
		"overlay(x, 'ab', 2)":               "overlay(x, 'ab', 2)",
	}
	for in, want := range cases {
		if got := parseExpr(t, in).String(); got != want {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"SELECT x'4g' FROM t":                  "hexadecimal digits only",
		"SELECT r'abc FROM t":                  "unterminated string literal",
		"SELECT x LIKE 'a' ESCAPE y FROM t":    "a string after ESCAPE",
		"SELECT overlay(x PLACING 'a') FROM t": "FROM",
	} {
		if _, err := ParseQuery(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", in, err, want)
		}
	}
}
