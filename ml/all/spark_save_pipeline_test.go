package all

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/param"
)

// A fitted pipeline saved in Spark's layout is Spark's PipelineModel
// (Pipeline.scala's SharedReadWrite): metadata with paramMap {stageUids}
// and an empty defaultParamMap, each stage in its own Spark layout under
// stages/<index>_<uid>; it loads back predicting the same.
func TestSavePipelineModelInSparkLayout(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df := s.Table("samples.iris")
		p := ml.NewPipeline(
			feature.NewVectorAssembler().SetInputCols("sepal_length", "sepal_width", "petal_length", "petal_width").SetOutputCol("raw"),
			feature.NewStandardScaler().SetInputCol("raw").SetOutputCol("features"),
			feature.NewStringIndexer().SetInputCol("species").SetOutputCol("label"),
			classification.NewLogisticRegression().SetMaxIter(30),
		)
		fitted, err := p.Fit(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		pm := fitted.(*ml.PipelineModel)
		dir := filepath.Join(t.TempDir(), "pm")
		if err := pm.SaveSpark(dir); err != nil {
			t.Fatal(err)
		}
		md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
		var uids []any
		for _, st := range pm.Stages() {
			uids = append(uids, st.UID())
		}
		if md["class"] != "org.apache.spark.ml.PipelineModel" || md["uid"] != pm.UID() ||
			!reflect.DeepEqual(md["paramMap"], map[string]any{"stageUids": uids}) || !reflect.DeepEqual(md["defaultParamMap"], map[string]any{}) ||
			!slices.Equal(keys(md, ""), []string{"class", "defaultParamMap", "paramMap", "sparkVersion", "timestamp", "uid"}) {
			t.Errorf("metadata %v", md)
		}
		ents, err := os.ReadDir(filepath.Join(dir, "stages"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		wantClasses := []string{"feature.VectorAssembler", "feature.StandardScalerModel", "feature.StringIndexerModel", "classification.LogisticRegressionModel"}
		for i, st := range pm.Stages() {
			name := []string{"0_", "1_", "2_", "3_"}[i] + st.UID()
			if !slices.Contains(names, name) {
				t.Fatalf("stages/ holds %v, no %s", names, name)
			}
			smd := readJSON(t, filepath.Join(dir, "stages", name, "metadata", "part-00000"))
			if smd["class"] != "org.apache.spark.ml."+wantClasses[i] || smd["uid"] != st.UID() {
				t.Errorf("stage %d metadata %v", i, smd)
			}
		}
		back, err := Load(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		bp, ok := back.(*ml.PipelineModel)
		if !ok || bp.UID() != pm.UID() || len(bp.Stages()) != 4 {
			t.Fatalf("loaded %T", back)
		}
		cols := []string{"features", "label", "rawPrediction", "probability", "prediction"}
		o1, err := pm.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		o2, err := bp.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		if r1, r2 := rowsOf(t, o1, cols), rowsOf(t, o2, cols); len(r1) != 150 || !reflect.DeepEqual(r1, r2) {
			t.Errorf("pipeline loaded back transforms differently")
		}
	}
}

// Spark pads stage indices to the digits of the stage count, and a stage
// without a Spark layout is an error naming it.
func TestSparkPipelineStageDirs(t *testing.T) {
	stages := make([]ml.Transformer, 11)
	for i := range stages {
		stages[i] = feature.NewTokenizer().SetInputCol("t")
	}
	pm := ml.NewPipelineModel("pm_1", stages...)
	dir := filepath.Join(t.TempDir(), "pm")
	if err := pm.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	for _, i := range []string{"00", "07", "10"} {
		n := map[string]int{"00": 0, "07": 7, "10": 10}[i]
		if _, err := os.Stat(filepath.Join(dir, "stages", i+"_"+stages[n].UID(), "metadata", "part-00000")); err != nil {
			t.Error(err)
		}
	}
	back, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.(*ml.PipelineModel).Stages(); len(got) != 11 || got[10].UID() != stages[10].UID() {
		t.Errorf("loaded %d stages", len(got))
	}
	bad := ml.NewPipelineModel("pm_2", feature.NewTokenizer().SetInputCol("t"), &noSparkLayout{ml.NewStageBase("noSpark_1")})
	err = bad.SaveSpark(filepath.Join(t.TempDir(), "bad"))
	if err == nil || !strings.Contains(err.Error(), "stage 1 (noSpark_1") || !strings.Contains(err.Error(), "no Spark layout") {
		t.Errorf("saving a stage without a Spark layout: %v", err)
	}
}

// noSparkLayout is a transformer with no Spark layout.
type noSparkLayout struct{ ml.StageBase }

func (s *noSparkLayout) ClassName() string { return "test.NoSparkLayout" }
func (s *noSparkLayout) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return in, nil
}
func (s *noSparkLayout) Copy(param.ParamMap) (ml.Stage, error)                   { return s, nil }
func (s *noSparkLayout) Save(string) error                                       { return nil }
func (s *noSparkLayout) Transform(df *frame.DataFrame) (*frame.DataFrame, error) { return df, nil }
