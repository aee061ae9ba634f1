package strfn

import (
	"strings"
	"testing"
)

// FuzzJavaFormat feeds arbitrary format strings (they come from queries)
// to format_string's formatter: it must return a result or an error,
// never panic.
func FuzzJavaFormat(f *testing.F) {
	for _, s := range []string{"Hello %d %s", "%1$s %<s", "%,.2f", "%-08.3e|%x", "%", "%.", "%0$s", "%99999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, format string) {
		_, _ = javaFormat(nil, format, []any{int32(-7), "ab", 2.5, nil, int64(1) << 40, true, float32(0.1)})
	})
}

// FuzzNumberFormat parses arbitrary number formats and, when valid,
// formats and parses numbers with them.
func FuzzNumberFormat(f *testing.F) {
	for _, s := range []string{"999", "$99,999.99S", "MI0.00", "99PR", "9,9G9D9", "S$9"} {
		f.Add(s, "-12454.8")
	}
	f.Fuzz(func(t *testing.T, format, v string) {
		nf, err := ParseNumberFormat(format)
		if err != nil {
			return
		}
		out := nf.Format("-12.5")
		_ = nf.Format(strings.TrimLeft(v, "+"))
		_, _ = nf.Parse(out)
		_, _ = nf.Parse(v)
	})
}

// FuzzLike matches arbitrary strings against arbitrary LIKE patterns.
func FuzzLike(f *testing.F) {
	f.Add("a%b_c\\%", "axbyc%")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		toks, err := parseLike([]byte(pattern), '\\')
		if err != nil {
			return
		}
		_ = matchLike([]byte(s), toks)
	})
}

// TestFormatWidthLimit checks that a huge width is an error, not a
// gigabyte of padding.
func TestFormatWidthLimit(t *testing.T) {
	if _, err := javaFormat(nil, "%999999999d", []any{int32(1)}); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("got %v", err)
	}
	if out, err := javaFormat(nil, "%5d|%.3s", []any{int32(1), "abcdef"}); err != nil || string(out) != "    1|abc" {
		t.Fatalf("got %q, %v", out, err)
	}
}

// TestFormatFloat32 checks that %s of a float prints Float.toString's
// digits and %f the widened double's.
func TestFormatFloat32(t *testing.T) {
	out, err := javaFormat(nil, "%s %.10f %s", []any{float32(0.1), float32(0.1), float32(1e10)})
	if err != nil || string(out) != "0.1 0.1000000015 1.0E10" {
		t.Fatalf("got %q, %v", out, err)
	}
}
