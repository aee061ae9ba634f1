// Package exchange moves record batches between partitions: hash
// repartitioning and gathering into one partition. These operators are the
// only ones whose goroutines outlive a call: their producers run until the
// last output stream of a run is closed.
//
// Runs: the shared state of an exchange is a run, kept in the exec.Execution
// its streams are executed under (see exec.Execution), so a plan executed
// twice gets two runs. The first Execute of any output partition in an
// execution starts one producer goroutine per child partition, using a
// context derived from that first Execute's ctx (later Execute calls of the
// same run share it). When every output partition of a run has been executed
// and its stream closed, the producers are stopped, every buffered batch is
// released, and the next Execute in the same execution starts a fresh run.
// Whatever is left — partitions never executed, their buffered batches,
// producers still running — is stopped and released when the execution ends.
// Executing the same partition twice within one run is an error. Streams
// executed without an execution in their context share a run of the
// exchange's own, which also ends when the context of the Execute that
// started it is done.
//
// Channels are bounded, so the output partitions of a HashRepartition must
// be consumed concurrently (as exec.Collect does): a stream that stays open
// without being read eventually holds back every producer. A stream closed
// early no longer holds anything back: batches for it are dropped and
// released.
package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
)

// chanCap is the number of batches buffered per output partition.
const chanCap = 4

// repartitionSeed seeds the repartitioning hash; it differs from the seeds
// hash tables use so partitions do not cluster inside them.
const repartitionSeed = 0x6A09E667F3BCC908

// HashRepartition redistributes the rows of all child partitions into n
// partitions by a hash of key columns, so equal keys land in one partition.
type HashRepartition struct {
	core
	keys []int
}

// NewHashRepartition redistributes the rows of all child partitions into n
// partitions by a hash of keyCols: equal keys (same types) always land in the
// same output partition.
func NewHashRepartition(env *exec.Env, child exec.Operator, keyCols []int, n int) exec.Operator {
	if n < 1 {
		n = 1
	}
	h := &HashRepartition{keys: append([]int(nil), keyCols...)}
	h.core = core{env: env, child: child, n: n, self: h, route: h.route}
	return h
}

// String implements exec.Operator.
func (h *HashRepartition) String() string {
	return fmt.Sprintf("HashRepartition(keys=%v, n=%d)", h.keys, h.n)
}

// Execute implements exec.Operator.
func (h *HashRepartition) Execute(ctx context.Context, p int) (exec.Stream, error) {
	return h.execute(ctx, p)
}

// route splits b by destination partition and sends the pieces.
func (h *HashRepartition) route(r *run, sc *scratch, b arrow.RecordBatch) error {
	rows := int(b.NumRows())
	if cap(sc.hashes) < rows {
		sc.hashes = make([]uint64, rows)
	}
	hs := sc.hashes[:rows]
	cols := sc.cols[:0]
	for _, k := range h.keys {
		if k < 0 || k >= int(b.NumCols()) {
			b.Release()
			return fmt.Errorf("%s: key column %d out of range (%d columns)", h, k, b.NumCols())
		}
		cols = append(cols, b.Column(k))
	}
	sc.cols = cols
	if err := hashColumns(cols, repartitionSeed, hs); err != nil {
		b.Release()
		return fmt.Errorf("%s: %w", h, err)
	}
	if len(sc.idx) != h.n {
		sc.idx = make([][]int32, h.n)
	}
	for d := range sc.idx {
		sc.idx[d] = sc.idx[d][:0]
	}
	n := uint64(h.n)
	for i, x := range hs {
		d := (x >> 32) * n >> 32
		sc.idx[d] = append(sc.idx[d], int32(i))
	}
	for d, idx := range sc.idx {
		if len(idx) == rows {
			return r.send(d, b)
		}
	}
	defer b.Release()
	for d, idx := range sc.idx {
		if len(idx) == 0 {
			continue
		}
		piece, err := kernels.TakeBatch(h.env.Mem, b, idx)
		if err != nil {
			return fmt.Errorf("%s: %w", h, err)
		}
		if err := r.send(d, piece); err != nil {
			return err
		}
	}
	return nil
}

// RoundRobin deals the rows of all child partitions to n partitions in turn
// (Spark's repartition without columns): child partition i sends its rows to
// i, i+1, … modulo n, so the result depends only on the input's partitioning
// and order, and works for columns of any type.
type RoundRobin struct {
	core
}

// NewRoundRobin deals the rows of child to n partitions in turn.
func NewRoundRobin(env *exec.Env, child exec.Operator, n int) exec.Operator {
	rr := &RoundRobin{}
	rr.core = core{env: env, child: child, n: max(n, 1), self: rr, route: rr.route}
	return rr
}

// String implements exec.Operator.
func (rr *RoundRobin) String() string { return fmt.Sprintf("RoundRobinRepartition(n=%d)", rr.n) }

// Execute implements exec.Operator.
func (rr *RoundRobin) Execute(ctx context.Context, p int) (exec.Stream, error) {
	return rr.execute(ctx, p)
}

func (rr *RoundRobin) route(r *run, sc *scratch, b arrow.RecordBatch) error {
	rows := int(b.NumRows())
	if rr.n == 1 {
		return r.send(0, b)
	}
	if len(sc.idx) != rr.n {
		sc.idx = make([][]int32, rr.n)
	}
	for d := range sc.idx {
		sc.idx[d] = sc.idx[d][:0]
	}
	d := sc.next % rr.n
	for i := 0; i < rows; i++ {
		sc.idx[d] = append(sc.idx[d], int32(i))
		if d++; d == rr.n {
			d = 0
		}
	}
	sc.next = d
	defer b.Release()
	for d, idx := range sc.idx {
		if len(idx) == 0 {
			continue
		}
		piece, err := kernels.TakeBatch(rr.env.Mem, b, idx)
		if err != nil {
			return fmt.Errorf("%s: %w", rr, err)
		}
		if err := r.send(d, piece); err != nil {
			return err
		}
	}
	return nil
}

// Gather merges all child partitions into one partition.
type Gather struct {
	core
}

// NewGather merges all child partitions into one (order unspecified), reading
// them concurrently.
func NewGather(env *exec.Env, child exec.Operator) exec.Operator {
	g := &Gather{}
	g.core = core{env: env, child: child, n: 1, self: g, route: func(r *run, _ *scratch, b arrow.RecordBatch) error {
		return r.send(0, b)
	}}
	return g
}

// String implements exec.Operator.
func (g *Gather) String() string { return "Gather" }

// Execute implements exec.Operator.
func (g *Gather) Execute(ctx context.Context, p int) (exec.Stream, error) {
	return g.execute(ctx, p)
}

// core is the shared machinery of the exchanges: runs of producers feeding
// bounded channels, one per output partition. A run is the exec.SharedState
// of the exchange in its exec.Execution.
type core struct {
	env   *exec.Env
	child exec.Operator
	n     int
	self  exec.Operator
	// route consumes b (releasing it or handing it on) and sends its rows.
	route func(r *run, sc *scratch, b arrow.RecordBatch) error

	mu      sync.Mutex      // guards own and the bookkeeping of every run
	own     *exec.Execution // the execution of streams executed without one; nil when none
	ownStop func() bool     // stops the end of own with its context
}

// scratch holds one producer's reusable buffers.
type scratch struct {
	hashes []uint64
	cols   []arrow.Array
	idx    [][]int32
	next   int // RoundRobin: the destination of the producer's next row
}

// Schema implements exec.Operator.
func (c *core) Schema() *arrow.Schema { return c.child.Schema() }

// Partitions implements exec.Operator.
func (c *core) Partitions() int { return c.n }

// Children implements exec.Operator.
func (c *core) Children() []exec.Operator { return []exec.Operator{c.child} }

// execute returns the stream of output partition p in the run of the
// execution in ctx, starting the run on the first Execute. Without an
// execution in ctx the exchange runs under an execution of its own, which
// ends when its last stream is closed or when the context of the Execute
// that started it is done.
func (c *core) execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(c.self, p); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := exec.ExecutionFrom(ctx)
	if e == nil {
		if c.own == nil {
			own := exec.NewExecution()
			c.own = own
			c.ownStop = context.AfterFunc(ctx, func() { c.endOwn(own) })
		}
		e = c.own
	}
	r, _ := e.State(c).(*run)
	if r == nil || r.ended {
		r = c.newRun(ctx, e)
		if !e.SetState(c, r) {
			r.cancel()
			return nil, fmt.Errorf("%s: partition %d executed after the end of its execution", c.self, p)
		}
		c.startProducers(r)
	}
	if r.opened[p] {
		return nil, fmt.Errorf("%s: partition %d executed twice in one run (close every output stream before re-executing)", c.self, p)
	}
	r.opened[p] = true
	return &outStream{c: c, r: r, p: p, ctx: ctx}, nil
}

// endOwn ends the exchange's own execution e: its context is done.
func (c *core) endOwn(e *exec.Execution) {
	c.mu.Lock()
	if c.own == e {
		c.own, c.ownStop = nil, nil
	}
	c.mu.Unlock()
	e.Close()
}

// run is one execution of an exchange.
type run struct {
	c        *core
	exe      *exec.Execution
	ctx      context.Context
	cancel   context.CancelFunc
	chans    []chan arrow.RecordBatch
	done     []chan struct{}
	finished chan struct{}
	stopOnce sync.Once

	// Guarded by core.mu:
	opened []bool // output partitions executed in the run
	closed int    // output streams closed
	ended  bool   // no stream may join the run any more

	mu  sync.Mutex
	err error
}

func (c *core) newRun(ctx context.Context, e *exec.Execution) *run {
	rctx, cancel := context.WithCancel(ctx)
	r := &run{
		c:        c,
		exe:      e,
		ctx:      rctx,
		cancel:   cancel,
		chans:    make([]chan arrow.RecordBatch, c.n),
		done:     make([]chan struct{}, c.n),
		finished: make(chan struct{}),
		opened:   make([]bool, c.n),
	}
	for i := range r.chans {
		r.chans[i] = make(chan arrow.RecordBatch, chanCap)
		r.done[i] = make(chan struct{})
	}
	return r
}

// startProducers starts one producer per child partition; c.mu is held, so
// that a concurrent stop waits for them to be started.
func (c *core) startProducers(r *run) {
	var wg sync.WaitGroup
	for i := 0; i < c.child.Partitions(); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.produce(r, i); err != nil {
				r.fail(err)
			}
		}()
	}
	go func() {
		wg.Wait()
		for _, ch := range r.chans {
			close(ch)
		}
		close(r.finished)
	}()
}

// Release implements exec.SharedState: the run's execution has ended. The
// producers are stopped and every batch still buffered is released; streams
// still open report the cancellation.
func (r *run) Release() { r.stop() }

// stop ends the run: no stream may join it any more, its producers are
// stopped and waited for, and every buffered batch is released. Calls after
// the first do nothing.
func (r *run) stop() {
	r.c.mu.Lock()
	r.ended = true
	r.c.mu.Unlock()
	r.stopOnce.Do(func() {
		r.cancel()
		<-r.finished
		for _, ch := range r.chans {
			for b := range ch {
				b.Release()
			}
		}
	})
}

// produce reads child partition i and routes its batches until EOF, error or
// cancellation; a panic while routing becomes an *exec.InternalError.
func (c *core) produce(r *run, i int) (err error) {
	defer exec.Recover(&err, c.self)
	s, err := exec.Open(r.ctx, c.child, i)
	if err != nil {
		return err
	}
	defer s.Close()
	sc := &scratch{next: i}
	for {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		b, err := s.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if b.NumRows() == 0 {
			b.Release()
			continue
		}
		if err := c.route(r, sc, b); err != nil {
			return err
		}
	}
}

// fail records the first error of the run and stops every producer.
func (r *run) fail(err error) {
	r.mu.Lock()
	if r.err == nil {
		r.err = err
	}
	r.mu.Unlock()
	r.cancel()
}

func (r *run) failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// send hands b to output partition p; b is released instead when that
// partition's stream is closed or the run is cancelled.
func (r *run) send(p int, b arrow.RecordBatch) error {
	select {
	case <-r.done[p]:
		b.Release()
		return nil
	default:
	}
	select {
	case r.chans[p] <- b:
		return nil
	case <-r.done[p]:
		b.Release()
		return nil
	case <-r.ctx.Done():
		b.Release()
		return r.ctx.Err()
	}
}

// outStream is one output partition of a run.
type outStream struct {
	c      *core
	r      *run
	p      int
	ctx    context.Context
	closed bool
}

func (s *outStream) Next() (arrow.RecordBatch, error) {
	if s.closed {
		return nil, io.EOF
	}
	if err := s.r.failure(); err != nil {
		return nil, err
	}
	select {
	case b, ok := <-s.r.chans[s.p]:
		if !ok {
			if err := s.r.failure(); err != nil {
				return nil, err
			}
			if err := s.r.ctx.Err(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		if err := s.r.failure(); err != nil {
			b.Release()
			return nil, err
		}
		return b, nil
	case <-s.ctx.Done():
		return nil, s.ctx.Err()
	}
}

func (s *outStream) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	r := s.r
	close(r.done[s.p])
	// Release what is already buffered for this partition.
	for drained := false; !drained; {
		select {
		case b, ok := <-r.chans[s.p]:
			if !ok {
				drained = true
			} else {
				b.Release()
			}
		default:
			drained = true
		}
	}
	c := s.c
	c.mu.Lock()
	r.closed++
	last := r.closed == len(r.chans)
	if last {
		r.ended = true
		if r.exe == c.own {
			// The own execution is over with its only run.
			c.ownStop()
			c.own, c.ownStop = nil, nil
		}
	}
	c.mu.Unlock()
	if last {
		r.stop()
	}
	return nil
}
