package tracking

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"html"
	"math"
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
