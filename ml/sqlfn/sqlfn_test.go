package sqlfn

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/registry"
	"github.com/gspark/gspark/ml/regression"
)

// irisBase is iris with a three-class label (setosa 0, versicolor 1,
// virginica 2) and a binary one (virginica 1).
const irisBase = `SELECT sepal_length, sepal_width, petal_length, petal_width, species,
  CASE species WHEN 'setosa' THEN 0.0 WHEN 'versicolor' THEN 1.0 ELSE 2.0 END AS label,
  CASE WHEN species = 'virginica' THEN 1.0 ELSE 0.0 END AS binlabel
FROM samples.iris`

// irisSession returns a session with ml_transform registered and the views
// iris (irisBase) and iris_vec (iris with the four measures as features).
func irisSession(t *testing.T) (*frame.Session, *Models, *frame.DataFrame) {
	t.Helper()
	s := frame.NewSession(frame.WithPartitions(2))
	models := Register(s)
	base := s.SQL(irisBase)
	if err := base.CreateOrReplaceTempView("iris"); err != nil {
		t.Fatal(err)
	}
	vec, err := feature.NewVectorAssembler().SetInputCols("sepal_length", "sepal_width", "petal_length", "petal_width").
		SetOutputCol("features").Transform(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := vec.CreateOrReplaceTempView("iris_vec"); err != nil {
		t.Fatal(err)
	}
	return s, models, vec
}

// set sets params by name on st.
func set(t *testing.T, st ml.Stage, kv ...any) ml.Stage {
	t.Helper()
	for i := 0; i < len(kv); i += 2 {
		if err := st.Params().Set(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// rowStrings renders every row of df as text, sorted: scalars with
// strconv's shortest exact form (floats round-trip), vectors as their dense
// values read through linalg's accessors. Equal outputs render equal.
func rowStrings(t *testing.T, df *frame.DataFrame) ([]string, *arrow.Schema) {
	t.Helper()
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	bs, err := df.CollectBatches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range bs {
		defer b.Release()
		cells := make([][]string, b.NumRows())
		for j, col := range b.Columns() {
			vc, verr := linalg.Vectors(col)
			for i := range cells {
				switch {
				case col.IsNull(i):
					cells[i] = append(cells[i], "null")
				case verr == nil && linalg.IsVector(b.Schema().Field(j).Type):
					dense := make([]float64, vc.Size(i))
					vc.ForEachActive(i, func(k int, v float64) { dense[k] = v })
					cells[i] = append(cells[i], fmt.Sprint(bitsOf(dense)))
				default:
					cells[i] = append(cells[i], col.ValueStr(i))
				}
			}
		}
		for _, c := range cells {
			out = append(out, strings.Join(c, "|"))
		}
	}
	slices.Sort(out)
	return out, df.Schema()
}

// bitsOf renders floats exactly.
func bitsOf(v []float64) []string {
	out := make([]string, len(v))
	for i, f := range v {
		out[i] = strconv.FormatUint(math.Float64bits(f), 16)
	}
	return out
}

func fitSave(t *testing.T, est ml.Estimator, df *frame.DataFrame) (ml.Model, string) {
	t.Helper()
	m, err := est.Fit(context.Background(), df)
	if err != nil {
		t.Fatalf("%s: %v", est.ClassName(), err)
	}
	dir := filepath.Join(t.TempDir(), "model")
	if err := m.Save(dir); err != nil {
		t.Fatalf("%s: %v", est.ClassName(), err)
	}
	return m, dir
}

// ml_transform gives exactly Transform's rows and values, for every family.
func TestTransformMatchesGo(t *testing.T) {
	s, _, vec := irisSession(t)
	for _, est := range []ml.Estimator{
		set(t, regression.NewLinearRegression(), "maxIter", 20).(ml.Estimator),
		set(t, classification.NewLogisticRegression(), "maxIter", 20).(ml.Estimator),
		set(t, classification.NewLinearSVC(), "labelCol", "binlabel", "maxIter", 20).(ml.Estimator),
		classification.NewNaiveBayes(),
		set(t, classification.NewDecisionTreeClassifier(), "maxDepth", 3).(ml.Estimator),
		set(t, classification.NewRandomForestClassifier(), "numTrees", 4, "maxDepth", 3, "seed", int64(7)).(ml.Estimator),
		set(t, classification.NewGBTClassifier(), "labelCol", "binlabel", "maxIter", 4, "maxDepth", 2).(ml.Estimator),
		set(t, regression.NewDecisionTreeRegressor(), "maxDepth", 3).(ml.Estimator),
		set(t, regression.NewRandomForestRegressor(), "numTrees", 4, "maxDepth", 3, "seed", int64(7)).(ml.Estimator),
		set(t, regression.NewGBTRegressor(), "maxIter", 4, "maxDepth", 2).(ml.Estimator),
		set(t, clustering.NewKMeans(), "k", 3, "seed", int64(1)).(ml.Estimator),
		set(t, clustering.NewBisectingKMeans(), "k", 3, "seed", int64(1)).(ml.Estimator),
		set(t, clustering.NewGaussianMixture(), "k", 3, "seed", int64(1), "maxIter", 10).(ml.Estimator),
	} {
		t.Run(est.ClassName(), func(t *testing.T) {
			m, dir := fitSave(t, est, vec)
			want, ws := m.Transform(vec)
			if ws != nil {
				t.Fatal(ws)
			}
			wantRows, wantSchema := rowStrings(t, want)
			got, gotSchema := rowStrings(t, s.SQL(fmt.Sprintf("SELECT * FROM ml_transform('%s', TABLE(iris_vec))", dir)))
			checkSame(t, got, gotSchema, wantRows, wantSchema)
		})
	}
}

func checkSame(t *testing.T, got []string, gs *arrow.Schema, want []string, ws *arrow.Schema) {
	t.Helper()
	if !gs.Equal(ws) {
		t.Fatalf("schema:\n got %s\nwant %s", gs, ws)
	}
	if len(got) != 150 || !slices.Equal(got, want) {
		t.Fatalf("%d rows, want %d; first got %q, want %q", len(got), len(want), first(got), first(want))
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// irisPipeline fits indexer → assembler → scaler → logistic regression on
// the raw iris columns.
func irisPipeline(t *testing.T, df *frame.DataFrame) (ml.Model, string) {
	t.Helper()
	p := ml.NewPipeline(
		feature.NewStringIndexer().SetInputCol("species").SetOutputCol("idx"),
		feature.NewVectorAssembler().SetInputCols("sepal_length", "petal_width").SetOutputCol("f2"),
		feature.NewStandardScaler().SetInputCol("f2").SetOutputCol("f2s"),
		set(t, classification.NewLogisticRegression(), "featuresCol", "f2s", "labelCol", "idx", "maxIter", 20),
	)
	return fitSave(t, p, df)
}

func TestTransformPipelineModel(t *testing.T) {
	s, _, _ := irisSession(t)
	raw := s.Table("samples.iris")
	m, dir := irisPipeline(t, raw)
	want, err := m.Transform(raw)
	if err != nil {
		t.Fatal(err)
	}
	wantRows, ws := rowStrings(t, want)
	gotRows, gs := rowStrings(t, s.SQL(fmt.Sprintf("SELECT * FROM ml_transform('%s', TABLE(samples.iris))", dir)))
	checkSame(t, gotRows, gs, wantRows, ws)
}

// A registered model's directory means its latest version.
func TestTransformRegisteredModel(t *testing.T) {
	s, _, vec := irisSession(t)
	root := t.TempDir()
	var models []ml.Model
	for _, k := range []int{2, 3} {
		m, err := set(t, clustering.NewKMeans(), "k", k, "seed", int64(1)).(ml.Estimator).Fit(context.Background(), vec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := registry.Register(root, "clusters", m, nil); err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	query := fmt.Sprintf("SELECT * FROM ml_transform('%s', TABLE(iris_vec))", filepath.Join(root, "clusters"))
	want, err := models[1].Transform(vec)
	if err != nil {
		t.Fatal(err)
	}
	wantRows, ws := rowStrings(t, want)
	gotRows, gs := rowStrings(t, s.SQL(query))
	checkSame(t, gotRows, gs, wantRows, ws)
	// Rolled back to v1, the same SQL scores with v1.
	if _, err := registry.SetLatest(root, "clusters", 1); err != nil {
		t.Fatal(err)
	}
	want, err = models[0].Transform(vec)
	if err != nil {
		t.Fatal(err)
	}
	wantRows, ws = rowStrings(t, want)
	gotRows, gs = rowStrings(t, s.SQL(query))
	checkSame(t, gotRows, gs, wantRows, ws)
}
