package all

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/regression"
)

// The structs Spark stores vectors and matrices as: the sqlType of
// VectorUDT (mllib/src/main/scala/org/apache/spark/ml/linalg/VectorUDT.scala)
// and MatrixUDT (…/ml/linalg/MatrixUDT.scala), arrays of non-null elements.
var (
	wantVector = arrow.StructOf(
		arrow.Field{Name: "type", Type: arrow.PrimitiveTypes.Int8},
		arrow.Field{Name: "size", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "indices", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true},
		arrow.Field{Name: "values", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64}), Nullable: true})
	wantMatrix = arrow.StructOf(
		arrow.Field{Name: "type", Type: arrow.PrimitiveTypes.Int8},
		arrow.Field{Name: "numRows", Type: arrow.PrimitiveTypes.Int32},
		arrow.Field{Name: "numCols", Type: arrow.PrimitiveTypes.Int32},
		arrow.Field{Name: "colPtrs", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true},
		arrow.Field{Name: "rowIndices", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true},
		arrow.Field{Name: "values", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64}), Nullable: true},
		arrow.Field{Name: "isTransposed", Type: arrow.FixedWidthTypes.Boolean})
)

// Field constructors for expected Spark data schemas: Scala primitives are
// non-null, objects (vectors, matrices, arrays, strings) nullable.
func fDouble(n string) arrow.Field { return arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Float64} }
func fInt(n string) arrow.Field    { return arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Int32} }
func fBool(n string) arrow.Field   { return arrow.Field{Name: n, Type: arrow.FixedWidthTypes.Boolean} }
func fVec(n string) arrow.Field    { return arrow.Field{Name: n, Type: wantVector, Nullable: true} }
func fMat(n string) arrow.Field    { return arrow.Field{Name: n, Type: wantMatrix, Nullable: true} }

// sparkSaveCase is one model saved with SaveSpark and checked against the
// layout Spark's writer of the class produces.
type sparkSaveCase struct {
	name    string
	model   ml.Transformer
	class   string
	version string
	// defaults are the keys of Spark's defaultParamMap for the class.
	defaults []string
	// data is the schema of Spark's data/ Parquet file (nil: no data).
	data *arrow.Schema
	df   *frame.DataFrame
	// cols are the output columns compared between saved and loaded model.
	cols []string
}

// footerSchema returns the Spark schema JSON in the footer of the Parquet
// file under dir/sub, as decoded fields by name.
func footerSchema(t *testing.T, dir, sub string) map[string]json.RawMessage {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, sub, "*.parquet"))
	if len(files) != 1 {
		t.Fatalf("%s/%s: parquet files %v", dir, sub, files)
	}
	r, err := file.OpenParquetFile(files[0], false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v := r.MetaData().KeyValueMetadata().FindValue("org.apache.spark.sql.parquet.row.metadata")
	if v == nil {
		t.Fatalf("%s: no Spark schema in the footer", files[0])
	}
	var st struct {
		Fields []struct {
			Name string          `json:"name"`
			Type json.RawMessage `json:"type"`
		} `json:"fields"`
	}
	if err := json.Unmarshal([]byte(*v), &st); err != nil {
		t.Fatal(err)
	}
	out := map[string]json.RawMessage{}
	for _, f := range st.Fields {
		out[f.Name] = f.Type
	}
	return out
}

// sparkVectorUDTJSON is the type JSON of a vector column in the footer of
// the perceptron's data file Spark 2.4 wrote.
func sparkVectorUDTJSON(t *testing.T) string {
	return string(footerSchema(t, filepath.Join(sparkModels, "mlp-2.4.4"), "data")["weights"])
}

// rowsOf collects cols of df.
func rowsOf(t *testing.T, df *frame.DataFrame, cols []string) []frame.Row {
	t.Helper()
	rows, err := df.SelectCols(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func checkSparkSave(t *testing.T, c sparkSaveCase) ml.Stage {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), c.name)
	if err := c.model.(interface{ SaveSpark(string) error }).SaveSpark(dir); err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
	want := map[string]any{"class": c.class, "uid": c.model.UID(), "sparkVersion": c.version}
	for k, v := range want {
		if md[k] != v {
			t.Errorf("%s: metadata %s = %v, want %v", c.name, k, md[k], v)
		}
	}
	if g := keys(md, ""); !slices.Equal(g, []string{"class", "defaultParamMap", "paramMap", "sparkVersion", "timestamp", "uid"}) {
		t.Errorf("%s: metadata keys %v", c.name, g)
	}
	if g, w := keys(md, "defaultParamMap"), slices.Sorted(slices.Values(c.defaults)); !slices.Equal(g, w) {
		t.Errorf("%s: defaultParamMap keys\n%v, Spark's\n%v", c.name, g, w)
	}
	if c.data != nil {
		sameFields(t, c.name+" data", parquetSchema(t, dir, "data"), c.data)
		foot := footerSchema(t, dir, "data")
		vec := sparkVectorUDTJSON(t)
		for _, f := range c.data.Fields() {
			if arrow.TypeEqual(f.Type, wantVector) && string(foot[f.Name]) != vec {
				t.Errorf("%s: footer type of %s\n%s, Spark's vector\n%s", c.name, f.Name, foot[f.Name], vec)
			}
			if arrow.TypeEqual(f.Type, wantMatrix) && !strings.Contains(string(foot[f.Name]), `"class":"org.apache.spark.ml.linalg.MatrixUDT"`) {
				t.Errorf("%s: footer type of %s: %s", c.name, f.Name, foot[f.Name])
			}
		}
	}
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	if reflect.TypeOf(back) != reflect.TypeOf(c.model) || back.UID() != c.model.UID() {
		t.Fatalf("%s: loaded %T %s", c.name, back, back.UID())
	}
	if g, w := back.Params().ExplainParams(), c.model.Params().ExplainParams(); g != w {
		t.Errorf("%s: params loaded back\n%s\nsaved\n%s", c.name, g, w)
	}
	if c.df != nil {
		out1, err := c.model.Transform(c.df)
		if err != nil {
			t.Fatal(err)
		}
		out2, err := back.(ml.Transformer).Transform(c.df)
		if err != nil {
			t.Fatal(err)
		}
		r1, r2 := rowsOf(t, out1, c.cols), rowsOf(t, out2, c.cols)
		// Printed, so that NaN equals NaN; %v prints floats exactly.
		if len(r1) == 0 || fmt.Sprint(r1) != fmt.Sprint(r2) {
			t.Errorf("%s: %d rows loaded back differ from the %d saved:\n%v\n%v", c.name, len(r2), len(r1), r2[:min(3, len(r2))], r1[:min(3, len(r1))])
		}
	}
	return back
}

func libsvm(s *frame.Session, name string) *frame.DataFrame {
	return s.Read().Format("libsvm").Load(filepath.Join("..", "..", "testdata", "ml", name))
}

// Linear models saved in Spark's layout have Spark's class, metadata keys
// and data fields (LinearRegression.scala, LogisticRegression.scala,
// LinearSVC.scala, NaiveBayes.scala writers) and load back predicting the
// same, for fits on 1 and 4 partitions.
func TestSaveLinearModelsInSparkLayout(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		reg, bin, multi := libsvm(s, "sample_linear_regression_data.txt"), libsvm(s, "sample_libsvm_data.txt"), libsvm(s, "sample_multiclass_classification_data.txt")
		lin, err := regression.NewLinearRegression().SetRegParam(0.3).SetElasticNetParam(0.8).FitModel(ctx, reg)
		if err != nil {
			t.Fatal(err)
		}
		lrDefaults := []string{"featuresCol", "labelCol", "predictionCol", "solver", "maxIter", "regParam", "elasticNetParam",
			"tol", "fitIntercept", "standardization", "aggregationDepth", "loss", "epsilon"}
		checkSparkSave(t, sparkSaveCase{name: "linreg", model: lin, class: "org.apache.spark.ml.regression.LinearRegressionModel",
			version: "2.4.7", defaults: lrDefaults, df: reg, cols: []string{"prediction"},
			data: arrow.NewSchema([]arrow.Field{fDouble("intercept"), fVec("coefficients"), fDouble("scale")}, nil)})

		logDefaults := []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "probabilityCol", "family", "maxIter",
			"regParam", "elasticNetParam", "tol", "threshold", "fitIntercept", "standardization", "aggregationDepth"}
		logData := arrow.NewSchema([]arrow.Field{fInt("numClasses"), fInt("numFeatures"), fVec("interceptVector"), fMat("coefficientMatrix"), fBool("isMultinomial")}, nil)
		binLR, err := classification.NewLogisticRegression().SetMaxIter(10).SetRegParam(0.3).SetElasticNetParam(0.8).SetThreshold(0.4).FitModel(ctx, bin)
		if err != nil {
			t.Fatal(err)
		}
		back := checkSparkSave(t, sparkSaveCase{name: "logreg", model: binLR, class: "org.apache.spark.ml.classification.LogisticRegressionModel",
			version: "2.4.7", defaults: logDefaults, df: bin, cols: []string{"rawPrediction", "probability", "prediction"}, data: logData})
		if b := back.(*classification.LogisticRegressionModel); b.IsMultinomial() || b.Intercept() != binLR.Intercept() {
			t.Errorf("binomial model loaded back: multinomial %v, intercept %v", b.IsMultinomial(), b.Intercept())
		}
		mLR, err := classification.NewLogisticRegression().SetFamily("multinomial").SetMaxIter(20).FitModel(ctx, multi)
		if err != nil {
			t.Fatal(err)
		}
		back = checkSparkSave(t, sparkSaveCase{name: "mlogreg", model: mLR, class: "org.apache.spark.ml.classification.LogisticRegressionModel",
			version: "2.4.7", defaults: logDefaults, df: multi, cols: []string{"rawPrediction", "probability", "prediction"}, data: logData})
		if b := back.(*classification.LogisticRegressionModel); !b.IsMultinomial() || b.NumClasses() != 3 || !reflect.DeepEqual(b.CoefficientMatrix(), mLR.CoefficientMatrix()) {
			t.Errorf("multinomial model loaded back: %v %d", b.IsMultinomial(), b.NumClasses())
		}

		svc, err := classification.NewLinearSVC().SetMaxIter(10).SetRegParam(0.1).FitModel(ctx, bin)
		if err != nil {
			t.Fatal(err)
		}
		checkSparkSave(t, sparkSaveCase{name: "svc", model: svc, class: "org.apache.spark.ml.classification.LinearSVCModel", version: "2.4.7",
			defaults: []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "maxIter", "regParam", "tol", "threshold",
				"fitIntercept", "standardization", "aggregationDepth"},
			df: bin, cols: []string{"rawPrediction", "prediction"}, data: arrow.NewSchema([]arrow.Field{fVec("coefficients"), fDouble("intercept")}, nil)})

		nbDefaults := []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "probabilityCol", "modelType", "smoothing"}
		nbData := arrow.NewSchema([]arrow.Field{fVec("pi"), fMat("theta"), fMat("sigma")}, nil)
		type binRow struct {
			Label    float64       `gspark:"label"`
			Features linalg.Vector `gspark:"features"`
		}
		bern := s.CreateDataFrame([]binRow{{0, linalg.Dense(1, 0, 1)}, {1, linalg.Dense(0, 1, 1)}, {1, linalg.Dense(0, 1, 0)}, {2, linalg.Dense(1, 1, 0)}}).Repartition(parts)
		for _, nb := range []struct {
			kind string
			df   *frame.DataFrame
		}{{"multinomial", bin}, {"bernoulli", bern}, {"gaussian", multi}} {
			m, err := classification.NewNaiveBayes().SetModelType(nb.kind).SetSmoothing(0.5).FitModel(ctx, nb.df)
			if err != nil {
				t.Fatal(err)
			}
			df := nb.df
			checkSparkSave(t, sparkSaveCase{name: "nb-" + nb.kind, model: m, class: "org.apache.spark.ml.classification.NaiveBayesModel",
				version: "3.0.0", defaults: nbDefaults, df: df, cols: []string{"rawPrediction", "probability", "prediction"}, data: nbData})
		}
	}
}

// A LogisticRegressionModel in Spark 2.0's layout (binomial: numClasses,
// numFeatures, intercept, coefficients) loads too, with a sparse
// coefficient vector; its probability is σ(w·x + b), computed here.
func TestLoadSparkLogisticRegression20(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lr20")
	if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
		t.Fatal(err)
	}
	md := `{"class":"org.apache.spark.ml.classification.LogisticRegressionModel","timestamp":1,"sparkVersion":"2.0.2","uid":"logreg_20",` +
		`"paramMap":{"threshold":0.5,"featuresCol":"features","maxIter":10}}`
	if err := os.WriteFile(filepath.Join(dir, "metadata", "part-00000"), []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	coef, _ := linalg.Sparse(3, []int{0, 2}, []float64{2, -1})
	schema := arrow.NewSchema([]arrow.Field{fInt("numClasses"), fInt("numFeatures"), fDouble("intercept"), fVec("coefficients")}, nil)
	if err := ml.WriteSparkRows(dir, "data", schema, []any{2, 3, 0.5, coef}); err != nil {
		t.Fatal(err)
	}
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	m := st.(*classification.LogisticRegressionModel)
	if m.IsMultinomial() || m.Intercept() != 0.5 || !slices.Equal(m.Coefficients().ToArray(), []float64{2, 0, -1}) {
		t.Fatalf("loaded %v %v", m.Intercept(), m.Coefficients())
	}
	if v, _ := m.Params().Get("maxIter"); v != 10 {
		t.Errorf("maxIter %v", v)
	}
	type row struct {
		Features linalg.Vector `gspark:"features"`
	}
	out, err := m.Transform(frame.NewSession().CreateDataFrame([]row{{linalg.Dense(1, 5, 1)}}))
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, out, []string{"probability"})
	// w·x + b = 2 − 1 + 0.5 = 1.5; σ(1.5) = 0.8175744761936437.
	if p := rows[0][0].(linalg.Vector).ToArray(); math.Abs(p[1]-0.8175744761936437) > 1e-15 {
		t.Errorf("probability %v", p)
	}
}
