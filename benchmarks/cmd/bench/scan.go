package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/bits"
	"os"
	"sort"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/parquet-go/parquet-go"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/internal/answers"
)

// scanColumnNames are the seven lineitem columns TPC-H Q1 reads.
var scanColumnNames = [...]string{"l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice", "l_discount", "l_tax", "l_shipdate"}

// q1Columns holds Q1's seven columns decoded into plain Go slices. Strings are
// dictionary coded (codes index dict); decimals are unscaled int64 (scale 2);
// the ship date is days since 1970-01-01.
type q1Columns struct {
	dict                       []string
	index                      map[string]int32
	returnflag, linestatus     []int32
	quantity, price, disc, tax []int64
	shipdate                   []int32
}

func (c *q1Columns) rows() int { return len(c.quantity) }

// scanParquetGo decodes Q1's columns of path with parquet-go on workers
// goroutines, row groups split round-robin between them, and returns each
// goroutine's columns.
func scanParquetGo(ctx context.Context, path string, workers int) ([]*q1Columns, error) {
	out := make([]*q1Columns, workers)
	g, ctx := errgroup.WithContext(ctx)
	for w := range workers {
		g.Go(func() error {
			c, err := scanParquetGoPart(ctx, path, w, workers)
			out[w] = c
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func scanParquetGoPart(ctx context.Context, path string, part, parts int) (*q1Columns, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("parquet-go open %s: %w", path, err)
	}
	var idx [len(scanColumnNames)]int
	for i, name := range scanColumnNames {
		leaf, ok := pf.Schema().Lookup(name)
		if !ok {
			return nil, fmt.Errorf("%s: no column %s", path, name)
		}
		idx[i] = leaf.ColumnIndex
	}
	c := &q1Columns{index: map[string]int32{}}
	var rows int64
	rgs := pf.RowGroups()
	for i := part; i < len(rgs); i += parts {
		rows += rgs[i].NumRows()
	}
	c.returnflag = make([]int32, 0, rows)
	c.linestatus = make([]int32, 0, rows)
	c.quantity = make([]int64, 0, rows)
	c.price = make([]int64, 0, rows)
	c.disc = make([]int64, 0, rows)
	c.tax = make([]int64, 0, rows)
	c.shipdate = make([]int32, 0, rows)
	for i := part; i < len(rgs); i += parts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chunks := rgs[i].ColumnChunks()
		for k, name := range scanColumnNames {
			cc := chunks[idx[k]]
			var err error
			switch k {
			case 0:
				c.returnflag, err = readStrings(cc, c, c.returnflag)
			case 1:
				c.linestatus, err = readStrings(cc, c, c.linestatus)
			case 2:
				c.quantity, err = readInt64s(cc, c.quantity)
			case 3:
				c.price, err = readInt64s(cc, c.price)
			case 4:
				c.disc, err = readInt64s(cc, c.disc)
			case 5:
				c.tax, err = readInt64s(cc, c.tax)
			case 6:
				c.shipdate, err = readInt32s(cc, c.shipdate)
			}
			if err != nil {
				return nil, fmt.Errorf("%s row group %d column %s: %w", path, i, name, err)
			}
		}
	}
	return c, nil
}

// eachPage calls fn for every page of a column chunk; pages with nulls are refused
// (TPC-H lineitem has none).
func eachPage(cc parquet.ColumnChunk, fn func(p parquet.Page) error) error {
	pages := cc.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if p.NumNulls() > 0 {
			parquet.Release(p)
			return fmt.Errorf("page has %d nulls; the scan benchmark expects none", p.NumNulls())
		}
		err = fn(p)
		parquet.Release(p)
		if err != nil {
			return err
		}
	}
}

// readInt64s appends an INT32 or INT64 column (plain or dictionary encoded) to dst.
func readInt64s(cc parquet.ColumnChunk, dst []int64) ([]int64, error) {
	kind := cc.Type().Kind()
	err := eachPage(cc, func(p parquet.Page) error {
		if d := p.Dictionary(); d != nil {
			codes := pageInt32s(p)
			switch kind {
			case parquet.Int64:
				dv := pageInt64s(d.Page())
				for _, k := range codes {
					dst = append(dst, dv[k])
				}
			case parquet.Int32:
				dv := pageInt32s(d.Page())
				for _, k := range codes {
					dst = append(dst, int64(dv[k]))
				}
			default:
				return fmt.Errorf("physical type %v is not an integer", kind)
			}
			return nil
		}
		switch kind {
		case parquet.Int64:
			r, ok := p.Values().(parquet.Int64Reader)
			if !ok {
				dst = append(dst, pageInt64s(p)...)
				return nil
			}
			n := int(p.NumValues())
			start := len(dst)
			dst = append(dst, make([]int64, n)...)
			got, err := r.ReadInt64s(dst[start:])
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			dst = dst[:start+got]
		case parquet.Int32:
			for _, v := range pageInt32s(p) {
				dst = append(dst, int64(v))
			}
		default:
			return fmt.Errorf("physical type %v is not an integer", kind)
		}
		return nil
	})
	return dst, err
}

// readInt32s appends an INT32 column (plain or dictionary encoded) to dst.
func readInt32s(cc parquet.ColumnChunk, dst []int32) ([]int32, error) {
	if kind := cc.Type().Kind(); kind != parquet.Int32 {
		return dst, fmt.Errorf("physical type %v, want INT32", kind)
	}
	err := eachPage(cc, func(p parquet.Page) error {
		if d := p.Dictionary(); d != nil {
			dv := pageInt32s(d.Page())
			for _, k := range pageInt32s(p) {
				dst = append(dst, dv[k])
			}
			return nil
		}
		if r, ok := p.Values().(parquet.Int32Reader); ok {
			n := int(p.NumValues())
			start := len(dst)
			dst = append(dst, make([]int32, n)...)
			got, err := r.ReadInt32s(dst[start:])
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			dst = dst[:start+got]
			return nil
		}
		dst = append(dst, pageInt32s(p)...)
		return nil
	})
	return dst, err
}

// readStrings appends a BYTE_ARRAY column as codes into c.dict.
func readStrings(cc parquet.ColumnChunk, c *q1Columns, dst []int32) ([]int32, error) {
	if kind := cc.Type().Kind(); kind != parquet.ByteArray {
		return dst, fmt.Errorf("physical type %v, want BYTE_ARRAY", kind)
	}
	var remap []int32
	var remapDict parquet.Dictionary
	err := eachPage(cc, func(p parquet.Page) error {
		if d := p.Dictionary(); d != nil {
			if d != remapDict {
				data, offs := pageByteArrays(d.Page())
				remap = remap[:0]
				for i := 0; i+1 < len(offs); i++ {
					remap = append(remap, c.code(data[offs[i]:offs[i+1]]))
				}
				remapDict = d
			}
			for _, k := range pageInt32s(p) {
				dst = append(dst, remap[k])
			}
			return nil
		}
		data, offs := pageByteArrays(p)
		for i := 0; i+1 < len(offs); i++ {
			dst = append(dst, c.code(data[offs[i]:offs[i+1]]))
		}
		return nil
	})
	return dst, err
}

// code returns the dictionary code of s, adding it when new.
func (c *q1Columns) code(s []byte) int32 {
	if k, ok := c.index[string(s)]; ok {
		return k
	}
	k := int32(len(c.dict))
	c.dict = append(c.dict, string(s))
	c.index[string(s)] = k
	return k
}

// scanArrow decodes Q1's columns of path with arrow-go's pqarrow on workers
// goroutines (row groups split round-robin), releasing each batch, and returns
// the number of rows read.
func scanArrow(ctx context.Context, path string, workers int, batchSize int64) (int64, error) {
	counts := make([]int64, workers)
	g, ctx := errgroup.WithContext(ctx)
	for w := range workers {
		g.Go(func() error {
			n, err := scanArrowPart(ctx, path, w, workers, batchSize)
			counts[w] = n
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	var total int64
	for _, n := range counts {
		total += n
	}
	return total, nil
}

func scanArrowPart(ctx context.Context, path string, part, parts int, batchSize int64) (int64, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return 0, fmt.Errorf("pqarrow open %s: %w", path, err)
	}
	defer pf.Close()
	mem := memory.NewGoAllocator()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{Parallel: true, BatchSize: batchSize}, mem)
	if err != nil {
		return 0, fmt.Errorf("pqarrow reader %s: %w", path, err)
	}
	cols := make([]int, len(scanColumnNames))
	for i, name := range scanColumnNames {
		cols[i] = pf.MetaData().Schema.ColumnIndexByName(name)
		if cols[i] < 0 {
			return 0, fmt.Errorf("%s: no column %s", path, name)
		}
	}
	var rgs []int
	for i := part; i < pf.NumRowGroups(); i += parts {
		rgs = append(rgs, i)
	}
	if len(rgs) == 0 {
		return 0, nil
	}
	rr, err := fr.GetRecordReader(ctx, cols, rgs)
	if err != nil {
		return 0, fmt.Errorf("pqarrow record reader %s: %w", path, err)
	}
	defer rr.Release()
	var n int64
	for rr.Next() {
		n += rr.RecordBatch().NumRows()
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		return n, fmt.Errorf("pqarrow read %s: %w", path, err)
	}
	return n, nil
}

// int128 is a signed 128-bit accumulator (two's complement).
type int128 struct {
	hi int64
	lo uint64
}

func (a *int128) add(v int64) {
	var carry uint64
	a.lo, carry = bits.Add64(a.lo, uint64(v), 0)
	a.hi += (v >> 63) + int64(carry)
}

func (a int128) big() *big.Int {
	r := new(big.Int).SetInt64(a.hi)
	r.Lsh(r, 64)
	return r.Add(r, new(big.Int).SetUint64(a.lo))
}

// Dates of Q1 and Q6 as days since 1970-01-01.
const (
	day19980902 = 10471
	day19940101 = 8766
	day19950101 = 9131
)

// referenceQ1 computes TPC-H Q1 row by row over decoded columns, exactly
// (decimal sums in 128-bit integers), averages as floats of the exact quotient.
func referenceQ1(parts []*q1Columns) answers.Table {
	type acc struct {
		qty, price, discPrice, charge, disc int128
		n                                   int64
	}
	groups := map[[2]string]*acc{}
	for _, c := range parts {
		for i := range c.rows() {
			if c.shipdate[i] > day19980902 {
				continue
			}
			key := [2]string{c.dict[c.returnflag[i]], c.dict[c.linestatus[i]]}
			a := groups[key]
			if a == nil {
				a = &acc{}
				groups[key] = a
			}
			dp := c.price[i] * (100 - c.disc[i])
			a.qty.add(c.quantity[i])
			a.price.add(c.price[i])
			a.disc.add(c.disc[i])
			a.discPrice.add(dp)
			a.charge.add(dp * (100 + c.tax[i]))
			a.n++
		}
	}
	keys := make([][2]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	t := answers.Table{Columns: referenceColumns("l_returnflag", "l_linestatus", "sum_qty", "sum_base_price", "sum_disc_price", "sum_charge", "avg_qty", "avg_price", "avg_disc", "count_order")}
	avg := func(s int128, scale int32, n int64) answers.Value {
		r := new(big.Rat).SetFrac(s.big(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
		r.Quo(r, new(big.Rat).SetInt64(n))
		f, _ := r.Float64()
		return answers.Float(f)
	}
	for _, k := range keys {
		a := groups[k]
		t.Rows = append(t.Rows, []answers.Value{
			answers.Str(k[0]), answers.Str(k[1]),
			answers.Decimal(a.qty.big(), 2), answers.Decimal(a.price.big(), 2), answers.Decimal(a.discPrice.big(), 4), answers.Decimal(a.charge.big(), 6),
			avg(a.qty, 2, a.n), avg(a.price, 2, a.n), avg(a.disc, 2, a.n), answers.Int(a.n),
		})
	}
	return t
}

// referenceQ6 computes TPC-H Q6 row by row over decoded columns, exactly.
func referenceQ6(parts []*q1Columns) answers.Table {
	var sum int128
	var n int64
	for _, c := range parts {
		for i := range c.rows() {
			d := c.disc[i]
			if c.shipdate[i] >= day19940101 && c.shipdate[i] < day19950101 && d >= 5 && d <= 7 && c.quantity[i] < 2400 {
				sum.add(c.price[i] * d)
				n++
			}
		}
	}
	v := answers.Null()
	if n > 0 {
		v = answers.Decimal(sum.big(), 4)
	}
	return answers.Table{Columns: referenceColumns("revenue"), Rows: [][]answers.Value{{v}}}
}

// referenceColumns names the columns of a Go reference answer.
func referenceColumns(names ...string) []answers.Column {
	cols := make([]answers.Column, len(names))
	for i, n := range names {
		cols[i] = answers.Column{Name: n}
	}
	return cols
}

// pageInt32s returns a page's decoded INT32 values (or dictionary indexes).
func pageInt32s(p parquet.Page) []int32 { v := p.Data(); return v.Int32() }

// pageInt64s returns a page's decoded INT64 values.
func pageInt64s(p parquet.Page) []int64 { v := p.Data(); return v.Int64() }

// pageByteArrays returns a page's decoded BYTE_ARRAY values and their offsets.
func pageByteArrays(p parquet.Page) ([]byte, []uint32) { v := p.Data(); return v.ByteArray() }
