package parquet

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pq "github.com/parquet-go/parquet-go"
)

// lineitemLike writes n rows shaped like TPC-H lineitem's Q1 columns.
func lineitemLike(b testing.TB, n int) []byte {
	dec := &arrow.Decimal64Type{Precision: 15, Scale: 2}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "l_quantity", Type: dec},
		{Name: "l_extendedprice", Type: dec},
		{Name: "l_discount", Type: dec},
		{Name: "l_orderkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "l_shipdate", Type: arrow.FixedWidthTypes.Date32},
		{Name: "l_returnflag", Type: arrow.BinaryTypes.String},
		{Name: "l_linestatus", Type: arrow.BinaryTypes.String},
	}, nil)
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(42, 42))
	var buf bytes.Buffer
	w, err := NewWriter(&buf, s, WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	const chunk = 65536
	for done := 0; done < n; done += chunk {
		m := min(chunk, n-done)
		rb := array.NewRecordBuilder(mem, s)
		for i := 0; i < m; i++ {
			q := int64(r.IntN(50) + 1)
			rb.Field(0).(*array.Decimal64Builder).Append(decimal.Decimal64(q * 100))
			rb.Field(1).(*array.Decimal64Builder).Append(decimal.Decimal64(q * int64(r.IntN(100000)+90000)))
			rb.Field(2).(*array.Decimal64Builder).Append(decimal.Decimal64(r.IntN(11)))
			rb.Field(3).(*array.Int64Builder).Append(int64(done+i) / 4)
			rb.Field(4).(*array.Date32Builder).Append(arrow.Date32(8035 + r.IntN(2526)))
			rb.Field(5).(*array.StringBuilder).Append([]string{"A", "N", "R"}[r.IntN(3)])
			rb.Field(6).(*array.StringBuilder).Append([]string{"F", "O"}[r.IntN(2)])
		}
		rec := rb.NewRecordBatch()
		rb.Release()
		if err := w.Write(rec); err != nil {
			b.Fatal(err)
		}
		rec.Release()
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReadLineitemLike compares ReadRowGroup over all columns with
// parquet-go decoding the same pages into plain Go slices.
func BenchmarkReadLineitemLike(b *testing.B) {
	const rows = 1 << 20
	data := lineitemLike(b, rows)
	b.Run("arrow", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			f, err := Open(bytes.NewReader(data), int64(len(data)), "lineitem.parquet")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rg := 0; rg < f.NumRowGroups(); rg++ {
				r, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					rec, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n += int(rec.NumRows())
					rec.Release()
				}
				r.Close()
			}
			if n != rows {
				b.Fatalf("%d rows", n)
			}
		}
	})
	b.Run("parquet-go-pages-only", func(b *testing.B) {
		// The floor: read, decompress and decode pages, keep nothing.
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			pf, err := pq.OpenFile(bytes.NewReader(data), int64(len(data)), pq.SkipPageIndex(true), pq.SkipBloomFilters(true))
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, rg := range pf.RowGroups() {
				for _, cc := range rg.ColumnChunks() {
					pages := cc.Pages()
					for {
						p, err := pages.ReadPage()
						if err == io.EOF {
							break
						}
						if err != nil {
							b.Fatal(err)
						}
						n += int(p.NumValues())
						pq.Release(p)
					}
					pages.Close()
				}
			}
			if n != rows*7 {
				b.Fatalf("%d values", n)
			}
		}
	})
	b.Run("parquet-go-slices", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			pf, err := pq.OpenFile(bytes.NewReader(data), int64(len(data)), pq.SkipPageIndex(true), pq.SkipBloomFilters(true))
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, rg := range pf.RowGroups() {
				for ci, cc := range rg.ColumnChunks() {
					n += decodeToSlices(b, ci, cc, int(rg.NumRows()))
				}
			}
			if n != rows*7 {
				b.Fatalf("%d values", n)
			}
		}
	})
}

// decodeToSlices decodes one column chunk into Go slices with parquet-go's
// typed value readers (generic values for dictionary pages).
func decodeToSlices(b *testing.B, ci int, cc pq.ColumnChunk, rows int) int {
	pages := cc.Pages()
	defer pages.Close()
	var (
		i64  = make([]int64, 0, rows)
		i32  = make([]int32, 0, rows)
		strs = make([]byte, 0, rows)
		offs = make([]int32, 0, rows+1)
		vals = make([]pq.Value, 4096)
	)
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		vr := p.Values()
		switch ci {
		case 0, 1, 2, 3:
			if r, ok := vr.(pq.Int64Reader); ok {
				m := int(p.NumValues())
				k, err := r.ReadInt64s(i64[len(i64) : len(i64)+m])
				if err != nil && err != io.EOF {
					b.Fatal(err)
				}
				i64 = i64[:len(i64)+k]
				break
			}
			for {
				k, err := vr.ReadValues(vals)
				for _, v := range vals[:k] {
					i64 = append(i64, v.Int64())
				}
				if err == io.EOF {
					break
				}
			}
		case 4:
			if r, ok := vr.(pq.Int32Reader); ok {
				m := int(p.NumValues())
				k, err := r.ReadInt32s(i32[len(i32) : len(i32)+m])
				if err != nil && err != io.EOF {
					b.Fatal(err)
				}
				i32 = i32[:len(i32)+k]
				break
			}
			for {
				k, err := vr.ReadValues(vals)
				for _, v := range vals[:k] {
					i32 = append(i32, v.Int32())
				}
				if err == io.EOF {
					break
				}
			}
		default:
			for {
				k, err := vr.ReadValues(vals)
				for _, v := range vals[:k] {
					strs = append(strs, v.ByteArray()...)
					offs = append(offs, int32(len(strs)))
				}
				if err == io.EOF {
					break
				}
			}
		}
		pq.Release(p)
	}
	return len(i64) + len(i32) + len(offs)
}
