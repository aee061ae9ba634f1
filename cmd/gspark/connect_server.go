package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/gspark/gspark/connect/server"
	"github.com/gspark/gspark/frame"
)

// shutdownGrace is how long connect-server waits on SIGTERM or Ctrl-C for
// the calls in flight before cancelling them.
const shutdownGrace = 30 * time.Second

// newConnectServer is the connect-server command: gspark behind the Spark
// Connect protocol, for Spark Connect clients (PySpark, Scala, Go).
func newConnectServer(g *globalFlags) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "connect-server",
		Short: "Serve the Spark Connect protocol, so Spark clients run on gspark",
		Long: "Serve the Spark Connect protocol (gRPC) on --addr (Spark Connect's port 15002 by\n" +
			"default): point a client at sc://HOST:PORT, e.g. PySpark's\n" +
			"SparkSession.builder.remote(\"sc://127.0.0.1:15002\"). Each client session has its\n" +
			"own gspark session (temporary views, settings), made with the global flags.\n" +
			"SIGTERM or Ctrl-C stops accepting calls and waits up to 30s for those in flight,\n" +
			"then cancels them.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv, err := server.New(server.Options{
				NewSession: func() (*frame.Session, error) { return g.session() },
			})
			if err != nil {
				return err
			}
			lis, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("--addr %s: %w", addr, err)
			}
			ctx, stop := interruptible(cmd.Context())
			defer stop()
			done := make(chan error, 1)
			go func() { done <- srv.Serve(lis) }()
			fmt.Fprintf(cmd.ErrOrStderr(), "gspark: Spark Connect server on sc://%s\n", lis.Addr())
			select {
			case err := <-done:
				return err
			case <-ctx.Done():
				// Calls in flight get shutdownGrace to finish, then are
				// cancelled.
				sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
				defer cancel()
				_ = srv.Shutdown(sctx)
				if err := <-done; err != nil {
					return err
				}
				return context.Cause(ctx)
			}
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:15002", "host:port to listen on")
	return cmd
}
