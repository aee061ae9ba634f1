package sqlfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/regression"
	"github.com/gspark/gspark/ml/tuning"
)

func run(t *testing.T, s *frame.Session, script string) [][]frame.Row {
	t.Helper()
	var out [][]frame.Row
	err := s.ExecSQL(context.Background(), script, func(_ string, df *frame.DataFrame) error {
		rows, err := df.Collect(context.Background())
		out = append(out, rows)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return out
}

// kmeansModel saves a 3-means model of iris_vec; its cluster sizes, by
// prediction, are what the queries below must see again.
func kmeansModel(t *testing.T, vec *frame.DataFrame) (ml.Model, string, map[int32]int64) {
	m, dir := fitSave(t, set(t, clustering.NewKMeans(), "k", 3, "seed", int64(1)).(ml.Estimator), vec)
	out, err := m.Transform(vec)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := out.Select(frame.Col("prediction")).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int32]int64{}
	for _, r := range rows {
		sizes[r[0].(int32)]++
	}
	if len(sizes) != 3 {
		t.Fatalf("cluster sizes %v", sizes)
	}
	return m, dir, sizes
}

// ml_transform composes with filters, joins, aggregates, INSERT OVERWRITE
// DIRECTORY and CREATE TABLE … AS.
func TestTransformComposes(t *testing.T) {
	s, _, vec := irisSession(t)
	_, dir, sizes := kmeansModel(t, vec)
	q := fmt.Sprintf("ml_transform('%s', TABLE(iris_vec))", dir)
	got := run(t, s, fmt.Sprintf("SELECT count(*) FROM %s WHERE prediction = 1", q))[0]
	if got[0][0] != sizes[1] {
		t.Errorf("filter: %v rows in cluster 1, want %d", got, sizes[1])
	}
	// A join of the scored rows with a table of cluster names.
	got = run(t, s, fmt.Sprintf(`SELECT c.name, count(*) FROM %s m JOIN VALUES (0, 'a'), (1, 'b'), (2, 'c') AS c(id, name)
  ON m.prediction = c.id GROUP BY c.name ORDER BY c.name`, q))[0]
	if fmt.Sprint(got) != fmt.Sprintf("[[a %d] [b %d] [c %d]]", sizes[0], sizes[1], sizes[2]) {
		t.Errorf("join: got %v, want sizes %v", got, sizes)
	}
	// TABLE(query): the model applied to a filtered subquery.
	got = run(t, s, fmt.Sprintf("SELECT count(*) FROM ml_transform('%s', TABLE(SELECT * FROM iris_vec WHERE species = 'setosa'))", dir))[0]
	if got[0][0] != int64(50) {
		t.Errorf("TABLE(query): %v rows, want 50", got)
	}
	out := t.TempDir()
	run(t, s, fmt.Sprintf(`INSERT OVERWRITE DIRECTORY '%[1]s/scores' USING parquet
  SELECT sepal_length, prediction FROM %[2]s WHERE prediction = 2;
CREATE TABLE scored USING parquet LOCATION '%[1]s/scored' AS SELECT species, prediction FROM %[2]s`, out, q))
	got = run(t, s, fmt.Sprintf("SELECT count(*), min(prediction), max(prediction) FROM parquet.`%s/scores`", out))[0]
	if fmt.Sprint(got) != fmt.Sprintf("[[%d 2 2]]", sizes[2]) {
		t.Errorf("INSERT OVERWRITE DIRECTORY: got %v, want %d rows of cluster 2", got, sizes[2])
	}
	got = run(t, s, "SELECT prediction, count(*) FROM scored GROUP BY prediction ORDER BY prediction")[0]
	if fmt.Sprint(got) != fmt.Sprintf("[[0 %d] [1 %d] [2 %d]]", sizes[0], sizes[1], sizes[2]) {
		t.Errorf("CREATE TABLE AS: got %v, want sizes %v", got, sizes)
	}
}

// A model is loaded once per registration, and again once saved anew.
func TestModelCache(t *testing.T) {
	s, models, vec := irisSession(t)
	_, dir, _ := kmeansModel(t, vec)
	for range 3 {
		run(t, s, fmt.Sprintf("SELECT count(*) FROM ml_transform('%s', TABLE(iris_vec))", dir))
	}
	st1, _, err := models.Load(context.Background(), dir)
	if err != nil || models.Len() != 1 {
		t.Fatalf("cache holds %d models (%v), want 1", models.Len(), err)
	}
	st2, _, _ := models.Load(context.Background(), dir)
	if st1 != st2 {
		t.Errorf("the second load did not come from the cache")
	}
	m2, err := set(t, clustering.NewKMeans(), "k", 2, "seed", int64(1)).(ml.Estimator).Fit(context.Background(), vec)
	if err != nil {
		t.Fatal(err)
	}
	mdPath := filepath.Join(dir, "metadata", "part-00000")
	before, _ := os.Stat(mdPath)
	if err := ml.Overwrite(m2, dir); err != nil {
		t.Fatal(err)
	}
	// Make the new save's time differ even on coarse-grained file systems.
	later := before.ModTime().Add(2e9)
	if err := os.Chtimes(mdPath, later, later); err != nil {
		t.Fatal(err)
	}
	got := run(t, s, fmt.Sprintf("SELECT count(DISTINCT prediction) FROM ml_transform('%s', TABLE(iris_vec))", dir))[0]
	if got[0][0] != int64(2) {
		t.Errorf("after saving a 2-means model over the path: %v clusters, want 2", got)
	}
	// Another session's registration has its own cache.
	other := frame.NewSession()
	if Register(other).Len() != 0 {
		t.Errorf("a new registration starts with models cached")
	}
}

// Bad models and unfit data fail with the path, column and expected type
// named, before anything is written.
func TestTransformErrors(t *testing.T) {
	s, _, vec := irisSession(t)
	_, dir, _ := kmeansModel(t, vec)
	_, lrDir := fitSave(t, set(t, classification.NewLogisticRegression(), "maxIter", 5).(ml.Estimator), vec)

	notModel := t.TempDir()
	if err := os.WriteFile(filepath.Join(notModel, "x.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	truncated := copyModel(t, lrDir)
	md := filepath.Join(truncated, "metadata", "part-00000")
	b, _ := os.ReadFile(md)
	if err := os.WriteFile(md, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	noData := copyModel(t, lrDir)
	if err := os.RemoveAll(filepath.Join(noData, "data")); err != nil {
		t.Fatal(err)
	}
	estimator := filepath.Join(t.TempDir(), "est")
	if err := clustering.NewKMeans().Save(estimator); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, want string }{
		{fmt.Sprintf("ml_transform('%s/nope', TABLE(iris_vec))", notModel), "does not exist"},
		{fmt.Sprintf("ml_transform('%s', TABLE(iris_vec))", notModel), "is not a saved model"},
		{fmt.Sprintf("ml_transform('%s', TABLE(iris_vec))", truncated), "invalid metadata"},
		{fmt.Sprintf("ml_transform('%s', TABLE(iris_vec))", noData), "model data"},
		{fmt.Sprintf("ml_transform('%s', TABLE(iris_vec))", estimator), "is an estimator, not a fitted model"},
		{fmt.Sprintf("ml_transform('%s', TABLE(iris))", dir), `input column "features" (vector) is missing`},
		{fmt.Sprintf("ml_transform('%s', TABLE(SELECT species AS features FROM iris))", dir), `input column "features" must be vector, got string`},
		{fmt.Sprintf("ml_transform('%s', TABLE(SELECT * FROM iris_vec, (SELECT 1 AS prediction)))", dir), `output column "prediction" already exists`},
		{fmt.Sprintf("ml_transform('%s')", dir), "usage: ml_transform('path/to/model', TABLE(t))"},
		{"ml_transform(1, TABLE(iris_vec))", "the first argument must be the model's path"},
		{"ml_transfrom('m', TABLE(iris_vec))", "did you mean ml_transform"},
	} {
		target := filepath.Join(t.TempDir(), "out")
		err := s.ExecSQL(context.Background(), fmt.Sprintf("INSERT OVERWRITE DIRECTORY '%s' USING parquet SELECT * FROM %s", target, tc.from),
			func(string, *frame.DataFrame) error { return nil })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.from, err, tc.want)
		}
		if _, serr := os.Stat(target); !errors.Is(serr, fs.ErrNotExist) {
			t.Errorf("%s: %s was written", tc.from, target)
		}
		if err := s.SQL("SELECT * FROM " + tc.from).Err(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: query: got %v, want %q", tc.from, err, tc.want)
		}
	}
	// A model saved by Spark itself loads (a tree over 692 features), and
	// scoring 4-feature vectors with it fails naming the sizes.
	spark := filepath.Join("..", "..", "testdata", "ml", "spark-models", "dtc-2.4.7")
	_, err := s.SQL(fmt.Sprintf("SELECT prediction FROM ml_transform('%s', TABLE(iris_vec))", spark)).Collect(context.Background())
	if err == nil || !strings.Contains(err.Error(), "has size 4, expected 692") {
		t.Errorf("Spark model: got %v", err)
	}
}

func copyModel(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// The saved metadata records the signature; DESCRIBE MODEL prints it with
// the stages; a save without a signature (an older one) still loads and
// describes, the signature worked out from the stages.
func TestSignatureAndDescribe(t *testing.T) {
	s, _, _ := irisSession(t)
	_, dir := irisPipeline(t, s.Table("samples.iris"))
	md, err := ml.ReadMetadata(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The pipeline scores from sepal_length and petal_width; it adds the
	// assembled and scaled features and the classifier's columns (Spark's
	// LogisticRegressionModel: rawPrediction, probability, prediction). Its
	// first stage indexes the label, species, which scoring does without:
	// Spark's StringIndexerModel skips a missing input column.
	want := "inputs (sepal_length double, petal_width double) → outputs " +
		"(f2 vector, f2s vector, rawPrediction vector, probability vector, prediction double)"
	if md.Signature == nil || md.Signature.String() != want {
		t.Fatalf("signature %v, want %s", md.Signature, want)
	}
	describe := func(dir string) []frame.Row {
		return run(t, s, fmt.Sprintf("DESCRIBE MODEL '%s'", dir))[0]
	}
	rows := describe(dir)
	var text []string
	for _, r := range rows {
		text = append(text, fmt.Sprint(r[:4]...))
	}
	got := strings.Join(text, "\n")
	for _, line := range []string{
		"stage0gspark.ml.feature.StringIndexerModel", "stage1gspark.ml.feature.VectorAssembler",
		"stage2gspark.ml.feature.StandardScalerModel", "stage3gspark.ml.classification.LogisticRegressionModel",
		"input0sepal_lengthdouble", "input1petal_widthdouble", "output0f2vector", "output4predictiondouble",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("DESCRIBE MODEL lacks %q:\n%s", line, got)
		}
	}
	if len(rows) != 4+2+5 {
		t.Errorf("DESCRIBE MODEL: %d rows, want 11", len(rows))
	}
	if p := fmt.Sprint(rows[3][5]); !strings.Contains(p, "featuresCol=f2s") || !strings.Contains(p, "labelCol=idx") || !strings.Contains(p, "maxIter=20") {
		t.Errorf("stage 3 params: %s", p)
	}
	// An older save: the metadata without "signature".
	old := copyModel(t, dir)
	mdPath := filepath.Join(old, "metadata", "part-00000")
	b, _ := os.ReadFile(mdPath)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	delete(raw, "signature")
	b, _ = json.Marshal(raw)
	if err := os.WriteFile(mdPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if md, err := ml.ReadMetadata(old); err != nil || md.Signature != nil {
		t.Fatalf("old metadata: %v, %v", md, err)
	}
	if got := describe(old); fmt.Sprint(got) != fmt.Sprint(rows) {
		t.Errorf("DESCRIBE MODEL of the older save:\n%v\nwant\n%v", got, rows)
	}
	n := run(t, s, fmt.Sprintf("SELECT count(*) FROM ml_transform('%s', TABLE(samples.iris)) WHERE prediction = idx", old))[0]
	if c := n[0][0].(int64); c < 120 {
		t.Errorf("older save: %d of 150 rows predicted right", c)
	}
	// Without species the label index is skipped and the rest scores.
	if rows := run(t, s, fmt.Sprintf("SELECT * FROM ml_transform('%s', TABLE(SELECT sepal_length, petal_width FROM samples.iris))", dir))[0]; len(rows) != 150 || len(rows[0]) != 7 {
		t.Errorf("scoring without the label: %d rows of %d columns", len(rows), len(rows[0]))
	}
	// Missing and mistyped columns named with the expected type.
	for q, want := range map[string]string{
		"SELECT species, petal_width FROM samples.iris":                                              `input column "sepal_length" (double) is missing`,
		"SELECT species, sepal_length, CAST(petal_width AS STRING) AS petal_width FROM samples.iris": `input column "petal_width" must be double, got string`,
	} {
		err := s.SQL(fmt.Sprintf("SELECT * FROM ml_transform('%s', TABLE(%s))", dir, q)).Err()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", q, err, want)
		}
	}
}

// A tuning model's signature is its best model's, and it scores in SQL.
func TestTuningModelSignature(t *testing.T) {
	s, _, _ := irisSession(t)
	iris := s.Table("iris")
	p := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols("petal_length", "petal_width").SetOutputCol("features"),
		regression.NewLinearRegression().SetLabelCol("sepal_length"),
	)
	grid := tuning.NewParamGridBuilder().AddGrid("regParam", 0.0, 0.5).Build()
	tvs := tuning.NewTrainValidationSplit().SetEstimator(p).SetEstimatorParamMaps(grid).
		SetEvaluator(evaluation.NewRegressionEvaluator().SetLabelCol("sepal_length")).SetSeed(5)
	_, dir := fitSave(t, tvs, iris)
	md, err := ml.ReadMetadata(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "inputs (petal_length double, petal_width double) → outputs (features vector, prediction double)"
	if md.Signature == nil || md.Signature.String() != want {
		t.Fatalf("signature %v, want %s", md.Signature, want)
	}
	got := run(t, s, fmt.Sprintf("SELECT count(prediction) FROM ml_transform('%s', TABLE(iris))", dir))[0]
	if got[0][0] != int64(150) {
		t.Errorf("got %v, want 150 predictions", got)
	}
}

// Metadata written by Apache Spark has no signature and still reads.
func TestSparkMetadataReads(t *testing.T) {
	dirs, _ := filepath.Glob("/work/shared/spark-models/*-2.4.*")
	if len(dirs) == 0 {
		t.Skip("no Spark-saved models here")
	}
	for _, d := range dirs {
		md, err := ml.ReadMetadata(d)
		if err != nil {
			t.Errorf("%s: %v", d, err)
			continue
		}
		if !strings.HasPrefix(md.Class, "org.apache.spark.ml.") || md.Signature != nil {
			t.Errorf("%s: class %q, signature %v", d, md.Class, md.Signature)
		}
	}
}

// Queries on one session may share its model cache concurrently.
func TestModelCacheConcurrent(t *testing.T) {
	s, models, vec := irisSession(t)
	_, dir, sizes := kmeansModel(t, vec)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			rows, err := s.SQL(fmt.Sprintf("SELECT count(*) FROM ml_transform('%s', TABLE(iris_vec)) WHERE prediction = 0", dir)).Collect(context.Background())
			if err == nil && rows[0][0] != sizes[0] {
				err = fmt.Errorf("got %v rows, want %d", rows[0][0], sizes[0])
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if models.Len() != 1 {
		t.Errorf("%d models cached, want 1", models.Len())
	}
}
