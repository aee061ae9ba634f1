package monitor

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// TestKSTestAgainstSciPy compares KSTest with the golden values
// testdata/monitor/ks_golden.py computed with scipy.stats on the data sets
// of testdata/monitor/ks_samples.csv: D exactly; the p-value with the
// Kolmogorov distribution (kstwobign) at Stephens' argument to 1e-9, and
// with ks_2samp's method='asymp' p-value (the finite-n distribution
// kstwo.sf(D, round(n)) that Stephens' formula approximates) to 0.005 + 6%.
func TestKSTestAgainstSciPy(t *testing.T) {
	f, err := os.Open("../../testdata/monitor/ks_samples.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]map[string][]float64{}
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		if sets[r[0]] == nil {
			sets[r[0]] = map[string][]float64{}
		}
		sets[r[0]][r[1]] = append(sets[r[0]][r[1]], v)
	}
	b, err := os.ReadFile("../../testdata/monitor/ks_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Sets map[string]struct {
			N1, N2         int
			Statistic      float64
			PValueAsymp    float64 `json:"pvalue_asymp"`
			PValueStephens float64 `json:"pvalue_stephens"`
		}
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Sets) != 6 || len(sets) != 6 {
		t.Fatalf("%d golden sets, %d data sets", len(golden.Sets), len(sets))
	}
	for name, g := range golden.Sets {
		a, bb := sets[name]["a"], sets[name]["b"]
		if len(a) != g.N1 || len(bb) != g.N2 {
			t.Fatalf("%s: sizes %d, %d, golden %d, %d", name, len(a), len(bb), g.N1, g.N2)
		}
		d, p := KSTest(a, bb)
		if math.Abs(d-g.Statistic) > 1e-12 {
			t.Errorf("%s: D = %v, scipy %v", name, d, g.Statistic)
		}
		if math.Abs(p-g.PValueStephens) > 1e-9*max(1, g.PValueStephens) {
			t.Errorf("%s: p = %v, kstwobign %v", name, p, g.PValueStephens)
		}
		if math.Abs(p-g.PValueAsymp) > 0.005+0.06*g.PValueAsymp {
			t.Errorf("%s: p = %v, ks_2samp asymp %v", name, p, g.PValueAsymp)
		}
		// Symmetric in its samples.
		if d2, p2 := KSTest(bb, a); d2 != d || p2 != p {
			t.Errorf("%s: KSTest(b, a) = %v, %v; KSTest(a, b) = %v, %v", name, d2, p2, d, p)
		}
	}
}

// The Kolmogorov survival function at a few points, from its series
// (both forms must agree where they switch, at λ = 1) and known values:
// Q(1.3581) ≈ 0.05 and Q(1.6276) ≈ 0.01 are the classic critical values.
func TestKolmogorovSF(t *testing.T) {
	for _, c := range []struct{ lambda, want, tol float64 }{
		{0, 1, 0}, {1.3581, 0.05, 1e-4}, {1.6276, 0.01, 1e-4}, {0.5, 0.9639452436648751, 1e-12},
	} {
		if got := kolmogorovSF(c.lambda); math.Abs(got-c.want) > c.tol {
			t.Errorf("Q(%v) = %v, want %v", c.lambda, got, c.want)
		}
	}
	lo, hi := kolmogorovSF(math.Nextafter(1, 0)), kolmogorovSF(1)
	if math.Abs(lo-hi) > 1e-12 {
		t.Errorf("the series disagree at 1: %v, %v", lo, hi)
	}
	if d, p := KSTest(nil, []float64{1}); d != 0 || p != 1 {
		t.Errorf("empty sample: %v, %v", d, p)
	}
}
