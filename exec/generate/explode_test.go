package generate_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/generate"
	"github.com/gspark/gspark/values"
)

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "arr", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
	{Name: "m", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32), Nullable: true},
	{Name: "s", Type: arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true}), Nullable: true},
}, nil)

func batch(t *testing.T, mem memory.Allocator, rows [][]any) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, testSchema)
	defer b.Release()
	for _, row := range rows {
		for c, v := range row {
			if err := values.Append(b.Field(c), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return b.NewRecordBatch()
}

func randomRows(r *rand.Rand, n int, id *int64) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		*id++
		var arr, m any
		switch r.IntN(5) {
		case 0: // null
		case 1:
			arr, m = []any{}, values.Map{Keys: []any{}, Values: []any{}}
		default:
			k := r.IntN(12)
			xs := make([]any, k)
			mm := values.Map{Keys: make([]any, k), Values: make([]any, k)}
			for j := range xs {
				if r.IntN(5) > 0 {
					xs[j] = fmt.Sprintf("e%d", r.IntN(50))
					mm.Values[j] = int32(r.IntN(50))
				}
				mm.Keys[j] = fmt.Sprintf("k%d", j)
			}
			arr, m = xs, mm
		}
		var s any
		if r.IntN(4) > 0 {
			s = values.Struct{Names: []string{"a"}, Values: []any{int32(r.IntN(9))}}
		}
		rows[i] = []any{*id, arr, m, s}
	}
	return rows
}

// reference explodes rows one at a time.
func reference(rows [][]any, col int, outer, position bool) [][]any {
	var out [][]any
	for _, row := range rows {
		var others []any
		for c, v := range row {
			if c != col {
				others = append(others, v)
			}
		}
		emit := func(pos any, gen ...any) {
			o := append([]any(nil), others...)
			if position {
				o = append(o, pos)
			}
			out = append(out, append(o, gen...))
		}
		switch v := row[col].(type) {
		case []any:
			for i, x := range v {
				emit(int32(i), x)
			}
			if len(v) == 0 && outer {
				emit(nil, nil)
			}
		case values.Map:
			for i, k := range v.Keys {
				emit(int32(i), k, v.Values[i])
			}
			if len(v.Keys) == 0 && outer {
				emit(nil, nil, nil)
			}
		case nil:
			if outer {
				if col == 1 {
					emit(nil, nil)
				} else {
					emit(nil, nil, nil)
				}
			}
		}
	}
	return out
}

func TestExplodeMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, col := range []int{1, 2} {
		for _, outer := range []bool{false, true} {
			for _, position := range []bool{false, true} {
				for _, bs := range []int{1, 7, 1000} {
					t.Run(fmt.Sprintf("col=%d/outer=%v/pos=%v/bs=%d", col, outer, position, bs), func(t *testing.T) {
						mem := exectest.Alloc(t)
						env := &exec.Env{Mem: mem, BatchSize: bs}
						var id int64
						var all [][]any
						parts := make([][]arrow.RecordBatch, 3)
						for p := range parts {
							for k := 0; k < 4; k++ {
								n := r.IntN(40)
								if k == 1 {
									n = 0
								}
								rows := randomRows(r, n, &id)
								all = append(all, rows...)
								parts[p] = append(parts[p], batch(t, mem, rows))
							}
						}
						src := exec.NewMemorySource(testSchema, parts)
						for _, p := range parts {
							exec.ReleaseAll(p)
						}
						defer src.Release()
						op, err := generate.NewExplode(env, src, col, outer, position)
						if err != nil {
							t.Fatal(err)
						}
						if op.Partitions() != 3 {
							t.Fatalf("%d partitions", op.Partitions())
						}
						bs2, err := exec.Collect(context.Background(), op)
						if err != nil {
							t.Fatal(err)
						}
						defer exec.ReleaseAll(bs2)
						for _, b := range bs2 {
							if int(b.NumRows()) > bs || b.NumRows() == 0 {
								t.Fatalf("batch of %d rows, batch size %d", b.NumRows(), bs)
							}
							if !b.Schema().Equal(op.Schema()) {
								t.Fatalf("batch schema %s, operator schema %s", b.Schema(), op.Schema())
							}
						}
						got := values.Rows(bs2)
						want := reference(all, col, outer, position)
						if len(got) != len(want) {
							t.Fatalf("%d rows, want %d", len(got), len(want))
						}
						for i := range want {
							if !reflect.DeepEqual(got[i], want[i]) {
								t.Fatalf("row %d: got %v, want %v", i, got[i], want[i])
							}
						}
					})
				}
			}
		}
	}
}

func TestExplodeSchemaAndErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 16}
	src := exec.NewMemorySource(testSchema, [][]arrow.RecordBatch{nil})
	defer src.Release()
	op, err := generate.NewExplode(env, src, 2, true, true, "p", "k", "v")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range op.Schema().Fields() {
		names = append(names, f.Name)
	}
	if fmt.Sprint(names) != "[id arr s p k v]" {
		t.Errorf("output columns %v", names)
	}
	if got := op.String(); got != "Generate posexplode_outer(#2) AS (p, k, v)" {
		t.Errorf("String() = %q", got)
	}
	if rows := exectest.Rows(t, op); len(rows) != 0 {
		t.Errorf("no input must give no rows, got %v", rows)
	}
	op2, err := generate.NewExplode(env, src, 1, false, false)
	if err != nil || op2.Schema().Field(3).Name != "col" {
		t.Errorf("default element name: %v %v", op2, err)
	}
	if _, err := generate.NewExplode(env, src, 0, false, false); err == nil {
		t.Error("exploding a bigint must fail")
	}
	if _, err := generate.NewExplode(env, src, 9, false, false); err == nil {
		t.Error("a column out of range must fail")
	}
	if _, err := generate.NewExplode(env, src, 1, false, true, "only"); err == nil {
		t.Error("a wrong number of names must fail")
	}
}

func TestExplodeSparkExample(t *testing.T) {
	// SELECT id, posexplode(array(10, 20)) ... and explode_outer of a null.
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 16}
	b := batch(t, mem, [][]any{
		{int64(1), []any{"10", "20"}, nil, nil},
		{int64(2), nil, nil, nil},
	})
	src := exec.NewMemorySource(testSchema, [][]arrow.RecordBatch{{b}})
	b.Release()
	defer src.Release()
	op, _ := generate.NewExplode(env, src, 1, true, true)
	got := fmt.Sprint(exectest.Rows(t, op))
	want := "[[1 <nil> <nil> 0 10] [1 <nil> <nil> 1 20] [2 <nil> <nil> <nil> <nil>]]"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestExplodeCloseEarly(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 2}
	var id int64
	b := batch(t, mem, randomRows(rand.New(rand.NewPCG(3, 3)), 50, &id))
	src := exec.NewMemorySource(testSchema, [][]arrow.RecordBatch{{b}})
	b.Release()
	defer src.Release()
	op, _ := generate.NewExplode(env, src, 1, false, false)
	s, err := op.Execute(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	out.Release()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s2, _ := op.Execute(ctx, 0)
	if _, err := s2.Next(); err == nil {
		t.Error("a cancelled context must stop the stream")
	}
	s2.Close()
}
