package tracking

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// reportPage is the HTML of a run report; charts are SVG images embedded as
// data URIs, so the file stands alone. It is parsed on first use, not when
// a process that writes no report starts.
var reportPage = sync.OnceValue(func() *template.Template { return template.Must(template.New("report").Parse(reportHTML)) })

// reportHTML is reportPage's text.
const reportHTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Run {{.Name}}</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin-bottom:1.5em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}
caption{text-align:left;padding-bottom:.3em;white-space:nowrap}
</style></head><body>
<h1>Run {{.Name}}</h1>
<table>{{range .Info}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table>
{{if .Metrics}}<h2>Metrics</h2><table><tr><th>metric</th><th>latest</th><th>step</th><th>values</th></tr>
{{range .Metrics}}<tr><td>{{index . 0}}</td><td class="num">{{index . 1}}</td><td class="num">{{index . 2}}</td><td class="num">{{index . 3}}</td></tr>
{{end}}</table>{{end}}
{{range .Evaluations}}<h2>Evaluation {{.Step}}</h2>
{{if .ROC}}<figure><img alt="ROC curve of {{.Step}}" src="{{.ROC}}"><figcaption>ROC curve</figcaption></figure>
<figure><img alt="PR curve of {{.Step}}" src="{{.PR}}"><figcaption>PR curve</figcaption></figure>
{{end}}{{with .Confusion}}<table class="confusion"><caption>Confusion matrix (rows: {{.LabelCol}}, columns: {{.PredictionCol}})</caption>
<tr><th>{{.LabelCol}} \ {{.PredictionCol}}</th>{{range .Classes}}<th class="num">{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><th class="num">{{index . 0}}</th>{{range slice . 1}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{end}}
{{range .Models}}<h2>Model {{.Step}}</h2>
<p>{{.Stage}}{{if .Intercept}}, intercept {{.Intercept}}{{end}}</p>
<figure><img alt="{{.Kind}} of {{.Step}}" src="{{.Chart}}"><figcaption>{{.Kind}}</figcaption></figure>
{{end}}
{{if .Charts}}<h2>Metric series</h2>
{{range .Charts}}<figure><img alt="{{.Key}}" src="{{.Src}}"><figcaption>{{.Key}}</figcaption></figure>
{{end}}
{{end}}
{{if .Params}}<h2>Params</h2><table><tr><th>param</th><th>value</th></tr>
{{range .Params}}<tr><td>{{index . 0}}</td><td>{{index . 1}}</td></tr>
{{end}}</table>{{end}}
{{if .Tags}}<h2>Tags</h2><table><tr><th>tag</th><th>value</th></tr>
{{range .Tags}}<tr><td>{{index . 0}}</td><td>{{index . 1}}</td></tr>
{{end}}</table>{{end}}
</body></html>
`

type reportChart struct {
	Key string
	Src template.URL
}

type reportEval struct {
	Step      string
	ROC, PR   template.URL
	Confusion *confusionTable
}

type confusionTable struct {
	LabelCol, PredictionCol string
	Classes                 []string
	// Rows: the label, then the count per prediction.
	Rows [][]string
}

type reportModel struct {
	Step, Stage, Kind, Intercept string
	Chart                        template.URL
}

// WriteReport writes a self-contained HTML report of run r: its
// description, latest metrics, params and tags, a chart of every metric
// logged more than once (its value by step; a cross-validation's
// avgMetrics by grid point), and, from the artifacts evaluation/*.json
// (EvaluationArtifact) and model/*.json (ModelArtifact) when the run has
// them, ROC and PR curves, confusion matrices and a bar chart of a model's
// coefficients or feature importances; charts are drawn with gonum/plot.
func WriteReport(w io.Writer, r *RunRecord) error {
	data := struct {
		Name                  string
		Info, Params, Metrics [][]string
		Tags                  [][]string
		Charts                []reportChart
		Evaluations           []reportEval
		Models                []reportModel
	}{Name: r.Name}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	data.Info = [][]string{
		{"run id", r.ID}, {"experiment", r.ExperimentID}, {"status", r.Status}, {"user", r.UserID},
		{"start", ts(r.StartTime)}, {"end", ts(r.EndTime)}, {"artifacts", r.ArtifactURI},
	}
	for _, k := range sortedKeys(r.Params) {
		data.Params = append(data.Params, []string{k, r.Params[k]})
	}
	for _, k := range sortedKeys(r.Tags) {
		data.Tags = append(data.Tags, []string{k, r.Tags[k]})
	}
	for _, k := range r.MetricKeys() {
		m, _ := r.Latest(k)
		h := r.Metrics[k]
		data.Metrics = append(data.Metrics, []string{k, strconv.FormatFloat(m.Value, 'g', -1, 64), strconv.FormatInt(m.Step, 10), strconv.Itoa(len(h))})
		if len(h) < 2 {
			continue
		}
		svg, err := metricChart(k, h)
		if err != nil {
			return err
		}
		if svg == nil {
			continue
		}
		data.Charts = append(data.Charts, reportChart{Key: k, Src: dataURI(svg)})
	}
	var err error
	if data.Evaluations, err = reportEvaluations(r); err != nil {
		return err
	}
	if data.Models, err = reportModels(r); err != nil {
		return err
	}
	if err := reportPage().Execute(w, data); err != nil {
		return fmt.Errorf("tracking: report of run %s: %w", r.ID, err)
	}
	return nil
}

// metricChart draws a metric's history, value by step, as SVG; nil when
// no value is finite.
func metricChart(key string, history []Metric) ([]byte, error) {
	var pts plotter.XYs
	for _, m := range history {
		if !math.IsNaN(m.Value) && !math.IsInf(m.Value, 0) {
			pts = append(pts, plotter.XY{X: float64(m.Step), Y: m.Value})
		}
	}
	if len(pts) == 0 {
		return nil, nil
	}
	p := plot.New()
	p.Title.Text = key
	p.X.Label.Text = "step"
	if strings.HasSuffix(key, ".avgMetrics") {
		p.X.Label.Text = "grid point"
	}
	p.Y.Label.Text = "value"
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, fmt.Errorf("tracking: chart of metric %q: %w", key, err)
	}
	p.Add(plotter.NewGrid(), line, points)
	b, err := svgOf(p, 4.5*vg.Inch, 3*vg.Inch)
	if err != nil {
		return nil, fmt.Errorf("tracking: chart of metric %q: %w", key, err)
	}
	return b, nil
}

// svgOf renders p as SVG.
func svgOf(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	wt, err := p.WriterTo(w, h, "svg")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func dataURI(svg []byte) template.URL {
	return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg))
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
