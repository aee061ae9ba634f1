package frame

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/io/textfmt"
)

// partitionColumns finds the PartitionBy columns in schema (by name, ignoring
// case); at least one column must be left for the files.
func partitionColumns(schema *arrow.Schema, names []string) ([]int, error) {
	var keys []int
	for _, n := range names {
		found := -1
		for i, f := range schema.Fields() {
			if strings.EqualFold(f.Name, n) {
				found = i
			}
		}
		if found < 0 {
			return nil, fmt.Errorf("partitionBy: no column %s in %s", n, schema)
		}
		for _, k := range keys {
			if k == found {
				return nil, fmt.Errorf("partitionBy: column %s given twice", n)
			}
		}
		switch t := schema.Field(found).Type; t.ID() {
		case arrow.LIST, arrow.LARGE_LIST, arrow.MAP, arrow.STRUCT, arrow.BINARY, arrow.EXTENSION:
			return nil, fmt.Errorf("partitionBy: column %s of type %s cannot name a directory", n, t)
		}
		keys = append(keys, found)
	}
	if len(keys) == schema.NumFields() {
		return nil, fmt.Errorf("partitionBy: every column is a partition column; the files would have none")
	}
	return keys, nil
}

// writePartitioned writes partition p of op into one file per distinct value
// of the key columns, under key=value directories.
func writePartitioned(ctx context.Context, mem memory.Allocator, op exec.Operator, p int, txn *source.Txn, ext string, keys []int, maxRecords int64, newWriter func(io.Writer, *arrow.Schema) (batchWriter, error)) (err error) {
	defer exec.Recover(&err, strings.TrimPrefix(ext, ".")+" writer")
	schema := op.Schema()
	isKey := map[int]bool{}
	for _, k := range keys {
		isKey[k] = true
	}
	var dataCols []int
	var dataFields []arrow.Field
	for i, f := range schema.Fields() {
		if !isKey[i] {
			dataCols = append(dataCols, i)
			dataFields = append(dataFields, f)
		}
	}
	dataSchema := arrow.NewSchema(dataFields, nil)
	outs := map[string]*rollingWriter{}
	var order []string
	defer func() {
		for _, d := range order {
			if cerr := outs[d].Close(); err == nil {
				err = cerr
			}
		}
	}()
	s, err := exec.Open(ctx, op, p)
	if err != nil {
		return err
	}
	return exec.Drain(ctx, s, func(b arrow.RecordBatch) error {
		fmts := make([]textfmt.Formatter, len(keys))
		for i, k := range keys {
			f, err := textfmt.New(b.Column(k), textfmt.Options{DateLayout: "2006-01-02", TimestampLayout: "2006-01-02 15:04:05.999999"})
			if err != nil {
				return fmt.Errorf("partitionBy column %s: %w", schema.Field(k).Name, err)
			}
			fmts[i] = f
		}
		rows := map[string][]int32{}
		var dirs []string
		var scratch []byte
		for r := 0; r < int(b.NumRows()); r++ {
			parts := make([]string, len(keys))
			for i, k := range keys {
				var null bool
				scratch, null = fmts[i](scratch[:0], r)
				if null {
					parts[i] = source.PartitionDirName(schema.Field(k).Name, nil)
					continue
				}
				v := string(scratch)
				parts[i] = source.PartitionDirName(schema.Field(k).Name, &v)
			}
			d := path.Join(parts...)
			if _, ok := rows[d]; !ok {
				dirs = append(dirs, d)
			}
			rows[d] = append(rows[d], int32(r))
		}
		cols := make([]arrow.Array, len(dataCols))
		for i, c := range dataCols {
			cols[i] = b.Column(c)
		}
		data := array.NewRecordBatch(dataSchema, cols, b.NumRows())
		defer data.Release()
		for _, d := range dirs {
			o := outs[d]
			if o == nil {
				var err error
				if o, err = newRollingWriter(txn, d, p, ext, dataSchema, maxRecords, newWriter); err != nil {
					return err
				}
				outs[d] = o
				order = append(order, d)
			}
			part := data
			if len(rows[d]) != int(b.NumRows()) {
				var err error
				if part, err = kernels.TakeBatch(mem, data, rows[d]); err != nil {
					return err
				}
				defer part.Release()
			}
			if err := o.Write(part); err != nil {
				return err
			}
		}
		return nil
	})
}
