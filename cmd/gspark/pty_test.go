//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyCancelBound is the Ctrl-C latency the pseudo-terminal tests accept:
// the target is 100 ms on a quiet machine, the bound leaves room for a
// loaded CI box; the measured figures are logged.
const ptyCancelBound = 3 * time.Second

// needPty skips the test when the system has no pseudo-terminals.
func needPty(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and runs long queries")
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	tty.Close()
	ptmx.Close()
}

// longQueries keep one operator kind busy for many seconds each.
var longQueries = []struct{ name, sql string }{
	{"aggregate", "SELECT id * 7919 % 500000000 AS k, sum(id) FROM range(0, 2000000000, 1, 4) GROUP BY 1;"},
	{"count-distinct", "SELECT count(DISTINCT id * 7919 % 500000000) FROM range(0, 2000000000, 1, 4);"},
	{"join", "SELECT count(*) FROM range(0, 40000000, 1, 4) a JOIN range(0, 40000000, 1, 4) b ON a.id = b.id * 3;"},
	{"sort", "SELECT id FROM range(0, 2000000000, 1, 4) ORDER BY id * 7919 % 2000000000 LIMIT 5;"},
}

// TestPtyShellCtrlC runs long queries in the shell on a pseudo-terminal,
// types Ctrl-C while each runs and measures the time until the shell says
// the query was cancelled; the shell then runs another statement, Ctrl-C at
// the prompt leaves it running, and Ctrl-D exits with status 0.
func TestPtyShellCtrlC(t *testing.T) {
	needPty(t)
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--partitions", "4")
	cmd.Env = append(os.Environ(), historyEnv+"="+filepath.Join(t.TempDir(), "history"), "TERM=xterm", progressEnv+"=")
	term := startTerminal(t, cmd)
	const wait = 20 * time.Second
	term.expect(promptFirst, wait)
	for _, q := range longQueries {
		term.write(q.sql + "\r")
		time.Sleep(700 * time.Millisecond) // the query is under way
		sent := time.Now()
		term.write("\x03")
		seen := term.expect("Query cancelled", wait)
		term.expect(promptFirst, wait)
		latency := seen.Sub(sent)
		t.Logf("%-15s Ctrl-C to \"Query cancelled\": %v", q.name, latency.Round(100*time.Microsecond))
		if latency > ptyCancelBound {
			t.Errorf("%s: cancelling took %v, want at most %v", q.name, latency, ptyCancelBound)
		}
	}
	// The shell still answers, a Ctrl-C at the empty prompt does not end it,
	// and Ctrl-D does.
	term.write("SELECT 6 * 7 AS answer;\r")
	term.expect("42 |", wait)
	term.expect(promptFirst, wait)
	term.write("\x03")
	term.expect("^C", wait)
	term.expect(promptFirst, wait)
	term.write("\x04")
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after Ctrl-D: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Ctrl-D at the prompt did not end the shell")
	}
}

// TestPtySQLCtrlC runs `gspark sql -e` with a long query on a pseudo-terminal
// and types Ctrl-C: the terminal sends SIGINT and gspark exits with status
// 130 within the bound.
func TestPtySQLCtrlC(t *testing.T) {
	needPty(t)
	bin := buildBinary(t)
	for _, q := range longQueries {
		t.Run(q.name, func(t *testing.T) {
			cmd := exec.Command(bin, "sql", "--partitions", "4", "-e", q.sql)
			cmd.Env = append(os.Environ(), "TERM=xterm", progressEnv+"=")
			term := startTerminal(t, cmd)
			time.Sleep(1500 * time.Millisecond) // started, planned and under way
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			sent := time.Now()
			term.write("\x03")
			var err error
			select {
			case err = <-exited:
			case <-time.After(30 * time.Second):
				t.Fatal("gspark sql did not exit 30 s after Ctrl-C")
			}
			took := time.Since(sent)
			t.Logf("%-15s Ctrl-C to exit: %v", q.name, took.Round(100*time.Microsecond))
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("exit %v, want status 130", err)
			}
			if took > ptyCancelBound {
				t.Errorf("Ctrl-C to exit took %v, want at most %v", took, ptyCancelBound)
			}
		})
	}
}
