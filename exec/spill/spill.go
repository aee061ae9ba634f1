// Package spill writes record batches to temporary files in the Arrow IPC
// stream format and reads them back, for operators that hold more than the
// query's memory budget allows. Every column type of the engine round-trips,
// decimal64 and dictionary arrays included (the stream format carries a
// replacement dictionary whenever a batch's dictionary changes).
package spill

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/internal/proc"
)

// FilePrefix starts every spill file's name, followed by the writing
// process's id, a dash and a random part: "gspark-spill-4242-123456".
const FilePrefix = "gspark-spill-"

// RemoveStale removes from dir the spill files of processes that are no
// longer running (a process killed before it could remove its own), and
// returns how many it removed. Any gspark process may call it.
func RemoveStale(dir string) int {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if !e.IsDir() && proc.Stale(e.Name(), FilePrefix) && os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

const bufSize = 64 << 10

// Writer writes batches of one schema to a new spill file. Finish turns it
// into a readable File; Abort removes it.
type Writer struct {
	env    *exec.Env
	schema *arrow.Schema
	stats  *exec.SpillStats
	f      *os.File
	cw     countWriter
	bw     *bufio.Writer
	w      *ipc.Writer
	rows   int64
	err    error // first failure; the file is removed
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// NewWriter creates a spill file in env.SpillDir() for batches of schema.
// The bytes written are counted, when the file is finished, in stats (may be
// nil) and in env.Spill.
func NewWriter(env *exec.Env, schema *arrow.Schema, stats *exec.SpillStats) (*Writer, error) {
	f, err := os.CreateTemp(env.SpillDir(), fmt.Sprintf("%s%d-*", FilePrefix, os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	w := &Writer{env: env, schema: schema, stats: stats, f: f}
	w.cw.w = f
	w.bw = bufio.NewWriterSize(&w.cw, bufSize)
	w.w = ipc.NewWriter(w.bw, ipc.WithSchema(schema), ipc.WithAllocator(env.Mem))
	return w, nil
}

// Write appends the rows of b (whose columns must match the writer's
// schema); empty batches are skipped. On error the file is removed.
func (w *Writer) Write(b arrow.RecordBatch) error {
	if w.err != nil {
		return w.err
	}
	if b.NumRows() == 0 {
		return nil
	}
	rb := array.NewRecordBatch(w.schema, b.Columns(), b.NumRows())
	err := w.w.Write(rb)
	rb.Release()
	if err != nil {
		return w.fail(fmt.Errorf("spill: writing %s: %w", w.f.Name(), err))
	}
	w.rows += b.NumRows()
	return nil
}

// Rows is the number of rows written so far.
func (w *Writer) Rows() int64 { return w.rows }

// Bytes is the number of bytes written to the file so far (buffered bytes
// excluded).
func (w *Writer) Bytes() int64 { return w.cw.n }

func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
		w.close()
	}
	return w.err
}

// close closes the IPC writer and the file and removes it.
func (w *Writer) close() {
	if w.w != nil {
		_ = w.w.Close()
		w.w = nil
	}
	if w.f != nil {
		_ = w.f.Close()
		_ = os.Remove(w.f.Name())
		w.f = nil
	}
}

// Finish flushes the file and returns it for reading; the writer is done.
// On error the file is removed.
func (w *Writer) Finish() (*File, error) {
	if w.err != nil {
		return nil, w.err
	}
	if err := w.w.Close(); err != nil {
		w.w = nil
		return nil, w.fail(fmt.Errorf("spill: closing %s: %w", w.f.Name(), err))
	}
	w.w = nil
	if err := w.bw.Flush(); err != nil {
		return nil, w.fail(fmt.Errorf("spill: writing %s: %w", w.f.Name(), err))
	}
	f := &File{f: w.f, schema: w.schema, size: w.cw.n, rows: w.rows}
	w.f = nil
	w.err = errors.New("spill: writer already finished")
	w.stats.Add(f.size)
	w.env.Spill.Add(f.size)
	return f, nil
}

// Abort removes the file; it may be called after Finish (doing nothing) or
// more than once.
func (w *Writer) Abort() {
	if w.err == nil {
		w.err = errors.New("spill: writer aborted")
	}
	w.close()
}

// File is a finished spill file. Any number of Readers may read it
// concurrently; Remove deletes it once they are closed.
type File struct {
	f      *os.File
	schema *arrow.Schema
	size   int64
	rows   int64
}

// Rows is the number of rows in the file.
func (f *File) Rows() int64 { return f.rows }

// Bytes is the size of the file.
func (f *File) Bytes() int64 { return f.size }

// Schema is the schema of the file's batches.
func (f *File) Schema() *arrow.Schema { return f.schema }

// Remove closes and deletes the file; it may be called more than once. Its
// readers must be closed first.
func (f *File) Remove() error {
	if f == nil || f.f == nil {
		return nil
	}
	name := f.f.Name()
	cerr := f.f.Close()
	f.f = nil
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	if cerr != nil {
		return fmt.Errorf("spill: %w", cerr)
	}
	return nil
}

// Open returns a stream over the file's batches, in the order they were
// written, allocated from mem; it stops with ctx's error once ctx is done.
func (f *File) Open(ctx context.Context, mem memory.Allocator) (*Reader, error) {
	if f.f == nil {
		return nil, errors.New("spill: file already removed")
	}
	br := bufio.NewReaderSize(io.NewSectionReader(f.f, 0, f.size), bufSize)
	r, err := ipc.NewReader(br, ipc.WithAllocator(mem))
	if err != nil {
		return nil, fmt.Errorf("spill: reading %s: %w", f.f.Name(), err)
	}
	return &Reader{ctx: ctx, r: r, schema: f.schema, name: f.f.Name()}, nil
}

// Reader streams the batches of a spill file; it implements exec.Stream.
type Reader struct {
	ctx    context.Context
	r      *ipc.Reader
	schema *arrow.Schema
	name   string
}

// Next implements exec.Stream: the next batch, with the file's schema.
func (r *Reader) Next() (arrow.RecordBatch, error) {
	if r.r == nil {
		return nil, io.EOF
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	rec, err := r.r.Read()
	if errors.Is(err, io.EOF) {
		r.Close()
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("spill: reading %s: %w", r.name, err)
	}
	cols := rec.Columns()
	var wrapped []arrow.Array
	defer func() {
		for _, c := range wrapped {
			c.Release()
		}
	}()
	for i, c := range cols {
		f := r.schema.Field(i)
		if arrow.TypeEqual(c.DataType(), f.Type) {
			continue
		}
		// An extension type that is not registered reads back as its storage.
		ext, ok := f.Type.(arrow.ExtensionType)
		if !ok || !arrow.TypeEqual(ext.StorageType(), c.DataType()) {
			return nil, fmt.Errorf("spill: reading %s: column %s is %s, want %s", r.name, f.Name, c.DataType(), f.Type)
		}
		if len(wrapped) == 0 {
			cols = slices.Clone(cols)
		}
		e := array.NewExtensionArrayWithStorage(ext, c)
		wrapped = append(wrapped, e)
		cols[i] = e
	}
	return array.NewRecordBatch(r.schema, cols, rec.NumRows()), nil
}

// Close implements exec.Stream.
func (r *Reader) Close() error {
	if r.r != nil {
		r.r.Release()
		r.r = nil
	}
	return nil
}

// Size estimates the memory a batch holds: the lengths of its buffers,
// children and dictionaries included (slices count their whole buffers).
func Size(b arrow.RecordBatch) int64 { return ArraysSize(b.Columns()) }

// ArraysSize is Size for a set of arrays.
func ArraysSize(arrs []arrow.Array) int64 {
	var n int64
	for _, c := range arrs {
		if c != nil {
			n += dataSize(c.Data())
		}
	}
	return n
}

func dataSize(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataSize(c)
	}
	if dict, ok := d.Dictionary().(*array.Data); ok && dict != nil {
		n += dataSize(dict)
	}
	return n
}
