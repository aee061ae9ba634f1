package serve

import (
	"maps"
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"
)

// scrape reads /metrics with Prometheus' own text parser.
func scrape(t testing.TB, ts *testServer) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := ts.client.Get(ts.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(pmodel.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

// metricValue is the value of the metric name with exactly these labels
// (counter, gauge, or a histogram's count); -1 when there is none.
func metricValue(t testing.TB, ts *testServer, name string, labels map[string]string) float64 {
	t.Helper()
	return familyValue(scrape(t, ts)[name], labels)
}

func familyValue(f *dto.MetricFamily, labels map[string]string) float64 {
	if f == nil {
		return -1
	}
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		if !maps.Equal(got, labels) && !(len(labels) == 0 && len(got) == 0) {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

func TestMetrics(t *testing.T) {
	drift := &fakeDrift{}
	ts := startServer(t, Options{Drift: func(string) (DriftWindow, error) { return drift, nil }})
	// Before any scoring the window has too few rows: no PSI gauge.
	if f := scrape(t, ts)["gspark_serve_feature_psi"]; f != nil {
		t.Errorf("PSI before any rows: %v", f)
	}
	ok := `{"dataframe_split": {"columns": ["age", "city", "f"], "data": [[1, "a", []], [2, "b", []], [3, "c", [1]]]}}`
	for range 3 {
		if code, body := ts.invoke(t, ok); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}
	ts.invoke(t, `{"dataframe_records": [{"age": "x", "city": "a", "f": []}]}`)
	ts.do(t, "GET", "/nowhere", "", "")
	fams := scrape(t, ts)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"gspark_serve_requests_total", map[string]string{"route": "/invocations", "code": "200"}, 3},
		{"gspark_serve_requests_total", map[string]string{"route": "/invocations", "code": "400"}, 1},
		{"gspark_serve_requests_total", map[string]string{"route": "other", "code": "404"}, 1},
		{"gspark_serve_request_duration_seconds", map[string]string{"route": "/invocations"}, 4},
		{"gspark_serve_rows_scored_total", nil, 9},
		{"gspark_serve_errors_total", map[string]string{"kind": "bad_request"}, 1},
		{"gspark_serve_errors_total", map[string]string{"kind": "internal"}, 0},
		{"gspark_serve_reloads_total", map[string]string{"result": "success"}, 0},
		{"gspark_serve_model_version", nil, 0},
		{"gspark_serve_model_info", map[string]string{"model_dir": ts.s.opts.ModelPath, "model_name": "", "model_version": ""}, 1},
		{"gspark_serve_batch_records", nil, 3},
		{"gspark_serve_feature_psi", map[string]string{"feature": "age"}, 0.5},
		{"gspark_serve_feature_psi", map[string]string{"feature": "prediction"}, 9},
	} {
		if got := familyValue(fams[c.name], c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if fams["go_goroutines"] == nil {
		t.Error("no Go runtime metrics")
	}
	// The drift window got the numeric and string inputs and the numeric outputs.
	if got := strings.Join(drift.cols, ","); got != "age,city,cityIndex,prediction" {
		t.Errorf("drift columns %s", got)
	}
}
