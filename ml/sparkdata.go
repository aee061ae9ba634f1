package ml

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/io/source"
)

// ReadParquetDir reads the Parquet part files under dir/sub (Spark's
// "data" or "treesMetadata", whatever the part files are named; files
// starting with '_' or '.' are skipped), one record batch per file, with
// nested columns (structs, lists) as Parquet gives them. The caller
// releases the batches.
func ReadParquetDir(ctx context.Context, dir, sub string, mem memory.Allocator) ([]arrow.RecordBatch, error) {
	files, err := source.ListFiles(filepath.Join(dir, sub), ".parquet")
	if err != nil {
		return nil, fmt.Errorf("model data: %w", err)
	}
	var out []arrow.RecordBatch
	release := func() {
		for _, b := range out {
			b.Release()
		}
	}
	for _, p := range files {
		rec, err := readParquetFile(ctx, p, mem)
		if err != nil {
			release()
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

func readParquetFile(ctx context.Context, p string, mem memory.Allocator) (arrow.RecordBatch, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("model data: %w", err)
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(ctx, f, parquet.NewReaderProperties(mem), pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		return nil, fmt.Errorf("model data %s: %w", p, err)
	}
	defer tbl.Release()
	n := int(tbl.NumCols())
	fields := make([]arrow.Field, n)
	cols := make([]arrow.Array, n)
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := 0; i < n; i++ {
		col := tbl.Column(i)
		fields[i] = col.Field()
		chunks := col.Data().Chunks()
		if len(chunks) == 1 {
			cols[i] = chunks[0]
			cols[i].Retain()
			continue
		}
		if len(chunks) == 0 {
			cols[i] = array.MakeArrayOfNull(mem, fields[i].Type, 0)
			continue
		}
		if cols[i], err = array.Concatenate(chunks, mem); err != nil {
			return nil, fmt.Errorf("model data %s: column %s: %w", p, fields[i].Name, err)
		}
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, tbl.NumRows()), nil
}
