package feature

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/attribute"
	"github.com/gspark/gspark/ml/linalg"
)

// fieldAttr is the ml_attr JSON of column name in df's schema.
func fieldAttr(t *testing.T, df *frame.DataFrame, name string) string {
	t.Helper()
	i := ml.FieldIndex(df.Schema(), name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, df.Columns())
	}
	v, _ := df.Schema().Field(i).Metadata.GetValue(attribute.Key)
	return v
}

// TestOneHotAfterIndexerKeep is issue 15's scenario: StringIndexer with
// handleInvalid=keep followed by OneHotEncoder, scored on a category the
// indexer never saw. Spark sizes the encoder from the indexer's nominal
// attribute (3 labels + "__unknown" = 4 categories), so the unseen value
// gets index 3, the dropped last slot: an all-zero vector of size 3.
// Expected metadata is written by hand from Spark's attribute layout.
func TestOneHotAfterIndexerKeep(t *testing.T) {
	train := [][]any{{"a", 1.0}, {"a", 2.0}, {"a", 3.0}, {"b", 4.0}, {"b", 5.0}, {"c", 6.0}}
	test := [][]any{{"a", 1.0}, {"d", 2.0}, {"c", 3.0}}
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		names, types := []string{"color", "x"}, []arrow.DataType{tString, tFloat}
		trainDF := makeDF(t, s, mem, names, types, train, 1).Repartition(parts)
		testDF := makeDF(t, s, mem, names, types, test, 1).Repartition(parts)
		p := ml.NewPipeline(
			NewStringIndexer().SetInputCol("color").SetOutputCol("colorIdx").SetHandleInvalid("keep"),
			NewOneHotEncoder().SetInputCol("colorIdx").SetOutputCol("colorVec"),
			NewVectorAssembler().SetInputCols("colorVec", "x", "colorIdx").SetOutputCol("features"),
		)
		pm := fit(t, p, trainDF).(*ml.PipelineModel)
		ohe := pm.Stages()[1].(*OneHotEncoderModel)
		if got := ohe.CategorySizes(); len(got) != 1 || got[0] != 4 {
			t.Fatalf("parts %d: category sizes %v, want [4]", parts, got)
		}
		out, err := pm.Transform(testDF)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fieldAttr(t, out, "colorIdx"), `{"type":"nominal","name":"colorIdx","vals":["a","b","c","__unknown"]}`; got != want {
			t.Fatalf("colorIdx attr\n got %s\nwant %s", got, want)
		}
		if got, want := fieldAttr(t, out, "colorVec"), `{"attrs":{"binary":[{"name":"a","idx":0},{"name":"b","idx":1},{"name":"c","idx":2}]},"num_attrs":3}`; got != want {
			t.Fatalf("colorVec attr\n got %s\nwant %s", got, want)
		}
		want := `{"attrs":{"binary":[{"name":"colorVec_a","idx":0},{"name":"colorVec_b","idx":1},{"name":"colorVec_c","idx":2}],` +
			`"nominal":[{"name":"colorIdx","idx":4,"vals":["a","b","c","__unknown"]}],"numeric":[{"name":"x","idx":3}]},"num_attrs":5}`
		if got := fieldAttr(t, out, "features"); got != want {
			t.Fatalf("features attr\n got %s\nwant %s", got, want)
		}
		rows := collect(t, out.OrderBy(frame.Col("x")).Select(frame.Col("color"), frame.Col("colorIdx"), frame.Col("colorVec")))
		wantVec := map[string]string{"a": "(3,[0],[1.0])", "d": "(3,[],[])", "c": "(3,[2],[1.0])"}
		wantIdx := map[string]float64{"a": 0, "d": 3, "c": 2}
		for _, r := range rows {
			c := r[0].(string)
			if r[1] != wantIdx[c] || r[2].(linalg.Vector).String() != wantVec[c] {
				t.Fatalf("parts %d: row %v, want index %v vector %s", parts, r, wantIdx[c], wantVec[c])
			}
		}
		// The features column's slot attributes say which slots are categorical.
		i := ml.FieldIndex(out.Schema(), "features")
		g, ok, err := attribute.GroupFromField(out.Schema().Field(i))
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if cf := g.CategoricalFeatures(); len(cf) != 4 || cf[4] != 4 || cf[0] != 2 {
			t.Fatalf("categorical features %v", cf)
		}
	}
}

// TestIndexToStringFromMetadata: with no labels param IndexToString reads
// the labels of the input's nominal attribute (Spark's behaviour), the keep
// slot mapping back to "__unknown"; without either it fails naming the column.
func TestIndexToStringFromMetadata(t *testing.T) {
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		names, types := []string{"color"}, []arrow.DataType{tString}
		train := makeDF(t, s, mem, names, types, [][]any{{"b"}, {"b"}, {"a"}}, 1).Repartition(parts)
		test := makeDF(t, s, mem, names, types, [][]any{{"a"}, {"z"}, {"b"}}, 1).Repartition(parts)
		m := fit(t, NewStringIndexer().SetInputCol("color").SetOutputCol("idx").SetHandleInvalid("keep"), train)
		indexed := mustTransform(t, m, test)
		back := NewIndexToString().SetInputCol("idx").SetOutputCol("orig")
		if _, err := back.TransformSchema(indexed.Schema()); err != nil {
			t.Fatal(err)
		}
		rows := collect(t, mustTransform(t, back, indexed).Select(frame.Col("color"), frame.Col("orig")))
		want := map[string]string{"a": "a", "b": "b", "z": "__unknown"}
		for _, r := range rows {
			if r[1] != want[r[0].(string)] {
				t.Fatalf("parts %d: row %v", parts, r)
			}
		}
		// A renamed column keeps its attribute, as in Spark.
		renamed := indexed.WithColumnRenamed("idx", "label")
		rows = collect(t, mustTransform(t, NewIndexToString().SetInputCol("label").SetOutputCol("orig"), renamed).Select(frame.Col("orig")))
		if len(rows) != 3 {
			t.Fatalf("rows %v", rows)
		}
		plain := indexed.WithColumn("raw", frame.Col("idx").Add(0))
		_, err := NewIndexToString().SetInputCol("raw").SetOutputCol("orig").Transform(plain)
		wantErr(t, err, `"raw"`)
		_, err = NewIndexToString().SetInputCol("raw").SetOutputCol("orig").TransformSchema(plain.Schema())
		wantErr(t, err, "no nominal attribute")
	}
}
