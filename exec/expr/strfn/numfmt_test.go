package strfn

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestNumberFormatRoundTrip formats random values by random formats and
// parses them back: a value that fits its format (no '#') reads back as
// itself at the format's scale.
func TestNumberFormatRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 9))
	formats := []string{"999", "9,999", "99G999D99", "$999.99S", "MI9999.9", "9,999.999PR", "999.0", "S$99,999.00", "9999MI"}
	for range 3000 {
		f, err := ParseNumberFormat(formats[r.IntN(len(formats))])
		if err != nil {
			t.Fatal(err)
		}
		unscaled := r.Int64N(2_000_000) - 1_000_000
		scale := f.Scale
		var v string
		if scale > 0 {
			abs := fmt.Sprintf("%0*d", scale+1, max(unscaled, -unscaled))
			v = abs[:len(abs)-scale] + "." + abs[len(abs)-scale:]
		} else {
			v = fmt.Sprint(max(unscaled, -unscaled))
		}
		neg := unscaled < 0
		if neg {
			v = "-" + v
		}
		hasSign := strings.ContainsAny(f.text, "SMP")
		text := f.Format(v)
		if strings.Contains(text, "#") {
			continue
		}
		got, ok := f.Parse(strings.TrimSpace(text)) // leading padding is only read inside digits
		if !ok {
			t.Fatalf("format %q of %s is %q, which does not parse back", f.text, v, text)
		}
		want := strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(v, "-"), ".", ""), "0")
		if want == "" {
			want = "0"
		}
		if neg && hasSign && want != "0" {
			want = "-" + want
		}
		if got != want {
			t.Fatalf("format %q of %s is %q, read back as %s, want %s", f.text, v, text, got, want)
		}
	}
}

func TestNumberFormatErrors(t *testing.T) {
	for format, want := range map[string]string{
		"":       "EMPTY",
		"$":      "WRONG_NUM_DIGIT",
		"9,":     "CONT_THOUSANDS_SEPS",
		"9.9,9":  "THOUSANDS_SEPS_MUST_BEFORE_DEC",
		"9.9.9":  "WRONG_NUM_TOKEN",
		"9x":     "UNEXPECTED_TOKEN",
		"99$S$":  "WRONG_NUM_TOKEN",
		"9S9":    "UNEXPECTED_TOKEN",
		"PR99":   "UNEXPECTED_TOKEN",
		"99PRPR": "WRONG_NUM_TOKEN",
	} {
		_, err := ParseNumberFormat(format)
		if !errors.Is(err, ErrNumberFormat) || !strings.Contains(err.Error(), want) {
			t.Errorf("format %q: got %v, want %s", format, err, want)
		}
	}
}
