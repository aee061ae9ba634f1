package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/gspark/gspark/exec"
)

// Progress bar timing: a query that runs longer than progressDelay gets a bar,
// redrawn every progressTick.
const (
	progressDelay = time.Second
	progressTick  = 100 * time.Millisecond
)

// progressEnv names the environment variable that overrides whether progress
// bars are drawn: "always" or "never"; otherwise only on a terminal.
const progressEnv = "GSPARK_PROGRESS"

// progressWanted reports whether progress bars should be drawn on w.
func progressWanted(w io.Writer) bool {
	switch os.Getenv(progressEnv) {
	case "always":
		return true
	case "never":
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// termWidth is the width of the terminal behind w, or 80.
func termWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return 80
}

// startProgress draws a progress bar for p on w once delay has passed, and
// redraws it every tick. The returned stop function (safe to call more than
// once) ends the drawing, erases the bar and returns only when nothing more
// will be written.
func startProgress(w io.Writer, p *exec.Progress, delay, tick time.Duration) (stop func()) {
	quit := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	width := termWidth(w)
	go func() {
		defer close(finished)
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-quit:
			return
		case <-timer.C:
		}
		ticker := time.NewTicker(tick)
		defer ticker.Stop()
		for {
			done, total := p.Counts()
			fmt.Fprint(w, "\r"+progressLine(done, total, time.Since(start), width)+"\x1b[K")
			select {
			case <-quit:
				fmt.Fprint(w, "\r\x1b[K")
				return
			case <-ticker.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(quit)
			<-finished
		})
	}
}

// progressLine renders one line of the bar, at most width-1 columns wide:
// [=====>    ] done/total and the elapsed time.
func progressLine(done, total int64, elapsed time.Duration, width int) string {
	tail := fmt.Sprintf(" %d/%d parts %.1f s", done, total, elapsed.Seconds())
	if total <= 0 {
		tail = fmt.Sprintf(" running %.1f s", elapsed.Seconds())
	}
	barWidth := min(width-1-len(tail)-2, 50)
	if barWidth < 5 {
		return strings.TrimSpace(tail)
	}
	filled := 0
	if total > 0 {
		filled = int(min(done, total) * int64(barWidth) / total)
	}
	bar := strings.Repeat("=", filled)
	if filled < barWidth {
		if filled > 0 {
			bar = bar[:filled-1] + ">"
		}
		bar += strings.Repeat(" ", barWidth-filled)
	}
	return "[" + bar + "]" + tail
}
