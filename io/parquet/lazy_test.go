package parquet

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"

	"github.com/gspark/gspark/exec/exectest"
)

// TestColumnRowsMatchWholeBatches reads files of every column type (nulls,
// dictionary and plain pages, pages that do not line up with batches) with
// NextRows and Column, each column of each batch at random skipped,
// decoded whole, or decoded at random row positions (none, some, all), and
// checks every value against the rows Next reads.
func TestColumnRowsMatchWholeBatches(t *testing.T) {
	mem := exectest.Alloc(t)
	all := allTypesSchema()
	r := rand.New(rand.NewPCG(41, 42))
	full := randBatch(mem, all, 5000, r, false)
	defer full.Release()
	// pqarrow does not write decimal64: its files go without those columns.
	var fields []arrow.Field
	var cols []arrow.Array
	for i, f := range all.Fields() {
		if f.Type.ID() != arrow.DECIMAL64 {
			fields = append(fields, f)
			cols = append(cols, full.Column(i))
		}
	}
	pqs := arrow.NewSchema(fields, nil)
	pqrec := array.NewRecordBatch(pqs, cols, full.NumRows())
	defer pqrec.Release()
	for _, cfg := range []struct {
		name  string
		props []parquet.WriterProperty // nil: gspark's writer, every column
	}{
		{"gspark", nil},
		{"dict", []parquet.WriterProperty{parquet.WithDictionaryDefault(true)}},
		{"plain", []parquet.WriterProperty{parquet.WithDictionaryDefault(false)}},
		{"small pages", []parquet.WriterProperty{parquet.WithDictionaryDefault(true), parquet.WithDataPageSize(1500), parquet.WithDictionaryPageSizeLimit(1500)}},
		// Dictionaries overflow into plain pages within a batch.
		{"fallback", []parquet.WriterProperty{parquet.WithDictionaryDefault(true), parquet.WithDataPageSize(300), parquet.WithDictionaryPageSizeLimit(300)}},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			s, data := all, writeFile(t, all, []arrow.RecordBatch{full}, WriterOptions{RowGroupRows: 2200})
			if cfg.props != nil {
				buf := writeArrowMem(t, pqs, pqrec, parquet.NewWriterProperties(append(cfg.props, parquet.WithMaxRowGroupLength(2200))...))
				s, data = pqs, buf.Bytes()
			}
			f, batches := readAll(t, data, ReadOptions{BatchSize: 700, Mem: mem})
			defer f.Close()
			want := rowsOf(batches)
			release(batches)
			base, coded := 0, 0
			for rg := 0; rg < f.NumRowGroups(); rg++ {
				rd, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{BatchSize: 700, Mem: mem})
				if err != nil {
					t.Fatal(err)
				}
				for {
					n, err := rd.NextRows()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					for col := range s.NumFields() {
						var sel []int32
						switch r.IntN(6) {
						case 0:
							continue // skipped
						case 5:
							maxDict := []int{0, 10, 1 << 20}[r.IntN(3)]
							a, err := rd.DictColumn(col, maxDict)
							if err != nil {
								t.Fatal(err)
							}
							checkDictColumn(t, a, want[base:base+n], col, maxDict, &coded)
							a.Release()
							continue
						case 1: // whole
						case 2:
							sel = []int32{}
						default:
							keep := r.IntN(n + 1)
							for i := range n {
								if r.IntN(n) < keep {
									sel = append(sel, int32(i))
								}
							}
						}
						a, err := rd.Column(col, sel)
						if err != nil {
							t.Fatal(err)
						}
						rows := sel
						if sel == nil {
							rows = make([]int32, n)
							for i := range rows {
								rows[i] = int32(i)
							}
						}
						if a.Len() != len(rows) {
							t.Fatalf("column %d: %d values for %d rows", col, a.Len(), len(rows))
						}
						for i, row := range rows {
							if got, w := cell(a, i), want[base+int(row)][col]; got != w {
								t.Fatalf("row group %d column %s row %d: got %v, want %v", rg, s.Field(col).Name, base+int(row), got, w)
							}
						}
						a.Release()
					}
					base += n
				}
				if err := rd.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if base != len(want) {
				t.Fatalf("read %d rows, want %d", base, len(want))
			}
			if (coded > 0) != (cfg.name != "plain") {
				t.Errorf("%d string columns of batches came as dictionary arrays", coded)
			}
		})
	}
}

// TestColumnRefusesMisuse checks that Column refuses a second decode of a
// column in one batch, row positions out of order or range, and a call
// before any batch began.
func TestColumnRefusesMisuse(t *testing.T) {
	mem := exectest.Alloc(t)
	s := allTypesSchema()
	rec := randBatch(mem, s, 100, rand.New(rand.NewPCG(1, 2)), false)
	defer rec.Release()
	data := writeFile(t, s, []arrow.RecordBatch{rec}, WriterOptions{})
	f, err := Open(bytes.NewReader(data), int64(len(data)), "misuse.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, bad := range []func(rd *RowGroupReader) error{
		func(rd *RowGroupReader) error { _, err := rd.Column(0, nil); return err },
		func(rd *RowGroupReader) error {
			rd.NextRows()
			a, _ := rd.Column(0, nil)
			a.Release()
			_, err := rd.Column(0, nil)
			return err
		},
		func(rd *RowGroupReader) error { rd.NextRows(); _, err := rd.Column(1, []int32{3, 2}); return err },
		func(rd *RowGroupReader) error { rd.NextRows(); _, err := rd.Column(1, []int32{100}); return err },
	} {
		rd, err := f.ReadRowGroup(context.Background(), 0, ReadOptions{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		if bad(rd) == nil {
			t.Error("misuse accepted")
		}
		rd.Close()
	}
}

// checkDictColumn checks the values of a column DictColumn decoded against
// want, counting the dictionary arrays in coded: only string columns may
// come as one, with a dictionary of at most maxDict entries.
func checkDictColumn(t *testing.T, a arrow.Array, want [][]any, col, maxDict int, coded *int) {
	t.Helper()
	if a.Len() != len(want) {
		t.Fatalf("column %d: %d values for %d rows", col, a.Len(), len(want))
	}
	d, ok := a.(*array.Dictionary)
	if !ok {
		for i := range want {
			if got := cell(a, i); got != want[i][col] {
				t.Fatalf("column %d row %d: got %v, want %v", col, i, got, want[i][col])
			}
		}
		return
	}
	*coded++
	dict := d.Dictionary().(*array.String)
	if a.DataType().(*arrow.DictionaryType).ValueType.ID() != arrow.STRING || dict.Len() > maxDict {
		t.Fatalf("column %d: a dictionary array of %s, %d entries (at most %d)", col, a.DataType(), dict.Len(), maxDict)
	}
	for i := range want {
		var got any
		if d.IsValid(i) {
			got = "s:" + dict.Value(d.GetValueIndex(i))
		}
		if got != want[i][col] {
			t.Fatalf("column %d row %d: got %v, want %v", col, i, got, want[i][col])
		}
	}
}

// TestDictColumnFallsBackWithinABatch reads a string column whose
// dictionary overflows part way into a batch (the writer goes on with
// plain pages): DictColumn must give that batch as strings, those of the
// rows before the plain pages filled in from their codes.
func TestDictColumnFallsBackWithinABatch(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	const rows = 3000
	want := make([][]any, rows)
	b := array.NewStringBuilder(mem)
	for i := range rows {
		v := fmt.Sprintf("v%d", i%5)
		if i >= 1000 {
			v = fmt.Sprintf("a distinct value %d", i)
		}
		if i%11 == 0 {
			b.AppendNull()
			want[i] = []any{nil}
			continue
		}
		b.Append(v)
		want[i] = []any{"s:" + v}
	}
	col := b.NewArray()
	b.Release()
	rec := array.NewRecordBatch(s, []arrow.Array{col}, rows)
	col.Release()
	defer rec.Release()
	buf := writeArrowMem(t, s, rec, parquet.NewWriterProperties(parquet.WithDictionaryDefault(true), parquet.WithDataPageSize(512),
		parquet.WithDictionaryPageSizeLimit(1024), parquet.WithMaxRowGroupLength(rows)))
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "fallback.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := f.ReadRowGroup(context.Background(), 0, ReadOptions{BatchSize: 700, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	base, coded, plain := 0, 0, 0
	for {
		n, err := rd.NextRows()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		a, err := rd.DictColumn(0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := a.(*array.Dictionary); ok {
			coded++
		} else {
			plain++
		}
		checkDictColumn(t, a, want[base:base+n], 0, 1000, new(int))
		a.Release()
		base += n
	}
	if coded == 0 || plain == 0 {
		t.Fatalf("%d batches as dictionary arrays, %d as strings; want some of each", coded, plain)
	}
}
