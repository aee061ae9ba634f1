package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

// panickyTable is a one-column table whose reader panics on its first batch.
type panickyTable struct{}

var panickySchema = arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}}, nil)

func (panickyTable) Describe() string      { return "panicky" }
func (panickyTable) Schema() *arrow.Schema { return panickySchema }
func (panickyTable) EstimatedRows() int64  { return 10 }
func (panickyTable) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "Panicky", Files: []string{"a", "b"}, Schema: panickySchema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions,
		Open: func(context.Context, string) (exec.BatchReader, error) { return panickyReader{}, nil },
	}), nil
}

type panickyReader struct{}

func (panickyReader) Next() (arrow.RecordBatch, error) {
	var a *array.Int64
	return nil, errors.New(a.String()) // a nil dereference
}
func (panickyReader) Close() error { return nil }

func panickySession(parts int) *frame.Session {
	s := frame.NewSession(frame.WithPartitions(parts), frame.WithAllocator(memory.NewGoAllocator()))
	s.RegisterSource("panicky", panickyTable{})
	return s
}

// The shell reports a panic inside a query as an internal error naming the
// operator, with a hint (the stack only with --debug), and runs the next
// statement.
func TestShellReportsInternalErrorsAndGoesOn(t *testing.T) {
	for _, debug := range []bool{false, true} {
		s := panickySession(4)
		var out, errOut bytes.Buffer
		sh := &shell{s: s, out: &out, errOut: &errOut, debug: debug}
		sh.print = &printer{f: outputFormat{write: writeTable, summary: true}, out: &out, summaryOut: &out, limit: 3}
		ctx := context.Background()
		sh.execute(ctx, "select k, count(*) from panicky group by k")
		msg := errOut.String()
		if !strings.HasPrefix(msg, "Error: ") || !strings.Contains(msg, "internal error in PanickyScan") ||
			!strings.Contains(msg, "invalid memory address or nil pointer dereference") {
			t.Errorf("stderr: %q", msg)
		}
		if hint := strings.Contains(msg, "Run with --debug"); hint == debug {
			t.Errorf("debug=%v: hint shown %v:\n%s", debug, hint, msg)
		}
		if stack := strings.Contains(msg, "goroutine "); stack != debug {
			t.Errorf("debug=%v: stack shown %v:\n%s", debug, stack, msg)
		}
		errOut.Reset()
		sh.execute(ctx, "select count(*) as n from nation")
		if errOut.Len() != 0 || !strings.Contains(out.String(), "25") {
			t.Errorf("next statement: stdout %q, stderr %q", out.String(), errOut.String())
		}
	}
}

// gspark sql stops at the statement that panicked, with an internal error
// (main prints it and exits 1).
func TestSQLStopsAtInternalError(t *testing.T) {
	s := panickySession(1)
	f, _ := formatter("csv")
	var out bytes.Buffer
	err := runSQL(context.Background(), s, "select 1 as a; select * from panicky; select 2 as b", f, &out, io.Discard)
	if !errors.Is(err, exec.ErrInternal) || out.String() != "a\r\n1\r\n" {
		t.Fatalf("got %v, output %q", err, out.String())
	}
	var msg bytes.Buffer
	reportError(&msg, "gspark: ", err, false)
	if !strings.HasPrefix(msg.String(), "gspark: internal error in PanickyScan") {
		t.Errorf("reported as %q", msg.String())
	}
}
