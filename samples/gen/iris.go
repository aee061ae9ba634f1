package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/samples/tpchgen"
)

// irisCSV is scikit-learn's iris.csv: a header line "150,4,setosa,versicolor,virginica"
// (rows, features, class names) then rows of four measurements and a class index.
//
//go:embed iris.csv
var irisCSV []byte

// irisSchema is the schema of iris.parquet.
func irisSchema() *arrow.Schema {
	f := func(n string, t arrow.DataType) arrow.Field { return arrow.Field{Name: n, Type: t} }
	return arrow.NewSchema([]arrow.Field{
		f("sepal_length", arrow.PrimitiveTypes.Float64),
		f("sepal_width", arrow.PrimitiveTypes.Float64),
		f("petal_length", arrow.PrimitiveTypes.Float64),
		f("petal_width", arrow.PrimitiveTypes.Float64),
		f("species", arrow.BinaryTypes.String),
	}, nil)
}

// parseIris converts scikit-learn's iris.csv into one record batch with the
// class index replaced by the species name.
func parseIris(mem memory.Allocator, data []byte) (arrow.RecordBatch, error) {
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(data), "\r\n", "\n")), "\n")
	head := strings.Split(lines[0], ",")
	if len(head) < 3 {
		return nil, fmt.Errorf("iris.csv: bad header %q", lines[0])
	}
	nRows, err := strconv.Atoi(head[0])
	if err != nil {
		return nil, fmt.Errorf("iris.csv header: row count: %w", err)
	}
	nFeat, err := strconv.Atoi(head[1])
	if err != nil || nFeat != 4 {
		return nil, fmt.Errorf("iris.csv header: want 4 features, got %q", head[1])
	}
	classes := head[2:]
	if len(lines)-1 != nRows {
		return nil, fmt.Errorf("iris.csv: header says %d rows, file has %d", nRows, len(lines)-1)
	}
	rb := array.NewRecordBuilder(mem, irisSchema())
	defer rb.Release()
	for i, ln := range lines[1:] {
		fields := strings.Split(ln, ",")
		if len(fields) != 5 {
			return nil, fmt.Errorf("iris.csv line %d: want 5 fields, got %d", i+2, len(fields))
		}
		for c := range 4 {
			v, err := strconv.ParseFloat(strings.TrimSpace(fields[c]), 64)
			if err != nil {
				return nil, fmt.Errorf("iris.csv line %d column %d: %w", i+2, c+1, err)
			}
			rb.Field(c).(*array.Float64Builder).Append(v)
		}
		k, err := strconv.Atoi(strings.TrimSpace(fields[4]))
		if err != nil || k < 0 || k >= len(classes) {
			return nil, fmt.Errorf("iris.csv line %d: bad class %q", i+2, fields[4])
		}
		rb.Field(4).(*array.StringBuilder).Append(strings.TrimSpace(classes[k]))
	}
	return rb.NewRecordBatch(), nil
}

// writeIris writes iris.parquet to path.
func writeIris(path string, rowGroup int64) error {
	rec, err := parseIris(memory.DefaultAllocator, irisCSV)
	if err != nil {
		return err
	}
	defer rec.Release()
	var buf bytes.Buffer
	fw, err := pqarrow.NewFileWriter(rec.Schema(), &buf, tpchgen.ParquetWriterProperties(rec.Schema(), rowGroup), pqarrow.NewArrowWriterProperties())
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
