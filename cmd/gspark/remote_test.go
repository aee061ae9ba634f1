package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/connect/server"
	"github.com/gspark/gspark/connect/server/servertest"
	"github.com/gspark/gspark/frame"
)

// startConnectServer serves Spark Connect in-process on a free port and
// returns its sc:// address.
func startConnectServer(t *testing.T) string {
	t.Helper()
	return startConnectServerWith(t, server.Options{})
}

// startConnectServerWith is startConnectServer with options.
func startConnectServerWith(t *testing.T, opts server.Options) string {
	t.Helper()
	addr, _ := servertest.Start(t, opts)
	return addr
}

// runCLI runs the gspark command with args in-process.
func runCLI(args ...string) (stdout, stderr string, err error) {
	cmd := newRoot()
	var o, e bytes.Buffer
	cmd.SetOut(&o)
	cmd.SetErr(&e)
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(context.Background())
	return o.String(), e.String(), err
}

// tpchScript writes the 22 TPC-H queries as one script and returns its path.
func tpchScript(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for q := 1; q <= 22; q++ {
		text, err := os.ReadFile(filepath.Join("../../testdata/tpch", fmt.Sprintf("q%02d.sql", q)))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(text)
		b.WriteString(";\n")
	}
	path := filepath.Join(t.TempDir(), "tpch.sql")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRemoteSQLTPCH runs the TPC-H queries with `gspark sql -f` locally and
// with --remote against an in-process server, and wants the same bytes.
func TestRemoteSQLTPCH(t *testing.T) {
	if testing.Short() {
		t.Skip("22 queries, twice per format")
	}
	addr := startConnectServer(t)
	script := tpchScript(t)
	for _, format := range []string{"table", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			local, _, err := runCLI("sql", "--format", format, "-f", script)
			if err != nil {
				t.Fatalf("local: %v", err)
			}
			remote, _, err := runCLI("sql", "--remote", addr, "--format", format, "-f", script)
			if err != nil {
				t.Fatalf("remote: %v", err)
			}
			if remote != local {
				t.Errorf("remote output differs from local:\n--- remote\n%s\n--- local\n%s", remote, local)
			}
			if n := strings.Count(local, "\n"); n < 22*2 {
				t.Errorf("local output has %d lines, want at least 44 for 22 results", n)
			}
		})
	}
}

// TestRemoteSQLStatements checks a script of a view, queries and a failing
// statement: same output and same error as locally, the view living in the
// remote session across statements.
func TestRemoteSQLStatements(t *testing.T) {
	addr := startConnectServer(t)
	script := "create temp view v as select id, id * 2 as d from range(3); select * from v order by id; select nope from v; select 1"
	local, _, lerr := runCLI("sql", "--format", "csv", "-e", script)
	remote, _, rerr := runCLI("sql", "--remote", addr, "--format", "csv", "-e", script)
	if want := "id,d\r\n0,0\r\n1,2\r\n2,4\r\n"; local != want {
		t.Fatalf("local output %q, want %q", local, want)
	}
	if remote != local {
		t.Errorf("remote output %q, want %q", remote, local)
	}
	if lerr == nil || rerr == nil {
		t.Fatalf("want both to fail at statement 3; local %v, remote %v", lerr, rerr)
	}
	if !strings.HasPrefix(lerr.Error(), "statement 3 (select nope from v): ") {
		t.Errorf("local error %q", lerr)
	}
	if rerr.Error() != lerr.Error() {
		t.Errorf("remote error %q, want %q", rerr, lerr)
	}
}

// TestRemoteShellPiped runs statements piped to `gspark --remote`; the view
// they read exists only in the server's sessions.
func TestRemoteShellPiped(t *testing.T) {
	addr := startConnectServerWith(t, server.Options{NewSession: func() (*frame.Session, error) {
		s := frame.NewSession()
		return s, s.SQL("select n_nationkey from nation").CreateOrReplaceTempView("server_only")
	}})
	path := filepath.Join(t.TempDir(), "in.sql")
	if err := os.WriteFile(path, []byte("select count(*) as n from server_only;\nselect 'a;b' as s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	f, err := formatter("csv")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := runRemoteShell(context.Background(), new(globalFlags), addr, f, in, &out, &errOut, false); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	// TPC-H has 25 nations.
	if want := "n\r\n25\r\ns\r\na;b\r\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

// TestRemoteBadAddress reports a --remote address that is not sc://.
func TestRemoteBadAddress(t *testing.T) {
	_, _, err := runCLI("sql", "--remote", "http://127.0.0.1:1", "-e", "select 1")
	if err == nil || !strings.Contains(err.Error(), "--remote http://127.0.0.1:1") {
		t.Errorf("error %v, want one naming --remote", err)
	}
}

// TestRemoteUnreachable names the address when nothing listens there.
func TestRemoteUnreachable(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "sc://" + lis.Addr().String()
	lis.Close()
	_, _, err = runCLI("sql", "--remote", addr, "-e", "select 1")
	want := "statement 1 (select 1): --remote " + addr + ": the server cannot be reached: "
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want it to start with %q", err, want)
	}
}

// TestRemoteShellTables lists the server session's tables for .tables.
func TestRemoteShellTables(t *testing.T) {
	addr := startConnectServerWith(t, server.Options{NewSession: func() (*frame.Session, error) {
		s := frame.NewSession()
		return s, s.SQL("select 1 as a").CreateOrReplaceTempView("server_only")
	}})
	r, err := dialRemote(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out bytes.Buffer
	sh := &shell{s: r.local, out: &out, errOut: &out}
	sh.print = &printer{f: outputFormat{write: writeTable, summary: true}, out: &out, summaryOut: &out, limit: defaultMaxRows, remote: r}
	sh.meta(context.Background(), ".tables")
	if !strings.Contains(out.String(), "server_only") {
		t.Errorf(".tables printed %q, want the server's view server_only", out.String())
	}
}
