package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gspark/gspark/ml/progress"
)

// fitProgress draws the progress of model fits (ml/progress events) as one
// line on a terminal, rewritten in place: "fit: fold 2/3  iteration 37/100".
// Its Write clears that line first, so the job's step lines written through
// it are not mixed with it.
type fitProgress struct {
	mu    sync.Mutex
	w     io.Writer
	width int
	tick  time.Duration
	units []string // in the order first seen: outer loops first
	last  map[string]progress.Event
	drawn time.Time
	shown bool
}

func newFitProgress(w io.Writer, width int, tick time.Duration) *fitProgress {
	return &fitProgress{w: w, width: width, tick: tick, last: map[string]progress.Event{}}
}

// report records e and redraws the line at most once per tick, and always
// on the last step of a loop.
func (p *fitProgress) report(e progress.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.last[e.Unit]; !ok {
		p.units = append(p.units, e.Unit)
	}
	p.last[e.Unit] = e
	now := time.Now()
	if p.shown && now.Sub(p.drawn) < p.tick && e.Done != e.Total {
		return
	}
	p.drawn = now
	p.shown = true
	fmt.Fprint(p.w, "\r"+p.line()+"\x1b[K")
}

// line renders the last event of each unit, cut to the terminal width.
func (p *fitProgress) line() string {
	var parts []string
	for _, u := range p.units {
		e := p.last[u]
		if e.Total > 0 {
			parts = append(parts, fmt.Sprintf("%s %d/%d", u, e.Done, e.Total))
		} else {
			parts = append(parts, fmt.Sprintf("%s %d", u, e.Done))
		}
	}
	s := "fit: " + strings.Join(parts, "  ")
	if p.width > 1 && len(s) > p.width-1 {
		s = s[:p.width-1]
	}
	return s
}

// Write erases the progress line, if shown, and writes b; the next event
// starts a new line of progress from scratch.
func (p *fitProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	p.units, p.last = nil, map[string]progress.Event{}
	return p.w.Write(b)
}

// done erases the progress line.
func (p *fitProgress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

func (p *fitProgress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
