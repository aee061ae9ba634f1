package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/predict"
)

// MLflow's error codes used in error responses.
const (
	codeBadRequest  = "BAD_REQUEST"
	codeNotFound    = "ENDPOINT_NOT_FOUND"
	codeInternal    = "INTERNAL_ERROR"
	codeUnavailable = "TEMPORARILY_UNAVAILABLE"
)

// route is one endpoint: its method and handler.
type route struct {
	method string
	h      func(http.ResponseWriter, *http.Request, *reqInfo)
}

// reqInfo is what the access log reports of a request besides its status.
type reqInfo struct {
	id   string
	rows int
}

func (s *Server) routes() http.Handler {
	metricsH := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	rs := map[string]route{
		"/invocations": {http.MethodPost, s.invocations},
		"/ping":        {http.MethodGet, s.ping},
		"/health":      {http.MethodGet, s.ping},
		"/version":     {http.MethodGet, s.version},
		"/reload":      {http.MethodPost, s.reload},
		"/metrics": {http.MethodGet, func(w http.ResponseWriter, r *http.Request, _ *reqInfo) {
			metricsH.ServeHTTP(w, r)
		}},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{id: r.Header.Get("X-Request-Id")}
		if len(info.id) > 128 { // a client's id is logged: keep it short
			info.id = info.id[:128]
		}
		if info.id == "" {
			info.id = fmt.Sprintf("%x-%d", s.start, s.reqSeq.Add(1))
		}
		w.Header().Set("X-Request-Id", info.id)
		rec := &statusWriter{ResponseWriter: w}
		rt, known := rs[r.URL.Path]
		label := r.URL.Path
		if !known {
			label = "other"
		}
		defer func() {
			if p := recover(); p != nil {
				s.metrics.errors.WithLabelValues("internal").Inc()
				s.log.Error("panic while serving a request", "request_id", info.id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeError(rec, http.StatusInternalServerError, codeInternal, fmt.Sprintf("internal error: %v", p))
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(label, strconv.Itoa(status)).Inc()
			s.metrics.latency.WithLabelValues(label).Observe(d.Seconds())
			lvl := slog.LevelInfo
			if status >= 500 {
				lvl = slog.LevelError
			}
			s.log.LogAttrs(r.Context(), lvl, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
				slog.Duration("duration", d), slog.Int("rows", info.rows), slog.String("request_id", info.id))
		}()
		switch {
		case !known:
			writeError(rec, http.StatusNotFound, codeNotFound, fmt.Sprintf("no endpoint %s: the endpoints are POST /invocations, GET /ping, GET /health, GET /version, GET /metrics, POST /reload", r.URL.Path))
		case r.Method != rt.method && !(rt.method == http.MethodGet && r.Method == http.MethodHead):
			rec.Header().Set("Allow", rt.method)
			writeError(rec, http.StatusMethodNotAllowed, codeBadRequest, fmt.Sprintf("%s %s is not allowed; use %s", r.Method, r.URL.Path, rt.method))
		default:
			rt.h(rec, r, info)
		}
	})
}

// statusWriter records the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeError writes MLflow's error shape: {"error_code": ..., "message": ...}.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"error_code": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error_code":"INTERNAL_ERROR","message":"encoding the response failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

func (s *Server) ping(w http.ResponseWriter, _ *http.Request, _ *reqInfo) {
	if s.cur.Load() == nil {
		writeError(w, http.StatusServiceUnavailable, codeUnavailable, "no model loaded")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "\n")
}

// VersionInfo is the body of GET /version.
type VersionInfo struct {
	ModelPath string `json:"model_path"`
	Resolved
	Signature     *ml.Signature `json:"signature"`
	LoadedAt      time.Time     `json:"loaded_at"`
	GsparkVersion string        `json:"gspark_version"`
}

func (s *Server) version(w http.ResponseWriter, _ *http.Request, _ *reqInfo) {
	m := s.cur.Load()
	writeJSON(w, http.StatusOK, VersionInfo{ModelPath: s.opts.ModelPath, Resolved: m.res, Signature: m.sig,
		LoadedAt: m.loadedAt.UTC(), GsparkVersion: s.opts.Version})
}

func (s *Server) reload(w http.ResponseWriter, r *http.Request, _ *reqInfo) {
	res, err := s.Reload(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, codeInternal,
			fmt.Sprintf("reload failed; still serving %s: %v", res.Dir, err))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Reloaded bool `json:"reloaded"`
		ReloadResult
	}{true, res})
}

func (s *Server) invocations(w http.ResponseWriter, r *http.Request, info *reqInfo) {
	if r.ContentLength > s.opts.MaxBody {
		s.tooLarge(w)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.tooLarge(w)
			return
		}
		s.badRequest(w, fmt.Errorf("reading the body: %w", err))
		return
	}
	m := s.cur.Load()
	req, err := Decode(r.Header.Get("Content-Type"), body, m.sig)
	if err != nil {
		var ume *UnsupportedMediaTypeError
		if errors.As(err, &ume) {
			s.metrics.errors.WithLabelValues("unsupported_media_type").Inc()
			writeError(w, http.StatusUnsupportedMediaType, codeBadRequest, err.Error())
			return
		}
		s.badRequest(w, err)
		return
	}
	if q := r.URL.Query().Get("outputs"); q != "" {
		req.Outputs = SplitOutputs(q)
	}
	if err := m.checkOutputs(req.Outputs); err != nil {
		s.badRequest(w, err)
		return
	}
	info.rows = len(req.Records)
	var outs []map[string]any
	if len(req.Records) > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
		outs, err = s.score(ctx, m, req.Records)
		cancel()
		if err != nil {
			s.scoreError(w, r, err)
			return
		}
	}
	s.metrics.rows.Add(float64(len(req.Records)))
	body, err = encodePredictions(m, req.Outputs, outs)
	if err != nil {
		s.metrics.errors.WithLabelValues("internal").Inc()
		writeError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func (s *Server) tooLarge(w http.ResponseWriter) {
	s.metrics.errors.WithLabelValues("too_large").Inc()
	writeError(w, http.StatusRequestEntityTooLarge, codeBadRequest,
		fmt.Sprintf("the body is larger than the limit of %d bytes (--max-body)", s.opts.MaxBody))
}

func (s *Server) badRequest(w http.ResponseWriter, err error) {
	s.metrics.errors.WithLabelValues("bad_request").Inc()
	writeError(w, http.StatusBadRequest, codeBadRequest, err.Error())
}

// scoreError answers a failed scoring: the model rejecting a record is the
// client's error (400), running out of time 503, anything else 500.
func (s *Server) scoreError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case isInputError(err):
		s.badRequest(w, err)
	case errors.Is(err, context.DeadlineExceeded) && r.Context().Err() == nil:
		s.metrics.errors.WithLabelValues("timeout").Inc()
		writeError(w, http.StatusServiceUnavailable, codeUnavailable,
			fmt.Sprintf("scoring took longer than the request timeout of %s", s.opts.Timeout))
	default:
		s.metrics.errors.WithLabelValues("internal").Inc()
		writeError(w, http.StatusInternalServerError, codeInternal, "scoring failed: "+err.Error())
	}
}

// isInputError reports whether err is the model rejecting the input.
func isInputError(err error) bool {
	var re *RequestError
	var ie *predict.InputError
	return errors.As(err, &re) || errors.As(err, &ie)
}

// checkOutputs checks that the requested output columns are outputs of the
// model.
func (m *model) checkOutputs(outs []string) error {
	if m.sig == nil {
		return nil
	}
	for _, o := range outs {
		if _, ok := m.outputType(o); !ok {
			names := make([]string, len(m.sig.Outputs))
			for i, c := range m.sig.Outputs {
				names[i] = c.Name
			}
			return badRequest("outputs: %q is not an output column of the model; its outputs are %s", o, strings.Join(names, ", "))
		}
	}
	return nil
}

// encodePredictions writes {"predictions": [...]}: with no outputs asked for,
// the values of the default output column; else one object per record with
// the asked columns, in the order asked. NaN and infinities become null.
func encodePredictions(m *model, outputs []string, outs []map[string]any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"predictions":[`)
	for i, o := range outs {
		if i > 0 {
			b.WriteByte(',')
		}
		if len(outputs) == 0 {
			if err := writeValue(&b, o[m.defaultOut]); err != nil {
				return nil, fmt.Errorf("record %d, output %q: %w", i, m.defaultOut, err)
			}
			continue
		}
		b.WriteByte('{')
		for j, name := range outputs {
			if j > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(name)
			b.Write(k)
			b.WriteByte(':')
			if err := writeValue(&b, o[name]); err != nil {
				return nil, fmt.Errorf("record %d, output %q: %w", i, name, err)
			}
		}
		b.WriteByte('}')
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

// writeValue writes an output value as JSON; non-finite numbers as null.
func writeValue(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case float64:
		writeFloat(b, x)
		return nil
	case float32:
		writeFloat(b, float64(x))
		return nil
	case []float64:
		b.WriteByte('[')
		for i, f := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeFloat(b, f)
		}
		b.WriteByte(']')
		return nil
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeValue(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(data)
	return nil
}

func writeFloat(b *bytes.Buffer, f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		b.WriteString("null")
		return
	}
	b.Write(strconv.AppendFloat(b.AvailableBuffer(), f, 'g', -1, 64))
}
