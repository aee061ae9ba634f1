package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestRemoteParam substitutes --param values in the SQL text sent with
// --remote, as the local path does.
func TestRemoteParam(t *testing.T) {
	addr := startConnectServer(t)
	args := []string{"--param", "n=41", "--param", "who=gspark", "--format", "csv", "-e", "select ${n} + 1 as answer, '${who}' as who"}
	local, _, lerr := runCLI(append([]string{"sql"}, args...)...)
	remote, _, rerr := runCLI(append([]string{"sql", "--remote", addr}, args...)...)
	if lerr != nil || rerr != nil {
		t.Fatalf("local %v, remote %v", lerr, rerr)
	}
	if want := "answer,who\r\n42,gspark\r\n"; remote != want || local != want {
		t.Errorf("remote %q, local %q, want %q", remote, local, want)
	}
}

// TestRemoteConf sends --conf settings to the remote session: the server's
// current_timezone() is the one set on the command line.
func TestRemoteConf(t *testing.T) {
	addr := startConnectServer(t)
	out, _, err := runCLI("sql", "--remote", addr, "--conf", "spark.sql.session.timeZone=Asia/Tokyo", "--format", "csv", "-e", "select current_timezone() as z")
	if err != nil {
		t.Fatal(err)
	}
	if want := "z\r\nAsia/Tokyo\r\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	_, _, err = runCLI("sql", "--remote", addr, "--conf", "nonsense", "-e", "select 1")
	if err == nil || !strings.Contains(err.Error(), `--conf "nonsense": want key=value`) {
		t.Errorf("error %v, want one about --conf", err)
	}
}

// TestRemoteLocalOnlyFlags warns that --partitions and --memory-limit do
// not apply with --remote, and still runs the statements.
func TestRemoteLocalOnlyFlags(t *testing.T) {
	addr := startConnectServer(t)
	out, errOut, err := runCLI("sql", "--remote", addr, "--partitions", "3", "--memory-limit", "1GB", "--format", "csv", "-e", "select 1 as one")
	if err != nil {
		t.Fatal(err)
	}
	if out != "one\r\n1\r\n" {
		t.Errorf("output %q", out)
	}
	for _, flag := range []string{"--partitions applies only to local runs", "--memory-limit applies only to local runs"} {
		if strings.Count(errOut, flag) != 1 {
			t.Errorf("stderr %q, want one warning %q", errOut, flag)
		}
	}
	_, errOut, err = runCLI("sql", "--remote", addr, "--format", "csv", "-e", "select 1 as one")
	if err != nil || strings.Contains(errOut, "warning") {
		t.Errorf("without the flags: %v, stderr %q", err, errOut)
	}
}

// errEnough is what the writer of TestRemoteStreams fails with once it has
// been written to.
var errEnough = errors.New("enough output")

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	if w.n > 1<<16 {
		return 0, errEnough
	}
	return len(p), nil
}

// TestRemoteStreams prints a remote result as its batches arrive: rows of a
// query far too large to hold are written at once, and the writer's error
// stops the query. A result held whole would never be written before the
// deadline.
func TestRemoteStreams(t *testing.T) {
	addr := startConnectServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	f, err := formatter("csv")
	if err != nil {
		t.Fatal(err)
	}
	var errOut strings.Builder
	err = runRemoteSQL(ctx, new(globalFlags), addr, "select id from range(0, 100000000000)", f, &failingWriter{}, &errOut)
	if !errors.Is(err, errEnough) {
		t.Fatalf("error %v, want the writer's (the rows were not streamed)", err)
	}
}
