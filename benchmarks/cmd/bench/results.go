package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// Markers delimiting the part of RESULTS.md that the harness rewrites.
const (
	startMarker = "<!-- bench:start -->"
	endMarker   = "<!-- bench:end -->"
)

// resultRow is one line of the results table.
type resultRow struct {
	query  string
	gspark time.Duration // 0 when not measured
	duckdb time.Duration // 0 when not measured
	notes  string
}

// scanRow is one line of the scan speed-limit table.
type scanRow struct {
	reader string
	median time.Duration
	rows   int64
	notes  string
}

// report is everything written between the markers.
type report struct {
	when    time.Time
	command string
	data    string
	load    string
	rows    []resultRow
	scans   []scanRow
}

func ms(d time.Duration) string {
	if d <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000)
}

// markdown renders the section between (and including) the markers.
func (r report) markdown() string {
	var b strings.Builder
	b.WriteString(startMarker + "\n")
	fmt.Fprintf(&b, "Run %s UTC\n\n", r.when.UTC().Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "- machine: %s; runtime.NumCPU=%d, GOMAXPROCS=%d, %s %s/%s\n",
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "- load average at start: %s (other work on the machine skews timings)\n", r.load)
	fmt.Fprintf(&b, "- command (from benchmarks/): `%s`\n", r.command)
	fmt.Fprintf(&b, "- data: %s\n\n", r.data)
	if len(r.rows) > 0 {
		b.WriteString("| query | gspark median ms | DuckDB median ms | ratio gspark/DuckDB | notes |\n")
		b.WriteString("|---|---:|---:|---:|---|\n")
		for _, row := range r.rows {
			ratio := "n/a"
			if row.gspark > 0 && row.duckdb > 0 {
				ratio = fmt.Sprintf("%.2f", float64(row.gspark)/float64(row.duckdb))
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", row.query, ms(row.gspark), ms(row.duckdb), ratio, row.notes)
		}
		b.WriteString("\n")
	}
	if len(r.scans) > 0 {
		b.WriteString("Scan speed limit: bare decode of Q1's seven columns (l_returnflag, l_linestatus, l_quantity, l_extendedprice, l_discount, l_tax, l_shipdate).\n\n")
		b.WriteString("| scan | median ms | rows | notes |\n")
		b.WriteString("|---|---:|---:|---|\n")
		for _, s := range r.scans {
			fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", s.reader, ms(s.median), s.rows, s.notes)
		}
		b.WriteString("\n")
	}
	b.WriteString(endMarker + "\n")
	return b.String()
}

// spliceResults returns old with the marked section replaced by section; when
// old has no markers the section is appended. Text outside the markers is kept.
func spliceResults(old, section string) (string, error) {
	return spliceMarked(old, section, startMarker, endMarker)
}

// spliceMarked returns old with the part between the markers start and end
// (inclusive) replaced by section; when old has neither marker the section is
// appended. Text outside the markers is kept.
func spliceMarked(old, section, startMark, endMark string) (string, error) {
	start := strings.Index(old, startMark)
	end := strings.Index(old, endMark)
	switch {
	case start < 0 && end < 0:
		if old != "" && !strings.HasSuffix(old, "\n") {
			old += "\n"
		}
		if old != "" {
			old += "\n"
		}
		return old + section, nil
	case start < 0 || end < start:
		return "", fmt.Errorf("results file has unbalanced markers %s / %s", startMark, endMark)
	}
	rest := old[end+len(endMark):]
	rest = strings.TrimPrefix(rest, "\n")
	return old[:start] + section + rest, nil
}

// writeResults rewrites the marked section of the file at path (creating it with a
// short heading when missing).
func writeResults(path string, r report) error {
	old, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		old = []byte("# gspark vs DuckDB\n\nWritten by `go run ./cmd/bench`; see README.md. Text outside the markers is kept.\n")
	} else if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	out, err := spliceResults(string(old), r.markdown())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(out), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	return nil
}

// loadAverage returns the 1, 5 and 15 minute load averages of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "unknown CPU".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
