package feature

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

// readSparkMetadata reads the class, sparkVersion and paramMap of the
// metadata line in dir.
func readSparkMetadata(t *testing.T, dir string) (class, version string, paramMap map[string]json.RawMessage) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "metadata", "part-00000"))
	if err != nil {
		t.Fatal(err)
	}
	var md struct {
		Class, SparkVersion string
		ParamMap            map[string]json.RawMessage
	}
	if err := json.Unmarshal(b, &md); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return md.Class, md.SparkVersion, md.ParamMap
}

// TestRFormulaModelSparkLayout writes RFormulaModels in Spark's layout,
// checks the files against the layout of Spark's RFormulaModelWriter
// (RFormula.scala: metadata, data/ as ResolvedRFormula, pipelineModel/
// with the stages RFormula.fit makes, ColumnPruner and
// VectorAttributeRewriter data), loads them back and compares the
// transform with values worked out by hand and, for "clicked ~ country +
// hour", with the output in Spark's ML guide.
func TestRFormulaModelSparkLayout(t *testing.T) {
	s, mem := newSession(t)
	reg := Register(ml.NewRegistry())

	// s: a twice, b and c once, so frequencyDesc indexes a=0, b=1, c=2
	// (ties alphabetically); y: yes=0, no=1.
	rows := [][]any{
		{"a", 2.0, "yes"},
		{"a", 3.0, "no"},
		{"b", 4.0, "yes"},
		{"c", 5.0, "yes"},
	}
	df := makeDF(t, s, mem, []string{"s", "x", "y"}, []arrow.DataType{tString, tFloat, tString}, rows, 2)
	m, err := NewRFormula().SetFormula("y ~ s + x + s:x").FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "rf")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	if class, version, pm := readSparkMetadata(t, dir); class != "org.apache.spark.ml.feature.RFormulaModel" || version != "3.0.0" ||
		string(pm["formula"]) != `"y ~ s + x + s:x"` {
		t.Fatalf("metadata: class %s, version %s, paramMap %v", class, version, pm)
	}
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	label, _ := d.String("label", 0)
	terms, err := d.StringLists("terms", 0)
	if err != nil {
		t.Fatal(err)
	}
	icpt, _ := d.Bool("hasIntercept", 0)
	d.Release()
	if label != "y" || !icpt || !slices.EqualFunc(terms, [][]string{{"s"}, {"x"}, {"s", "x"}}, slices.Equal) {
		t.Fatalf("data: label %q, terms %v, hasIntercept %v", label, terms, icpt)
	}

	pdir := filepath.Join(dir, "pipelineModel")
	class, _, pm := readSparkMetadata(t, pdir)
	var uids []string
	if err := json.Unmarshal(pm["stageUids"], &uids); err != nil || class != "org.apache.spark.ml.PipelineModel" {
		t.Fatalf("pipelineModel metadata: class %s, stageUids %s (%v)", class, pm["stageUids"], err)
	}
	wantClasses := []string{"StringIndexerModel", "OneHotEncoderModel", "OneHotEncoderModel", "Interaction", "VectorAssembler",
		"VectorAttributeRewriter", "ColumnPruner", "StringIndexerModel"}
	if len(uids) != len(wantClasses) {
		t.Fatalf("stageUids %v, want %d stages", uids, len(wantClasses))
	}
	for i, uid := range uids {
		sdir := filepath.Join(pdir, "stages", fmt.Sprintf("%d_%s", i, uid)) // one digit for 8 stages (Pipeline.scala getStagePath)
		if class, _, _ := readSparkMetadata(t, sdir); class != "org.apache.spark.ml.feature."+wantClasses[i] {
			t.Fatalf("stage %d (%s) is a %s, want %s", i, uid, class, wantClasses[i])
		}
		switch wantClasses[i] {
		case "ColumnPruner":
			d, err := ml.ReadSparkRow(ctx, sdir)
			if err != nil {
				t.Fatal(err)
			}
			cols, err := d.Strings("columnsToPrune", 0)
			d.Release()
			if err != nil || !slices.Equal(cols, slices.Sorted(slices.Values(m.tmpCols))) {
				t.Fatalf("columnsToPrune %v (%v), want %v", cols, err, m.tmpCols)
			}
		case "VectorAttributeRewriter":
			d, err := ml.ReadSparkRow(ctx, sdir)
			if err != nil {
				t.Fatal(err)
			}
			col, _ := d.String("vectorCol", 0)
			prefixes, err := d.StringMap("prefixesToRewrite", 0)
			d.Release()
			if err != nil || col != "features" || len(prefixes) != len(m.tmpCols) {
				t.Fatalf("vectorCol %q, prefixesToRewrite %v (%v)", col, prefixes, err)
			}
			for _, v := range slices.Sorted(maps.Values(prefixes)) {
				if v != "" && v != "s_" {
					t.Fatalf("prefixesToRewrite %v: value %q", prefixes, v)
				}
			}
		}
	}

	got, err := ml.LoadAs[*RFormulaModel](ctx, dir, reg)
	if err != nil {
		t.Fatal(err)
	}
	if got.UID() != m.UID() || got.Params().ExplainParams() != m.Params().ExplainParams() || got.label == nil {
		t.Fatalf("loaded %s (label indexer %v):\n%s\nsaved:\n%s", got.UID(), got.label != nil, got.Params().ExplainParams(), m.Params().ExplainParams())
	}
	// By hand: s one-hot dropping the last category (c), x, then s:x with
	// every category of s.
	want := [][]float64{{1, 0, 2, 2, 0, 0}, {1, 0, 3, 3, 0, 0}, {0, 1, 4, 0, 4, 0}, {0, 0, 5, 0, 0, 5}}
	wantLabel := []float64{0, 1, 0, 0}
	for _, mm := range []*RFormulaModel{m, got} {
		out, err := mm.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		if names := strings.Join(columnNames(out.Schema()), ","); names != "s,x,y,features,label" {
			t.Fatalf("columns %s", names)
		}
		for i, r := range collect(t, out) {
			vecNear(t, "features", r[3], linalg.Dense(want[i]...), 0)
			if r[4] != wantLabel[i] {
				t.Fatalf("row %d label %v, want %v", i, r[4], wantLabel[i])
			}
		}
	}
	// Saved again in Spark's layout, the loaded model keeps its stages.
	again := filepath.Join(t.TempDir(), "again")
	if err := got.SaveSpark(again); err != nil {
		t.Fatal(err)
	}
	if _, err := ml.LoadAs[*RFormulaModel](ctx, again, reg); err != nil {
		t.Fatal(err)
	}

	// Spark's ML guide: "clicked ~ country + hour" gives [0.0,0.0,18.0],
	// [1.0,0.0,12.0], [0.0,1.0,15.0] and labels 1.0, 0.0, 0.0.
	guide := makeDF(t, s, mem, []string{"id", "country", "hour", "clicked"}, []arrow.DataType{tInt, tString, tInt, tFloat},
		[][]any{{int64(7), "US", int64(18), 1.0}, {int64(8), "CA", int64(12), 0.0}, {int64(9), "NZ", int64(15), 0.0}}, 1)
	gm, err := NewRFormula().SetFormula("clicked ~ country + hour").FitModel(ctx, guide)
	if err != nil {
		t.Fatal(err)
	}
	gdir := filepath.Join(t.TempDir(), "guide")
	if err := gm.SaveSpark(gdir); err != nil {
		t.Fatal(err)
	}
	loaded, err := ml.LoadAs[*RFormulaModel](ctx, gdir, reg)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.label != nil {
		t.Fatal("a numeric label got an indexer")
	}
	out, err := loaded.Transform(guide)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range collect(t, out) {
		vecNear(t, "features", r[4], linalg.Dense([][]float64{{0, 0, 18}, {1, 0, 12}, {0, 1, 15}}[i]...), 0)
		if r[5] != []float64{1, 0, 0}[i] {
			t.Fatalf("row %d label %v", i, r[5])
		}
	}
}

// TestRFormulaModelSparkLayoutErrors checks that a Spark directory whose
// data label differs from the formula's is refused with a message naming
// both.
func TestRFormulaModelSparkLayoutErrors(t *testing.T) {
	s, mem := newSession(t)
	df := makeDF(t, s, mem, []string{"s", "y"}, []arrow.DataType{tString, tFloat}, [][]any{{"a", 1.0}, {"b", 0.0}}, 1)
	m, err := NewRFormula().SetFormula("y ~ s").FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "rf")
	m.terms = [][]string{{"s"}}
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	if err := ml.WriteSparkRows(dir, "data", sparkResolvedFormula(), []any{"z", [][]string{{"s"}}, true}); err != nil {
		t.Fatal(err)
	}
	_, err = ml.Load(ctx, dir, Register(ml.NewRegistry()))
	if err == nil || !strings.Contains(err.Error(), `"z"`) || !strings.Contains(err.Error(), `"y"`) {
		t.Fatalf("error %v", err)
	}
	m.terms = nil
	if err := m.SaveSpark(filepath.Join(t.TempDir(), "old")); err == nil || !strings.Contains(err.Error(), "resolved terms") {
		t.Fatalf("error %v", err)
	}
}

func columnNames(s *arrow.Schema) []string {
	var out []string
	for _, f := range s.Fields() {
		out = append(out, f.Name)
	}
	return out
}

// TestLoadSparkShapedRFormulaModel loads an RFormulaModel directory laid
// out as Spark 3's RFormula.fit and RFormulaModelWriter make it for the
// ML guide's "clicked ~ country + hour" (RFormula.scala): temporary
// columns named by random uids, the OneHotEncoderModel and
// VectorAssembler sharing the formula's uid, one multi-column encoder
// with dropLast, no label indexer for a numeric label; the transform is
// the guide's: [0.0,0.0,18.0], [1.0,0.0,12.0], [0.0,1.0,15.0], labels 1,
// 0, 0.
func TestLoadSparkShapedRFormulaModel(t *testing.T) {
	s, mem := newSession(t)
	const uid, idx, oh = "RFormula_5e7a1b2c3d4f", "stridx_0a1b2c3d4e5f", "onehot_6a7b8c9d0e1f"
	dir := filepath.Join(t.TempDir(), "rf")
	meta := func(sub, class, uid, paramMap string) {
		t.Helper()
		p := filepath.Join(dir, sub, "metadata")
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf(`{"class":"org.apache.spark.ml.%s","timestamp":1700000000000,"sparkVersion":"3.5.0","uid":"%s","paramMap":%s,"defaultParamMap":{}}`, class, uid, paramMap)
		if err := os.WriteFile(filepath.Join(p, "part-00000"), []byte(line+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	meta("", "feature.RFormulaModel", uid, `{"formula":"clicked ~ country + hour","featuresCol":"features","labelCol":"label"}`)
	if err := ml.WriteSparkRows(dir, "data", sparkResolvedFormula(), []any{"clicked", [][]string{{"country"}, {"hour"}}, true}); err != nil {
		t.Fatal(err)
	}
	stages := []struct{ class, uid, paramMap string }{
		{"feature.StringIndexerModel", idx, `{"inputCol":"country","outputCol":"` + idx + `","handleInvalid":"error","stringOrderType":"frequencyDesc"}`},
		{"feature.OneHotEncoderModel", uid, `{"inputCols":["` + idx + `"],"outputCols":["` + oh + `"],"dropLast":true}`},
		{"feature.VectorAssembler", uid, `{"inputCols":["` + oh + `","hour"],"outputCol":"features","handleInvalid":"error"}`},
		{"feature.VectorAttributeRewriter", "vectorAttrRewriter_1f2e3d4c5b6a", `{}`},
		{"feature.ColumnPruner", "columnPruner_6b5a4c3d2e1f", `{}`},
	}
	var uids []string
	for _, st := range stages {
		uids = append(uids, `"`+st.uid+`"`)
	}
	pdir := filepath.Join(dir, "pipelineModel")
	meta("pipelineModel", "PipelineModel", uid, `{"stageUids":[`+strings.Join(uids, ",")+`]}`)
	for i, st := range stages {
		meta(filepath.Join("pipelineModel", "stages", fmt.Sprintf("%d_%s", i, st.uid)), st.class, st.uid, st.paramMap)
	}
	sdir := func(i int) string { return filepath.Join(pdir, "stages", fmt.Sprintf("%d_%s", i, stages[i].uid)) }
	strs := arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.BinaryTypes.String, Nullable: true})
	ints := arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32})
	for _, w := range []struct {
		i      int
		schema *arrow.Schema
		row    []any
	}{
		{0, arrow.NewSchema([]arrow.Field{{Name: "labelsArray", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: strs, Nullable: true}), Nullable: true}}, nil),
			[]any{[][]string{{"CA", "NZ", "US"}}}},
		{1, arrow.NewSchema([]arrow.Field{{Name: "categorySizes", Type: ints, Nullable: true}}, nil), []any{[]int{3}}},
		{3, arrow.NewSchema([]arrow.Field{{Name: "vectorCol", Type: arrow.BinaryTypes.String, Nullable: true},
			{Name: "prefixesToRewrite", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String), Nullable: true}}, nil),
			[]any{"features", map[string]string{idx + "_": "country_", oh + "_": "country_"}}},
		{4, arrow.NewSchema([]arrow.Field{{Name: "columnsToPrune", Type: strs, Nullable: true}}, nil), []any{[]string{idx, oh}}},
	} {
		if err := ml.WriteSparkRows(sdir(w.i), "data", w.schema, w.row); err != nil {
			t.Fatal(err)
		}
	}

	m, err := ml.LoadAs[*RFormulaModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if m.label != nil || !slices.Equal(m.tmpCols, []string{idx, oh}) || m.rewriter == nil || m.rewriter.prefixes[oh+"_"] != "country_" {
		t.Fatalf("loaded label indexer %v, tmpCols %v, rewriter %v", m.label != nil, m.tmpCols, m.rewriter)
	}
	guide := makeDF(t, s, mem, []string{"id", "country", "hour", "clicked"}, []arrow.DataType{tInt, tString, tInt, tFloat},
		[][]any{{int64(7), "US", int64(18), 1.0}, {int64(8), "CA", int64(12), 0.0}, {int64(9), "NZ", int64(15), 0.0}}, 1)
	out, err := m.Transform(guide)
	if err != nil {
		t.Fatal(err)
	}
	if names := strings.Join(columnNames(out.Schema()), ","); names != "id,country,hour,clicked,features,label" {
		t.Fatalf("columns %s", names)
	}
	for i, r := range collect(t, out) {
		vecNear(t, "features", r[4], linalg.Dense([][]float64{{0, 0, 18}, {1, 0, 12}, {0, 1, 15}}[i]...), 0)
		if r[5] != []float64{1, 0, 0}[i] {
			t.Fatalf("row %d label %v", i, r[5])
		}
	}
	// Saved again in Spark's layout, the stages keep Spark's shape.
	again := filepath.Join(t.TempDir(), "again")
	if err := m.SaveSpark(again); err != nil {
		t.Fatal(err)
	}
	d, err := ml.ReadSparkRow(ctx, filepath.Join(again, "pipelineModel", "stages", "3_vectorAttrRewriter_1f2e3d4c5b6a"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	if p, err := d.StringMap("prefixesToRewrite", 0); err != nil || p[idx+"_"] != "country_" {
		t.Fatalf("prefixesToRewrite %v (%v)", p, err)
	}
}
