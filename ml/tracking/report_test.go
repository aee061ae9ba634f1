package tracking

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestWriteReport(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "mlruns"))
	must(t, err)
	r, err := s.StartRun(context.Background(), "exp", "report")
	must(t, err)
	must(t, r.LogParam("note", "<b>bold</b>"))
	for i, v := range []float64{4, 2, math.NaN(), 1} {
		must(t, r.LogMetric("loss", v, int64(i)))
	}
	must(t, r.LogMetric("cv.avgMetrics", 0.7, 0))
	must(t, r.LogMetric("cv.avgMetrics", 0.9, 1))
	must(t, r.LogMetric("auc", 0.8, 0)) // one value: no chart
	must(t, r.End(StatusFinished))
	rec, err := s.Run(r.ID())
	must(t, err)
	var buf bytes.Buffer
	must(t, WriteReport(&buf, rec))
	page := buf.String()
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "&lt;b&gt;bold&lt;/b&gt;") || strings.Contains(page, "<b>bold") {
		t.Errorf("page head or escaping wrong:\n%.600s", page)
	}
	// Attribute values are HTML-escaped ('+' as &#43;), as browsers read them.
	imgs := regexp.MustCompile(`<img alt="([^"]+)" src="([^"]+)">`).FindAllStringSubmatch(page, -1)
	if len(imgs) != 2 || imgs[0][1] != "cv.avgMetrics" || imgs[1][1] != "loss" {
		t.Fatalf("charts: %d, want cv.avgMetrics and loss", len(imgs))
	}
	for _, img := range imgs {
		src := html.UnescapeString(img[2])
		const prefix = "data:image/svg+xml;base64,"
		if !strings.HasPrefix(src, prefix) {
			t.Fatalf("chart %s: src %.60q is not an embedded SVG", img[1], src)
		}
		svg, err := base64.StdEncoding.DecodeString(src[len(prefix):])
		must(t, err)
		dec := xml.NewDecoder(bytes.NewReader(svg))
		root := ""
		for root == "" {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("chart %s: %v", img[1], err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				root = se.Name.Local
			}
		}
		if root != "svg" {
			t.Errorf("chart %s: root element %q, want svg", img[1], root)
		}
	}
	if strings.Contains(page, `src="http`) || strings.Contains(page, `href="http`) {
		t.Error("the report refers to outside files")
	}
}

// A run with an evaluation and a model artifact gets ROC and PR charts, a
// confusion table with the counts, and a bar chart of the coefficients.
func TestWriteReportArtifacts(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "mlruns"))
	must(t, err)
	r, err := s.StartRun(context.Background(), "exp", "report")
	must(t, err)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	must(t, r.LogArtifact(write("heldout.json", `{"step":"heldout","roc":[[0,0],[0,0.5],[0.5,1],[1,1]],"pr":[[0,1],[0.5,1],[1,0.667]],
		"confusion":{"labelCol":"label","predictionCol":"prediction","classes":[0,1],"counts":[[17,3],[5,29]]}}`), "evaluation"))
	must(t, r.LogArtifact(write("model.json", `{"step":"model","stage":"LogisticRegressionModel","kind":"coefficients","features":["radius","texture"],"values":[1.5,-0.25],"intercept":0.125}`), "model"))
	must(t, r.End(StatusFinished))
	rec, err := s.Run(r.ID())
	must(t, err)
	var buf bytes.Buffer
	must(t, WriteReport(&buf, rec))
	page := buf.String()
	for _, alt := range []string{"ROC curve of heldout", "PR curve of heldout", "coefficients of model"} {
		m := regexp.MustCompile(`<img alt="` + alt + `" src="([^"]+)">`).FindStringSubmatch(page)
		const prefix = "data:image/svg+xml;base64,"
		if m == nil || !strings.HasPrefix(html.UnescapeString(m[1]), prefix) {
			t.Errorf("no embedded chart %q", alt)
			continue
		}
		svg, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1])[len(prefix):])
		must(t, err)
		if !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("chart %q is not SVG", alt)
		}
	}
	cells := regexp.MustCompile(`<tr><th class="num">1</th><td class="num">(\d+)</td><td class="num">(\d+)</td></tr>`).FindStringSubmatch(page)
	if !strings.Contains(page, `<table class="confusion">`) || cells == nil || cells[1] != "5" || cells[2] != "29" {
		t.Errorf("confusion table missing or wrong: %v\n%s", cells, page)
	}
	if !strings.Contains(page, "intercept 0.125") {
		t.Error("intercept missing")
	}
	// A malformed artifact is an error naming the file.
	r2, err := s.StartRun(context.Background(), "exp", "bad")
	must(t, err)
	must(t, r2.LogArtifact(write("bad.json", `{"step":`), "evaluation"))
	must(t, r2.End(StatusFinished))
	rec2, err := s.Run(r2.ID())
	must(t, err)
	if err := WriteReport(&bytes.Buffer{}, rec2); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("malformed artifact: %v", err)
	}
}
