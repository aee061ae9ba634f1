package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// heapMetric is the runtime metric of the bytes held by live and
// not-yet-swept heap objects.
const heapMetric = "/memory/classes/heap/objects:bytes"

// memProfiler writes the heap profile of --memprofile at the command's
// largest heap: it samples the heap size every interval and rewrites the
// profile each time the heap has grown by a twentieth past the largest size
// profiled so far.
type memProfiler struct {
	path string
	stop chan struct{}
	done chan error
}

// startMemProfiler starts profiling into path, which it creates at once so
// that a path that cannot be written fails the command before it runs.
func startMemProfiler(path string, interval time.Duration) (*memProfiler, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--memprofile: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("--memprofile: %w", err)
	}
	p := &memProfiler{path: path, stop: make(chan struct{}), done: make(chan error, 1)}
	go p.loop(interval)
	return p, nil
}

func (p *memProfiler) loop(interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	sample := []metrics.Sample{{Name: heapMetric}}
	var largest uint64
	wrote := false
	for {
		select {
		case <-p.stop:
			if !wrote {
				p.done <- p.write()
				return
			}
			p.done <- nil
			return
		case <-t.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			continue
		}
		if h := sample[0].Value.Uint64(); h > largest+largest/20 {
			largest = h
			if err := p.write(); err != nil {
				p.done <- err
				<-p.stop
				return
			}
			wrote = true
		}
	}
}

// write replaces the profile file with the current heap profile.
func (p *memProfiler) write() error {
	var buf bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&buf, 0); err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	if err := os.WriteFile(p.path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	return nil
}

// Stop ends the sampling; the profile holds the largest heap seen (or the
// heap at the end when it never grew).
func (p *memProfiler) Stop() error {
	close(p.stop)
	return <-p.done
}
