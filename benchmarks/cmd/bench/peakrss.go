package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Peak RSS of a child process.
//
// wait4's ru_maxrss is not the child's own peak on Linux: Go starts children
// with vfork (CLONE_VM), and exec records the high-water mark of the memory
// it replaces — the parent's, which holds DuckDB's in-process data — as the
// child's starting maximum. A gspark process that never passed 300 MiB then
// reports the bench's 1.3 GiB. The child's own peak is read instead: by GNU
// time (which forks, so nothing is inherited) when /usr/bin/time exists, else
// by polling VmHWM in /proc/PID/status, which belongs to the new memory map
// from exec on (a lower bound that can miss a peak in the last poll interval).

// gnuTime is the GNU time binary used to measure peak RSS when present.
const gnuTime = "/usr/bin/time"

// peakProbe measures one child's peak RSS.
type peakProbe struct {
	file string // GNU time's output file; "" when polling
	poll hwmPoller
}

// peakCommand returns the command that runs bin with args, under GNU time
// when it exists, and the probe that reads its peak RSS. The process group
// is killed on cancellation, so that a timeout reaches gspark and not only
// time. Call probe.started after Start and probe.peak after Wait.
func peakCommand(ctx context.Context, bin string, args []string) (*exec.Cmd, *peakProbe, error) {
	if _, err := os.Stat(gnuTime); err != nil {
		return exec.CommandContext(ctx, bin, args...), &peakProbe{}, nil
	}
	f, err := os.CreateTemp("", "gspark-rss-*.txt")
	if err != nil {
		return nil, nil, err
	}
	f.Close()
	cmd := exec.CommandContext(ctx, gnuTime, append([]string{"-f", "%M", "-o", f.Name(), "--", bin}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd, &peakProbe{file: f.Name()}, nil
}

// started begins polling when GNU time is not used.
func (p *peakProbe) started(pid int) {
	if p.file == "" {
		p.poll.start(pid)
	}
}

// peak returns the child's peak RSS in bytes once it has exited, and
// removes GNU time's output file.
func (p *peakProbe) peak() (int64, error) {
	if p.file == "" {
		return p.poll.stop(), nil
	}
	defer os.Remove(p.file)
	b, err := os.ReadFile(p.file)
	if err != nil {
		return 0, err
	}
	return parseTimeKiB(b)
}

// parseTimeKiB reads the last line of GNU time's -f %M output (KiB) as bytes;
// earlier lines, if any, are time's notes such as "Command exited with
// non-zero status".
func parseTimeKiB(b []byte) (int64, error) {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	kib, err := strconv.ParseInt(last, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("GNU time output %q: %w", last, err)
	}
	return kib << 10, nil
}

// hwmPoller samples VmHWM of a running process every few milliseconds.
type hwmPoller struct {
	done chan struct{}
	max  chan int64
}

// start begins polling pid.
func (p *hwmPoller) start(pid int) {
	p.done, p.max = make(chan struct{}), make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			if v, ok := readVmHWM(pid); ok {
				peak = max(peak, v)
			}
			select {
			case <-p.done:
				p.max <- peak
				return
			case <-t.C:
			}
		}
	}()
}

// stop ends polling and returns the largest VmHWM seen, bytes.
func (p *hwmPoller) stop() int64 {
	if p.done == nil {
		return 0
	}
	close(p.done)
	return <-p.max
}

// readVmHWM returns VmHWM of pid in bytes.
func readVmHWM(pid int) (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			kib, err := strconv.ParseInt(f[0], 10, 64)
			return kib << 10, err == nil
		}
	}
	return 0, false
}
