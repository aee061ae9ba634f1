package serve

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// score scores the records of one request with model m, through the
// micro-batcher when it is on.
func (s *Server) score(ctx context.Context, m *model, recs []map[string]any) ([]map[string]any, error) {
	if s.batch != nil {
		s.batch.inflight.Add(1)
		defer s.batch.inflight.Add(-1)
		if outs, err, ok := s.batch.do(ctx, m, recs); ok {
			return outs, err
		}
	}
	return s.predict(ctx, m, recs)
}

// predict calls the model once, turning a panic into an error, and feeds
// the drift window.
func (s *Server) predict(ctx context.Context, m *model, recs []map[string]any) (outs []map[string]any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic while scoring", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			outs, err = nil, fmt.Errorf("internal error while scoring: %v", p)
		}
	}()
	s.metrics.batchRows.Observe(float64(len(recs)))
	outs, err = m.scorer.PredictRecords(ctx, recs)
	if err != nil {
		return nil, err
	}
	if len(outs) != len(recs) {
		return nil, fmt.Errorf("the model returned %d results for %d records", len(outs), len(recs))
	}
	if m.drift != nil {
		if b, ok := driftBatch(m.sig, recs, outs); ok {
			m.drift.Add(b)
			b.Release()
		}
	}
	return outs, nil
}

// batcher scores the records of requests that arrive together in one call
// of the model: workers each take a waiting request, add the requests
// waiting behind it (up to maxRecs records, waiting up to wait for more),
// and score them together. When a batch fails each of its requests is
// scored alone, so an error is reported to the request it belongs to.
type batcher struct {
	s       *Server
	jobs    chan *job
	maxRecs int
	wait    time.Duration
	quit    chan struct{}
	wg      sync.WaitGroup
	mu      sync.RWMutex // held for reading while sending jobs; stop takes it to close quit
	stopped bool
	// inflight counts the requests being scored: a batch waits for more
	// only while some are not in it yet.
	inflight atomic.Int64
}

type job struct {
	ctx  context.Context
	m    *model
	recs []map[string]any
	done chan jobResult
}

type jobResult struct {
	outs []map[string]any
	err  error
}

func newBatcher(s *Server, workers, maxRecs int, wait time.Duration) *batcher {
	b := &batcher{s: s, jobs: make(chan *job), maxRecs: maxRecs, wait: wait, quit: make(chan struct{})}
	for range workers {
		b.wg.Go(b.work)
	}
	return b
}

// stop ends the workers once they finish their batches.
func (b *batcher) stop() {
	b.mu.Lock()
	b.stopped = true
	close(b.quit)
	b.mu.Unlock()
	b.wg.Wait()
}

// do hands a request's records to the workers and waits for its results;
// ok is false when the batcher is stopped (the caller scores directly).
func (b *batcher) do(ctx context.Context, m *model, recs []map[string]any) ([]map[string]any, error, bool) {
	if len(recs) >= b.maxRecs {
		return nil, nil, false
	}
	j := &job{ctx: ctx, m: m, recs: recs, done: make(chan jobResult, 1)}
	b.mu.RLock()
	if b.stopped {
		b.mu.RUnlock()
		return nil, nil, false
	}
	select {
	case b.jobs <- j:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return nil, ctx.Err(), true
	}
	select {
	case r := <-j.done:
		return r.outs, r.err, true
	case <-ctx.Done():
		return nil, ctx.Err(), true
	}
}

func (b *batcher) work() {
	for {
		var first *job
		select {
		case <-b.quit:
			return
		case first = <-b.jobs:
		}
		batch := []*job{first}
		n := len(first.recs)
		var timeout <-chan time.Time
		var t *time.Timer
		if b.wait > 0 && b.inflight.Load() > 1 {
			t = time.NewTimer(b.wait)
			timeout = t.C
		}
	collect:
		for n < b.maxRecs {
			if timeout == nil {
				select {
				case j := <-b.jobs:
					batch = append(batch, j)
					n += len(j.recs)
				default:
					break collect
				}
				continue
			}
			if int64(len(batch)) >= b.inflight.Load() {
				break // every request in flight is in this batch (or another's)
			}
			select {
			case j := <-b.jobs:
				batch = append(batch, j)
				n += len(j.recs)
			case <-timeout:
				break collect
			case <-b.quit:
				break collect
			}
		}
		if t != nil {
			t.Stop()
		}
		b.run(batch)
	}
}

// run scores a batch, one model call per model (a reload may have happened
// between the requests).
func (b *batcher) run(batch []*job) {
	for len(batch) > 0 {
		m := batch[0].m
		var same, rest []*job
		for _, j := range batch {
			switch {
			case j.ctx.Err() != nil:
				j.done <- jobResult{err: j.ctx.Err()}
			case j.m == m:
				same = append(same, j)
			default:
				rest = append(rest, j)
			}
		}
		b.runModel(m, same)
		batch = rest
	}
}

func (b *batcher) runModel(m *model, jobs []*job) {
	switch len(jobs) {
	case 0:
		return
	case 1:
		outs, err := b.s.predict(jobs[0].ctx, m, jobs[0].recs)
		jobs[0].done <- jobResult{outs, err}
		return
	}
	var all []map[string]any
	for _, j := range jobs {
		all = append(all, j.recs...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.s.opts.Timeout)
	outs, err := b.s.predict(ctx, m, all)
	cancel()
	if err != nil {
		for _, j := range jobs {
			o, err := b.s.predict(j.ctx, m, j.recs)
			j.done <- jobResult{o, err}
		}
		return
	}
	off := 0
	for _, j := range jobs {
		j.done <- jobResult{outs: outs[off : off+len(j.recs) : off+len(j.recs)]}
		off += len(j.recs)
	}
}
