package aggregate_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/exectest"
)

// dictBatch builds a batch whose first two columns are dictionary<int32,string>
// (with a batch-specific dictionary order) and whose third is int64.
func dictBatch(mem memory.Allocator, s *arrow.Schema, r *rand.Rand, rows [][]any) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	// Insert the dictionary values in a random order so indexes differ per batch.
	perm := r.Perm(len(strs))
	sb := array.NewStringBuilder(mem)
	for _, j := range perm {
		sb.Append(strs[j])
	}
	dv := sb.NewStringArray()
	sb.Release()
	defer dv.Release()
	for c := 0; c < 2; c++ {
		if err := b.Field(c).(*array.BinaryDictionaryBuilder).InsertStringDictValues(dv); err != nil {
			panic(err)
		}
	}
	for _, row := range rows {
		for c := 0; c < 2; c++ {
			db := b.Field(c).(*array.BinaryDictionaryBuilder)
			if row[c] == nil {
				db.AppendNull()
			} else {
				_ = db.AppendString(row[c].(string))
			}
		}
		if row[2] == nil {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.Int64Builder).Append(row[2].(int64))
		}
	}
	return b.NewRecordBatch()
}

func TestDictionaryKeys(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 3}
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	ds := arrow.NewSchema([]arrow.Field{{Name: "a", Type: dict, Nullable: true}, {Name: "b", Type: dict, Nullable: true}, {Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	ps := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "b", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	r := rand.New(rand.NewPCG(3, 4))
	dparts := make([][]arrow.RecordBatch, 3)
	pparts := make([][]arrow.RecordBatch, 3)
	for p := range dparts {
		for k := 0; k < 3; k++ {
			rows := make([][]any, r.IntN(100))
			for i := range rows {
				rows[i] = []any{strs[r.IntN(len(strs))], strs[r.IntN(len(strs))], r.Int64N(100)}
				if r.IntN(5) == 0 {
					rows[i][0] = nil
				}
				if r.IntN(5) == 0 {
					rows[i][1] = nil
				}
			}
			dparts[p] = append(dparts[p], dictBatch(mem, ds, r, rows))
			pparts[p] = append(pparts[p], exectest.Batch(mem, ps, rows))
		}
	}
	dsrc, psrc := exec.NewMemorySource(ds, dparts), exec.NewMemorySource(ps, pparts)
	for p := range dparts {
		exec.ReleaseAll(dparts[p])
		exec.ReleaseAll(pparts[p])
	}
	defer dsrc.Release()
	defer psrc.Release()
	specs := []aggregate.Spec{
		{Func: aggregate.Sum, Input: 2, Name: "s"},
		{Func: aggregate.Min, Input: 1, Name: "mn"},
		{Func: aggregate.Max, Input: 1, Name: "mx"},
		{Func: aggregate.Count, Input: 1, Name: "c"},
	}
	run := func(src exec.Operator, s *arrow.Schema) []string {
		part, err := aggregate.NewPartial(env, src, []int{0}, specs)
		if err != nil {
			t.Fatal(err)
		}
		in := []arrow.DataType{arrow.PrimitiveTypes.Int64, s.Field(1).Type, s.Field(1).Type, s.Field(1).Type}
		fin, err := aggregate.NewFinal(env, exchange.NewHashRepartition(env, part, []int{0}, 2), 1, specs, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := fin.Schema().Field(0).Type; got.ID() != arrow.STRING {
			t.Fatalf("key type %s", got)
		}
		return rowStrings(exectest.Rows(t, fin))
	}
	got, want := run(dsrc, ds), run(psrc, ps)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("dictionary keys:\n%s\nplain:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) != len(strs)+1 {
		t.Errorf("%d groups, want %d", len(got), len(strs)+1)
	}
}

func TestBatchSize(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 7}
	r := rand.New(rand.NewPCG(9, 9))
	src, _ := source(t, env, r, 2, 3)
	part, err := aggregate.NewPartial(env, src, []int{3}, allSpecs[:3])
	if err != nil {
		t.Fatal(err)
	}
	bs, err := exec.Collect(t.Context(), part)
	if err != nil {
		t.Fatal(err)
	}
	defer exec.ReleaseAll(bs)
	if len(bs) < 2 {
		t.Fatalf("%d batches", len(bs))
	}
	for _, b := range bs {
		if b.NumRows() > 7 || b.NumRows() == 0 {
			t.Fatalf("batch of %d rows", b.NumRows())
		}
	}
	if got := part.Schema().Field(1).Name; got != "cnt_i$count" {
		t.Errorf("state column name %s", got)
	}
}

func TestFloatKeysAndCancel(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	s := arrow.NewSchema([]arrow.Field{{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true}, {Name: "v", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	nan := math.NaN()
	b := exectest.Batch(mem, s, [][]any{{0.0, 1.0}, {math.Copysign(0, -1), 2.0}, {nan, 3.0}, {nan, nan}, {nil, 5.0}, {1.5, nil}})
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{b}})
	b.Release()
	defer src.Release()
	specs := []aggregate.Spec{{Func: aggregate.Max, Input: 1, Name: "mx"}, {Func: aggregate.Min, Input: 1, Name: "mn"}, {Func: aggregate.Sum, Input: 1, Name: "s"}}
	part, err := aggregate.NewPartial(env, src, []int{0}, specs)
	if err != nil {
		t.Fatal(err)
	}
	fin, err := aggregate.NewFinal(env, part, 1, specs, []arrow.DataType{s.Field(1).Type, s.Field(1).Type, s.Field(1).Type})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rowStrings(exectest.Rows(t, fin)), ";")
	// -0 groups with 0, NaN with NaN (and NaN is the greatest value), null keys form a group.
	want := "0,2,1,3;1.5,NULL,NULL,NULL;NULL,5,5,5;NaN,NaN,3,NaN"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := exec.Collect(ctx, fin); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
