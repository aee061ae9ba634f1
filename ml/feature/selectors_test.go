package feature

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

// TestChiSqSelectorSparkExample reproduces the ChiSqSelector example of
// Spark's ML guide (numTopFeatures 1 keeps the third feature: 18, 12, 15).
func TestChiSqSelectorSparkExample(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]any{
		{int64(7), linalg.Dense(0, 0, 18, 1), 1.0},
		{int64(8), linalg.Dense(0, 1, 12, 0), 0.0},
		{int64(9), linalg.Dense(1, 0, 15, 0.1), 0.0},
	}
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, []string{"id", "features", "clicked"}, []arrow.DataType{tInt, tVec, tFloat}, rows, parts)
		m, err := NewChiSqSelector().SetNumTopFeatures(1).SetLabelCol("clicked").SetOutputCol("selectedFeatures").FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		m = roundTrip(t, m)
		if !slices.Equal(m.SelectedFeatures(), []int{2}) {
			t.Fatalf("selected %v", m.SelectedFeatures())
		}
		out, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range collect(t, out) {
			vecNear(t, "selectedFeatures", r[3], linalg.Dense([]float64{18, 12, 15}[i]), 0)
		}
	}
}

// TestUnivariateFeatureSelectorSparkExample reproduces the
// UnivariateFeatureSelector example of Spark's ML guide (ANOVA F, top 1
// keeps the last feature).
func TestUnivariateFeatureSelectorSparkExample(t *testing.T) {
	s, mem := newSession(t)
	in := [][]float64{
		{1.7, 4.4, 7.6, 5.8, 9.6, 2.3, 3.0},
		{8.8, 7.3, 5.7, 7.3, 2.2, 4.1, 2.0},
		{1.2, 9.5, 2.5, 3.1, 8.7, 2.5, 3.0},
		{3.7, 9.2, 6.1, 4.1, 7.5, 3.8, 2.0},
		{8.9, 5.2, 7.8, 8.3, 5.2, 3.0, 4.0},
		{7.9, 8.5, 9.2, 4.0, 9.4, 2.1, 4.0},
	}
	var rows [][]any
	for i, r := range in {
		rows = append(rows, []any{int64(i + 1), linalg.Dense(r[:6]...), r[6]})
	}
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, []string{"id", "features", "label"}, []arrow.DataType{tInt, tVec, tFloat}, rows, parts)
		sel := roundTrip(t, NewUnivariateFeatureSelector().SetFeatureType("continuous").SetLabelType("categorical").
			SetSelectionMode("numTopFeatures").SetSelectionThreshold(1).SetOutputCol("selectedFeatures"))
		m, err := sel.FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		m = roundTrip(t, m)
		out, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range collect(t, out) {
			vecNear(t, "selectedFeatures", r[3], linalg.Dense(in[i][5]), 0)
		}
	}
	df := makeDF(t, s, mem, []string{"id", "features", "label"}, []arrow.DataType{tInt, tVec, tFloat}, rows, 1)
	if _, err := NewUnivariateFeatureSelector().SetFeatureType("categorical").SetLabelType("continuous").Fit(ctx, df); err == nil {
		t.Fatal("categorical features with a continuous label accepted")
	}
	if _, err := NewUnivariateFeatureSelector().SetFeatureType("continuous").SetLabelType("continuous").SetSelectionMode("fpr").SetSelectionThreshold(2).Fit(ctx, df); err == nil {
		t.Fatal("fpr threshold 2 accepted")
	}
}

// loadMLCSV reads testdata/ml/<name> as rows (id, features, label).
func loadMLCSV(t *testing.T, name string) [][]any {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "ml", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	for i, r := range recs[1:] {
		x := make([]float64, len(r))
		for j, s := range r {
			if x[j], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		rows = append(rows, []any{int64(i), linalg.Dense(x[:len(x)-1]...), x[len(x)-1]})
	}
	return rows
}

// TestUnivariateFeatureSelectorSklearn checks every selection mode against
// the features scikit-learn's SelectKBest, SelectPercentile, SelectFpr,
// SelectFdr and SelectFwe keep (f_classif on wine, f_regression on
// diabetes), and the chi-square path against scipy's tests.
func TestUnivariateFeatureSelectorSklearn(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ml", "feature_stat_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Selections []struct {
			Data, Mode string
			Threshold  float64
			Selected   []int
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	s, mem := newSession(t)
	names, types := []string{"id", "features", "label"}, []arrow.DataType{tInt, tVec, tFloat}
	data := map[string][][]any{"wine": loadMLCSV(t, "wine.csv"), "diabetes": loadMLCSV(t, "diabetes.csv")}
	for _, parts := range []int{1, 4} {
		for _, c := range ref.Selections {
			lt := "categorical"
			if c.Data == "diabetes" {
				lt = "continuous"
			}
			df := makeDF(t, s, mem, names, types, data[c.Data], parts)
			m, err := NewUnivariateFeatureSelector().SetFeatureType("continuous").SetLabelType(lt).
				SetSelectionMode(c.Mode).SetSelectionThreshold(c.Threshold).FitModel(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.SelectedFeatures(), c.Selected) {
				t.Fatalf("%s %s %v: selected %v, want %v", c.Data, c.Mode, c.Threshold, m.SelectedFeatures(), c.Selected)
			}
		}
	}

	// Chi-square: p-values 2.8e-13, 0.073, 2.2e-12 (scipy).
	r := loadFeatureStatRef(t)
	var rows [][]any
	for i, x := range r.ChiSq.Features {
		rows = append(rows, []any{int64(i), linalg.Dense(x...), r.ChiSq.Label[i]})
	}
	df := makeDF(t, s, mem, names, types, rows, 4)
	for _, c := range []struct {
		mode string
		t    float64
		want []int
	}{{"numTopFeatures", 1, []int{0}}, {"fpr", 0.05, []int{0, 2}}, {"fpr", 0.1, []int{0, 1, 2}}, {"percentile", 0.67, []int{0, 2}}} {
		cs := NewChiSqSelector().SetSelectorType(c.mode)
		switch c.mode {
		case "numTopFeatures":
			cs.SetNumTopFeatures(int(c.t))
		case "fpr":
			cs.SetFpr(c.t)
		case "percentile":
			cs.SetPercentile(c.t)
		}
		m, err := cs.FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.SelectedFeatures(), c.want) {
			t.Fatalf("ChiSqSelector %s %v: %v, want %v", c.mode, c.t, m.SelectedFeatures(), c.want)
		}
		u, err := NewUnivariateFeatureSelector().SetFeatureType("categorical").SetLabelType("categorical").
			SetSelectionMode(c.mode).SetSelectionThreshold(c.t).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(u.SelectedFeatures(), c.want) {
			t.Fatalf("UnivariateFeatureSelector chi2 %s %v: %v, want %v", c.mode, c.t, u.SelectedFeatures(), c.want)
		}
	}
}

// TestSelectByPValues checks the five rules on hand-made p-values.
func TestSelectByPValues(t *testing.T) {
	p := []float64{0.04, 0.001, 0.5, 0.01, 0.001, 0.02}
	for _, c := range []struct {
		mode string
		t    float64
		want []int
	}{
		{"numTopFeatures", 2, []int{1, 4}}, // tie at 0.001 kept by index
		{"numTopFeatures", 3, []int{1, 3, 4}},
		{"percentile", 0.5, []int{1, 3, 4}},
		{"fpr", 0.02, []int{1, 3, 4}},
		// BH at 0.05: sorted 0.001 0.001 0.01 0.02 0.04 0.5 against
		// 0.05·k/6 = .0083 .0167 .025 .033 .0417 .05: last passing k = 5.
		{"fdr", 0.05, []int{0, 1, 3, 4, 5}},
		{"fwe", 0.06, []int{1, 4}}, // below 0.01
	} {
		if got := selectByPValues(p, c.mode, c.t); !slices.Equal(got, c.want) {
			t.Errorf("%s %v: %v, want %v", c.mode, c.t, got, c.want)
		}
	}
}
