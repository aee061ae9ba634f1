// Package libsvm reads the LIBSVM text format as Spark's "libsvm" data
// source does: one example per line, "label index:value index:value …" with
// 1-based, strictly ascending indices, read into a double column "label" and
// a vector column "features" of 0-based positions.
//
// Lines are trimmed; empty lines and lines starting with '#' are skipped (as
// Spark's MLUtils.parseLibSVMFile). Items are separated by spaces (tabs are
// accepted too).
package libsvm

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/values/vectors"
)

// Record is one parsed line: its label and its features' 0-based indices
// (strictly ascending) and values.
type Record struct {
	Label   float64
	Indices []int32
	Values  []float64
}

// Schema returns the schema of the data source: label (double) and features
// (vector), as Spark's LibSVMDataSource.
func Schema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "label", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "features", Type: vectors.VectorType(), Nullable: true},
	}, nil)
}

// ParseLine parses one line. ok is false for a line Spark skips (empty
// after trimming, or a comment starting with '#').
func ParseLine(line string) (rec Record, ok bool, err error) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return rec, false, nil
	}
	items := strings.Fields(line)
	rec.Label, err = strconv.ParseFloat(items[0], 64)
	if err != nil {
		return rec, false, fmt.Errorf("label %q is not a number", items[0])
	}
	prev := int32(-1)
	for col, item := range items[1:] {
		is, vs, found := strings.Cut(item, ":")
		if !found {
			return rec, false, fmt.Errorf("item %d %q is not index:value", col+1, item)
		}
		idx, err := strconv.ParseInt(is, 10, 32)
		if err != nil {
			return rec, false, fmt.Errorf("item %d %q: index %q is not an integer", col+1, item, is)
		}
		v, err := strconv.ParseFloat(vs, 64)
		if err != nil {
			return rec, false, fmt.Errorf("item %d %q: value %q is not a number", col+1, item, vs)
		}
		cur := int32(idx - 1)
		if cur <= prev {
			return rec, false, fmt.Errorf("item %d %q: indices should be one-based and in ascending order; found current=%d, previous=%d", col+1, item, cur, prev)
		}
		prev = cur
		rec.Indices = append(rec.Indices, cur)
		rec.Values = append(rec.Values, v)
	}
	return rec, true, nil
}

// Scan calls fn with each record of r in order; name names the input in
// errors, which give its line number.
func Scan(r io.Reader, name string, fn func(Record) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<30)
	line := 0
	for sc.Scan() {
		line++
		rec, ok, err := ParseLine(sc.Text())
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if !ok {
			continue
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return nil
}

// NumFeatures returns one more than the largest 0-based index in r (0 when
// there is none), as Spark sizes the vectors when the option numFeatures is
// not given.
func NumFeatures(r io.Reader, name string) (int, error) {
	n := 0
	err := Scan(r, name, func(rec Record) error {
		if k := len(rec.Indices); k > 0 {
			n = max(n, int(rec.Indices[k-1])+1)
		}
		return nil
	})
	return n, err
}

// Options say how Reader builds its batches.
type Options struct {
	// NumFeatures is the size of every vector; an index at or beyond it is
	// an error.
	NumFeatures int
	// Dense builds dense vectors (Spark's option vectorType=dense);
	// otherwise vectors are sparse.
	Dense bool
	// BatchSize is the number of rows per batch (1024 if 0).
	BatchSize int
	// Mem allocates the batches (the Go allocator if nil).
	Mem memory.Allocator
}

// Reader reads batches of Schema from LIBSVM text.
type Reader struct {
	sc     *bufio.Scanner
	name   string
	line   int
	opts   Options
	schema *arrow.Schema
	done   bool
}

// NewReader reads r (named name in errors) with opts.
func NewReader(r io.Reader, name string, opts Options) *Reader {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1024
	}
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<30)
	return &Reader{sc: sc, name: name, opts: opts, schema: Schema()}
}

// Next returns the next batch, or nil and io.EOF at the end.
func (r *Reader) Next() (arrow.RecordBatch, error) {
	if r.done {
		return nil, io.EOF
	}
	labels := array.NewFloat64Builder(r.opts.Mem)
	defer labels.Release()
	feats := vectors.NewVectorBuilder(r.opts.Mem)
	defer feats.Release()
	n := 0
	var dense []float64
	for n < r.opts.BatchSize {
		if !r.sc.Scan() {
			r.done = true
			if err := r.sc.Err(); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", r.name, r.line+1, err)
			}
			break
		}
		r.line++
		rec, ok, err := ParseLine(r.sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", r.name, r.line, err)
		}
		if !ok {
			continue
		}
		if k := len(rec.Indices); k > 0 && int(rec.Indices[k-1]) >= r.opts.NumFeatures {
			return nil, fmt.Errorf("%s:%d: index %d is beyond numFeatures %d", r.name, r.line, rec.Indices[k-1]+1, r.opts.NumFeatures)
		}
		labels.Append(rec.Label)
		if r.opts.Dense {
			dense = append(dense[:0], make([]float64, r.opts.NumFeatures)...)
			for j, i := range rec.Indices {
				dense[i] = rec.Values[j]
			}
			feats.AppendDense(dense)
		} else {
			feats.AppendSparse(r.opts.NumFeatures, rec.Indices, rec.Values)
		}
		n++
	}
	if n == 0 {
		return nil, io.EOF
	}
	la := labels.NewArray()
	defer la.Release()
	fa := feats.NewArray()
	defer fa.Release()
	return array.NewRecordBatch(r.schema, []arrow.Array{la, fa}, int64(n)), nil
}

// Close releases nothing; it exists for the BatchReader shape.
func (r *Reader) Close() error { return nil }
