package strfn

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// TestRegexMoreAgainstReference checks regexp_count, regexp_substr and
// regexp_instr with a one-character pattern against naive string searches.
func TestRegexMoreAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(3, 5))
	sc := schemaFor("s")
	col := columns(sc)[0]
	for _, needle := range []string{"a", "é", "😀"} {
		cases := []struct {
			build func(expr.Expr, string) (expr.Expr, error)
			ref   func(s string) any
		}{
			{RegexpCount, func(s string) any { return int32(strings.Count(s, needle)) }},
			{RegexpSubstr, func(s string) any {
				if strings.Contains(s, needle) {
					return needle
				}
				return nil
			}},
			{RegexpInstr, func(s string) any {
				i := strings.Index(s, needle)
				if i < 0 {
					return int32(0)
				}
				return int32(len([]rune(s[:i])) + 1)
			}},
		}
		for _, c := range cases {
			e, err := c.build(col, needle)
			if err != nil {
				t.Fatal(err)
			}
			rows := randRows(r, "s", 500)
			b := exectest.Batch(mem, sc, rows)
			got := eval(t, mem, e, b)
			b.Release()
			for i, row := range rows {
				var want any
				if row[0] != nil {
					want = c.ref(row[0].(string))
				}
				if !reflect.DeepEqual(got[i], want) {
					t.Fatalf("%s row %d %q: got %#v, want %#v", e, i, row[0], got[i], want)
				}
			}
		}
	}
}
