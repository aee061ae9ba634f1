package server_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestOfficialExampleProgram runs the Go client's own example program,
// cmd/spark-connect-example-spark-session (SQL, filters, show, schema,
// collect, Parquet write and read, temp view, repartitions), against the
// server; it must run to completion.
func TestOfficialExampleProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the client's example program")
	}
	addr := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "run", "github.com/apache/spark-connect-go/cmd/spark-connect-example-spark-session",
		"--remote", addr, "--filedir", t.TempDir())
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("example program: %v\n%s", err, out)
	}
	for _, want := range []string{"Field in dataframe schema: count - Integer", "Row: &{[orange 456]", "Repartition by range with columns"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
