package aggregate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

// countingOp is a one-partition source that counts the batches read from it.
type countingOp struct {
	exec.Operator
	read *int
}

func (c countingOp) Execute(ctx context.Context, p int) (exec.Stream, error) {
	s, err := c.Operator.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	return countingStream{s, c.read}, nil
}

type countingStream struct {
	exec.Stream
	read *int
}

func (c countingStream) Next() (arrow.RecordBatch, error) {
	b, err := c.Stream.Next()
	if err == nil {
		*c.read++
	}
	return b, err
}

// A partial aggregation whose table fills up without reducing its input
// (keys in runs, as lineitem's l_orderkey) hands on its groups before its
// input ends, and starts over in the same table; input whose keys repeat
// across the table keeps one table to the end. Either way the partial
// states sum to the reference.
func TestPartialHandsOnUnreducingGroups(t *testing.T) {
	for _, tc := range []struct {
		name  string
		key   func(r *rand.Rand, i int) int64
		early bool
		rows  int
	}{
		// Runs of three equal keys: no lookup finds a group in the table.
		{"runs", func(_ *rand.Rand, i int) int64 { return int64(i/3) * 7 }, true, 3 * 3 * partialCap},
		// Keys drawn at random from 1.5 × partialCap values: by the time
		// the table holds partialCap groups, a third of lookups hit.
		{"random", func(r *rand.Rand, _ int) int64 { return r.Int64N(3 * partialCap / 2) }, false, 3 * partialCap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := exectest.Alloc(t)
			r := rand.New(rand.NewPCG(5, 6))
			schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
			want := map[int64]int64{}
			var batches []arrow.RecordBatch
			for lo := 0; lo < tc.rows; lo += 8192 {
				kb, vb := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
				for i := lo; i < min(lo+8192, tc.rows); i++ {
					k, v := tc.key(r, i), int64(r.IntN(100))
					kb.Append(k)
					vb.Append(v)
					want[k] += v
				}
				ka, va := kb.NewArray(), vb.NewArray()
				batches = append(batches, array.NewRecordBatch(schema, []arrow.Array{ka, va}, int64(ka.Len())))
				ka.Release()
				va.Release()
				kb.Release()
				vb.Release()
			}
			src := exec.NewMemorySource(schema, [][]arrow.RecordBatch{batches})
			exec.ReleaseAll(batches)
			defer src.Release()
			read := 0
			env := &exec.Env{Mem: mem, BatchSize: 4096}
			op, err := NewPartial(env, countingOp{src, &read}, []int{0}, []Spec{{Func: Sum, Input: 1, Name: "s"}})
			if err != nil {
				t.Fatal(err)
			}
			s, err := op.Execute(t.Context(), 0)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			got := map[int64]int64{}
			out := 0
			for first := true; ; first = false {
				b, err := s.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if first && (read < len(batches)) != tc.early {
					t.Errorf("first output after %d of %d input batches; want early = %v", read, len(batches), tc.early)
				}
				ks := b.Column(0).(*array.Int64)
				vs := b.Column(1).(*array.Int64)
				for i := range ks.Len() {
					got[ks.Value(i)] += vs.Value(i)
				}
				out += ks.Len()
				b.Release()
			}
			if len(got) != len(want) {
				t.Fatalf("%d keys, want %d", len(got), len(want))
			}
			for k, v := range want {
				if got[k] != v {
					t.Fatalf("key %d: sum %d, want %d", k, got[k], v)
				}
			}
			if tc.early && out > len(want)+len(batches) {
				t.Errorf("%d partial rows for %d keys", out, len(want))
			}
		})
	}
}

// A partial DISTINCT (no aggregates) whose keys are almost all different
// hands the rest of its input on as read once its table has judged it,
// repeated keys included (the final aggregation removes them); keys that
// repeat often, or float keys (normalized), are aggregated to the end.
func TestPartialDistinctPassesDistinctKeys(t *testing.T) {
	for _, tc := range []struct {
		name   string
		typ    arrow.DataType
		repeat int // percent of rows repeating an earlier key
		passes bool
	}{
		{"distinct", arrow.PrimitiveTypes.Int64, 3, true},
		{"repeating", arrow.PrimitiveTypes.Int64, 50, false},
		{"float", arrow.PrimitiveTypes.Float64, 3, false},
		{"string", arrow.BinaryTypes.String, 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := exectest.Alloc(t)
			r := rand.New(rand.NewPCG(7, 8))
			schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: tc.typ, Nullable: true}}, nil)
			var keys []int64
			var batches []arrow.RecordBatch
			for lo := 0; lo < 3*passCheck; lo += 4096 {
				b := array.NewBuilder(mem, tc.typ)
				for i := lo; i < lo+4096; i++ {
					k := int64(i) * 3
					if len(keys) > 0 && r.IntN(100) < tc.repeat {
						k = keys[r.IntN(len(keys))]
					}
					keys = append(keys, k)
					switch b := b.(type) {
					case *array.Int64Builder:
						b.Append(k)
					case *array.Float64Builder:
						b.Append(float64(k))
					case *array.StringBuilder:
						b.Append(fmt.Sprint("key-", k))
					}
				}
				a := b.NewArray()
				batches = append(batches, array.NewRecordBatch(schema, []arrow.Array{a}, int64(a.Len())))
				a.Release()
				b.Release()
			}
			want := map[string]bool{}
			for _, k := range keys {
				want[fmt.Sprint(k)] = true
			}
			src := exec.NewMemorySource(schema, [][]arrow.RecordBatch{batches})
			exec.ReleaseAll(batches)
			defer src.Release()
			env := &exec.Env{Mem: mem, BatchSize: 4096}
			op, err := NewPartial(env, src, []int{0}, nil)
			if err != nil {
				t.Fatal(err)
			}
			bs, err := exec.Collect(t.Context(), op)
			if err != nil {
				t.Fatal(err)
			}
			defer exec.ReleaseAll(bs)
			got := map[string]bool{}
			rows := 0
			for _, b := range bs {
				for i := range int(b.NumRows()) {
					var k string
					switch c := b.Column(0).(type) {
					case *array.Int64:
						k = fmt.Sprint(c.Value(i))
					case *array.Float64:
						k = fmt.Sprint(int64(c.Value(i)))
					case *array.String:
						k = strings.TrimPrefix(c.Value(i), "key-")
					}
					got[k] = true
					rows++
				}
			}
			if len(got) != len(want) {
				t.Fatalf("%d distinct keys out, want %d", len(got), len(want))
			}
			for k := range want {
				if !got[k] {
					t.Fatalf("key %s missing", k)
				}
			}
			if passed := rows > len(want); passed != tc.passes {
				t.Errorf("%d rows for %d keys: passed = %v, want %v", rows, len(want), passed, tc.passes)
			}
		})
	}
}
