package aggregate_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
)

// refBitFold folds the bits of the non-null values one bit position at a
// time: AND keeps a bit set in every value, OR one set in any, XOR one set
// in an odd number; nil when there is no value.
func refBitFold(f aggregate.Func, vals []int64, width int) any {
	if len(vals) == 0 {
		return nil
	}
	var out int64
	for bit := 0; bit < width; bit++ {
		set := 0
		for _, v := range vals {
			if (v>>bit)&1 == 1 {
				set++
			}
		}
		on := (f == aggregate.BitAnd && set == len(vals)) || (f == aggregate.BitOr && set > 0) || (f == aggregate.BitXor && set%2 == 1)
		if on {
			out |= 1 << bit
		}
	}
	if width == 8 {
		return int8(out)
	}
	return out
}

func TestBitAggregatesRandom(t *testing.T) {
	specs := []aggregate.Spec{
		{Func: aggregate.BitAnd, Input: 3, Name: "and_i"}, {Func: aggregate.BitOr, Input: 3, Name: "or_i"},
		{Func: aggregate.BitXor, Input: 3, Name: "xor_i"}, {Func: aggregate.BitAnd, Input: 9, Name: "and_i8"},
		{Func: aggregate.BitOr, Input: 9, Name: "or_i8"}, {Func: aggregate.BitXor, Input: 9, Name: "xor_i8"},
	}
	for _, parts := range []int{1, 3} {
		t.Run(fmt.Sprintf("p%d", parts), func(t *testing.T) {
			mem := exectest.Alloc(t)
			env := &exec.Env{Mem: mem, BatchSize: 7}
			r := rand.New(rand.NewPCG(uint64(parts), 7))
			src, all := fnSource(t, env, r, parts, 4)
			got := exectest.Rows(t, planOver(t, env, src, fnSchema, []int{0}, specs))
			want := map[any][][]int64{}
			for _, row := range all {
				w := want[row[0]]
				if w == nil {
					w = make([][]int64, len(specs))
				}
				for i, sp := range specs {
					switch v := row[sp.Input].(type) {
					case int64:
						w[i] = append(w[i], v)
					case int8:
						w[i] = append(w[i], int64(v))
					}
				}
				want[row[0]] = w
			}
			if len(got) != len(want) {
				t.Fatalf("%d groups, want %d", len(got), len(want))
			}
			for _, g := range got {
				for i, sp := range specs {
					width := 64
					if sp.Input == 9 {
						width = 8
					}
					if w := refBitFold(sp.Func, want[g[0]][i], width); g[i+1] != w {
						t.Errorf("group %v %s: got %v, want %v", g[0], sp.Name, g[i+1], w)
					}
				}
			}
		})
	}
}
