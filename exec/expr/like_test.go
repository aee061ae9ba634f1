package expr_test

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// likeReference matches with a regular expression built from the pattern.
func likeReference(pattern, s string) bool {
	var re strings.Builder
	re.WriteString(`^(?s:`)
	for _, ch := range pattern {
		switch ch {
		case '%':
			re.WriteString(".*")
		case '_':
			re.WriteString(".")
		default:
			re.WriteString(regexp.QuoteMeta(string(ch)))
		}
	}
	re.WriteString(`)$`)
	return regexp.MustCompile(re.String()).MatchString(s)
}

// LIKE patterns of literal runs and % wildcards (TPC-H's '%special%requests%')
// take a fast path; it must agree with a regular expression on random input.
func TestLikeAgainstRegexp(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(3, 4))
	pick := func(alpha string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(alpha[r.IntN(len(alpha))])
		}
		return b.String()
	}
	sb := array.NewStringBuilder(mem)
	var strs []string
	for range 300 {
		s := pick("abc", r.IntN(9))
		strs = append(strs, s)
		sb.Append(s)
	}
	arr := sb.NewArray()
	sb.Release()
	defer arr.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
	defer b.Release()
	patterns := []string{"%special%requests%", "a%b%c", "%a%a%", "ab%ba", "a%", "%c", "%%", "a%b", "%ab%ca%", "abc"}
	for range 200 {
		patterns = append(patterns, pick("ab%%c", 1+r.IntN(6)))
	}
	for _, pat := range patterns {
		e, err := expr.Like(expr.Column(0, "s", arrow.BinaryTypes.String), pat)
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.Eval(mem, b)
		if err != nil {
			t.Fatal(err)
		}
		got := out.(*array.Boolean)
		for i, s := range strs {
			if want := likeReference(pat, s); got.Value(i) != want {
				t.Fatalf("%q LIKE %q: got %v, want %v", s, pat, got.Value(i), want)
			}
		}
		out.Release()
	}
}
