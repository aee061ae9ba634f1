package feature

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// teBinaryRows are (id, category, label) rows; the last label is null, so
// the row is left out of the statistics.
var teBinaryRows = [][]any{
	{int64(0), int64(0), 1.0}, {int64(1), int64(0), 0.0}, {int64(2), int64(0), 1.0}, {int64(3), int64(1), 0.0},
	{int64(4), int64(1), 0.0}, {int64(5), int64(2), 1.0}, {int64(6), nil, 1.0}, {int64(7), int64(1), nil},
}

// teEncode fits on rows with parts partitions, transforms probe (id,
// category) rows and returns the encodings by id.
func teEncode(t *testing.T, te *TargetEncoder, rows [][]any, parts int, probe [][]any) (*TargetEncoderModel, []float64) {
	t.Helper()
	s, mem := newSession(t)
	df := makeDF(t, s, mem, []string{"id", "cat", "label"}, []arrow.DataType{tInt, tInt, tFloat}, rows, parts)
	m, err := te.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	in := makeDF(t, s, mem, []string{"id", "cat"}, []arrow.DataType{tInt, tInt}, probe, 1)
	var out []float64
	for _, r := range transformRows(t, m, in) {
		out = append(out, r[2].(float64))
	}
	return m, out
}

func teNear(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

// TestTargetEncoder: encodings equal a hand computation (done with exact
// fractions in Python: a category's positives/rows blended with the
// column's 4/7 by w = rows/(rows + smoothing)); a null input is a
// category; unseen values get the column's mean with handleInvalid keep;
// 1 and 4 partitions agree.
func TestTargetEncoder(t *testing.T) {
	probe := [][]any{{int64(0), int64(0)}, {int64(1), int64(1)}, {int64(2), int64(2)}, {int64(3), nil}, {int64(4), int64(9)}}
	for _, c := range []struct {
		smoothing float64
		want      []float64
	}{
		{0, []float64{2.0 / 3, 0, 1, 1, 4.0 / 7}},
		{1, []float64{0.6428571428571429, 0.19047619047619047, 0.7857142857142857, 0.7857142857142857, 0.5714285714285714}},
	} {
		for _, parts := range []int{1, 4} {
			te := NewTargetEncoder().SetInputCols("cat").SetOutputCols("enc").SetSmoothing(c.smoothing).SetHandleInvalid("keep")
			_, got := teEncode(t, te, teBinaryRows, parts, probe)
			if !teNear(got, c.want) {
				t.Fatalf("smoothing %v, %d partitions: %v, want %v", c.smoothing, parts, got, c.want)
			}
		}
	}
	// Continuous: the category's mean label against the column's 26/6.
	cont := [][]any{{int64(0), int64(0), 1.0}, {int64(1), int64(0), 3.0}, {int64(2), int64(1), 2.0}, {int64(3), int64(1), 6.0},
		{int64(4), int64(2), 10.0}, {int64(5), nil, 4.0}}
	for _, parts := range []int{1, 4} {
		te := NewTargetEncoder().SetInputCol("cat").SetOutputCol("enc").SetTargetType("continuous").SetSmoothing(2).SetHandleInvalid("keep")
		_, got := teEncode(t, te, cont, parts, probe)
		if want := []float64{3.1666666666666665, 4.166666666666667, 6.222222222222222, 4.222222222222222, 4.333333333333333}; !teNear(got, want) {
			t.Fatalf("continuous, %d partitions: %v, want %v", parts, got, want)
		}
	}
}

// TestTargetEncoderErrors: unseen values with handleInvalid error, labels
// other than 0/1 for a binary target and inputs that are not indices fail.
func TestTargetEncoderErrors(t *testing.T) {
	s, mem := newSession(t)
	df := makeDF(t, s, mem, []string{"id", "cat", "label"}, []arrow.DataType{tInt, tInt, tFloat}, teBinaryRows, 2)
	m, err := NewTargetEncoder().SetInputCol("cat").SetOutputCol("enc").FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	in := makeDF(t, s, mem, []string{"id", "cat"}, []arrow.DataType{tInt, tInt}, [][]any{{int64(0), int64(9)}}, 1)
	out, err := m.Transform(in)
	if err == nil {
		_, err = out.Collect(ctx)
	}
	wantErr(t, err, "unseen")
	bad := makeDF(t, s, mem, []string{"id", "cat", "label"}, []arrow.DataType{tInt, tInt, tFloat}, [][]any{{int64(0), int64(1), 2.0}}, 1)
	_, err = NewTargetEncoder().SetInputCol("cat").SetOutputCol("enc").FitModel(ctx, bad)
	wantErr(t, err, "binary")
	neg := makeDF(t, s, mem, []string{"id", "cat", "label"}, []arrow.DataType{tInt, tInt, tFloat}, [][]any{{int64(0), int64(-2), 1.0}}, 1)
	_, err = NewTargetEncoder().SetInputCol("cat").SetOutputCol("enc").FitModel(ctx, neg)
	wantErr(t, err, "indices")
}

// TestTargetEncoderSave: both layouts load back to the same encodings;
// Spark's data rows are (index, categories, counts, stats) with the
// column's statistics under Int.MaxValue.
func TestTargetEncoderSave(t *testing.T) {
	te := NewTargetEncoder().SetInputCols("cat").SetOutputCols("enc").SetSmoothing(1).SetHandleInvalid("keep")
	m, _ := teEncode(t, te, teBinaryRows, 2, [][]any{{int64(0), int64(0)}})
	want := m.Encodings()[0]
	reg := Register(ml.NewRegistry())
	for _, spark := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "te")
		var err error
		if spark {
			err = m.SaveSpark(dir)
		} else {
			err = m.Save(dir)
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := ml.LoadAs[*TargetEncoderModel](ctx, dir, reg)
		if err != nil {
			t.Fatalf("spark=%v: %v", spark, err)
		}
		got := back.Encodings()[0]
		if len(got) != len(want) || back.smoothing.Get(back.Params()) != 1 || back.handleInvalid.Get(back.Params()) != "keep" {
			t.Fatalf("spark=%v: %v, want %v", spark, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("spark=%v: category %v: %v, want %v", spark, k, got[k], v)
			}
		}
		if spark {
			d, err := ml.ReadSparkData(ctx, dir, "data")
			if err != nil {
				t.Fatal(err)
			}
			if g := strings.Join(d.Columns(), ","); g != "index,categories,counts,stats" {
				t.Fatalf("data columns %s", g)
			}
			found := false
			for r := 0; r < d.NumRows(); r++ {
				if c, _ := d.Float64("categories", r); c == 2147483647 {
					n, _ := d.Float64("counts", r)
					p, _ := d.Float64("stats", r)
					found = n == 7 && p == 4
				}
			}
			d.Release()
			if !found {
				t.Fatal("no global row (2147483647, 7 rows, 4 positives)")
			}
		}
	}
}
