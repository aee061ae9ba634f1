package window

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	xsort "github.com/gspark/gspark/exec/sort"
)

// TestBatchesAndDictionary checks output batch sizes, string dictionary
// partition keys, date RANGE frames, empty partitions and early close.
func TestBatchesAndDictionary(t *testing.T) {
	mem := exectest.Alloc(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: dt, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32},
	}, nil)
	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	kb := b.Field(0).(*array.BinaryDictionaryBuilder)
	db := b.Field(1).(*array.Date32Builder)
	const n = 100
	for i := range n {
		switch i % 3 {
		case 0:
			_ = kb.AppendString("a")
		case 1:
			_ = kb.AppendString("b")
		default:
			kb.AppendNull()
		}
		db.Append(arrow.Date32(i / 3))
	}
	rec := b.NewRecordBatch()
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{rec}, {}})
	rec.Release()
	defer src.Release()
	env := &exec.Env{Mem: mem, BatchSize: 7}
	fr := Frame{Range: true, Start: Bound{Kind: Preceding, Offset: 2}, End: Bound{Kind: CurrentRow}}
	op, err := New(env, src, []int{0}, []xsort.Key{{Col: 1}}, []Spec{{Name: "c", Func: CountStar, Frame: fr}, {Name: "rn", Func: RowNumber}})
	if err != nil {
		t.Fatal(err)
	}
	bs, err := exec.Collect(context.Background(), op)
	if err != nil {
		t.Fatal(err)
	}
	defer exec.ReleaseAll(bs)
	total := 0
	for _, b := range bs {
		if b.NumRows() > 7 {
			t.Fatalf("batch of %d rows", b.NumRows())
		}
		total += int(b.NumRows())
		c := b.Column(2).(*array.Int64)
		rn := b.Column(3).(*array.Int32)
		for i := range int(b.NumRows()) {
			// Each key has one row a day: the frame is min(3, row_number) rows.
			if want := min(3, int64(rn.Value(i))); c.Value(i) != want {
				t.Fatalf("row_number %d: count %d, want %d", rn.Value(i), c.Value(i), want)
			}
		}
	}
	if total != n {
		t.Fatalf("%d rows", total)
	}
	// Early close and cancellation release everything.
	st, err := op.Execute(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	first, err := st.Next()
	if err != nil {
		t.Fatal(err)
	}
	first.Release()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err = op.Execute(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Fatalf("canceled: %v", err)
	}
	st.Close()
	if _, err := op.Execute(context.Background(), 2); !errors.Is(err, exec.ErrPartition) {
		t.Fatalf("partition 2: %v", err)
	}
}

// TestDictionaryBatches concatenates dictionary columns whose batches have
// different dictionaries, with and without sort keys.
func TestDictionaryBatches(t *testing.T) {
	mem := exectest.Alloc(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: dt, Nullable: true}}, nil)
	mk := func(vals ...string) arrow.RecordBatch {
		b := array.NewRecordBuilder(mem, s)
		defer b.Release()
		kb := b.Field(0).(*array.BinaryDictionaryBuilder)
		for _, v := range vals {
			if v == "" {
				kb.AppendNull()
			} else {
				_ = kb.AppendString(v)
			}
		}
		return b.NewRecordBatch()
	}
	b1, b2 := mk("x", "y", "", "x"), mk("z", "x", "y")
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{b1, b2}})
	b1.Release()
	b2.Release()
	defer src.Release()
	env := &exec.Env{Mem: mem, BatchSize: 3}
	for _, pc := range [][]int{nil, {0}} {
		op, err := New(env, src, pc, nil, []Spec{{Name: "c", Func: CountStar, Frame: DefaultFrame(false)}, {Name: "l", Func: LastValue, Input: 0, Frame: DefaultFrame(false)}})
		if err != nil {
			t.Fatal(err)
		}
		rows := exectest.Rows(t, op)
		counts := map[any]int64{}
		for _, r := range rows {
			counts[r[0]] = r[1].(int64)
		}
		if pc == nil {
			if len(rows) != 7 || counts["x"] != 7 || rows[0][2] != "y" {
				t.Fatalf("no keys: %v", rows)
			}
			continue
		}
		if counts["x"] != 3 || counts["y"] != 2 || counts["z"] != 1 || counts[nil] != 1 {
			t.Fatalf("by key: %v", rows)
		}
	}
}
