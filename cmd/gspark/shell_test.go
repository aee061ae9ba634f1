package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/gspark/gspark/frame"
)

// terminal is the test's side of a pseudo-terminal a process runs on: what
// the process printed so far, and where the test has read up to.
type terminal struct {
	t    *testing.T
	ptmx *os.File
	mu   sync.Mutex
	buf  bytes.Buffer
	more chan struct{} // signalled after each read
	done chan struct{} // closed when reading stops
	seen int           // offset in buf up to which expect has matched
}

func startTerminal(t *testing.T, cmd *exec.Cmd) *terminal {
	t.Helper()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 160})
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, ptmx: ptmx, more: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(term.done)
		b := make([]byte, 4096)
		for {
			n, err := ptmx.Read(b)
			term.mu.Lock()
			term.buf.Write(b[:n])
			term.mu.Unlock()
			select {
			case term.more <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		ptmx.Close()
		<-term.done
	})
	return term
}

// write types s.
func (term *terminal) write(s string) {
	term.t.Helper()
	if _, err := term.ptmx.Write([]byte(s)); err != nil {
		term.t.Fatalf("writing %q: %v", s, err)
	}
}

// expect waits until the output after the last match contains want and
// returns when it was seen; it fails the test after timeout.
func (term *terminal) expect(want string, timeout time.Duration) time.Time {
	term.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		term.mu.Lock()
		out := term.buf.String()
		term.mu.Unlock()
		if i := strings.Index(out[term.seen:], want); i >= 0 {
			term.seen += i + len(want)
			return time.Now()
		}
		select {
		case <-term.more:
		case <-term.done:
			term.mu.Lock()
			out = term.buf.String()
			term.mu.Unlock()
			if !strings.Contains(out[term.seen:], want) {
				term.t.Fatalf("output ended without %q; after the last match:\n%s", want, out[term.seen:])
			}
		case <-deadline.C:
			term.t.Fatalf("no %q within %s; after the last match:\n%q", want, timeout, out[term.seen:])
		}
	}
}

// TestShellTerminal drives the built binary through a pseudo-terminal as a
// person would: a query over several lines, a syntax error, tab completion,
// Ctrl-C during a long query and at the prompt, and Ctrl-D.
func TestShellTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a long query")
	}
	bin := buildBinary(t)
	hist := filepath.Join(t.TempDir(), "history")
	cmd := exec.Command(bin, "--partitions", "4")
	cmd.Env = append(os.Environ(), historyEnv+"="+hist, "TERM=xterm", progressEnv+"=")
	term := startTerminal(t, cmd)
	const wait = 10 * time.Second

	term.expect("gspark shell (4 partitions)", wait)
	term.expect(promptFirst, wait)

	// A query over three lines.
	term.write("select n_regionkey, count(*) as n\r")
	term.expect(promptContinue, wait)
	term.write("from nation\r")
	term.expect(promptContinue, wait)
	term.write("group by n_regionkey order by n_regionkey;\r")
	term.expect("| n_regionkey |", wait)
	term.expect("|           4 | 5 |", wait)
	term.expect("5 rows (", wait)
	term.expect(promptFirst, wait)

	// A syntax error prints its position, and the shell carries on.
	term.write("select n_name from nation where n_name = = 'x';\r")
	term.expect("syntax error at line 1, column 42", wait)
	term.expect("^", wait)
	term.expect(promptFirst, wait)

	// Ctrl-C cancels a long query; the bar shows once it has run a second.
	term.write("select count(*) from lineitem a cross join lineitem b where a.l_quantity + b.l_quantity > 1000;\r")
	term.expect(" parts ", 5*time.Second)
	time.Sleep(200 * time.Millisecond)
	sent := time.Now()
	term.write("\x03")
	seen := term.expect("Query cancelled", wait)
	latency := seen.Sub(sent)
	t.Logf("Ctrl-C to the cancel message: %s", latency)
	if latency > 2*time.Second {
		t.Errorf("cancelling took %s", latency)
	}
	term.expect(promptFirst, wait)

	// The shell still runs queries; Tab completes a table name.
	term.write("select count(*) as c from samples.nat\t")
	term.expect("samples.nation", wait)
	term.write(";\r")
	term.expect("| 25 |", wait)
	term.expect("1 row (", wait)
	term.expect(promptFirst, wait)

	// Ctrl-C at the prompt drops the unfinished statement.
	term.write("select\r")
	term.expect(promptContinue, wait)
	term.write("\x03")
	term.expect("^C", wait)
	term.expect(promptFirst, wait)
	term.write(".tables\r")
	term.expect("samples.lineitem", wait)
	term.expect(promptFirst, wait)

	// Ctrl-D on an empty line exits with status 0.
	term.write("\x04")
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Ctrl-D did not exit the shell")
	}

	if dump := os.Getenv("GSPARK_TEST_TRANSCRIPT"); dump != "" {
		term.mu.Lock()
		_ = os.WriteFile(dump, term.buf.Bytes(), 0o644)
		term.mu.Unlock()
	}
	h, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"select n_regionkey, count(*) as n from nation group by n_regionkey order by n_regionkey;",
		"select count(*) as c from samples.nation;",
		".tables",
	} {
		if !strings.Contains(string(h), want+"\n") {
			t.Errorf("history lacks %q:\n%s", want, h)
		}
	}
}

// TestShellPipedBinary runs statements piped to the binary's standard input.
func TestShellPipedBinary(t *testing.T) {
	bin := buildBinary(t)
	run := func(stdin string, args ...string) (string, string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		return o.String(), e.String(), err
	}
	out, errOut, err := run("select 1 as a;\nselect r_name\n  from region where r_regionkey = 0")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if want := "+---+\n| a |\n+---+\n| 1 |\n+---+\n\n+--------+\n| r_name |\n+--------+\n| AFRICA |\n+--------+\n"; out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if !strings.HasPrefix(errOut, "1 row (") {
		t.Errorf("stderr: %q", errOut)
	}

	out, errOut, err = run("select 1 as a; select 'x;y' as b;", "--format", "csv")
	if err != nil || out != "a\r\n1\r\nb\r\nx;y\r\n" || errOut != "" {
		t.Errorf("csv: %q %q %v", out, errOut, err)
	}

	out, errOut, err = run("select 1 as a;\nselect nope from nation;\nselect 2 as b;\n", "--format", "csv")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("a failing statement should exit non-zero, got %v", err)
	}
	if out != "a\r\n1\r\n" || !strings.Contains(errOut, "unknown column nope") {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
}

func TestRunStatements(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	f, _ := formatter("csv")
	var out, errOut bytes.Buffer
	script := "create temp view v as select r_regionkey k from region;\n-- a comment; with a semicolon\n" +
		"select count(*) as n from v;;\nselect k from v\nwhere k < 2 order by k"
	if err := runStatements(context.Background(), s, strings.NewReader(script), newPrinter(f, &out, &errOut)); err != nil {
		t.Fatal(err)
	}
	if want := "n\r\n5\r\nk\r\n0\r\n1\r\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	out.Reset()
	err := runStatements(context.Background(), s, strings.NewReader("select 1 as a;\nselect from;\nselect 2;"), newPrinter(f, &out, &errOut))
	if err == nil || !strings.Contains(err.Error(), "syntax error at line 1") || out.String() != "a\r\n1\r\n" {
		t.Errorf("got %v, output %q", err, out.String())
	}
	if err := runStatements(context.Background(), s, strings.NewReader("  -- nothing\n"), newPrinter(f, &out, &errOut)); err != nil {
		t.Error(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := runStatements(ctx, s, strings.NewReader("select count(*) from lineitem;"), newPrinter(f, io.Discard, io.Discard)); err == nil {
		t.Error("a cancelled context should stop the statements")
	}
}

func TestShellMeta(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	var out, errOut bytes.Buffer
	sh := &shell{s: s, out: &out, errOut: &errOut}
	sh.print = &printer{f: outputFormat{write: writeTable, summary: true}, out: &out, summaryOut: &out, limit: 3}
	ctx := context.Background()

	sh.execute(ctx, "select n_nationkey from nation order by n_nationkey")
	if want := "+-------------+\n| n_nationkey |\n+-------------+\n|           0 |\n|           1 |\n|           2 |\n+-------------+\n25 rows, 3 shown ("; !strings.HasPrefix(out.String(), want) {
		t.Errorf("got:\n%s\nwant a prefix:\n%s", out.String(), want)
	}
	out.Reset()
	sh.execute(ctx, "select nope from nation")
	if !strings.HasPrefix(errOut.String(), "Error: ") || !strings.Contains(errOut.String(), "unknown column nope") {
		t.Errorf("stderr: %q", errOut.String())
	}
	errOut.Reset()

	for _, c := range []struct {
		line, out, err string
		quit           bool
	}{
		{".tables", "samples.nation\n", "", false},
		{".maxrows", "3\n", "", false},
		{".maxrows 0", "", "", false},
		{".maxrows", "0\n", "", false},
		{".maxrows x", "", "Error: .maxrows wants a count", false},
		{".schema samples.region", "| r_name      | string    |", "", false},
		{".schema", "", "usage: .schema TABLE", false},
		{".help", ".maxrows [N]", "", false},
		{".bogus", "", "unknown command .bogus", false},
		{".quit", "", "", true},
		{".exit", "", "", true},
	} {
		out.Reset()
		errOut.Reset()
		if quit := sh.meta(ctx, c.line); quit != c.quit {
			t.Errorf("%s: quit = %v", c.line, quit)
		}
		if !strings.Contains(out.String(), c.out) || !strings.Contains(errOut.String(), c.err) || (c.err == "" && errOut.Len() > 0) {
			t.Errorf("%s: stdout %q, stderr %q", c.line, out.String(), errOut.String())
		}
	}
	if sh.print.limit != -1 {
		t.Errorf(".maxrows 0 should print every row, limit is %d", sh.print.limit)
	}
}
