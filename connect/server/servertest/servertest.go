// Package servertest serves gspark's Spark Connect server on a loopback
// port for the length of a test: the stand-in for a Spark cluster that the
// client-side tests (connect/client, frame's remote sessions, the CLI's
// --remote) and the server's own tests talk to over real gRPC.
package servertest

import (
	"net"
	"testing"

	"github.com/gspark/gspark/connect/server"
)

// Start serves a server made with opts on 127.0.0.1 until the test ends
// (then stops it and reports a serving error) and returns its sc://
// address and the server.
func Start(t testing.TB, opts server.Options) (string, *server.Server) {
	t.Helper()
	srv, err := server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()
	t.Cleanup(func() {
		srv.Stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "sc://" + lis.Addr().String(), srv
}
