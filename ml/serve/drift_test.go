package serve

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/monitor"
)

// The drift gauges over a model saved with its training profile: records
// like the training data keep every PSI under 0.1 (the usual "no shift"
// threshold), records whose mean_radius is tripled push that column's PSI
// far over 0.25 ("major shift") while the other inputs stay put.
func TestServeDriftGauges(t *testing.T) {
	s := frame.NewSession()
	train := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(cancerCSV)
	m := cancerModel(t, 0)
	prof, err := monitor.BuildProfile(context.Background(), train, m, monitor.ProfileOptions{LabelCol: "label"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "cancer")
	if err := monitor.SaveModel(m, dir, prof, false); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Options{ModelPath: dir, Resolve: ResolveRegistry, Load: LoadPredictor, Drift: MonitorDrift(300)})
	header, rows, _ := cancerRows(t)
	psi := func() map[string]float64 {
		out := map[string]float64{}
		f := scrape(t, ts)["gspark_serve_feature_psi"]
		for _, m := range f.GetMetric() {
			out[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
		}
		return out
	}
	if got := psi(); len(got) != 0 {
		t.Errorf("PSI before any record: %v", got)
	}
	// The whole training data, in requests of 100 records: the window keeps
	// the last 300, a sample of the training distribution.
	for i := 0; i < len(rows); i += 100 {
		if code, body := ts.invoke(t, splitBody(t, header, rows[i:min(i+100, len(rows))])); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}
	got := psi()
	for _, c := range append(cancerFeatures, "prediction") {
		if v, ok := got[c]; !ok || v >= 0.1 {
			t.Errorf("PSI of %s over training-like records = %v (present %v), want under 0.1", c, v, ok)
		}
	}
	// Tripled radii, 300 records: the whole window.
	shifted := make([][]string, 300)
	for i := range shifted {
		r := append([]string(nil), rows[i]...)
		v, err := strconv.ParseFloat(r[0], 64)
		if err != nil {
			t.Fatal(err)
		}
		r[0] = strconv.FormatFloat(3*v, 'g', -1, 64)
		shifted[i] = r
	}
	if header[0] != "mean_radius" {
		t.Fatalf("the first column is %s", header[0])
	}
	if code, body := ts.invoke(t, splitBody(t, header, shifted)); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	got = psi()
	if got["mean_radius"] <= 0.25 {
		t.Errorf("PSI of mean_radius after tripling it = %v, want over 0.25", got["mean_radius"])
	}
	if got["mean_texture"] >= 0.1 {
		t.Errorf("PSI of mean_texture = %v, want under 0.1", got["mean_texture"])
	}
}
