package main

import (
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gspark/gspark/ml/serve"
)

// newServe is the serve command: a saved model behind an HTTP server that
// speaks MLflow's scoring protocol.
func newServe() *cobra.Command {
	var (
		addr, maxBody, logLevel, logFormat string
		timeout, reloadInterval, batchWait time.Duration
		shutdownTimeout                    time.Duration
		batch, driftWindow                 int
	)
	cmd := &cobra.Command{
		Use:   "serve MODEL_DIR",
		Short: "Serve a saved model over HTTP with MLflow's scoring protocol",
		Long: "Serve the model saved in MODEL_DIR (or the latest version of a registered model)\n" +
			"over HTTP, as `mlflow models serve` does: POST /invocations with a JSON body\n" +
			"(dataframe_split, dataframe_records, instances or inputs) or CSV answers\n" +
			"{\"predictions\": [...]}, the prediction column's values by default, or records of the\n" +
			"columns asked for with params {\"outputs\": [...]} or ?outputs=a,b. GET /ping and /health\n" +
			"answer 200, GET /version describes the model, GET /metrics has Prometheus metrics\n" +
			"(requests, latency, rows, errors, reloads, and the PSI of each column of the\n" +
			"model's training profile over the recently scored records), POST /reload loads\n" +
			"the model again; with --reload-interval a registered model's new latest version\n" +
			"is loaded as it appears. SIGTERM or Ctrl-C stops accepting connections and waits\n" +
			"for the requests in flight. The access log goes to stderr.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			limit, err := parseBytes(maxBody)
			if err != nil || limit <= 0 {
				return fmt.Errorf("--max-body %q: want a size such as 16MiB", maxBody)
			}
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(logLevel)); err != nil {
				return fmt.Errorf("--log-level %q: want debug, info, warn or error", logLevel)
			}
			hopts := &slog.HandlerOptions{Level: lvl}
			var h slog.Handler
			switch strings.ToLower(logFormat) {
			case "text":
				h = slog.NewTextHandler(cmd.ErrOrStderr(), hopts)
			case "json":
				h = slog.NewJSONHandler(cmd.ErrOrStderr(), hopts)
			default:
				return fmt.Errorf("--log-format %q: want text or json", logFormat)
			}
			if timeout <= 0 {
				return fmt.Errorf("--timeout %s: want a positive duration", timeout)
			}
			if reloadInterval < 0 || batch < 0 || batchWait < 0 || driftWindow < 0 {
				return fmt.Errorf("--reload-interval, --batch, --batch-wait and --drift-window must not be negative")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			s, err := serve.New(ctx, serve.Options{
				ModelPath:       args[0],
				MaxBody:         limit,
				Timeout:         timeout,
				ShutdownTimeout: shutdownTimeout,
				ReloadInterval:  reloadInterval,
				BatchRecords:    batch,
				BatchWait:       batchWait,
				Drift:           serve.MonitorDrift(driftWindow),
				Logger:          slog.New(h),
				Version:         gsparkVersion(),
			})
			if err != nil {
				return err
			}
			return s.ListenAndServe(ctx, addr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	f.StringVar(&maxBody, "max-body", "16MiB", "largest request body accepted (413 beyond)")
	f.DurationVar(&timeout, "timeout", serve.DefaultTimeout, "time limit to score one request (503 beyond)")
	f.DurationVar(&shutdownTimeout, "shutdown-timeout", serve.DefaultShutdownTimeout, "on SIGTERM, how long to wait for requests in flight")
	f.DurationVar(&reloadInterval, "reload-interval", 5*time.Second, "how often to check MODEL_DIR for a new registered version or a rewritten model (0: never; POST /reload reloads at once)")
	f.IntVar(&batch, "batch", 64, "score requests that arrive together in one call of the model of up to this many records (0: each request alone)")
	f.DurationVar(&batchWait, "batch-wait", time.Millisecond, "with --batch, how long a batch waits for more requests while others are in flight")
	f.IntVar(&driftWindow, "drift-window", serve.DefaultDriftWindow, "recent values per column behind the drift gauges of /metrics, for a model saved with a training profile (0: none)")
	f.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error (the access log is at info)")
	f.StringVar(&logFormat, "log-format", "text", "log format: text or json")
	return cmd
}
