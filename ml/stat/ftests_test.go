package stat

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gspark/gspark/ml/linalg"
)

// loadCSV reads testdata/ml/<name>: features, then the label last.
func loadCSV(t *testing.T, name string) ([]linalg.Vector, []float64) {
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
	var vecs []linalg.Vector
	var labels []float64
	for _, r := range recs[1:] {
		x := make([]float64, len(r))
		for j, s := range r {
			if x[j], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		vecs = append(vecs, linalg.Dense(x[:len(x)-1]...))
		labels = append(labels, x[len(x)-1])
	}
	return vecs, labels
}

type fRef struct {
	FClassif    struct{ F, PValue []float64 } `json:"fclassif"`
	FRegression struct{ F, PValue []float64 } `json:"fregression"`
}

// checkPValues compares p-values absolutely (Spark's 1 − CDF loses what
// lies below double precision; scikit-learn keeps it).
func checkPValues(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for j := range want {
		if math.Abs(got[j]-want[j]) > 1e-12 {
			t.Fatalf("%s p-value %d: got %v, want %v", what, j, got[j], want[j])
		}
	}
}

// TestANOVAAndFValue checks the F statistics and p-values against
// scikit-learn's f_classif (wine) and f_regression (diabetes).
func TestANOVAAndFValue(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ml", "feature_stat_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r fRef
	if err := jsonUnmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	wine, wl := loadCSV(t, "wine.csv")
	diab, dl := loadCSV(t, "diabetes.csv")
	for _, parts := range []int{1, 4} {
		res, err := ANOVATest(ctx, frameOf(t, wine, wl, nil, parts), "features", "label")
		if err != nil {
			t.Fatal(err)
		}
		checkVec(t, "ANOVA F", res.Statistics, r.FClassif.F, 1e-10)
		checkPValues(t, "ANOVA", res.PValues, r.FClassif.PValue)
		if res.DegreesOfFreedom[0] != int64(len(wine)-1) {
			t.Fatalf("ANOVA degrees of freedom %d", res.DegreesOfFreedom[0])
		}
		res, err = FValueTest(ctx, frameOf(t, diab, dl, nil, parts), "features", "label")
		if err != nil {
			t.Fatal(err)
		}
		checkVec(t, "regression F", res.Statistics, r.FRegression.F, 1e-10)
		checkPValues(t, "regression", res.PValues, r.FRegression.PValue)
		if res.DegreesOfFreedom[0] != int64(len(diab)-2) {
			t.Fatalf("F degrees of freedom %d", res.DegreesOfFreedom[0])
		}
	}
}
