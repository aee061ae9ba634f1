package window

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
	xsort "github.com/gspark/gspark/exec/sort"
)

func memSource(t *testing.T, s *arrow.Schema, parts ...[][]any) *exec.MemorySource {
	mem := exectest.Alloc(t)
	bs := make([][]arrow.RecordBatch, len(parts))
	for i, rows := range parts {
		b := exectest.Batch(mem, s, rows)
		bs[i] = []arrow.RecordBatch{b}
	}
	src := exec.NewMemorySource(s, bs)
	for _, p := range bs {
		exec.ReleaseAll(p)
	}
	t.Cleanup(src.Release)
	return src
}

func TestNewErrors(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	src := memSource(t, s, nil)
	env := exec.NewEnv(exectest.Alloc(t))
	rangeOff := Frame{Range: true, Start: Bound{Kind: Preceding, Offset: 1}, End: Bound{Kind: CurrentRow}}
	cases := map[string]func() (exec.Operator, error){
		"partition col": func() (exec.Operator, error) { return New(env, src, []int{5}, nil, nil) },
		"order col":     func() (exec.Operator, error) { return New(env, src, nil, []xsort.Key{{Col: -1}}, nil) },
		"input col":     func() (exec.Operator, error) { return New(env, src, nil, nil, []Spec{{Func: Sum, Input: 9}}) },
		"sum of string": func() (exec.Operator, error) { return New(env, src, nil, nil, []Spec{{Func: Sum, Input: 0}}) },
		"ntile 0":       func() (exec.Operator, error) { return New(env, src, nil, nil, []Spec{{Func: Ntile}}) },
		"range string": func() (exec.Operator, error) {
			return New(env, src, nil, []xsort.Key{{Col: 0}}, []Spec{{Func: Count, Input: 1, Frame: rangeOff}})
		},
		"range two keys": func() (exec.Operator, error) {
			return New(env, src, nil, []xsort.Key{{Col: 1}, {Col: 0}}, []Spec{{Func: Count, Input: 1, Frame: rangeOff}})
		},
		"bad frame": func() (exec.Operator, error) {
			return New(env, src, nil, nil, []Spec{{Func: Count, Input: 1, Frame: Frame{Start: Bound{Kind: UnboundedFollowing}, End: Bound{Kind: CurrentRow}}}})
		},
		"bad default": func() (exec.Operator, error) {
			d := array.MakeArrayOfNull(env.Mem, arrow.BinaryTypes.String, 1)
			defer d.Release()
			return New(env, src, nil, []xsort.Key{{Col: 1}}, []Spec{{Func: Lag, Input: 1, N: 1, Default: d}})
		},
		"nil child": func() (exec.Operator, error) { return New(env, nil, nil, nil, nil) },
	}
	for name, f := range cases {
		if _, err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSumOverflow(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	src := memSource(t, s, [][]any{{int64(math.MaxInt64)}, {int64(1)}})
	env := exec.NewEnv(exectest.Alloc(t))
	for _, fr := range []Frame{DefaultFrame(false), {Start: Bound{Kind: CurrentRow}, End: Bound{Kind: UnboundedFollowing}}} {
		op, err := New(env, src, nil, nil, []Spec{{Func: Sum, Input: 0, Frame: fr}})
		if err != nil {
			t.Fatal(err)
		}
		bs, err := exec.Collect(context.Background(), op)
		exec.ReleaseAll(bs)
		if !errors.Is(err, aggregate.ErrOverflow) {
			t.Fatalf("frame %s: want overflow, got %v", fr, err)
		}
	}
}
