package main

import (
	"bufio"
	"context"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/spark-connect-go/spark/client/channel"
	"github.com/apache/spark-connect-go/spark/sql"
	"google.golang.org/grpc"
)

// closingChannel keeps the connection the Go client builds, whose Stop
// leaves it open, so the test can close it.
type closingChannel struct {
	*channel.BaseBuilder
	conn *grpc.ClientConn
}

func (b *closingChannel) Build(ctx context.Context) (*grpc.ClientConn, error) {
	c, err := b.BaseBuilder.Build(ctx)
	b.conn = c
	return c, err
}

// The command serves Spark Connect on --addr with the global flags' session
// settings, and SIGTERM stops it with 128+15.
func TestConnectServerCommand(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--conf", "spark.sql.session.timeZone=Asia/Tokyo", "connect-server", "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, a, ok := strings.Cut(sc.Text(), "Spark Connect server on "); ok {
				addr <- a
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		_ = cmd.Wait()
	})
	var remote string
	select {
	case remote = <-addr:
	case <-time.After(30 * time.Second):
		t.Fatal("gspark connect-server did not start")
	}
	base, err := channel.NewBuilder(remote)
	if err != nil {
		t.Fatal(err)
	}
	cb := &closingChannel{BaseBuilder: base}
	ctx := context.Background()
	spark, err := sql.NewSessionBuilder().WithChannelBuilder(cb).Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cb.conn.Close() }()
	df, err := spark.Sql(ctx, "SELECT current_timezone() AS tz, 6 * 7 AS answer")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].At(0) != "Asia/Tokyo" || rows[0].At(1) != int32(42) {
		t.Fatalf("rows %v, want [Asia/Tokyo 42]", rows)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-done
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) || exit.ExitCode() != 128+int(syscall.SIGTERM) {
		t.Fatalf("after SIGTERM: %v, want exit status %d", err, 128+int(syscall.SIGTERM))
	}
}
