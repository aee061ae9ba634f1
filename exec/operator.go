package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// DefaultBatchSize is the number of rows operators aim for in one batch.
const DefaultBatchSize = 8192

// Stream is a pull iterator over the record batches of one partition.
// Next returns io.EOF after the last batch; the caller releases every batch it
// receives. Close releases the stream's resources and may be called at any time,
// including before io.EOF.
type Stream interface {
	Next() (arrow.RecordBatch, error)
	Close() error
}

// Operator is a node of a physical plan. Execute returns the stream of one of
// its Partitions(); partitions may be executed concurrently.
type Operator interface {
	Schema() *arrow.Schema
	Partitions() int
	Children() []Operator
	Execute(ctx context.Context, partition int) (Stream, error)
	// String describes the operator in one line, for EXPLAIN.
	String() string
}

// Env holds the resources shared by the operators of one query.
type Env struct {
	// Mem allocates every Arrow buffer the query creates.
	Mem memory.Allocator
	// BatchSize is the target number of rows in a batch.
	BatchSize int
	// Progress, if not nil, counts the query's source work as scans finish it.
	Progress *Progress
	// Budget, if not nil, is the query's memory budget: spillable operators
	// write their state to disk once Budget.ShouldSpill reports pressure.
	Budget *Budget
	// TempDir is the directory of spill files (os.TempDir() when empty).
	TempDir string
	// Spill, if not nil, counts the bytes and files every operator of the
	// query spilled.
	Spill *SpillStats
}

// NewEnv returns an Env with the given allocator (the Go allocator if nil),
// the default batch size, spill files in os.TempDir() and a fresh spill
// counter; when mem is a *Budget it is also the Env's Budget.
func NewEnv(mem memory.Allocator) *Env {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	b, _ := mem.(*Budget)
	return &Env{Mem: mem, BatchSize: DefaultBatchSize, Budget: b, TempDir: os.TempDir(), Spill: &SpillStats{}}
}

// ErrPartition is returned by Execute for a partition number out of range.
var ErrPartition = errors.New("exec: partition out of range")

// checkPartition returns an error naming the operator when p is not one of its partitions.
func checkPartition(op Operator, p int) error {
	if p < 0 || p >= op.Partitions() {
		return fmt.Errorf("%s: %w: %d of %d", op.String(), ErrPartition, p, op.Partitions())
	}
	return nil
}

// CheckPartition is checkPartition for operators outside this package.
func CheckPartition(op Operator, p int) error { return checkPartition(op, p) }

// Format renders an operator tree one operator a line, children indented, each
// with its partition count.
func Format(op Operator) string {
	var b strings.Builder
	var walk func(o Operator, depth int)
	walk = func(o Operator, depth int) {
		fmt.Fprintf(&b, "%s%s [partitions=%d]\n", strings.Repeat("  ", depth), o.String(), o.Partitions())
		for _, c := range o.Children() {
			walk(c, depth+1)
		}
	}
	walk(op, 0)
	return b.String()
}

// Drain pulls every batch from s, calling fn for each (fn must not keep the
// batch without retaining it), and closes s.
func Drain(ctx context.Context, s Stream, fn func(arrow.RecordBatch) error) (err error) {
	defer func() {
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := s.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		ferr := fn(b)
		b.Release()
		if ferr != nil {
			return ferr
		}
	}
}
