package feature

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

// TestPipeline chains indexing, encoding, assembling and scaling, fits it on
// data repartitioned by the engine, and checks that a saved and reloaded
// model predicts exactly what the fitted one did.
func TestPipeline(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	cats := []string{"red", "green", "blue", "green", "green", "red"}
	var data [][]any
	for i := 0; i < 120; i++ {
		var x any = r.NormFloat64()*3 + 1
		if i%17 == 0 {
			x = nil
		}
		data = append(data, []any{int64(i), cats[r.IntN(len(cats))], x, float64(r.IntN(5))})
	}
	var results [][]frame.Row
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, []string{"id", "color", "x", "n"}, []arrow.DataType{tInt, tString, tFloat, tFloat}, data, 1)
		if parts > 1 {
			df = df.Repartition(parts)
		}
		p := ml.NewPipeline(
			NewStringIndexer().SetInputCol("color").SetOutputCol("colorIdx"),
			NewOneHotEncoder().SetInputCols("colorIdx", "n").SetOutputCols("colorVec", "nVec"),
			NewImputer().SetInputCol("x").SetOutputCol("xFilled"),
			NewVectorAssembler().SetInputCols("colorVec", "xFilled", "nVec").SetOutputCol("raw"),
			NewStandardScaler().SetInputCol("raw").SetOutputCol("features").SetWithMean(true),
		)
		pm := fit(t, p, df).(*ml.PipelineModel)
		rows := transformRows(t, pm, df)
		if len(rows) != 120 {
			t.Fatalf("%d rows", len(rows))
		}
		// The most frequent color gets index 0 → one-hot (2,[0],[1.0]).
		counts := map[any]int{}
		for _, d := range data {
			counts[d[1]]++
		}
		top := "blue"
		for c, n := range counts {
			if n > counts[top] {
				top = c.(string)
			}
		}
		for _, row := range rows {
			if row[1] == top && (row[4] != 0.0 || row[5].(linalg.Vector).String() != "(2,[0],[1.0])") {
				t.Fatalf("%s row %v", top, row)
			}
		}
		dir := filepath.Join(t.TempDir(), "pm")
		if err := pm.Save(dir); err != nil {
			t.Fatal(err)
		}
		loaded, err := ml.LoadAs[*ml.PipelineModel](ctx, dir, Register(ml.NewRegistry()))
		if err != nil {
			t.Fatal(err)
		}
		sameRows(t, rows, transformRows(t, loaded, df))
		results = append(results, rows)
		// Schema errors surface at fit time, naming the stage and column, before any data moves.
		bad := ml.NewPipeline(NewVectorAssembler().SetInputCols("x", "color").SetOutputCol("v"))
		_, err = bad.Fit(ctx, df)
		wantErr(t, err, `input column "color" must be numeric or boolean or vector, got string`)
	}
	// The result does not depend on the partitioning beyond rounding.
	for i := range results[0] {
		vecNear(t, "1 vs 4 partitions", results[1][i][9], results[0][i][9].(linalg.Vector), 1e-9)
	}
}
