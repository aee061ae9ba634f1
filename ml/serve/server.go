package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gspark/gspark/ml"
)

// Defaults of Options.
const (
	DefaultMaxBody         = 16 << 20
	DefaultTimeout         = 10 * time.Second
	DefaultShutdownTimeout = 30 * time.Second
)

// Options configure a Server.
type Options struct {
	// ModelPath is the model directory, or a registered model's directory
	// (see Resolve).
	ModelPath string
	// Load loads a model directory; default LoadPredictor.
	Load LoadFunc
	// Resolve finds the directory to load under ModelPath; default
	// ResolveRegistry.
	Resolve ResolveFunc
	// Drift makes the drift window of a loaded model; default
	// MonitorDrift(DefaultDriftWindow). A model whose window cannot be made
	// is served without drift gauges (and a warning in the log).
	Drift DriftFunc
	// MaxBody is the largest request body accepted, in bytes (413 beyond);
	// default DefaultMaxBody.
	MaxBody int64
	// Timeout bounds the scoring of one request (503 beyond); default
	// DefaultTimeout.
	Timeout time.Duration
	// ShutdownTimeout bounds the wait for requests in flight when Serve's
	// context is cancelled; default DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// ReloadInterval is how often Serve re-resolves ModelPath and loads a
	// new version when it moved; 0 turns polling off (POST /reload still
	// reloads).
	ReloadInterval time.Duration
	// BatchRecords > 0 turns on micro-batching: requests waiting together
	// are scored in one call of up to BatchRecords records. 0 scores each
	// request with its own call.
	BatchRecords int
	// BatchWait is how long a batch waits for more requests once it has
	// one, while other requests are in flight (0: it takes only those
	// already waiting). A lone request is scored at once.
	BatchWait time.Duration
	// Logger receives the access log and reload reports; default: discard.
	Logger *slog.Logger
	// Version is the gspark version /version reports; default: the main
	// module's version from the build information.
	Version string
}

// Server serves a model over HTTP with MLflow's scoring protocol. It holds
// the current model behind an atomic pointer, so a reload swaps it without
// failing any request: a request is scored entirely by the model it started
// with.
type Server struct {
	opts     Options
	log      *slog.Logger
	cur      atomic.Pointer[model]
	metrics  *metrics
	handler  http.Handler
	reloadMu sync.Mutex
	batch    *batcher
	reqSeq   atomic.Uint64
	start    int64
	closed   sync.Once
}

// New loads the model at opts.ModelPath and returns a server for it. Call
// Close when done (Serve and ListenAndServe do so when they return).
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Load == nil {
		opts.Load = LoadPredictor
	}
	if opts.ModelPath == "" {
		return nil, errors.New("serve: Options.ModelPath is required")
	}
	if opts.Resolve == nil {
		opts.Resolve = ResolveRegistry
	}
	if opts.Drift == nil {
		opts.Drift = MonitorDrift(DefaultDriftWindow)
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = DefaultShutdownTimeout
	}
	if opts.Version == "" {
		opts.Version = buildVersion()
	}
	s := &Server{opts: opts, log: opts.Logger, start: time.Now().UnixNano()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.metrics = newMetrics(s)
	m, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	s.cur.Store(m)
	s.metrics.setModel(m)
	s.handler = s.routes()
	if opts.BatchRecords > 0 {
		s.batch = newBatcher(s, runtime.GOMAXPROCS(0), opts.BatchRecords, opts.BatchWait)
	}
	return s, nil
}

// buildVersion is the main module's version from the build information.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" {
		return "(devel)"
	}
	return bi.Main.Version
}

// Close stops the server's background work (the micro-batcher). Requests
// still being served after Close are scored without batching.
func (s *Server) Close() error {
	s.closed.Do(func() {
		if s.batch != nil {
			s.batch.stop()
		}
	})
	return nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Signature returns the signature of the model being served.
func (s *Server) Signature() *ml.Signature { return s.cur.Load().sig }

// ListenAndServe listens on addr (e.g. "127.0.0.1:8080") and serves until
// ctx is cancelled, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.Close()
		return fmt.Errorf("serve: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves HTTP on ln until ctx is cancelled. Then it stops accepting
// connections and waits, up to Options.ShutdownTimeout, for the requests in
// flight to finish, closes the server and returns nil (or the error that
// stopped it). With Options.ReloadInterval set it also polls the model path
// for a new version meanwhile.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.Close()
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.log.Info("serving", "addr", ln.Addr().String(), "model", s.opts.ModelPath, "model_dir", s.cur.Load().res.Dir)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	pollCtx, stopPoll := context.WithCancel(ctx)
	var wg sync.WaitGroup
	if s.opts.ReloadInterval > 0 {
		wg.Go(func() { s.poll(pollCtx) })
	}
	defer func() {
		stopPoll()
		wg.Wait()
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: waiting for requests in flight", "timeout", s.opts.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	s.log.Info("stopped")
	return nil
}

// poll re-resolves the model path every ReloadInterval and reloads when it
// points at another model.
func (s *Server) poll(ctx context.Context) {
	t := time.NewTicker(s.opts.ReloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.reloadIfMoved(ctx)
	}
}

// reloadIfMoved reloads when the model path points at another model than
// the one loaded.
func (s *Server) reloadIfMoved(ctx context.Context) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	res, err := s.opts.Resolve(s.opts.ModelPath)
	if err != nil {
		s.log.Warn("reload poll: resolving the model path failed", "err", err)
		return
	}
	if cur := s.cur.Load().res; res.Dir == cur.Dir && res.Stamp == cur.Stamp {
		return
	}
	_, _ = s.reloadLocked(ctx) // reported by reloadLocked
}

// load resolves the model path and loads what it points at.
func (s *Server) load(ctx context.Context) (*model, error) {
	res, err := s.opts.Resolve(s.opts.ModelPath)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	sc, err := s.opts.Load(ctx, res.Dir)
	if err != nil {
		return nil, fmt.Errorf("serve: loading model %s: %w", res.Dir, err)
	}
	m := &model{scorer: sc, sig: sc.Signature(), res: res, loadedAt: time.Now()}
	m.defaultOut = defaultOutput(m.sig)
	if w, err := s.opts.Drift(res.Dir); err != nil {
		s.log.Warn("serving without drift gauges", "model_dir", res.Dir, "err", err)
	} else if w != nil {
		m.drift = w
	}
	return m, nil
}

// ReloadResult describes a reload.
type ReloadResult struct {
	Resolved
	// Previous is the model served before.
	Previous Resolved `json:"previous"`
}

// Reload resolves the model path again and swaps in the model it points
// at. Requests in flight finish with the model they started with. When the
// load fails the current model keeps serving; the failure is logged,
// counted (gspark_serve_reloads_total{result="failure"}) and returned.
func (s *Server) Reload(ctx context.Context) (ReloadResult, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.reloadLocked(ctx)
}

func (s *Server) reloadLocked(ctx context.Context) (ReloadResult, error) {
	prev := s.cur.Load()
	m, err := s.load(ctx)
	if err != nil {
		s.metrics.reloads.WithLabelValues("failure").Inc()
		s.log.Error("reload failed; the current model keeps serving", "model_dir", prev.res.Dir, "err", err)
		return ReloadResult{Resolved: prev.res, Previous: prev.res}, err
	}
	s.cur.Store(m)
	s.metrics.setModel(m)
	s.metrics.reloads.WithLabelValues("success").Inc()
	s.log.Info("model reloaded", "model_dir", m.res.Dir, "model_version", m.res.Version, "previous", prev.res.Dir)
	return ReloadResult{Resolved: m.res, Previous: prev.res}, nil
}
