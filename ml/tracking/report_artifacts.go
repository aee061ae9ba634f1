package tracking

import (
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// readArtifacts decodes every artifacts/<folder>/*.json of run r into a
// new T, in file name order; none when the folder does not exist.
func readArtifacts[T any](r *RunRecord, folder string) ([]T, []string, error) {
	files, err := filepath.Glob(filepath.Join(r.Dir(), artifactsFolder, folder, "*.json"))
	if err != nil {
		return nil, nil, fmt.Errorf("tracking: report of run %s: %w", r.ID, err)
	}
	slices.Sort(files)
	var out []T
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, fmt.Errorf("tracking: report of run %s: %w", r.ID, err)
		}
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, nil, fmt.Errorf("tracking: report of run %s: %s: %w", r.ID, f, err)
		}
		out = append(out, v)
	}
	return out, files, nil
}

func reportEvaluations(r *RunRecord) ([]reportEval, error) {
	arts, files, err := readArtifacts[EvaluationArtifact](r, "evaluation")
	if err != nil {
		return nil, err
	}
	var out []reportEval
	for i, a := range arts {
		e := reportEval{Step: a.Step}
		if len(a.ROC) > 0 && len(a.PR) > 0 {
			roc, err := curveChart("ROC curve: "+a.Step, "false positive rate", "true positive rate", a.ROC, true)
			if err != nil {
				return nil, fmt.Errorf("tracking: %s: %w", files[i], err)
			}
			pr, err := curveChart("PR curve: "+a.Step, "recall", "precision", a.PR, false)
			if err != nil {
				return nil, fmt.Errorf("tracking: %s: %w", files[i], err)
			}
			e.ROC, e.PR = dataURI(roc), dataURI(pr)
		}
		if c := a.Confusion; c != nil {
			if len(c.Counts) != len(c.Classes) {
				return nil, fmt.Errorf("tracking: %s: field confusion.counts: %d rows for %d classes", files[i], len(c.Counts), len(c.Classes))
			}
			t := &confusionTable{LabelCol: c.LabelCol, PredictionCol: c.PredictionCol}
			for k, cl := range c.Classes {
				t.Classes = append(t.Classes, strconv.FormatFloat(cl, 'g', -1, 64))
				if len(c.Counts[k]) != len(c.Classes) {
					return nil, fmt.Errorf("tracking: %s: field confusion.counts[%d]: %d counts for %d classes", files[i], k, len(c.Counts[k]), len(c.Classes))
				}
				row := []string{t.Classes[k]}
				for _, n := range c.Counts[k] {
					row = append(row, strconv.FormatInt(n, 10))
				}
				t.Rows = append(t.Rows, row)
			}
			e.Confusion = t
		}
		out = append(out, e)
	}
	return out, nil
}

// curveChart draws a curve on the unit square, with the diagonal when
// diagonal is set.
func curveChart(title, x, y string, pts [][2]float64, diagonal bool) ([]byte, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1.02
	xys := make(plotter.XYs, len(pts))
	for i, q := range pts {
		xys[i] = plotter.XY{X: q[0], Y: q[1]}
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	line.Color = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	line.Width = vg.Points(1.5)
	p.Add(plotter.NewGrid(), line)
	if diagonal {
		d, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
		if err != nil {
			return nil, err
		}
		d.Color = color.Gray{Y: 128}
		d.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(d)
	}
	return svgOf(p, 4.5*vg.Inch, 4*vg.Inch)
}

func reportModels(r *RunRecord) ([]reportModel, error) {
	arts, files, err := readArtifacts[ModelArtifact](r, "model")
	if err != nil {
		return nil, err
	}
	var out []reportModel
	for i, a := range arts {
		if len(a.Values) == 0 {
			continue
		}
		if len(a.Features) != len(a.Values) {
			return nil, fmt.Errorf("tracking: %s: %d feature names for %d values", files[i], len(a.Features), len(a.Values))
		}
		svg, err := barChart(a.Kind+": "+a.Step, a.Features, a.Values)
		if err != nil {
			return nil, fmt.Errorf("tracking: %s: %w", files[i], err)
		}
		m := reportModel{Step: a.Step, Stage: a.Stage, Kind: a.Kind, Chart: dataURI(svg)}
		if a.Intercept != nil {
			m.Intercept = strconv.FormatFloat(*a.Intercept, 'g', 6, 64)
		}
		out = append(out, m)
	}
	return out, nil
}

// barChart draws one horizontal bar per named value, the first at the top.
func barChart(title string, names []string, values []float64) ([]byte, error) {
	n := len(values)
	vals := make(plotter.Values, n)
	labels := make([]string, n)
	for i := range values {
		vals[n-1-i] = values[i]
		labels[n-1-i] = names[i]
	}
	p := plot.New()
	p.Title.Text = title
	bars, err := plotter.NewBarChart(vals, vg.Points(12))
	if err != nil {
		return nil, err
	}
	bars.Horizontal = true
	bars.Color = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	bars.LineStyle.Width = 0
	p.Add(plotter.NewGrid(), bars)
	p.NominalY(labels...)
	p.Y.Tick.Label.XAlign = draw.XRight
	h := vg.Length(n)*vg.Points(20) + vg.Inch
	return svgOf(p, 6*vg.Inch, h)
}
