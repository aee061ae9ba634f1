package frame

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
)

// ExplainAnalyze runs the query, discarding its rows, and returns the
// physical plan annotated with what each operator did: rows and batches
// produced and the time spent in it (its inputs' time included), followed by
// the total time and the most memory the query held (EXPLAIN ANALYZE).
func (df *DataFrame) ExplainAnalyze(ctx context.Context) (_ string, err error) {
	defer exec.Recover(&err, "EXPLAIN ANALYZE")
	if df.err != nil {
		return "", df.err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	mem := df.s.mem
	if mem == memory.DefaultAllocator {
		mem = exec.NewPool(0)
	}
	budget := exec.NewBudget(mem, df.s.memoryLimit(), cancel)
	env := df.s.newEnv(budget)
	q, err := df.prepareWith(ctx, env, true, df.s.partitionCount())
	if err != nil {
		return "", err
	}
	defer q.close()
	start := time.Now()
	var rows int64
	counts := make([]int64, q.op.Partitions())
	run := exec.NewExecution()
	defer run.Close()
	g, gctx := errgroup.WithContext(exec.WithExecution(ctx, run))
	for p := range counts {
		g.Go(func() (err error) {
			defer exec.Recover(&err, q.op)
			s, err := exec.Open(gctx, q.op, p)
			if err != nil {
				return err
			}
			return exec.Drain(gctx, s, func(b arrow.RecordBatch) error {
				counts[p] += b.NumRows()
				return nil
			})
		})
	}
	err = g.Wait()
	if cause := context.Cause(ctx); cause != nil && errors.Is(cause, exec.ErrMemoryLimit) {
		return "", cause
	}
	if err != nil {
		return "", err
	}
	elapsed := time.Since(start)
	for _, c := range counts {
		rows += c
	}
	var b strings.Builder
	b.WriteString("== Physical Plan (analyzed) ==\n")
	b.WriteString(exec.Format(q.op))
	fmt.Fprintf(&b, "\n%d rows in %s, peak memory %d bytes", rows, elapsed.Round(time.Microsecond), budget.Peak())
	if n := env.Spill.Bytes(); n > 0 {
		fmt.Fprintf(&b, ", spilled %d bytes in %d files", n, env.Spill.Files())
	}
	b.WriteString("\n")
	return b.String(), nil
}
