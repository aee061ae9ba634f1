package feature

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// TestParquetInput runs stages over data read back from Parquet, whose
// string columns may arrive dictionary-encoded.
func TestParquetInput(t *testing.T) {
	s, mem := newSession(t)
	var rows [][]any
	words := []string{"spark is fast", "go is fast", "arrow is columnar", "go go go"}
	for i := 0; i < 40; i++ {
		rows = append(rows, []any{int64(i), words[i%4], float64(i % 3)})
	}
	df := makeDF(t, s, mem, []string{"id", "text", "x"}, []arrow.DataType{tInt, tString, tFloat}, rows, 2)
	dir := filepath.Join(t.TempDir(), "in")
	if err := df.Write().Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	in := s.Read().Parquet(dir)
	if err := in.Err(); err != nil {
		t.Fatal(err)
	}
	p := ml.NewPipeline(
		NewStringIndexer().SetInputCol("text").SetOutputCol("textIdx"),
		NewTokenizer().SetInputCol("text").SetOutputCol("words"),
		NewCountVectorizer().SetInputCol("words").SetOutputCol("tf"),
		NewVectorAssembler().SetInputCols("x", "tf").SetOutputCol("features"),
	)
	m := fit(t, p, in).(*ml.PipelineModel)
	out := transformRows(t, m, in)
	if len(out) != 40 {
		t.Fatalf("%d rows", len(out))
	}
	si := m.Stages()[0].(*StringIndexerModel)
	if got := si.Labels(); len(got) != 4 || !slices.Contains(got, "go go go") {
		t.Fatalf("labels %v", got)
	}
	cv := m.Stages()[2].(*CountVectorizerModel)
	if v := cv.Vocabulary(); v[0] != "go" || v[1] != "is" {
		t.Fatalf("vocabulary %v", v)
	}
}
