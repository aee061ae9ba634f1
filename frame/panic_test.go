package frame_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/goleak"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/planner/logical"
)

// boomUDF is an identity over int64 that panics on its nth call.
func boomUDF(n int64) frame.Column {
	var calls atomic.Int64
	fn := func(_ memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		if calls.Add(1) == n {
			panic(fmt.Sprintf("boom on call %d", n))
		}
		args[0].Retain()
		return args[0], nil
	}
	return frame.UDF("boom", arrow.PrimitiveTypes.Int64, fn, F.Col("l_orderkey"))
}

// panickySource is a table of int64 keys k in files of batches, whose reader
// panics on the nth batch it reads, over all files.
type panickySource struct {
	files []string
	batch map[string][]arrow.RecordBatch
	n     int64
	reads atomic.Int64
}

var panickySchema = arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}}, nil)

func newPanickySource(n int64) *panickySource {
	src := &panickySource{n: n, batch: map[string][]arrow.RecordBatch{}}
	for f := range 4 {
		name := fmt.Sprintf("f%d", f)
		src.files = append(src.files, name)
		for b := range 4 {
			ib := array.NewInt64Builder(memory.DefaultAllocator)
			for i := range 500 {
				ib.Append(int64((f*4+b)*500 + i + 1))
			}
			arr := ib.NewArray()
			ib.Release()
			src.batch[name] = append(src.batch[name], array.NewRecordBatch(panickySchema, []arrow.Array{arr}, int64(arr.Len())))
			arr.Release()
		}
	}
	return src
}

func (p *panickySource) Describe() string      { return "panicky" }
func (p *panickySource) Schema() *arrow.Schema { return panickySchema }
func (p *panickySource) EstimatedRows() int64  { return 8000 }
func (p *panickySource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "Panicky", Files: p.files, Schema: panickySchema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions,
		Open: func(_ context.Context, name string) (exec.BatchReader, error) {
			return &panickyReader{src: p, batches: p.batch[name]}, nil
		},
	}), nil
}

type panickyReader struct {
	src     *panickySource
	batches []arrow.RecordBatch
}

func (r *panickyReader) Next() (arrow.RecordBatch, error) {
	if r.src.reads.Add(1) == r.src.n {
		var m map[string]int
		m["kernel bug"]++ // a nil map write: a runtime panic
	}
	if len(r.batches) == 0 {
		return nil, io.EOF
	}
	b := r.batches[0]
	r.batches = r.batches[1:]
	b.Retain()
	return b, nil
}

func (r *panickyReader) Close() error { return nil }

// A panicking UDF or operator fails only its query, with an
// *exec.InternalError naming the operator, under one or four partitions,
// spilling or not: no goroutine, memory or spill file is left, and the
// session answers the next query.
func TestPanicFailsOnlyTheQuery(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	ctx := context.Background()
	type query struct {
		name  string
		df    func(s *frame.Session) *frame.DataFrame
		where string // in the operator named by the error
	}
	queries := []query{
		{"udf project", func(s *frame.Session) *frame.DataFrame {
			return s.Table("samples.lineitem").Select(boomUDF(3).Alias("k"))
		}, "boom"},
		{"udf filter", func(s *frame.Session) *frame.DataFrame {
			return s.Table("samples.lineitem").Filter(boomUDF(3).Gt(F.Lit(int64(0))))
		}, "boom"},
		{"udf group key", func(s *frame.Session) *frame.DataFrame {
			return s.Table("samples.lineitem").WithColumn("k", boomUDF(4)).GroupBy(F.Col("k")).Agg(F.CountStar())
		}, "boom"},
		{"udf sort key", func(s *frame.Session) *frame.DataFrame {
			return s.Table("samples.lineitem").Select(F.Col("l_orderkey"), F.Col("l_comment")).OrderBy(boomUDF(4))
		}, "boom"},
		{"udf over join", func(s *frame.Session) *frame.DataFrame {
			o, li := s.Table("samples.orders"), s.Table("samples.lineitem")
			return o.Join(li, F.Col("o_orderkey").Eq(F.Col("l_orderkey")), "left").Select(boomUDF(4))
		}, "boom"},
		{"udf join key", func(s *frame.Session) *frame.DataFrame {
			o, li := s.Table("samples.orders"), s.Table("samples.lineitem")
			return li.Join(o, boomUDF(2).Eq(F.Col("o_orderkey")), "inner")
		}, "boom"},
		{"operator", func(s *frame.Session) *frame.DataFrame {
			return s.SQL("SELECT k FROM panicky")
		}, "PanickyScan"},
		{"operator under aggregate", func(s *frame.Session) *frame.DataFrame {
			return s.SQL("SELECT k % 7, count(*) FROM panicky GROUP BY k % 7")
		}, "PanickyScan"},
		{"operator under sort", func(s *frame.Session) *frame.DataFrame {
			return s.SQL("SELECT k FROM panicky ORDER BY k DESC")
		}, "PanickyScan"},
		{"operator on the build side", func(s *frame.Session) *frame.DataFrame {
			return s.SQL("SELECT o_orderkey, k FROM samples.orders FULL JOIN panicky ON k = o_orderkey")
		}, "PanickyScan"},
		{"operator on the probe side", func(s *frame.Session) *frame.DataFrame {
			return s.SQL("SELECT k, c_name FROM panicky JOIN samples.customer ON k = c_custkey")
		}, "PanickyScan"},
	}
	for _, parts := range []int{1, 4} {
		for _, spilling := range []bool{false, true} {
			for _, q := range queries {
				t.Run(fmt.Sprintf("%s/parts=%d/spill=%v", q.name, parts, spilling), func(t *testing.T) {
					dir := t.TempDir()
					mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
					opts := []frame.Option{frame.WithPartitions(parts), frame.WithAllocator(mem), frame.WithTempDir(dir)}
					if spilling {
						opts = append(opts, frame.WithSpillThreshold(0))
					}
					s := frame.NewSession(opts...)
					s.RegisterSource("panicky", newPanickySource(3))
					_, err := q.df(s).Collect(ctx)
					checkInternalError(t, err, q.where)
					mem.AssertSize(t, 0)
					if left, _ := os.ReadDir(dir); len(left) != 0 {
						t.Errorf("%d spill files left in %s", len(left), dir)
					}
					n, err := s.SQL("SELECT count(*) FROM samples.orders JOIN samples.customer ON o_custkey = c_custkey").Count(ctx)
					if err != nil || n != 1 {
						t.Fatalf("next query: %d rows, %v", n, err)
					}
					mem.AssertSize(t, 0)
				})
			}
		}
	}
	goleak.VerifyNone(t, opt)
}

// Every action reports the panic of a UDF as an internal error.
func TestPanicInEveryAction(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	ctx := context.Background()
	dir := t.TempDir()
	s := frame.NewSession(frame.WithPartitions(4), frame.WithTempDir(dir), frame.WithSpillThreshold(0))
	df := func() *frame.DataFrame {
		// Count needs the filter's UDF where it would prune a projected one.
		return s.Table("samples.lineitem").Filter(boomUDF(2).Gt(F.Lit(int64(0)))).OrderBy(F.Col("l_comment"))
	}
	out := t.TempDir()
	actions := map[string]func() error{
		"Collect": func() error { _, err := df().Collect(ctx); return err },
		"Count":   func() error { _, err := df().Count(ctx); return err },
		"Show":    func() error { _, err := df().ShowString(ctx, 5, 20); return err },
		"Write": func() error {
			return df().Write().CSV(ctx, filepath.Join(out, "csv"))
		},
		"Cache": func() error { _, err := df().Cache(ctx); return err },
		"AggregatePartitions": func() error {
			_, err := frame.AggregatePartitions(ctx, df(), func(int) int { return 0 },
				func(n int, b arrow.RecordBatch) (int, error) { return n + int(b.NumRows()), nil })
			return err
		},
		"ExplainAnalyze": func() error { _, err := df().ExplainAnalyze(ctx); return err },
	}
	for name, act := range actions {
		t.Run(name, func(t *testing.T) {
			checkInternalError(t, act(), "boom")
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("%d spill files left", len(left))
			}
		})
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("a failed write left %d entries in %s", len(left), out)
	}
	// A panicking fold of AggregatePartitions, on the partition goroutines.
	_, err := frame.AggregatePartitions(ctx, s.Table("samples.nation"), func(int) int { return 0 },
		func(int, arrow.RecordBatch) (int, error) { panic("fold") })
	checkInternalError(t, err, "AggregatePartitions")
	goleak.VerifyNone(t, opt)
}

// checkInternalError checks that err is an *exec.InternalError whose
// operator mentions where.
func checkInternalError(t *testing.T, err error, where string) {
	t.Helper()
	if !errors.Is(err, exec.ErrInternal) {
		t.Fatalf("got %v, want an internal error", err)
	}
	var ie *exec.InternalError
	if !errors.As(err, &ie) {
		t.Fatalf("%v is not an *exec.InternalError", err)
	}
	t.Log(err)
	if !strings.Contains(ie.Op+ie.Func, where) || !strings.Contains(err.Error(), "internal error in ") {
		t.Errorf("error %q: operator %q does not mention %q", err, ie.Op, where)
	}
}
