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

// TestCodesMatchStrings writes files with short-string columns (at most 8
// bytes) and long-string ones, each with and without nulls, and an integer
// column, with
// dictionaries, without, and with dictionaries that overflow into plain
// pages part way, and reads them back batch by batch. Wherever Codes
// answers for a column, the dictionary entry of each non-null row's code
// must be the row's string; the integer column never answers, plain pages
// never do, and dictionary pages do.
func TestCodesMatchStrings(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{
		{Name: "short", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "long", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "short_full", Type: arrow.BinaryTypes.String},
		{Name: "long_full", Type: arrow.BinaryTypes.String},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	r := rand.New(rand.NewPCG(7, 8))
	const rows = 6000
	bld := array.NewRecordBuilder(mem, s)
	for i := 0; i < rows; i++ {
		sb := bld.Field(0).(*array.StringBuilder)
		lb := bld.Field(1).(*array.StringBuilder)
		if r.IntN(10) == 0 {
			sb.AppendNull()
		} else {
			sb.Append(fmt.Sprintf("s%d", r.IntN(40)))
		}
		// Later rows take many distinct long values: a small dictionary
		// limit makes the writer fall back to plain pages there.
		long := fmt.Sprintf("a longer value number %d", r.IntN(30))
		if i > rows/2 {
			long = fmt.Sprintf("a longer value number %d", r.IntN(5000))
		}
		if r.IntN(7) == 0 {
			lb.AppendNull()
		} else {
			lb.Append(long)
		}
		bld.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("f%d", r.IntN(40)))
		bld.Field(3).(*array.StringBuilder).Append(long)
		bld.Field(4).(*array.Int64Builder).Append(int64(i))
	}
	rec := bld.NewRecordBatch()
	bld.Release()
	defer rec.Release()
	for _, cfg := range []struct {
		name     string
		props    []parquet.WriterProperty
		wantDict bool // some batch of each string column has codes
		wantNone bool // some batch of each long column has none
	}{
		{"dict", []parquet.WriterProperty{parquet.WithDictionaryDefault(true)}, true, false},
		{"plain", []parquet.WriterProperty{parquet.WithDictionaryDefault(false)}, false, true},
		{"fallback", []parquet.WriterProperty{parquet.WithDictionaryDefault(true), parquet.WithDataPageSize(2048), parquet.WithDictionaryPageSizeLimit(2048)}, true, true},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			buf := writeArrowMem(t, s, rec, parquet.NewWriterProperties(append(cfg.props, parquet.WithMaxRowGroupLength(2500))...))
			data := buf.Bytes()
			f, err := Open(bytes.NewReader(data), int64(len(data)), "codes.parquet")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			coded := [4]int{}
			uncoded := [4]int{}
			for rg := 0; rg < f.NumRowGroups(); rg++ {
				rd, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{BatchSize: 700, Mem: mem})
				if err != nil {
					t.Fatal(err)
				}
				for {
					b, err := rd.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					if _, _, ok := rd.Codes(4); ok {
						t.Fatal("an integer column has codes")
					}
					for col := 0; col < 4; col++ {
						dict, codes, ok := rd.Codes(col)
						if !ok {
							uncoded[col]++
							continue
						}
						coded[col]++
						d := dict.(*array.String)
						a := b.Column(col).(*array.String)
						if len(codes) != a.Len() {
							t.Fatalf("column %d: %d codes for %d rows", col, len(codes), a.Len())
						}
						for i := 0; i < a.Len(); i++ {
							if a.IsNull(i) {
								continue
							}
							if got := d.Value(int(codes[i])); got != a.Value(i) {
								t.Fatalf("row group %d column %d row %d: code %d is %q, row holds %q", rg, col, i, codes[i], got, a.Value(i))
							}
						}
					}
					b.Release()
				}
				if err := rd.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if cfg.wantDict && (coded[0] == 0 || coded[1] == 0 || coded[2] == 0 || coded[3] == 0) {
				t.Errorf("batches with codes per column: %v, want some in each", coded)
			}
			if !cfg.wantDict && coded != [4]int{} {
				t.Errorf("batches with codes per column: %v, want none", coded)
			}
			if cfg.wantNone && (uncoded[1] == 0 || uncoded[3] == 0) {
				t.Errorf("batches without codes per column: %v, want some in each long column", uncoded)
			}
		})
	}
}
