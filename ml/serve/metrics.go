package serve

import (
	"math"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are a server's Prometheus metrics, in a registry of its own.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	rows      prometheus.Counter
	errors    *prometheus.CounterVec
	reloads   *prometheus.CounterVec
	info      *prometheus.GaugeVec
	version   prometheus.Gauge
	batchRows prometheus.Histogram
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gspark_serve_requests_total",
			Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gspark_serve_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gspark_serve_rows_scored_total",
			Help: "Records scored successfully.",
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gspark_serve_errors_total",
			Help: "Failed scoring requests by kind: bad_request, unsupported_media_type, too_large, timeout, internal.",
		}, []string{"kind"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gspark_serve_reloads_total",
			Help: "Model reloads by result: success or failure.",
		}, []string{"result"}),
		info: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gspark_serve_model_info",
			Help: "The model being served (value 1): its directory, registered name and version.",
		}, []string{"model_dir", "model_name", "model_version"}),
		version: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gspark_serve_model_version",
			Help: "The registered version of the model being served (0 for a plain model directory).",
		}),
		batchRows: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "gspark_serve_batch_records",
			Help:    "Records per call of the model (requests arriving together are scored in one call).",
			Buckets: prometheus.ExponentialBuckets(1, 4, 8),
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.rows, m.errors, m.reloads, m.info, m.version, m.batchRows,
		&driftCollector{s: s, desc: prometheus.NewDesc("gspark_serve_feature_psi",
			"Population stability index of a column over the recently scored records against the training profile.",
			[]string{"feature"}, nil)},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{"success", "failure"} {
		m.reloads.WithLabelValues(r)
	}
	for _, k := range []string{"bad_request", "unsupported_media_type", "too_large", "timeout", "internal"} {
		m.errors.WithLabelValues(k)
	}
	return m
}

// setModel points the model gauges at m.
func (x *metrics) setModel(m *model) {
	x.info.Reset()
	v := ""
	if m.res.Version > 0 {
		v = strconv.Itoa(m.res.Version)
	}
	x.info.WithLabelValues(m.res.Dir, m.res.Name, v).Set(1)
	x.version.Set(float64(m.res.Version))
}

// driftCollector reports the current model's drift window at each scrape.
type driftCollector struct {
	s    *Server
	desc *prometheus.Desc
}

func (c *driftCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *driftCollector) Collect(ch chan<- prometheus.Metric) {
	m := c.s.cur.Load()
	if m == nil || m.drift == nil {
		return
	}
	for col, v := range m.drift.PSI() {
		if math.IsNaN(v) {
			continue
		}
		if pm, err := prometheus.NewConstMetric(c.desc, prometheus.GaugeValue, v, col); err == nil {
			ch <- pm
		}
	}
}
