package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chzyer/readline"
	"golang.org/x/term"

	"github.com/gspark/gspark/frame"
)

// Shell prompts: the first line of a statement, and the lines that continue it.
const (
	promptFirst    = "gspark> "
	promptContinue = "    -> "
)

// historyEnv names the environment variable with the shell's history file;
// without it the history goes to ~/.gspark_history.
const historyEnv = "GSPARK_HISTORY"

// defaultMaxRows is how many rows of a result the shell prints unless told
// otherwise with .maxrows.
const defaultMaxRows = 40

// errInterrupted is the cause of a query context cancelled by Ctrl-C.
var errInterrupted = errors.New("interrupted")

// runShell runs the interactive shell when in is a terminal; otherwise it
// runs the statements read from in, stopping at the first that fails.
// With remote set, statements run on that Spark Connect endpoint.
func runShell(ctx context.Context, s *frame.Session, remote *remoteSQL, f outputFormat, in *os.File, out, errOut io.Writer, debug bool) error {
	if !term.IsTerminal(int(in.Fd())) {
		ctx, stop := interruptible(ctx)
		defer stop()
		p := newPrinter(f, out, errOut)
		p.remote = remote
		return signalCause(ctx, runStatements(ctx, s, in, p))
	}
	sh := &shell{s: s, out: out, errOut: errOut, debug: debug}
	sh.print = &printer{f: outputFormat{write: writeTable, summary: true}, out: out, summaryOut: out, limit: defaultMaxRows, remote: remote}
	if progressWanted(errOut) {
		sh.print.progress = errOut
	}
	return sh.run(ctx, in)
}

// runStatements runs the ;-separated statements read from in as each one
// is complete, then the unterminated rest if it holds a statement. It stops
// at the first failure.
func runStatements(ctx context.Context, s *frame.Session, in io.Reader, p *printer) error {
	r := bufio.NewReader(in)
	var pending string
	for {
		line, err := r.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading statements: %w", err)
		}
		stmts, rest := splitStatements(pending + line)
		if err != nil { // end of input: a final statement needs no ';'
			if !isBlankSQL(rest) {
				stmts = append(stmts, strings.TrimSpace(rest))
			}
			rest = ""
		}
		pending = rest
		for _, st := range stmts {
			if err := p.run(ctx, s, st); err != nil {
				return err
			}
		}
		if err != nil {
			return nil
		}
	}
}

// shell is the interactive SQL shell.
type shell struct {
	s      *frame.Session
	out    io.Writer
	errOut io.Writer
	print  *printer
	debug  bool // print the stack of internal errors

	mu      sync.Mutex
	pending string                  // earlier lines of the unfinished statement
	cancel  context.CancelCauseFunc // cancels the running query; nil between queries
}

// run reads and runs statements until Ctrl-D, .quit or .exit.
func (sh *shell) run(ctx context.Context, in *os.File) error {
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 promptFirst,
		HistoryFile:            historyPath(),
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		AutoComplete:           &completer{s: sh.s, pending: sh.pendingText},
		InterruptPrompt:        "^C",
		EOFPrompt:              "\n",
		Stdin:                  in,
		Stdout:                 sh.out,
		Stderr:                 sh.errOut,
	})
	if err != nil {
		return fmt.Errorf("shell: %w", err)
	}
	defer rl.Close()

	// While a query runs the terminal is not in raw mode, so Ctrl-C arrives
	// as SIGINT: it cancels that query and nothing else.
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-sigc:
				sh.interrupt()
			case <-quit:
				return
			}
		}
	}()
	defer func() {
		signal.Stop(sigc)
		close(quit)
		wg.Wait()
	}()

	fmt.Fprintf(sh.out, "gspark shell (%d partitions). End statements with ';'. Type .help for help, Ctrl-D to exit.\n", sh.s.Partitions())
	var lines []string // lines typed since the history was last saved
	for {
		if sh.pendingText() == "" {
			rl.SetPrompt(promptFirst)
		} else {
			rl.SetPrompt(promptContinue)
		}
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			sh.setPending("")
			lines = nil
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("shell: %w", err)
		}
		if sh.pendingText() == "" && strings.HasPrefix(strings.TrimSpace(line), ".") {
			_ = rl.SaveHistory(strings.TrimSpace(line))
			if sh.meta(ctx, strings.TrimSpace(line)) {
				return nil
			}
			continue
		}
		if strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
		stmts, rest := splitStatements(sh.pendingText() + line + "\n")
		if isBlankSQL(rest) {
			rest = ""
			if len(lines) > 0 {
				_ = rl.SaveHistory(historyEntry(lines))
			}
			lines = nil
		}
		sh.setPending(rest)
		for _, st := range stmts {
			sh.execute(ctx, st)
		}
	}
}

// historyPath is the shell's history file: $GSPARK_HISTORY, else
// ~/.gspark_history, else none.
func historyPath() string {
	if p := os.Getenv(historyEnv); p != "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".gspark_history")
}

func (sh *shell) pendingText() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.pending
}

func (sh *shell) setPending(s string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.pending = s
}

// interrupt cancels the running query, if any.
func (sh *shell) interrupt() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.cancel != nil {
		sh.cancel(errInterrupted)
	}
}

// execute runs one statement and prints its result or its error; Ctrl-C
// cancels it.
func (sh *shell) execute(ctx context.Context, stmt string) {
	qctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sh.mu.Lock()
	sh.cancel = cancel
	sh.mu.Unlock()
	start := time.Now()
	sh.print.n = 0
	if f, ok := sh.out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		sh.print.f.write = tableWriter(termWidth(f))
	}
	err := sh.print.run(qctx, sh.s, stmt)
	sh.mu.Lock()
	sh.cancel = nil
	sh.mu.Unlock()
	switch {
	case err == nil:
	case errors.Is(context.Cause(qctx), errInterrupted):
		fmt.Fprintf(sh.errOut, "Query cancelled after %.3f s.\n", time.Since(start).Seconds())
	default:
		reportError(sh.errOut, "Error: ", err, sh.debug)
	}
}

const shellHelp = `Statements end with ';' and may span lines. Tab completes keywords, functions,
tables and columns; Up/Down and Ctrl-R search the history. Ctrl-C cancels the
running query or clears the current input; Ctrl-D exits.

SQL: SELECT/WITH queries, CREATE [OR REPLACE] TEMP VIEW name AS query,
     DROP VIEW name, EXPLAIN [EXTENDED|ANALYZE] query, SHOW TABLES, DESCRIBE table.

.tables          list the tables and views
.schema TABLE    show the columns of a table
.maxrows [N]     show or set how many rows of a result are printed (0: all)
.help            this text
.quit, .exit     leave the shell
`

// meta runs a dot command and reports whether the shell should exit.
func (sh *shell) meta(ctx context.Context, line string) bool {
	f := strings.Fields(line)
	switch strings.ToLower(f[0]) {
	case ".quit", ".exit", ".q":
		return true
	case ".help", ".h":
		fmt.Fprint(sh.out, shellHelp)
	case ".tables":
		if sh.print.remote != nil {
			sh.execute(ctx, "SHOW TABLES")
			return false
		}
		for _, t := range sh.s.Tables() {
			fmt.Fprintln(sh.out, t)
		}
	case ".schema":
		if len(f) != 2 {
			fmt.Fprintln(sh.errOut, "Error: usage: .schema TABLE")
			return false
		}
		sh.execute(ctx, "DESCRIBE "+f[1])
	case ".maxrows":
		switch len(f) {
		case 1:
			fmt.Fprintln(sh.out, max(sh.print.limit, 0))
		case 2:
			n, err := strconv.Atoi(f[1])
			if err != nil || n < 0 {
				fmt.Fprintf(sh.errOut, "Error: .maxrows wants a count of rows, got %q\n", f[1])
				return false
			}
			sh.print.limit = n
			if n == 0 {
				sh.print.limit = -1
			}
		default:
			fmt.Fprintln(sh.errOut, "Error: usage: .maxrows [N]")
		}
	default:
		fmt.Fprintf(sh.errOut, "Error: unknown command %s; type .help for the commands\n", f[0])
	}
	return false
}
