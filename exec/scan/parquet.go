// Package scan holds the physical scans of file formats that need their own
// readers: Parquet, split by row groups across partitions, with column
// projection, row-group pruning on statistics and a fused filter.
package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/io/parquet"
	"github.com/gspark/gspark/io/source"
)

// ParquetInput is one Parquet file of a scan.
type ParquetInput struct {
	// Name identifies the file in EXPLAIN and errors.
	Name string
	// Path is the file's path on disk, empty for a file held in memory;
	// batches read from a file with a path carry it for input_file_name().
	Path string
	// Open opens the file. The partitions of a scan reading the file at
	// the same time share one handle (one footer read), closed when the
	// last of them is done with it.
	Open func() (*parquet.File, error)
	// OpenContext, when not nil, is used instead of Open, with the query's
	// context (a file on an object store is read by requests that the
	// query's cancellation stops).
	OpenContext func(context.Context) (*parquet.File, error)
	// RowGroups holds the row count of each row group.
	RowGroups []int64
	// Columns, when not nil, adapts the file to the scan's Schema:
	// Columns[c] is the file's column holding column c of Schema, or -1
	// when the file lacks it (read as nulls). A file column of a narrower
	// type than Schema's is cast to it. Statistics of such a file are not
	// used to skip row groups.
	Columns []int
}

// ParquetSpec describes a Parquet scan.
type ParquetSpec struct {
	Files  []ParquetInput
	Schema *arrow.Schema
	// ReadColumns are the columns of Schema to decode.
	ReadColumns []int
	// Filters are used to skip row groups whose statistics rule them out.
	Filters []source.Filter
	// Predicate, if not nil, is evaluated over the read columns and keeps
	// only the rows where it is true.
	Predicate expr.Expr
	// PredicateColumns are the positions within ReadColumns that Predicate
	// reads (nil: not known). When known, a row group's other columns are
	// decoded only at the rows the predicate keeps.
	PredicateColumns []int
	// Output lists the positions within ReadColumns the scan produces.
	Output []int
	// Limit, when ≥ 0, bounds the rows each partition produces.
	Limit      int64
	Partitions int
}

type unit struct {
	file int
	rg   int
}

// Parquet scans Parquet files; its partitions each read a contiguous run of
// row groups holding about the same number of rows.
type Parquet struct {
	env    *exec.Env
	spec   ParquetSpec
	parts  [][]unit
	read   *arrow.Schema
	out    *arrow.Schema
	pruned atomic.Int64
	loaded atomic.Int64
	files  sharedFiles
}

// sharedFiles lends the partitions of one scan a single open handle per
// file, so that a file's footer is read once per scan rather than once per
// partition; a handle is closed when the last partition using it lets go.
type sharedFiles struct {
	mu   sync.Mutex
	open map[int]*sharedFile
}

// sharedFile is one file's handle and the number of partitions holding it.
type sharedFile struct {
	refs   int
	opened sync.Mutex // held while the first holder opens the file
	done   bool
	f      *parquet.File
	err    error
}

// acquire returns the handle of file fi, opening it with open when no
// partition holds it; each successful acquire is matched by a release.
func (s *sharedFiles) acquire(fi int, open func() (*parquet.File, error)) (*parquet.File, error) {
	s.mu.Lock()
	if s.open == nil {
		s.open = map[int]*sharedFile{}
	}
	e := s.open[fi]
	if e == nil {
		e = &sharedFile{}
		s.open[fi] = e
	}
	e.refs++
	s.mu.Unlock()
	e.opened.Lock()
	if !e.done {
		e.f, e.err = open()
		e.done = true
	}
	f, err := e.f, e.err
	e.opened.Unlock()
	if err != nil {
		s.release(fi) // the handle stays nil: nothing to close
		return nil, err
	}
	return f, nil
}

// release lets go of file fi, closing its handle if no partition holds it.
func (s *sharedFiles) release(fi int) error {
	s.mu.Lock()
	e := s.open[fi]
	if e == nil {
		s.mu.Unlock()
		return nil
	}
	e.refs--
	if e.refs > 0 {
		s.mu.Unlock()
		return nil
	}
	delete(s.open, fi)
	s.mu.Unlock()
	if e.f != nil {
		return e.f.Close()
	}
	return nil
}

// NewParquet plans a Parquet scan.
func NewParquet(env *exec.Env, spec ParquetSpec) *Parquet {
	var units []unit
	var total int64
	for fi, f := range spec.Files {
		for rg, n := range f.RowGroups {
			units = append(units, unit{fi, rg})
			total += n
		}
	}
	n := min(max(spec.Partitions, 1), max(len(units), 1))
	parts := make([][]unit, n)
	// Deal contiguous runs so each partition gets about total/n rows.
	var acc int64
	p := 0
	for _, u := range units {
		rows := spec.Files[u.file].RowGroups[u.rg]
		// Move on once this partition has its share, keeping one unit for each later partition.
		for p < n-1 && len(parts[p]) > 0 && acc >= total*int64(p+1)/int64(n) {
			p++
		}
		parts[p] = append(parts[p], u)
		acc += rows
	}
	var nonEmpty [][]unit
	for _, pu := range parts {
		if len(pu) > 0 {
			nonEmpty = append(nonEmpty, pu)
		}
	}
	if len(nonEmpty) == 0 {
		nonEmpty = [][]unit{nil}
	}
	env.Progress.Plan(len(units))
	readFields := make([]arrow.Field, len(spec.ReadColumns))
	for i, c := range spec.ReadColumns {
		readFields[i] = spec.Schema.Field(c)
	}
	fields := make([]arrow.Field, len(spec.Output))
	for i, c := range spec.Output {
		fields[i] = readFields[c]
	}
	return &Parquet{env: env, spec: spec, parts: nonEmpty, read: arrow.NewSchema(readFields, nil), out: arrow.NewSchema(fields, nil)}
}

// Schema implements exec.Operator.
func (s *Parquet) Schema() *arrow.Schema { return s.out }

// Partitions implements exec.Operator.
func (s *Parquet) Partitions() int { return len(s.parts) }

// Children implements exec.Operator.
func (s *Parquet) Children() []exec.Operator { return nil }

// PrunedRowGroups is the number of row groups skipped on statistics so far.
func (s *Parquet) PrunedRowGroups() int64 { return s.pruned.Load() }

// ReadRowGroups is the number of row groups decoded so far.
func (s *Parquet) ReadRowGroups() int64 { return s.loaded.Load() }

// String implements exec.Operator.
func (s *Parquet) String() string {
	names := make([]string, len(s.spec.Files))
	groups := 0
	for i, f := range s.spec.Files {
		names[i] = f.Name
		groups += len(f.RowGroups)
	}
	cols := make([]string, s.out.NumFields())
	for i, f := range s.out.Fields() {
		cols[i] = f.Name
	}
	str := fmt.Sprintf("ParquetScan [%s] row_groups=%d columns=[%s]", strings.Join(names, ", "), groups, strings.Join(cols, ", "))
	if len(s.spec.Filters) > 0 {
		fs := make([]string, len(s.spec.Filters))
		for i, f := range s.spec.Filters {
			fs[i] = f.String()
		}
		str += " RowGroupFilters=[" + strings.Join(fs, ", ") + "]"
	}
	if s.spec.Predicate != nil {
		str += " Predicate=" + s.spec.Predicate.String()
	}
	if s.spec.Limit >= 0 {
		str += fmt.Sprintf(" Limit=%d", s.spec.Limit)
	}
	return str
}

// Execute implements exec.Operator.
func (s *Parquet) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(s, p); err != nil {
		return nil, err
	}
	out := exec.NewScanOutput(s.env, s.spec.Predicate, s.out, s.spec.Output, s.spec.Limit)
	if s.spec.PredicateColumns != nil {
		out.DecodeLazily(s.read, s.spec.PredicateColumns)
	}
	return &parquetStream{s: s, ctx: ctx, units: s.parts[p], openFile: -1, out: out, held: exec.NewHeld(s.env.Budget)}, nil
}

type parquetStream struct {
	s        *Parquet
	ctx      context.Context
	units    []unit
	next     int
	file     *parquet.File
	openFile int
	rg       batchReader
	md       *arrow.Metadata // the open file's input file metadata, nil without a path
	out      *exec.ScanOutput
	finished bool            // the unit before next was counted as finished
	bufs     parquet.Buffers // decoding buffers handed from row group to row group
	// held counts the decoding buffers (Go memory, outside the Arrow
	// allocator) in the query's budget, so that operators that spill see
	// them.
	held exec.Held
}

// closeRowGroup closes the row group read to its end.
func (st *parquetStream) closeRowGroup() error {
	err := st.rg.Close()
	st.rg = nil
	return err
}

// countBuffers moves the stream's held count to what its decoding buffers
// take now: those of the open row group's reader and those kept for the
// next one.
func (st *parquetStream) countBuffers() {
	n := st.bufs.Bytes()
	if st.rg != nil {
		n += st.rg.BufferBytes()
	}
	st.held.Set(n)
}

func (st *parquetStream) openUnit(u unit) error {
	spec := &st.s.spec
	if st.openFile != u.file {
		if st.file != nil {
			err := st.s.files.release(st.openFile)
			st.file, st.openFile = nil, -1
			if err != nil {
				return err
			}
		}
		open := spec.Files[u.file].Open
		if oc := spec.Files[u.file].OpenContext; oc != nil {
			open = func() (*parquet.File, error) { return oc(st.ctx) }
		}
		f, err := st.s.files.acquire(u.file, open)
		if err != nil {
			return err
		}
		st.file, st.openFile = f, u.file
		st.md = nil
		if p := spec.Files[u.file].Path; p != "" {
			st.md = exec.InputFileMetadata(p)
		}
	}
	in := &spec.Files[u.file]
	if in.Columns == nil && len(spec.Filters) > 0 && st.file.CanSkip(u.rg, spec.Filters) {
		st.s.pruned.Add(1)
		return nil
	}
	cols := spec.ReadColumns
	if in.Columns != nil {
		cols = make([]int, 0, len(spec.ReadColumns))
		for _, c := range spec.ReadColumns {
			if j := in.Columns[c]; j >= 0 {
				cols = append(cols, j)
			}
		}
	}
	r, err := st.file.ReadRowGroup(st.ctx, u.rg, parquet.ReadOptions{Columns: cols, BatchSize: st.s.env.BatchSize, Mem: st.s.env.Mem, Reuse: &st.bufs})
	if err != nil {
		return err
	}
	st.s.loaded.Add(1)
	st.rg = r
	if in.Columns != nil {
		st.rg = &adaptedRowGroup{ctx: st.ctx, in: r, schema: st.s.read, cols: in.Columns, read: spec.ReadColumns, mem: st.s.env.Mem, name: in.Name}
	}
	return nil
}

func (st *parquetStream) Next() (arrow.RecordBatch, error) {
	for {
		if err := st.ctx.Err(); err != nil {
			return nil, err
		}
		if st.out.Done() {
			return nil, io.EOF
		}
		if st.rg == nil {
			if st.next > 0 && !st.finished {
				st.finished = true
				st.s.env.Progress.Finish(1)
			}
			if st.next >= len(st.units) {
				return nil, io.EOF
			}
			u := st.units[st.next]
			st.next++
			st.finished = false
			if err := st.openUnit(u); err != nil {
				return nil, err
			}
			continue
		}
		if r, ok := st.rg.(*parquet.RowGroupReader); ok && st.out.Lazy() {
			n, err := r.NextRows()
			st.countBuffers()
			if errors.Is(err, io.EOF) {
				if err := st.closeRowGroup(); err != nil {
					return nil, err
				}
				continue
			}
			if err != nil {
				return nil, err
			}
			out, err := st.out.ShapeLazy(n, r, st.md)
			if err != nil || out != nil {
				return out, err
			}
			continue
		}
		b, err := st.rg.Next()
		st.countBuffers()
		if errors.Is(err, io.EOF) {
			if err := st.closeRowGroup(); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		var codes exec.ColumnCodes
		if r, ok := st.rg.(*parquet.RowGroupReader); ok {
			codes = r
		}
		out, err := st.out.ShapeCoded(exec.WithMetadata(b, st.md), codes)
		if err != nil || out != nil {
			return out, err
		}
	}
}

func (st *parquetStream) Close() error {
	var err error
	if st.rg != nil {
		err = st.rg.Close()
		st.rg = nil
	}
	if st.file != nil {
		if cerr := st.s.files.release(st.openFile); err == nil {
			err = cerr
		}
		st.file, st.openFile = nil, -1
	}
	st.next = len(st.units)
	st.bufs = parquet.Buffers{}
	st.held.Set(0)
	return err
}

// batchReader is a row group's batches: the file's own, or adapted.
type batchReader interface {
	Next() (arrow.RecordBatch, error)
	Close() error
	// BufferBytes is the memory of the reader's decoding buffers.
	BufferBytes() int64
}

// adaptedRowGroup turns the batches of a file whose schema differs from the
// scan's into the scan's read columns: missing columns as nulls, narrower
// types cast.
type adaptedRowGroup struct {
	ctx    context.Context
	in     *parquet.RowGroupReader
	schema *arrow.Schema // the scan's read columns
	cols   []int         // scan column → file column or -1
	read   []int         // the scan's read columns
	mem    memory.Allocator
	name   string
}

func (a *adaptedRowGroup) Next() (arrow.RecordBatch, error) {
	b, err := a.in.Next()
	if err != nil {
		return nil, err
	}
	defer b.Release()
	n := int(b.NumRows())
	out := make([]arrow.Array, 0, len(a.read))
	release := func() {
		for _, c := range out {
			c.Release()
		}
	}
	k := 0
	for i, c := range a.read {
		want := a.schema.Field(i).Type
		if a.cols[c] < 0 {
			out = append(out, array.MakeArrayOfNull(a.mem, want, n))
			continue
		}
		col := b.Column(k)
		k++
		if arrow.TypeEqual(col.DataType(), want) {
			col.Retain()
			out = append(out, col)
			continue
		}
		cast, err := compute.CastArray(compute.WithAllocator(a.ctx, a.mem), col, compute.SafeCastOptions(want))
		if err != nil {
			release()
			return nil, fmt.Errorf("read %s: column %s as %s: %w", a.name, a.schema.Field(i).Name, want, err)
		}
		out = append(out, cast)
	}
	rb := array.NewRecordBatch(a.schema, out, int64(n))
	release()
	return rb, nil
}

func (a *adaptedRowGroup) Close() error { return a.in.Close() }

// BufferBytes implements batchReader.
func (a *adaptedRowGroup) BufferBytes() int64 { return a.in.BufferBytes() }
