package predict

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/linalg"
)

// cancerFeatures are ten of the breast cancer data's columns.
var cancerFeatures = []string{"mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness",
	"mean_compactness", "mean_concavity", "mean_concave_points", "mean_symmetry", "mean_fractal_dimension"}

func cancer(t testing.TB, s *frame.Session) *frame.DataFrame {
	t.Helper()
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV("../../testdata/ml/breast_cancer.csv")
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	return df
}

// scalerLR fits VectorAssembler → StandardScaler → LogisticRegression.
func scalerLR(t testing.TB, df *frame.DataFrame) *ml.PipelineModel {
	t.Helper()
	asm := feature.NewVectorAssembler().SetInputCols(cancerFeatures...).SetOutputCol("raw")
	sc := feature.NewStandardScaler().SetInputCol("raw").SetOutputCol("features")
	lr := classification.NewLogisticRegression()
	m, err := ml.NewPipeline(asm, sc, lr).Fit(context.Background(), df)
	if err != nil {
		t.Fatal(err)
	}
	return m.(*ml.PipelineModel)
}

// batchRows scores df with Transform and returns each row's named columns
// plus the records a Predictor is given.
func batchRows(t testing.TB, m ml.Transformer, df *frame.DataFrame, inputs, outputs []string) (recs, want []map[string]any) {
	t.Helper()
	out, err := m.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	cols := append(append([]frame.Column(nil), colsOf(inputs)...), colsOf(outputs)...)
	rows, err := out.Select(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		rec, w := map[string]any{}, map[string]any{}
		for i, n := range inputs {
			rec[n] = r[i]
		}
		for i, n := range outputs {
			v := r[len(inputs)+i]
			if vec, ok := v.(linalg.Vector); ok {
				v = vec.ToArray()
			}
			w[n] = v
		}
		recs, want = append(recs, rec), append(want, w)
	}
	return recs, want
}

func colsOf(names []string) []frame.Column {
	cs := make([]frame.Column, len(names))
	for i, n := range names {
		cs[i] = frame.Col(n)
	}
	return cs
}

// sameValue compares outputs exactly: the predictor runs the same kernels.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case []float64:
		y, ok := b.([]float64)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestPredictorMatchesTransform(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df := cancer(t, s)
		m := scalerLR(t, df)
		p, err := New(m)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Outputs(); strings.Join(got, ",") != "raw,features,rawPrediction,probability,prediction" {
			t.Fatalf("outputs %v", got)
		}
		recs, want := batchRows(t, m, df, cancerFeatures, p.Outputs())
		// One at a time, then all at once.
		for i, rec := range recs {
			got, err := p.Predict(ctx, rec)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range want[i] {
				if !sameValue(got[k], w) {
					t.Fatalf("parts %d, record %d, %s: predictor %v, Transform %v", parts, i, k, got[k], w)
				}
			}
		}
		got, err := p.PredictRecords(ctx, recs)
		if err != nil {
			t.Fatal(err)
		}
		for i := range recs {
			if !sameValue(got[i]["probability"], want[i]["probability"]) {
				t.Fatalf("batch record %d differs", i)
			}
		}
	}
}

func TestPredictorConcurrentCallers(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	df := cancer(t, s)
	m := scalerLR(t, df)
	dir := filepath.Join(t.TempDir(), "model")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	p, err := Load(ctx, dir, WithOutputs("probability", "prediction"))
	if err != nil {
		t.Fatal(err)
	}
	recs, want := batchRows(t, m, df, cancerFeatures, []string{"probability", "prediction"})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < len(recs); i += 8 {
				got, err := p.Predict(ctx, recs[i])
				if err != nil {
					errs <- err
					return
				}
				if !sameValue(got["probability"], want[i]["probability"]) || !sameValue(got["prediction"], want[i]["prediction"]) {
					errs <- fmt.Errorf("record %d: %v, want %v", i, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestPredictorInputErrors(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	df := cancer(t, s)
	p, err := New(scalerLR(t, df))
	if err != nil {
		t.Fatal(err)
	}
	good := map[string]any{}
	for _, c := range cancerFeatures {
		good[c] = 1.0
	}
	with := func(k string, v any) map[string]any {
		r := map[string]any{}
		for c, x := range good {
			r[c] = x
		}
		if v == nil {
			delete(r, k)
		} else {
			r[k] = v
		}
		return r
	}
	cases := []struct {
		recs []map[string]any
		want string
	}{
		{[]map[string]any{good, with("mean_area", nil)}, `record 1, field "mean_area": missing`},
		{[]map[string]any{with("mean_texture", "abc")}, `record 0, field "mean_texture": want double, got string "abc"`},
		{[]map[string]any{good, good, with("mean_radius", []any{1.0})}, `record 2, field "mean_radius": want double, got an array`},
	}
	for _, c := range cases {
		_, err := p.PredictRecords(ctx, c.recs)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an InputError containing %q", err, c.want)
		}
	}
	// JSON-style integers are numbers.
	if _, err := p.Predict(ctx, with("mean_area", 1000)); err != nil {
		t.Errorf("integer input: %v", err)
	}
	// A null reaches the model, whose assembler refuses it (handleInvalid
	// error): an InputError naming the record and the field.
	rec := with("mean_area", 1000)
	rec["mean_radius"] = nil
	_, err = p.PredictRecords(ctx, []map[string]any{good, good, good, rec})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Record != 3 || ie.Field != "mean_radius" || !strings.Contains(err.Error(), "encountered null") {
		t.Errorf("null input: %v", err)
	}
}

func TestPredictStruct(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	df := cancer(t, s)
	m := scalerLR(t, df)
	p, err := New(m)
	if err != nil {
		t.Fatal(err)
	}
	type tumour struct {
		Radius                 float64 `gspark:"mean_radius"`
		Texture                float64 `gspark:"mean_texture"`
		Perimeter              float64 `gspark:"mean_perimeter"`
		Area                   float32 `gspark:"mean_area"`
		Smoothness             float64 `gspark:"mean_smoothness"`
		Compactness            float64 `gspark:"mean_compactness"`
		Concavity              float64 `gspark:"mean_concavity"`
		Points                 float64 `gspark:"mean_concave_points"`
		Symmetry               float64 `gspark:"mean_symmetry"`
		Mean_Fractal_Dimension float64
		Ignored                string `gspark:"-"`
	}
	type scored struct {
		Prediction  int
		Probability []float64 `gspark:"probability"`
	}
	in := tumour{17.99, 10.38, 122.8, 1001.0, 0.1184, 0.2776, 0.3001, 0.1471, 0.2419, 0.07871, "x"}
	var out scored
	if err := p.PredictStruct(ctx, &in, &out); err != nil {
		t.Fatal(err)
	}
	rec := map[string]any{}
	for i, c := range cancerFeatures {
		rec[c] = []float64{17.99, 10.38, 122.8, 1001.0, 0.1184, 0.2776, 0.3001, 0.1471, 0.2419, 0.07871}[i]
	}
	want, err := p.Predict(ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	if float64(out.Prediction) != want["prediction"].(float64) || !sameValue(out.Probability, want["probability"]) {
		t.Errorf("struct %+v, map %v", out, want)
	}
}

func BenchmarkPredictOne(b *testing.B) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	df := cancer(b, s)
	p, err := New(scalerLR(b, df), WithOutputs("probability", "prediction"))
	if err != nil {
		b.Fatal(err)
	}
	rec := map[string]any{}
	for i, c := range cancerFeatures {
		rec[c] = float64(i + 1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := p.Predict(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPredictParallel(b *testing.B) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	df := cancer(b, s)
	p, err := New(scalerLR(b, df), WithOutputs("probability", "prediction"))
	if err != nil {
		b.Fatal(err)
	}
	rec := map[string]any{}
	for i, c := range cancerFeatures {
		rec[c] = float64(i + 1)
	}
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := p.Predict(ctx, rec); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
