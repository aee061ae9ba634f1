package server_test

import (
	"context"
	"testing"

	"github.com/apache/spark-connect-go/spark/client/channel"
	"github.com/apache/spark-connect-go/spark/sql"
	"github.com/apache/spark-connect-go/spark/sql/types"
	"google.golang.org/grpc"

	"github.com/gspark/gspark/connect/server"
	"github.com/gspark/gspark/connect/server/servertest"
)

// startServer serves on a loopback port until the test ends and returns the
// sc:// address.
func startServer(t *testing.T) string {
	t.Helper()
	addr, _ := startServerWith(t)
	return addr
}

// startServerWith is startServer also returning the server.
func startServerWith(t *testing.T) (string, *server.Server) {
	t.Helper()
	return servertest.Start(t, server.Options{})
}

// connect opens a client session of the official Go client.
func connect(t *testing.T, addr string) sql.SparkSession {
	t.Helper()
	base, err := channel.NewBuilder(addr)
	if err != nil {
		t.Fatal(err)
	}
	cb := &closingBuilder{BaseBuilder: base}
	spark, err := sql.NewSessionBuilder().WithChannelBuilder(cb).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = spark.Stop()
		// The client's Stop leaves its connection open; close it so that
		// goleak sees none of its goroutines.
		if cb.conn != nil {
			_ = cb.conn.Close()
		}
	})
	return spark
}

// closingBuilder keeps the connection the client builds, to close it.
type closingBuilder struct {
	*channel.BaseBuilder
	conn *grpc.ClientConn
}

func (b *closingBuilder) Build(ctx context.Context) (*grpc.ClientConn, error) {
	c, err := b.BaseBuilder.Build(ctx)
	b.conn = c
	return c, err
}

// rowValues turns client rows into plain values.
func rowValues(rows []types.Row) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r.Values()
	}
	return out
}
