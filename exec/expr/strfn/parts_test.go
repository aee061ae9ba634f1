package strfn

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// refOccurrences lists the byte offsets of every occurrence of d in s,
// overlapping ones included.
func refOccurrences(s, d string) []int {
	var at []int
	for i := 0; i+len(d) <= len(s); i++ {
		if s[i:i+len(d)] == d {
			at = append(at, i)
		}
	}
	return at
}

// refSubstringIndex follows Spark's description: the text before the
// count-th delimiter from the left, or after the count-th from the right.
func refSubstringIndex(s, d string, count int) string {
	if d == "" || count == 0 {
		return ""
	}
	at := refOccurrences(s, d)
	if count > 0 {
		if count > len(at) {
			return s
		}
		return s[:at[count-1]]
	}
	// From the right, each occurrence starts before the previous one.
	var picked []int
	limit := len(s)
	for k := len(at) - 1; k >= 0 && len(picked) < -count; k-- {
		if at[k] < limit {
			picked = append(picked, at[k])
			limit = at[k]
		}
	}
	if len(picked) < -count {
		return s
	}
	return s[picked[len(picked)-1]+len(d):]
}

// refLevenshtein is the textbook recursive definition, memoized.
func refLevenshtein(a, b []rune) int {
	memo := map[[2]int]int{}
	var d func(i, j int) int
	d = func(i, j int) int {
		if i == 0 {
			return j
		}
		if j == 0 {
			return i
		}
		if v, ok := memo[[2]int{i, j}]; ok {
			return v
		}
		cost := 1
		if a[i-1] == b[j-1] {
			cost = 0
		}
		v := min(d(i-1, j)+1, d(i, j-1)+1, d(i-1, j-1)+cost)
		memo[[2]int{i, j}] = v
		return v
	}
	return d(len(a), len(b))
}

func partsRefCases() []refCase {
	return []refCase{
		{name: "substring_index", kinds: "ssi", build: func(c []expr.Expr) (expr.Expr, error) { return SubstringIndex(c[0], c[1], c[2]) },
			ref: func(a []any) any { return refSubstringIndex(s(a[0]), s(a[1]), n(a[2])) }},
		{name: "find_in_set", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return FindInSet(c[1], c[0]) },
			ref: func(a []any) any {
				if strings.Contains(s(a[1]), ",") {
					return int32(0)
				}
				for i, f := range strings.Split(s(a[0]), ",") {
					if f == s(a[1]) {
						return int32(i + 1)
					}
				}
				return int32(0)
			}},
		{name: "overlay", kinds: "ssii", build: func(c []expr.Expr) (expr.Expr, error) { return Overlay(c[0], c[1], c[2], c[3]) },
			ref: func(a []any) any {
				in, rep, pos, l := runes(a[0]), runes(a[1]), n(a[2]), n(a[3])
				if l < 0 {
					l = len(rep)
				}
				// substring(in, 1, pos-1) ++ rep ++ substring(in, pos+l)
				var out []rune
				for i := range in {
					if i+1 <= pos-1 {
						out = append(out, in[i])
					}
				}
				out = append(out, rep...)
				from := pos + l // 1-based, 0 acts as 1, negative counts from the end
				switch {
				case from < 0:
					from = len(in) + from
				case from > 0:
					from--
				}
				for i := max(from, 0); i < len(in); i++ {
					out = append(out, in[i])
				}
				return string(out)
			}},
		{name: "levenshtein", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return Levenshtein(c[0], c[1], nil) },
			ref: func(a []any) any { return int32(refLevenshtein(runes(a[0]), runes(a[1]))) }},
		{name: "levenshtein threshold", kinds: "ssi", build: func(c []expr.Expr) (expr.Expr, error) { return Levenshtein(c[0], c[1], c[2]) },
			ref: func(a []any) any {
				if d := refLevenshtein(runes(a[0]), runes(a[1])); d <= n(a[2]) {
					return int32(d)
				}
				return int32(-1)
			}},
		{name: "startswith", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return StartsWith(c[0], c[1]) },
			ref: func(a []any) any { return strings.HasPrefix(s(a[0]), s(a[1])) }},
		{name: "endswith", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return EndsWith(c[0], c[1]) },
			ref: func(a []any) any { return strings.HasSuffix(s(a[0]), s(a[1])) }},
		{name: "contains", kinds: "ss", build: func(c []expr.Expr) (expr.Expr, error) { return Contains(c[0], c[1]) },
			ref: func(a []any) any { return strings.Contains(s(a[0]), s(a[1])) }},
		{name: "chr", kinds: "i", build: func(c []expr.Expr) (expr.Expr, error) { return Chr(c[0]) },
			ref: func(a []any) any {
				if n(a[0]) < 0 {
					return ""
				}
				return string(rune(n(a[0]) % 256))
			}},
		{name: "luhn_check", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return LuhnCheck(c[0]) },
			ref: func(a []any) any {
				str := s(a[0])
				if str == "" || strings.Trim(str, "0123456789") != "" {
					return false
				}
				sum := 0
				for i := 0; i < len(str); i++ {
					d := int(str[len(str)-1-i] - '0')
					if i%2 == 1 {
						d = []int{0, 2, 4, 6, 8, 1, 3, 5, 7, 9}[d]
					}
					sum += d
				}
				return sum%10 == 0
			}},
		{name: "mask", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) {
			return Mask(c[0], MaskChars{Upper: 'X', Lower: -1, Digit: 'n', Other: '日'})
		}, ref: func(a []any) any {
			return strings.Map(func(r rune) rune {
				switch {
				case unicode.IsUpper(r):
					return 'X'
				case unicode.IsLower(r):
					return r
				case unicode.IsDigit(r):
					return 'n'
				}
				return '日'
			}, s(a[0]))
		}},
		{name: "base64", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) { return Base64(c[0]) },
			ref: func(a []any) any { return base64.StdEncoding.EncodeToString([]byte(s(a[0]))) }},
		{name: "unbase64 of base64", kinds: "s", build: func(c []expr.Expr) (expr.Expr, error) {
			b, err := Base64(c[0])
			if err != nil {
				return nil, err
			}
			return Unbase64(b)
		}, ref: func(a []any) any { return s(a[0]) }},
	}
}

// TestPartsErrors checks the ANSI errors of split_part and elt and that
// they leave valid rows alone.
func TestPartsErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	sc := schemaFor("ssi")
	c := columns(sc)
	sp, err := SplitPart(c[0], c[1], c[2])
	if err != nil {
		t.Fatal(err)
	}
	b := exectest.Batch(mem, sc, [][]any{{"a.b.c", ".", int32(-1)}, {"a.b", ".", int32(5)}, {"a", nil, int32(0)}, {"a.b", "", int32(1)}})
	if got, want := eval(t, mem, sp, b), []any{"c", "", nil, "a.b"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("split_part: got %q, want %q", got, want)
	}
	b.Release()
	b = exectest.Batch(mem, sc, [][]any{{"a.b", ".", int32(0)}})
	if _, err := sp.Eval(mem, b); !errors.Is(err, ErrInvalidIndex) || !strings.Contains(err.Error(), "INVALID_INDEX_OF_ZERO") {
		t.Fatalf("split_part part 0: got %v", err)
	}
	b.Release()

	isc := schemaFor("iss")
	ic := columns(isc)
	el, err := Elt(ic[0], ic[1], ic[2])
	if err != nil {
		t.Fatal(err)
	}
	b = exectest.Batch(mem, isc, [][]any{{int32(1), "x", nil}, {int32(2), "x", nil}, {nil, "x", "y"}, {int32(2), nil, "y"}})
	if got, want := eval(t, mem, el, b), []any{"x", nil, nil, "y"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("elt: got %q, want %q", got, want)
	}
	b.Release()
	b = exectest.Batch(mem, isc, [][]any{{int32(1), "x", "y"}, {int32(3), "x", "y"}})
	defer b.Release()
	if _, err := el.Eval(mem, b); !errors.Is(err, ErrInvalidIndex) || !strings.Contains(err.Error(), "The index 3 is out of bounds. The array has 2 elements") {
		t.Fatalf("elt out of range: got %v", err)
	}
	un, err := Unbase64(ic[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := un.Eval(mem, b); !errors.Is(err, ErrBadBase64) {
		t.Fatalf("unbase64 of text that is not base64: got %v", err)
	}
}

// TestBinaryInputs checks the kernels that read bytes over a binary
// column, and to_char of a binary.
func TestBinaryInputs(t *testing.T) {
	mem := exectest.Alloc(t)
	sc := arrow.NewSchema([]arrow.Field{{Name: "b", Type: arrow.BinaryTypes.Binary, Nullable: true}}, nil)
	bb := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	bb.Append([]byte("Spark SQL"))
	bb.AppendNull()
	bb.Append([]byte{0xff, 0x00})
	arr := bb.NewArray()
	bb.Release()
	batch := array.NewRecordBatch(sc, []arrow.Array{arr}, 3)
	arr.Release()
	defer batch.Release()
	b := expr.Column(0, "b", arrow.BinaryTypes.Binary)
	prefix, err := StringConst("Spark")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		build func() (expr.Expr, error)
		want  []any
	}{
		{func() (expr.Expr, error) { return Base64(b) }, []any{"U3BhcmsgU1FM", nil, "/wA="}},
		{func() (expr.Expr, error) { return StartsWith(b, prefix) }, []any{true, nil, false}},
		{func() (expr.Expr, error) { return BinaryToChar(b, "HEX") }, []any{"537061726B2053514C", nil, "FF00"}},
		{func() (expr.Expr, error) { return BinaryToChar(b, "base64") }, []any{"U3BhcmsgU1FM", nil, "/wA="}},
	} {
		e, err := c.build()
		if err != nil {
			t.Fatal(err)
		}
		if got := eval(t, mem, e, batch); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", e, got, c.want)
		}
	}
	// A kernel that does not read bytes refuses a binary argument.
	if _, err := Soundex(b); err == nil {
		t.Error("soundex of a binary column: want an error")
	}
	if _, err := BinaryToChar(b, "oct"); !errors.Is(err, ErrNumberFormat) {
		t.Errorf("to_char(b, 'oct'): got %v", err)
	}
}
