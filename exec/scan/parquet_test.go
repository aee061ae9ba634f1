package scan_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/scan"
	"github.com/gspark/gspark/io/parquet"
	"github.com/gspark/gspark/io/source"
)

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// writeFile writes rows ids 0..n-1 (name null for every 5th row) in row groups of rg rows.
func writeFile(t *testing.T, n, rg int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := parquet.NewWriter(&buf, testSchema, parquet.WriterOptions{RowGroupRows: int64(rg)})
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, n)
	for i := range rows {
		var name any = string(rune('a' + i%26))
		if i%5 == 0 {
			name = nil
		}
		rows[i] = []any{int64(i), name}
	}
	b := exectest.Batch(memory.DefaultAllocator, testSchema, rows)
	defer b.Release()
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type opened struct {
	mu    sync.Mutex
	files []*parquet.File
}

func (o *opened) decoded() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	var n int64
	for _, f := range o.files {
		n += f.DecodedRowGroups()
	}
	return n
}

func input(t *testing.T, data []byte, o *opened) scan.ParquetInput {
	f, err := parquet.Open(bytes.NewReader(data), int64(len(data)), "t.parquet")
	if err != nil {
		t.Fatal(err)
	}
	rgs := make([]int64, f.NumRowGroups())
	for i := range rgs {
		rgs[i] = f.RowGroupNumRows(i)
	}
	f.Close()
	return scan.ParquetInput{Name: "t.parquet", RowGroups: rgs, Open: func() (*parquet.File, error) {
		f, err := parquet.Open(bytes.NewReader(data), int64(len(data)), "t.parquet")
		if err == nil {
			o.mu.Lock()
			o.files = append(o.files, f)
			o.mu.Unlock()
		}
		return f, err
	}}
}

func TestParquetScanPrunesAndSplits(t *testing.T) {
	const n, rg = 4000, 1000
	data := writeFile(t, n, rg)
	for _, parts := range []int{1, 2, 3, 7} {
		mem := exectest.Alloc(t)
		env := exec.NewEnv(mem)
		env.BatchSize = 300
		o := &opened{}
		in := input(t, data, o)
		if len(in.RowGroups) != 4 {
			t.Fatalf("want 4 row groups, got %d", len(in.RowGroups))
		}
		vb := array.NewInt64Builder(memory.DefaultAllocator)
		vb.Append(2500)
		val := vb.NewArray()
		lit, err := expr.Literal(int64(2500), arrow.PrimitiveTypes.Int64)
		if err != nil {
			t.Fatal(err)
		}
		pred, err := expr.Binary(expr.GtEq, expr.Column(0, "id", arrow.PrimitiveTypes.Int64), lit)
		if err != nil {
			t.Fatal(err)
		}
		s := scan.NewParquet(env, scan.ParquetSpec{
			Files: []scan.ParquetInput{in}, Schema: testSchema, ReadColumns: []int{0, 1},
			Filters:   []source.Filter{{Column: "id", Op: source.GtEq, Value: val}},
			Predicate: pred, Output: []int{1, 0}, Limit: -1, Partitions: parts,
		})
		if want := min(parts, 4); s.Partitions() != want {
			t.Fatalf("partitions=%d: got %d scan partitions, want %d", parts, s.Partitions(), want)
		}
		rows := exectest.Rows(t, s)
		val.Release()
		if len(rows) != n-2500 {
			t.Fatalf("partitions=%d: got %d rows, want %d", parts, len(rows), n-2500)
		}
		seen := make(map[int64]bool)
		for _, r := range rows {
			id := r[1].(int64)
			if id < 2500 || seen[id] {
				t.Fatalf("bad or repeated id %d", id)
			}
			seen[id] = true
			if (id%5 == 0) != (r[0] == nil) {
				t.Fatalf("id %d: name %v", id, r[0])
			}
		}
		if s.PrunedRowGroups() != 2 || s.ReadRowGroups() != 2 {
			t.Fatalf("partitions=%d: pruned %d, read %d row groups; want 2 and 2", parts, s.PrunedRowGroups(), s.ReadRowGroups())
		}
		if d := o.decoded(); d != 2 {
			t.Fatalf("partitions=%d: the files decoded %d row groups, want 2", parts, d)
		}
	}
}

func TestParquetScanLimitAndCancel(t *testing.T) {
	data := writeFile(t, 5000, 1000)
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	env.BatchSize = 128
	s := scan.NewParquet(env, scan.ParquetSpec{
		Files: []scan.ParquetInput{input(t, data, &opened{})}, Schema: testSchema,
		ReadColumns: []int{0}, Output: []int{0}, Limit: 10, Partitions: 2,
	})
	rows := exectest.Rows(t, s)
	if len(rows) != 20 { // each of the 2 partitions stops at 10 rows
		t.Fatalf("got %d rows, want 20", len(rows))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := s.Execute(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Next(); err == nil {
		t.Fatal("want an error from a cancelled context")
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// The partitions of a scan reading one file at the same time share one
// handle (the footer is read once), and the handle is closed when the last
// partition closes.
func TestParquetScanSharesFileAcrossPartitions(t *testing.T) {
	data := writeFile(t, 4000, 1000)
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	in := input(t, data, &opened{})
	var mu sync.Mutex
	var files []*parquet.File
	in.Open = func() (*parquet.File, error) {
		f, err := parquet.OpenFile(path)
		if err == nil {
			mu.Lock()
			files = append(files, f)
			mu.Unlock()
		}
		return f, err
	}
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	env.BatchSize = 500
	s := scan.NewParquet(env, scan.ParquetSpec{
		Files: []scan.ParquetInput{in}, Schema: testSchema,
		ReadColumns: []int{0}, Output: []int{0}, Limit: -1, Partitions: 2,
	})
	if s.Partitions() != 2 {
		t.Fatalf("got %d partitions, want 2", s.Partitions())
	}
	ctx := context.Background()
	var streams []exec.Stream
	for p := range 2 {
		st, err := s.Execute(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, st)
	}
	rows := 0
	for { // the two partitions read in turns, both holding the file
		progressed := false
		for _, st := range streams {
			b, err := st.Next()
			if errors.Is(err, io.EOF) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			rows += int(b.NumRows())
			b.Release()
			progressed = true
		}
		if !progressed {
			break
		}
	}
	if rows != 4000 {
		t.Fatalf("read %d rows, want 4000", rows)
	}
	if len(files) != 1 {
		t.Fatalf("the file was opened %d times by 2 partitions reading it together, want once", len(files))
	}
	r, err := files[0].ReadRowGroup(ctx, 0, parquet.ReadOptions{Columns: []int{0}})
	if err == nil {
		var b arrow.RecordBatch
		if b, err = r.Next(); err == nil {
			b.Release()
		}
		r.Close()
	}
	if err != nil {
		t.Fatalf("the shared handle was closed while a partition still held it: %v", err)
	}
	for _, st := range streams {
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	r, err = files[0].ReadRowGroup(ctx, 0, parquet.ReadOptions{Columns: []int{0}})
	if err == nil {
		var b arrow.RecordBatch
		if b, err = r.Next(); err == nil {
			b.Release()
		}
		r.Close()
	}
	if err == nil {
		t.Fatal("the shared handle is still open after both partitions closed")
	}
}

// The decoding buffers of a scan (Go memory outside the Arrow allocator)
// are counted in the query's budget while it reads, and given back when the
// stream is closed.
func TestParquetScanCountsDecodeBuffers(t *testing.T) {
	const n = 20000
	data := writeFile(t, n, n)
	mem := exectest.Alloc(t)
	budget := exec.NewBudget(mem, 0, nil)
	env := exec.NewEnv(budget)
	env.BatchSize = 1000
	s := scan.NewParquet(env, scan.ParquetSpec{
		Files: []scan.ParquetInput{input(t, data, &opened{})}, Schema: testSchema, ReadColumns: []int{0, 1},
		Output: []int{0, 1}, Limit: -1, Partitions: 1,
	})
	st, err := s.Execute(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.Next()
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
	// The first batch decodes the id column's first page (or its dictionary):
	// its n distinct 8-byte values are held in the decoding buffers.
	if used := budget.Used(); used < 8*n {
		t.Errorf("budget counts %d bytes after the first batch was released; want at least %d for the decoded ids", used, 8*n)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if used := budget.Used(); used != 0 {
		t.Errorf("%d bytes still counted after the scan was closed", used)
	}
}

// TestParquetScanLazyAgrees scans with the predicate's columns named
// (PredicateColumns: the other output columns decoded only at the kept
// rows) and without, for predicates on the integer column, on the string
// column (with nulls, through its dictionary codes) and on both, and
// checks that both give the same rows.
func TestParquetScanLazyAgrees(t *testing.T) {
	data := writeFile(t, 5000, 1200)
	id := expr.Column(0, "id", arrow.PrimitiveTypes.Int64)
	name := expr.Column(1, "name", arrow.BinaryTypes.String)
	lit := func(v any, dt arrow.DataType) expr.Expr {
		e, err := expr.Literal(v, dt)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	bin := func(op expr.BinaryOp, l, r expr.Expr) expr.Expr {
		e, err := expr.Binary(op, l, r)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	byID := bin(expr.Lt, id, lit(int64(1777), arrow.PrimitiveTypes.Int64))
	byName := bin(expr.NotEq, name, lit("c", arrow.BinaryTypes.String))
	for _, c := range []struct {
		pred     expr.Expr
		predCols []int
	}{
		{byID, []int{0}},
		{byName, []int{1}},
		{bin(expr.And, byID, byName), []int{0, 1}},
	} {
		for _, output := range [][]int{{1, 0}, {1}, {0}} {
			var got [2][][]any
			for k, predCols := range [][]int{nil, c.predCols} {
				mem := exectest.Alloc(t)
				env := exec.NewEnv(mem)
				env.BatchSize = 500
				s := scan.NewParquet(env, scan.ParquetSpec{
					Files: []scan.ParquetInput{input(t, data, &opened{})}, Schema: testSchema, ReadColumns: []int{0, 1},
					Predicate: c.pred, PredicateColumns: predCols, Output: output, Limit: -1, Partitions: 2,
				})
				got[k] = exectest.Rows(t, s)
			}
			if len(got[0]) == 0 || fmt.Sprint(got[0]) != fmt.Sprint(got[1]) {
				t.Fatalf("%s output %v: %d rows decoding lazily, %d whole, or they differ", c.pred, output, len(got[1]), len(got[0]))
			}
		}
	}
}
