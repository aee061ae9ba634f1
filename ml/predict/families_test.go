package predict

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/regression"
	"github.com/gspark/gspark/ml/tuning"
)

// The families tests fit one small model of every kind the project has,
// then check that a Predictor built for it gives, record by record and
// bit for bit, what batch Transform gives over the same rows, in sessions
// of one and of four partitions.

var (
	irisFeatures     = []string{"sepal_length", "sepal_width", "petal_length", "petal_width"}
	diabetesFeatures = []string{"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"}
)

// spread repartitions df over the session's partitions, so that batch
// Transform runs in as many pieces as the session has.
func spread(s *frame.Session, df *frame.DataFrame) *frame.DataFrame {
	if s.Partitions() > 1 {
		return df.Repartition(s.Partitions())
	}
	return df
}

// iris is samples.iris with the species indexed as a double label.
func iris(t testing.TB, s *frame.Session) *frame.DataFrame {
	t.Helper()
	df := spread(s, s.Table("samples.iris"))
	idx, err := feature.NewStringIndexer().SetInputCol("species").SetOutputCol("label").Fit(context.Background(), df)
	if err != nil {
		t.Fatal(err)
	}
	out, err := idx.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diabetes(t testing.TB, s *frame.Session) *frame.DataFrame {
	t.Helper()
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV("../../testdata/ml/diabetes.csv")
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	return spread(s, df)
}

// assembled adds a "features" vector of cols to df, for models fitted on a
// vector column directly (the records then carry the vector).
func assembled(t testing.TB, df *frame.DataFrame, cols []string) *frame.DataFrame {
	t.Helper()
	out, err := feature.NewVectorAssembler().SetInputCols(cols...).SetOutputCol("features").Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withAssembler fits VectorAssembler(cols → features) → est on df: the
// records carry the scalar columns.
func withAssembler(t testing.TB, df *frame.DataFrame, cols []string, est ml.Estimator) ml.Transformer {
	t.Helper()
	asm := feature.NewVectorAssembler().SetInputCols(cols...).SetOutputCol("features")
	m, err := ml.NewPipeline(asm, est).Fit(context.Background(), df)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func fitOne(t testing.TB, df *frame.DataFrame, est ml.Estimator) ml.Transformer {
	t.Helper()
	m, err := est.Fit(context.Background(), df)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// family is one kind of model: fit returns the fitted model and the rows to
// score with it.
type family struct {
	name string
	fit  func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame)
	// outputs are the columns the predictor returns by default (every
	// column the model adds), inputs the signature's input columns, both
	// worked out by hand from the stages' params.
	outputs, inputs string
}

// doubles lists columns of type double as a signature's String does.
func doubles(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " double"
	}
	return strings.Join(parts, ", ")
}

func families() []family {
	return []family{
		{"LogisticRegression/binomial", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := spread(s, cancer(t, s))
			return withAssembler(t, df, cancerFeatures, classification.NewLogisticRegression().SetFamily("binomial").SetMaxIter(15)), df
		}, "features,rawPrediction,probability,prediction", doubles(cancerFeatures)},
		{"LogisticRegression/multinomial", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := iris(t, s)
			return withAssembler(t, df, irisFeatures, classification.NewLogisticRegression().SetFamily("multinomial").SetMaxIter(15).SetRegParam(0.01)), df
		}, "features,rawPrediction,probability,prediction", doubles(irisFeatures)},
		{"LinearSVC", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := assembled(t, spread(s, cancer(t, s)), cancerFeatures)
			return fitOne(t, df, classification.NewLinearSVC().SetMaxIter(15).SetRegParam(0.01)), df
		}, "rawPrediction,prediction", "features vector"},
		{"NaiveBayes/multinomial", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := iris(t, s)
			return withAssembler(t, df, irisFeatures, classification.NewNaiveBayes()), df
		}, "features,rawPrediction,probability,prediction", doubles(irisFeatures)},
		{"NaiveBayes/gaussian", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := assembled(t, spread(s, cancer(t, s)), cancerFeatures)
			return fitOne(t, df, classification.NewNaiveBayes().SetModelType("gaussian")), df
		}, "rawPrediction,probability,prediction", "features vector"},
		{"NaiveBayes/bernoulli", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := assembled(t, iris(t, s), irisFeatures)
			bin := feature.NewBinarizer().SetInputCol("features").SetOutputCol("bits").SetThreshold(1.5)
			nb := classification.NewNaiveBayes().SetModelType("bernoulli").SetFeaturesCol("bits")
			m, err := ml.NewPipeline(bin, nb).Fit(context.Background(), df)
			if err != nil {
				t.Fatal(err)
			}
			return m, df
		}, "bits,rawPrediction,probability,prediction", "features vector"},
		{"DecisionTreeClassifier", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := iris(t, s)
			return withAssembler(t, df, irisFeatures, classification.NewDecisionTreeClassifier().SetMaxDepth(4)), df
		}, "features,rawPrediction,probability,prediction", doubles(irisFeatures)},
		{"RandomForestClassifier", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := iris(t, s)
			return withAssembler(t, df, irisFeatures, classification.NewRandomForestClassifier().SetNumTrees(5).SetMaxDepth(3).SetSeed(7)), df
		}, "features,rawPrediction,probability,prediction", doubles(irisFeatures)},
		{"GBTClassifier", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := assembled(t, spread(s, cancer(t, s)), cancerFeatures)
			return fitOne(t, df, classification.NewGBTClassifier().SetMaxIter(5).SetMaxDepth(3)), df
		}, "rawPrediction,probability,prediction", "features vector"},
		{"LinearRegression", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := diabetes(t, s)
			return withAssembler(t, df, diabetesFeatures, regression.NewLinearRegression().SetRegParam(0.1).SetElasticNetParam(0.5).SetMaxIter(20)), df
		}, "features,prediction", doubles(diabetesFeatures)},
		{"DecisionTreeRegressor", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := assembled(t, diabetes(t, s), diabetesFeatures)
			return fitOne(t, df, regression.NewDecisionTreeRegressor().SetMaxDepth(4)), df
		}, "prediction", "features vector"},
		{"RandomForestRegressor", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := diabetes(t, s)
			return withAssembler(t, df, diabetesFeatures, regression.NewRandomForestRegressor().SetNumTrees(5).SetMaxDepth(3).SetSeed(3)), df
		}, "features,prediction", doubles(diabetesFeatures)},
		{"GBTRegressor", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := diabetes(t, s)
			return withAssembler(t, df, diabetesFeatures, regression.NewGBTRegressor().SetMaxIter(5).SetMaxDepth(3)), df
		}, "features,prediction", doubles(diabetesFeatures)},
		{"KMeans", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := iris(t, s)
			return withAssembler(t, df, irisFeatures, clustering.NewKMeans().SetK(3).SetMaxIter(10).SetSeed(1)), df
		}, "features,prediction", doubles(irisFeatures)},
		{"BisectingKMeans", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := assembled(t, iris(t, s), irisFeatures)
			return fitOne(t, df, clustering.NewBisectingKMeans().SetK(3).SetMaxIter(10).SetSeed(1)), df
		}, "prediction", "features vector"},
		{"GaussianMixture", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := iris(t, s)
			return withAssembler(t, df, irisFeatures, clustering.NewGaussianMixture().SetK(2).SetMaxIter(10).SetSeed(1)), df
		}, "features,prediction,probability", doubles(irisFeatures)},
		{"FeaturePipeline", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := featureData(t, s)
			m, err := featurePipeline().Fit(context.Background(), df)
			if err != nil {
				t.Fatal(err)
			}
			return m, df
		}, "colorIdx,colorVec,colorBack,amountFilled,amountBucket,x2Bucket,x1Bit,x1x2,words,kept,bigrams,tf,tfidf,tokens,counts," +
			"nums,minMax,maxAbs,robust,std,unit,pca,poly,scaled,sliced,selected", "color string, amount double, x2 double, x1 double, text string"},
		{"TokenArrayInput", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df, err := feature.NewRegexTokenizer().SetInputCol("text").SetOutputCol("tokens").SetPattern(`\W+`).Transform(featureData(t, s))
			if err != nil {
				t.Fatal(err)
			}
			m, err := ml.NewPipeline(
				feature.NewStopWordsRemover().SetInputCol("tokens").SetOutputCol("kept"),
				feature.NewNGram().SetInputCol("kept").SetOutputCol("bigrams"),
				feature.NewCountVectorizer().SetInputCol("bigrams").SetOutputCol("counts").SetMinDF(1),
				feature.NewIDF().SetInputCol("counts").SetOutputCol("weights"),
			).Fit(context.Background(), df)
			if err != nil {
				t.Fatal(err)
			}
			return m, df
		}, "kept,bigrams,counts,weights", "tokens array<string>"},
		{"CrossValidator", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := spread(s, cancer(t, s))
			asm := feature.NewVectorAssembler().SetInputCols(cancerFeatures...).SetOutputCol("features")
			lr := classification.NewLogisticRegression().SetMaxIter(10)
			grid := tuning.NewParamGridBuilder().AddGridFor(lr, "regParam", 0.5, 0.001).Build()
			cv := tuning.NewCrossValidator().SetEstimator(ml.NewPipeline(asm, lr)).SetEstimatorParamMaps(grid).
				SetEvaluator(evaluation.NewBinaryClassificationEvaluator()).SetNumFolds(2).SetSeed(5)
			return fitOne(t, df, cv), df
		}, "features,rawPrediction,probability,prediction", doubles(cancerFeatures)},
		{"TrainValidationSplit", func(t testing.TB, s *frame.Session) (ml.Transformer, *frame.DataFrame) {
			df := assembled(t, diabetes(t, s), diabetesFeatures)
			lr := regression.NewLinearRegression()
			grid := tuning.NewParamGridBuilder().AddGrid("regParam", 10.0, 0.01).Build()
			tvs := tuning.NewTrainValidationSplit().SetEstimator(lr).SetEstimatorParamMaps(grid).
				SetEvaluator(evaluation.NewRegressionEvaluator()).SetTrainRatio(0.7).SetSeed(5)
			return fitOne(t, df, tvs), df
		}, "prediction", "features vector"},
	}
}

// featureData is a small table with a category, a number with gaps (null
// and NaN), two measurements and a sentence per row.
func featureData(t testing.TB, s *frame.Session) *frame.DataFrame {
	t.Helper()
	rows := []string{
		`('red', 1.5D, 0.2D, 10.0D, 'The quick brown fox jumps')`,
		`('green', NULL, 0.9D, 11.5D, 'a lazy dog sleeps all day')`,
		`('blue', 3.0D, 0.4D, 9.0D, 'Quick quick, the fox said')`,
		`('red', CAST('NaN' AS DOUBLE), 1.2D, 14.0D, 'brown dogs and brown foxes')`,
		`('green', 2.5D, 0.1D, 8.5D, 'day after day the sun rose')`,
		`('red', 4.0D, 0.7D, 12.0D, 'the end of the story')`,
		`('blue', 0.5D, 1.1D, 13.5D, 'foxes run; dogs sleep')`,
		`('red', 2.0D, 0.3D, 7.0D, 'A fox, a dog and a day')`,
	}
	df := s.SQL("SELECT * FROM VALUES " + strings.Join(rows, ", ") + " AS t(color, amount, x1, x2, text)")
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	return spread(s, df)
}

// featurePipeline uses every feature transformer whose inputs a record can
// carry (strings, numbers, token arrays) or that reads an earlier stage's
// vector.
func featurePipeline() *ml.Pipeline {
	return ml.NewPipeline(
		feature.NewStringIndexer().SetInputCol("color").SetOutputCol("colorIdx"),
		feature.NewOneHotEncoder().SetInputCol("colorIdx").SetOutputCol("colorVec"),
		feature.NewIndexToString().SetInputCol("colorIdx").SetOutputCol("colorBack").SetLabels("red", "blue", "green"),
		feature.NewImputer().SetInputCol("amount").SetOutputCol("amountFilled").SetStrategy("median"),
		feature.NewBucketizer().SetInputCol("amountFilled").SetOutputCol("amountBucket").SetSplits(math.Inf(-1), 1, 2.5, math.Inf(1)),
		feature.NewQuantileDiscretizer().SetInputCol("x2").SetOutputCol("x2Bucket").SetNumBuckets(3),
		feature.NewBinarizer().SetInputCol("x1").SetOutputCol("x1Bit").SetThreshold(0.5),
		feature.NewSQLTransformer().SetStatement("SELECT *, x1 * x2 AS x1x2 FROM __THIS__"),
		feature.NewTokenizer().SetInputCol("text").SetOutputCol("words"),
		feature.NewStopWordsRemover().SetInputCol("words").SetOutputCol("kept"),
		feature.NewNGram().SetInputCol("kept").SetOutputCol("bigrams").SetN(2),
		feature.NewHashingTF().SetInputCol("kept").SetOutputCol("tf").SetNumFeatures(32),
		feature.NewIDF().SetInputCol("tf").SetOutputCol("tfidf"),
		feature.NewRegexTokenizer().SetInputCol("text").SetOutputCol("tokens").SetPattern(`\W+`),
		feature.NewCountVectorizer().SetInputCol("tokens").SetOutputCol("counts").SetVocabSize(12),
		feature.NewVectorAssembler().SetInputCols("amountFilled", "x1", "x2", "x1x2", "amountBucket", "x1Bit", "x2Bucket").SetOutputCol("nums"),
		feature.NewMinMaxScaler().SetInputCol("nums").SetOutputCol("minMax"),
		feature.NewMaxAbsScaler().SetInputCol("nums").SetOutputCol("maxAbs"),
		feature.NewRobustScaler().SetInputCol("nums").SetOutputCol("robust"),
		feature.NewStandardScaler().SetInputCol("nums").SetOutputCol("std").SetWithMean(true),
		feature.NewNormalizer().SetInputCol("nums").SetOutputCol("unit"),
		feature.NewPCA().SetInputCol("std").SetOutputCol("pca").SetK(2),
		feature.NewPolynomialExpansion().SetInputCol("pca").SetOutputCol("poly").SetDegree(2),
		feature.NewElementwiseProduct().SetInputCol("nums").SetOutputCol("scaled").SetScalingVec(1, -2, 0.5, 3, 1, 1, 0.25),
		feature.NewVectorSlicer().SetInputCol("nums").SetOutputCol("sliced").SetIndices(0, 3),
		feature.NewVarianceThresholdSelector().SetFeaturesCol("nums").SetOutputCol("selected").SetVarianceThreshold(0.5),
	)
}

// batchScores runs Transform over df and returns, for each row, the record
// a caller would send (vectors as []float64; every other record as JSON
// decodes it) and the output columns.
func batchScores(t testing.TB, m ml.Transformer, df *frame.DataFrame, inputs, outputs []string) (recs, want []map[string]any) {
	t.Helper()
	recs, want = batchRows(t, m, df, inputs, outputs)
	for i, r := range recs {
		for k, v := range r {
			if vec, ok := v.(linalg.Vector); ok {
				r[k] = vec.ToArray()
			}
			if i%2 == 1 {
				r[k] = jsonValue(r[k])
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("Transform gave no rows")
	}
	return recs, want
}

// jsonValue is v as encoding/json decodes it with UseNumber: numbers as
// json.Number, vectors and string arrays as []any (NaN, which JSON cannot
// carry, stays).
func jsonValue(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) {
			return x
		}
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
	case []float64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	}
	return v
}

// exactEqual compares output values exactly: floats bit for bit (NaN
// equals NaN, -0 differs from 0), vectors element by element, the same Go
// types throughout.
func exactEqual(a, b any) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	switch x := a.(type) {
	case float64:
		return math.Float64bits(x) == math.Float64bits(b.(float64))
	case float32:
		return math.Float32bits(x) == math.Float32bits(b.(float32))
	case []float64:
		y := b.([]float64)
		if len(x) != len(y) || (x == nil) != (y == nil) {
			return false
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	case []any:
		y := b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !exactEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// sameRecord reports the first output column where got differs from want.
func sameRecord(got, want map[string]any) error {
	if len(got) != len(want) {
		return fmt.Errorf("predictor returned columns %v, Transform %v", keys(got), keys(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			return fmt.Errorf("column %s missing from the prediction", k)
		}
		if !exactEqual(g, w) {
			return fmt.Errorf("column %s: predictor %#v, Transform %#v", k, g, w)
		}
	}
	return nil
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// checkPredictor scores recs one at a time with Predict, together with
// PredictRecords and as one Arrow batch with PredictBatch, and compares
// each result with want.
func checkPredictor(t testing.TB, p *Predictor, recs, want []map[string]any) {
	t.Helper()
	ctx := context.Background()
	for i, rec := range recs {
		got, err := p.Predict(ctx, rec)
		if err != nil {
			t.Fatalf("Predict record %d: %v", i, err)
		}
		if err := sameRecord(got, want[i]); err != nil {
			t.Fatalf("Predict record %d: %v", i, err)
		}
	}
	all, err := p.PredictRecords(ctx, recs)
	if err != nil {
		t.Fatalf("PredictRecords: %v", err)
	}
	if len(all) != len(recs) {
		t.Fatalf("PredictRecords gave %d results for %d records", len(all), len(recs))
	}
	for i := range recs {
		if err := sameRecord(all[i], want[i]); err != nil {
			t.Fatalf("PredictRecords record %d: %v", i, err)
		}
	}
	// PredictBatch over the same records as an Arrow batch.
	in, err := p.buildBatch(recs)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Release()
	out, err := p.PredictBatch(ctx, in)
	if err != nil {
		t.Fatalf("PredictBatch: %v", err)
	}
	defer out.Release()
	if int(out.NumRows()) != len(recs) || !out.Schema().Equal(p.OutputSchema()) {
		t.Fatalf("PredictBatch gave %d rows of %s for %d records", out.NumRows(), out.Schema(), len(recs))
	}
	for i := range recs {
		r := map[string]any{}
		for _, n := range p.Outputs() {
			r[n] = outputValue(out.Column(ml.FieldIndex(out.Schema(), n)), i)
		}
		if err := sameRecord(r, want[i]); err != nil {
			t.Fatalf("PredictBatch row %d: %v", i, err)
		}
	}
}

func names(cs []ml.ColumnSpec) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// TestPredictorFamilies checks every model family against batch Transform,
// in sessions of one and four partitions, and again after a save and a
// predict.Load.
func TestPredictorFamilies(t *testing.T) {
	ctx := context.Background()
	for _, parts := range exectest.PartitionCounts(1, 4) {
		for _, f := range families() {
			t.Run(fmt.Sprintf("%s/partitions=%d", f.name, parts), func(t *testing.T) {
				s := frame.NewSession(frame.WithPartitions(parts))
				m, df := f.fit(t, s)
				p, err := New(m)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(p.Outputs(), ","); got != f.outputs {
					t.Fatalf("outputs %s, want %s", got, f.outputs)
				}
				var specs []string
				for _, c := range p.Signature().Inputs {
					specs = append(specs, c.Name+" "+c.Type)
				}
				if got := strings.Join(specs, ", "); got != f.inputs {
					t.Fatalf("inputs %s, want %s", got, f.inputs)
				}
				inputs := names(p.Signature().Inputs)
				recs, want := batchScores(t, m, df, inputs, p.Outputs())
				checkPredictor(t, p, recs, want)

				// Saved and loaded back: the same results.
				dir := filepath.Join(t.TempDir(), "model")
				if err := ml.Save(m.(ml.Stage), dir); err != nil {
					t.Fatal(err)
				}
				lp, err := Load(ctx, dir)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := lp.Signature().String(), p.Signature().String(); got != want {
					t.Fatalf("loaded signature %s, want %s", got, want)
				}
				checkPredictor(t, lp, recs, want)
			})
		}
	}
}

// The tuning models score with their best model.
func TestPredictorTuningUsesBestModel(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	for _, f := range families() {
		if f.name != "CrossValidator" && f.name != "TrainValidationSplit" {
			continue
		}
		m, df := f.fit(t, s)
		best := m.(interface{ BestModel() ml.Model }).BestModel()
		p, err := New(m)
		if err != nil {
			t.Fatal(err)
		}
		recs, want := batchScores(t, best, df, names(p.Signature().Inputs), p.Outputs())
		checkPredictor(t, p, recs, want)
	}
}

// Under handleInvalid=error an unseen category is the record's fault: an
// *InputError naming the record and the field. Under skip the record gives
// a nil result and the others score as Transform scores them.
func TestPredictorStringIndexerInvalid(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	df := featureData(t, s)
	for _, mode := range []string{"error", "skip"} {
		si := feature.NewStringIndexer().SetInputCol("color").SetOutputCol("colorIdx").SetHandleInvalid(mode)
		ohe := feature.NewOneHotEncoder().SetInputCol("colorIdx").SetOutputCol("colorVec")
		m, err := ml.NewPipeline(si, ohe).Fit(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		p, err := New(m)
		if err != nil {
			t.Fatal(err)
		}
		recs, want := batchScores(t, m, df, []string{"color"}, p.Outputs())
		recs = append(recs[:3:3], map[string]any{"color": "purple"}, recs[3])
		res, err := p.PredictRecords(ctx, recs)
		switch mode {
		case "error":
			var ie *InputError
			if !errors.As(err, &ie) || ie.Record != 3 || ie.Field != "color" || !strings.Contains(err.Error(), `unseen label "purple"`) {
				t.Fatalf("error mode: got %v, want an InputError for record 3, field color", err)
			}
			if _, err := p.Predict(ctx, map[string]any{"color": "purple"}); !errors.As(err, &ie) || ie.Record != 0 || ie.Field != "color" {
				t.Fatalf("error mode, one record: got %v", err)
			}
		case "skip":
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 5 || res[3] != nil {
				t.Fatalf("skip mode: got %v, want a nil result for record 3", res)
			}
			for i, w := range []int{0, 1, 2, -1, 3} {
				if w < 0 {
					continue
				}
				if err := sameRecord(res[i], want[w]); err != nil {
					t.Fatalf("skip mode, record %d: %v", i, err)
				}
			}
			one, err := p.Predict(ctx, map[string]any{"color": "purple"})
			if err != nil || one != nil {
				t.Fatalf("skip mode, one record: %v, %v; want nil, nil", one, err)
			}
		}
	}
}

// Eight goroutines share one Predictor, mixing Predict and PredictRecords
// over a pipeline with strings, token arrays and vectors and over a forest.
func TestPredictorFamiliesConcurrent(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	type scored struct {
		p          *Predictor
		recs, want []map[string]any
	}
	var cases []scored
	for _, f := range families() {
		if f.name != "FeaturePipeline" && f.name != "RandomForestClassifier" {
			continue
		}
		m, df := f.fit(t, s)
		p, err := New(m)
		if err != nil {
			t.Fatal(err)
		}
		recs, want := batchScores(t, m, df, names(p.Signature().Inputs), p.Outputs())
		cases = append(cases, scored{p, recs, want})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				c := cases[(g+round)%len(cases)]
				if g%2 == 0 {
					for i := g % 3; i < len(c.recs); i += 3 {
						got, err := c.p.Predict(ctx, c.recs[i])
						if err == nil {
							err = sameRecord(got, c.want[i])
						}
						if err != nil {
							errs <- fmt.Errorf("goroutine %d, record %d: %w", g, i, err)
							return
						}
					}
					continue
				}
				lo := g % 5
				got, err := c.p.PredictRecords(ctx, c.recs[lo:])
				if err != nil {
					errs <- fmt.Errorf("goroutine %d: %w", g, err)
					return
				}
				for i := range got {
					if err := sameRecord(got[i], c.want[lo+i]); err != nil {
						errs <- fmt.Errorf("goroutine %d, record %d: %w", g, lo+i, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Results stay valid after later calls when the predictor's allocator
// recycles the buffers of released batches (the engine's exec.Pool): the
// strings a result holds are its own, not views of a batch buffer.
func TestPredictorResultsOutliveRecycledBuffers(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	df := featureData(t, s)
	m, err := featurePipeline().Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(m, WithAllocator(exec.NewPool(0)))
	if err != nil {
		t.Fatal(err)
	}
	recs, want := batchScores(t, m, df, names(p.Signature().Inputs), p.Outputs())
	var kept []map[string]any
	for _, rec := range recs {
		got, err := p.Predict(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, got)
	}
	all, err := p.PredictRecords(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PredictRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if err := sameRecord(kept[i], want[i]); err != nil {
			t.Errorf("Predict record %d, read after later calls: %v", i, err)
		}
		if err := sameRecord(all[i], want[i]); err != nil {
			t.Errorf("PredictRecords record %d, read after a later call: %v", i, err)
		}
	}
}
