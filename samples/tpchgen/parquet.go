package tpchgen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// createdBy is written in every file footer instead of the library version, so
// the bytes only depend on the data.
const createdBy = "gspark tpchgen"

// ParquetWriterProperties returns the Parquet writer properties used for the
// sample files of schema s: zstd compression, min/max statistics, dictionary
// encoding for string columns only, decimals stored as integers, and a fixed
// created-by string so the output bytes are deterministic.
func ParquetWriterProperties(s *arrow.Schema, rowGroupRows int64) *parquet.WriterProperties {
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithStats(true),
		parquet.WithDictionaryDefault(false),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithMaxRowGroupLength(rowGroupRows),
		parquet.WithCreatedBy(createdBy),
		parquet.WithAllocator(memory.DefaultAllocator),
	}
	for _, f := range s.Fields() {
		if f.Type.ID() == arrow.STRING {
			opts = append(opts, parquet.WithDictionaryFor(f.Name, true))
		}
	}
	return parquet.NewWriterProperties(opts...)
}

// parquetSchema returns s with every decimal64 field replaced by decimal128 of
// the same precision and scale: pqarrow writes decimal128 with precision ≤ 18 as
// Parquet DECIMAL on physical INT64 but does not accept decimal64.
func parquetSchema(s *arrow.Schema) *arrow.Schema {
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		if d, ok := f.Type.(*arrow.Decimal64Type); ok {
			f.Type = &arrow.Decimal128Type{Precision: d.Precision, Scale: d.Scale}
		}
		fields[i] = f
	}
	return arrow.NewSchema(fields, nil)
}

// toParquetBatch converts the decimal64 columns of rec to decimal128 for the
// writer schema ws. The caller releases the result.
func toParquetBatch(mem memory.Allocator, ws *arrow.Schema, rec arrow.RecordBatch) arrow.RecordBatch {
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		d, ok := c.(*array.Decimal64)
		if !ok {
			c.Retain()
			cols[i] = c
			continue
		}
		b := array.NewDecimal128Builder(mem, ws.Field(i).Type.(*arrow.Decimal128Type))
		b.Reserve(d.Len())
		for j := range d.Len() {
			if d.IsNull(j) {
				b.UnsafeAppendBoolToBitmap(false)
				continue
			}
			b.UnsafeAppend(decimal128.FromI64(int64(d.Value(j))))
		}
		cols[i] = b.NewArray()
		b.Release()
	}
	out := array.NewRecordBatch(ws, cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out
}

// WriteParquet writes <dir>/<table>.parquet for every TPC-H table at scale
// factor sf, with row groups of rowGroupRows rows (the last one may be
// smaller). Monetary columns are Parquet DECIMAL(15,2) on INT64, dates INT32
// DATE and strings dictionary-encoded BYTE_ARRAY STRING, compressed with zstd.
// A file is written to a temporary name and renamed when complete.
func WriteParquet(ctx context.Context, dir string, sf float64, rowGroupRows int64) error {
	if err := checkSF(sf); err != nil {
		return err
	}
	if rowGroupRows <= 0 || rowGroupRows > 1<<30 {
		return fmt.Errorf("tpchgen: invalid row group size %d", rowGroupRows)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("tpchgen: %w", err)
	}
	for _, t := range Tables() {
		if err := writeTable(ctx, filepath.Join(dir, t+".parquet"), t, sf, rowGroupRows); err != nil {
			return err
		}
	}
	return nil
}

func writeTable(ctx context.Context, path, table string, sf float64, rowGroupRows int64) (err error) {
	s, err := Schema(table)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("tpchgen: writing %s: %w", table, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	ws := parquetSchema(s)
	fw, err := pqarrow.NewFileWriter(ws, f, ParquetWriterProperties(ws, rowGroupRows), pqarrow.NewArrowWriterProperties())
	if err != nil {
		return fmt.Errorf("tpchgen: writing %s: %w", path, err)
	}
	mem := memory.DefaultAllocator
	err = Generate(ctx, table, sf, mem, int(rowGroupRows), func(rec arrow.RecordBatch) error {
		out := toParquetBatch(mem, ws, rec)
		defer out.Release()
		return fw.Write(out)
	})
	// Close writes the footer; it also closes f.
	if cerr := fw.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("tpchgen: writing %s: %w", path, cerr)
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("tpchgen: writing %s: %w", path, err)
	}
	return nil
}
