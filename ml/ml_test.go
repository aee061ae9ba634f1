package ml

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// addConst is a test Transformer: outputCol = inputCol + c.
type addConst struct {
	StageBase
	in, out param.Param[string]
	c       param.Param[float64]
}

func newAddConst(uid string) *addConst {
	b := NewStageBase(uid)
	ps := b.Params()
	return &addConst{StageBase: b,
		in:  param.Define[string](ps, "inputCol", "input column name"),
		out: param.Define[string](ps, "outputCol", "output column name"),
		c:   param.Define(ps, "c", "constant to add", param.WithDefault(1.0)),
	}
}

func (a *addConst) ClassName() string { return "test.AddConst" }

func (a *addConst) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := a.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := CheckColumn(in, a.UID(), a.in.Get(a.Params()), Numeric); err != nil {
		return nil, err
	}
	return AppendColumn(in, a.UID(), arrow.Field{Name: a.out.Get(a.Params()), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

func (a *addConst) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if _, err := a.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	c := a.c.Get(a.Params())
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		x, err := Float64Column(args[0], nil)
		if err != nil {
			return nil, err
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		for i, v := range x {
			if args[0].IsNull(i) {
				b.AppendNull()
				continue
			}
			b.Append(v + c)
		}
		return b.NewArray(), nil
	}
	return df.WithColumn(a.out.Get(a.Params()), frame.UDF("addConst", arrow.PrimitiveTypes.Float64, fn, frame.Col(a.in.Get(a.Params())))), nil
}

func (a *addConst) Copy(extra param.ParamMap) (Stage, error) {
	b, err := a.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *a
	c.StageBase = b
	return &c, nil
}

func (a *addConst) Save(path string) error { return Save(a, path) }

func loadAddConst(_ context.Context, _ string, md *Metadata, _ *Registry) (Stage, error) {
	a := newAddConst(md.UID)
	return a, md.ApplyParams(a.Params())
}

// centerer is a test Estimator learning the mean of inputCol; its model
// subtracts it and also outputs [x, mean] as a vector.
type centerer struct {
	StageBase
	in, out param.Param[string]
	fits    *int
}

func newCenterer(uid string) *centerer {
	b := NewStageBase(uid)
	ps := b.Params()
	return &centerer{StageBase: b,
		in:   param.Define[string](ps, "inputCol", "input column name"),
		out:  param.Define[string](ps, "outputCol", "output column name"),
		fits: new(int),
	}
}

func (c *centerer) ClassName() string { return "test.Centerer" }

func (c *centerer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if _, err := CheckColumn(in, c.UID(), c.in.Get(c.Params()), Numeric); err != nil {
		return nil, err
	}
	return AppendColumn(in, c.UID(), arrow.Field{Name: c.out.Get(c.Params()), Type: linalg.VectorType(), Nullable: true})
}

func (c *centerer) Copy(extra param.ParamMap) (Stage, error) {
	b, err := c.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	cp := *c
	cp.StageBase = b
	return &cp, nil
}

func (c *centerer) Save(path string) error { return Save(c, path) }

type sumCount struct {
	sum float64
	n   int64
}

func (c *centerer) Fit(ctx context.Context, df *frame.DataFrame) (Model, error) {
	if _, err := c.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	*c.fits++
	in := c.in.Get(c.Params())
	accs, err := frame.AggregatePartitions(ctx, df.SelectCols(in), func(int) *sumCount { return &sumCount{} },
		func(acc *sumCount, b arrow.RecordBatch) (*sumCount, error) {
			x, err := Float64Column(b.Column(0), nil)
			if err != nil {
				return acc, err
			}
			for i, v := range x {
				if !b.Column(0).IsNull(i) {
					acc.sum += v
					acc.n++
				}
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	var tot sumCount
	for _, a := range accs {
		tot.sum += a.sum
		tot.n += a.n
	}
	m := &centererModel{StageBase: NewStageBase(c.UID()), mean: tot.sum / float64(tot.n)}
	m.in = param.Define[string](m.Params(), "inputCol", "input column name")
	m.out = param.Define[string](m.Params(), "outputCol", "output column name")
	return m, c.Params().CopyValuesTo(m.Params())
}

type centererModel struct {
	StageBase
	in, out param.Param[string]
	mean    float64
}

func (m *centererModel) ClassName() string { return "test.CentererModel" }

func (m *centererModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if _, err := CheckColumn(in, m.UID(), m.in.Get(m.Params()), Numeric); err != nil {
		return nil, err
	}
	return AppendColumn(in, m.UID(), arrow.Field{Name: m.out.Get(m.Params()), Type: linalg.VectorType(), Nullable: true})
}

func (m *centererModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	mean := m.mean
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		x, err := Float64Column(args[0], nil)
		if err != nil {
			return nil, err
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		for i, v := range x {
			if args[0].IsNull(i) {
				b.AppendNull()
				continue
			}
			b.AppendDense([]float64{v - mean, mean})
		}
		return b.NewArray(), nil
	}
	return df.WithColumn(m.out.Get(m.Params()), frame.UDF("center", linalg.VectorType(), fn, frame.Col(m.in.Get(m.Params())))), nil
}

func (m *centererModel) Copy(extra param.ParamMap) (Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	cp := *m
	cp.StageBase = b
	return &cp, nil
}

func (m *centererModel) Save(path string) error { return Save(m, path) }

func (m *centererModel) ExtraMetadata() map[string]any { return map[string]any{"numFeatures": 1} }

func (m *centererModel) WriteData(dir string) error {
	mem := memory.NewGoAllocator()
	vb := linalg.NewVectorBuilder(mem)
	defer vb.Release()
	vb.AppendDense([]float64{m.mean})
	va := vb.NewArray()
	defer va.Release()
	fb := array.NewFloat64Builder(mem)
	defer fb.Release()
	fb.Append(m.mean)
	fa := fb.NewArray()
	defer fa.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "meanVec", Type: linalg.VectorType(), Nullable: true}, {Name: "mean", Type: arrow.PrimitiveTypes.Float64}}, nil)
	rec := array.NewRecordBatch(schema, []arrow.Array{va, fa}, 1)
	defer rec.Release()
	return WriteData(dir, rec)
}

func loadCentererModel(ctx context.Context, dir string, md *Metadata, _ *Registry) (Stage, error) {
	m := &centererModel{StageBase: NewStageBase(md.UID)}
	m.in = param.Define[string](m.Params(), "inputCol", "input column name")
	m.out = param.Define[string](m.Params(), "outputCol", "output column name")
	if err := md.ApplyParams(m.Params()); err != nil {
		return nil, err
	}
	var nf int
	if err := md.GetExtra("numFeatures", &nf); err != nil || nf != 1 {
		return nil, errors.New("bad numFeatures")
	}
	rec, err := ReadData(ctx, dir, memory.NewGoAllocator())
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	vc, err := linalg.Vectors(rec.Column(0))
	if err != nil {
		return nil, err
	}
	if _, ok := rec.Column(0).(*linalg.VectorArray); !ok {
		return nil, errors.New("vector column not restored")
	}
	m.mean = vc.DenseValues(0)[0]
	if rec.Column(1).(*array.Float64).Value(0) != m.mean {
		return nil, errors.New("mean columns differ")
	}
	return m, nil
}

func testRegistry() *Registry {
	return NewRegistry().
		Register("test.AddConst", loadAddConst).
		Register("test.CentererModel", loadCentererModel).
		Register("test.Centerer", func(_ context.Context, _ string, md *Metadata, _ *Registry) (Stage, error) {
			c := newCenterer(md.UID)
			return c, md.ApplyParams(c.Params())
		})
}

func testFrame(t *testing.T, s *frame.Session, parts int) *frame.DataFrame {
	t.Helper()
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "x", Type: arrow.PrimitiveTypes.Int32, Nullable: true}, {Name: "name", Type: arrow.BinaryTypes.String}}, nil)
	var batches [][]arrow.RecordBatch = make([][]arrow.RecordBatch, parts)
	for i := 0; i < 10; i++ {
		var x any = int32(i)
		if i == 4 {
			x = nil
		}
		b := exectest.Batch(mem, schema, [][]any{{int64(i), x, "n"}})
		batches[i%parts] = append(batches[i%parts], b)
	}
	df, err := s.FromBatches(schema, batches)
	for _, bs := range batches {
		for _, b := range bs {
			b.Release()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(df.Unpersist)
	return df
}

func TestCheckColumn(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{{Name: "features", Type: arrow.BinaryTypes.String}, {Name: "v", Type: linalg.VectorType()}}, nil)
	if _, err := CheckColumn(s, "StandardScaler_ab12", "features", Vector); err == nil || err.Error() != `StandardScaler_ab12: input column "features" must be vector, got string` {
		t.Errorf("type: %v", err)
	}
	if _, err := CheckColumn(s, "S_1", "x", Numeric); err == nil || !strings.HasPrefix(err.Error(), `S_1: input column "x" does not exist`) {
		t.Errorf("missing: %v", err)
	}
	if f, err := CheckColumn(s, "S_1", "V", Vector, Numeric); err != nil || f.Name != "v" {
		t.Errorf("case-insensitive: %v", err)
	}
	if _, err := AppendColumn(s, "S_1", arrow.Field{Name: "v", Type: arrow.PrimitiveTypes.Float64}); err == nil || err.Error() != `S_1: output column "v" already exists` {
		t.Errorf("exists: %v", err)
	}
}

func TestFloat64Column(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		{Name: "b", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
		{Name: "c", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "d", Type: &arrow.Decimal64Type{Precision: 10, Scale: 2}, Nullable: true},
		{Name: "e", Type: &arrow.Decimal128Type{Precision: 20, Scale: 1}, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	}, nil)
	b := exectest.Batch(mem, schema, [][]any{{int8(-3), int16(7), true, int64(1234), int64(-15), float32(0.5)}, {nil, nil, nil, nil, nil, nil}})
	defer b.Release()
	want := []float64{-3, 7, 1, 12.34, -1.5, 0.5}
	for c := range want {
		x, err := Float64Column(b.Column(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(x[0]-want[c]) > 1e-12 || !math.IsNaN(x[1]) {
			t.Errorf("column %d: %v", c, x)
		}
	}
}

func TestPipelineFitTransformSaveLoad(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		mem := exectest.Alloc(t)
		s := frame.NewSession(frame.WithAllocator(mem))
		df := testFrame(t, s, parts)
		add := newAddConst("Add_1")
		add.in.Set(add.Params(), "x")
		add.out.Set(add.Params(), "x1")
		add.c.Set(add.Params(), 10)
		cen := newCenterer("Cen_1")
		cen.in.Set(cen.Params(), "x1")
		cen.out.Set(cen.Params(), "v")
		p := NewPipeline(add, cen)
		m, err := p.Fit(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		pm := m.(*PipelineModel)
		if len(pm.Stages()) != 2 || pm.UID() != p.UID() {
			t.Fatal("pipeline model stages")
		}
		out, err := pm.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := out.OrderBy(frame.Col("id")).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// mean of x+10 over the non-null x (0..9 without 4): (45-4)/9 + 10.
		mean := 41.0/9 + 10
		for _, r := range rows {
			if r[1] == nil {
				if r[3] != nil || r[4] != nil {
					t.Fatalf("null row %v", r)
				}
				continue
			}
			x := float64(r[1].(int32))
			v := r[4].(linalg.Vector)
			if r[3].(float64) != x+10 || math.Abs(v.Get(0)-(x+10-mean)) > 1e-12 || math.Abs(v.Get(1)-mean) > 1e-12 {
				t.Fatalf("parts %d: row %v", parts, r)
			}
		}
		// Save and load the model: identical output.
		dir := filepath.Join(t.TempDir(), "model")
		if err := pm.Save(dir); err != nil {
			t.Fatal(err)
		}
		if err := pm.Save(dir); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("second save: %v", err)
		}
		if err := Overwrite(pm, dir); err != nil {
			t.Fatalf("overwrite: %v", err)
		}
		for _, f := range []string{"metadata/part-00000", "stages/0_Add_1/metadata/part-00000", "stages/1_Cen_1/data/part-00000.parquet"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Fatalf("layout: %v", err)
			}
		}
		loaded, err := LoadAs[*PipelineModel](ctx, dir, testRegistry())
		if err != nil {
			t.Fatal(err)
		}
		out2, err := loaded.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		rows2, err := out2.OrderBy(frame.Col("id")).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			if frame.Row(rows[i]) == nil || len(rows2[i]) != len(rows[i]) {
				t.Fatal("rows")
			}
			for c := range rows[i] {
				a, b := rows[i][c], rows2[i][c]
				if va, ok := a.(linalg.Vector); ok {
					if !linalg.Equal(va, b.(linalg.Vector)) {
						t.Fatalf("loaded row %d: %v vs %v", i, rows[i], rows2[i])
					}
				} else if a != b {
					t.Fatalf("loaded row %d: %v vs %v", i, rows[i], rows2[i])
				}
			}
		}
		// The unfitted pipeline round-trips too.
		pdir := filepath.Join(t.TempDir(), "pipeline")
		if err := p.Save(pdir); err != nil {
			t.Fatal(err)
		}
		lp, err := LoadAs[*Pipeline](ctx, pdir, testRegistry())
		if err != nil {
			t.Fatal(err)
		}
		if len(lp.Stages()) != 2 || lp.Stages()[0].UID() != "Add_1" || lp.Stages()[1].Params().ExplainParams() != cen.ExplainParams() {
			t.Fatalf("loaded pipeline: %v", lp.Stages())
		}
	}
}

func TestPipelineSchemaErrorsBeforeFit(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession()
	df := testFrame(t, s, 2)
	cen := newCenterer("Cen_2")
	cen.in.Set(cen.Params(), "id")
	cen.out.Set(cen.Params(), "v")
	add := newAddConst("Add_2")
	add.in.Set(add.Params(), "nosuch")
	add.out.Set(add.Params(), "y")
	_, err := NewPipeline(cen, add).Fit(ctx, df)
	if err == nil || !strings.HasPrefix(err.Error(), `Add_2: input column "nosuch" does not exist`) {
		t.Fatalf("missing column: %v", err)
	}
	if *cen.fits != 0 {
		t.Fatal("an estimator was fitted before the schema check")
	}
	add.in.Set(add.Params(), "name")
	if _, err := NewPipeline(cen, add).Fit(ctx, df); err == nil || err.Error() != `Add_2: input column "name" must be numeric, got string` {
		t.Fatalf("wrong type: %v", err)
	}
	add.in.Set(add.Params(), "v") // v is a vector made by cen
	if _, err := NewPipeline(cen, add).Fit(ctx, df); err == nil || err.Error() != `Add_2: input column "v" must be numeric, got vector` {
		t.Fatalf("wrong type: %v", err)
	}
	// An invalid param value set through a chained setter is reported.
	add.in.Set(add.Params(), "x")
	add.c.Set(add.Params(), 1)
	add.Params().Set("c", "abc")
	if _, err := NewPipeline(add).Fit(ctx, df); err == nil || !strings.Contains(err.Error(), "Add_2: param c") {
		t.Fatalf("invalid param: %v", err)
	}
}

func TestCopyStage(t *testing.T) {
	add := newAddConst("Add_3")
	add.in.Set(add.Params(), "x")
	p := NewPipeline(add)
	cp, err := p.Copy(param.ParamMap{"c": 5.0})
	if err != nil {
		t.Fatal(err)
	}
	c2 := cp.(*Pipeline).Stages()[0].(*addConst)
	if c2.c.Get(c2.Params()) != 5 || add.c.Get(add.Params()) != 1 || c2.UID() != "Add_3" || cp.UID() != p.UID() {
		t.Fatal("copy")
	}
	if !strings.Contains(c2.ExplainParams(), "c: constant to add (default: 1.0, current: 5.0)") {
		t.Fatal(c2.ExplainParams())
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Load(ctx, filepath.Join(t.TempDir(), "none"), NewRegistry()); err == nil {
		t.Fatal("missing dir")
	}
	add := newAddConst("Add_4")
	dir := filepath.Join(t.TempDir(), "a")
	if err := add.Save(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, dir, NewRegistry()); err == nil || !strings.Contains(err.Error(), `unknown stage class "test.AddConst"`) {
		t.Fatalf("unknown class: %v", err)
	}
	if _, err := LoadAs[*Pipeline](ctx, dir, testRegistry()); err == nil {
		t.Fatal("LoadAs with wrong type")
	}
}

func TestSaveWithExtraFiles(t *testing.T) {
	st := newAddConst("Add_files")
	dir := filepath.Join(t.TempDir(), "model")
	files := map[string][]byte{"profile.json": []byte(`{"a":1}`), "notes/readme.txt": []byte("hi")}
	if err := SaveWith(st, dir, SaveOptions{Files: files}); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != string(want) {
			t.Fatalf("%s: %q, %v", name, got, err)
		}
	}
	if err := SaveWith(st, dir, SaveOptions{Files: files}); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second save: %v", err)
	}
	if err := SaveWith(st, dir, SaveOptions{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "profile.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("overwrite kept the old extra file: %v", err)
	}
	for _, bad := range []string{"../x", "metadata/extra", "/abs", "data/p.json"} {
		err := SaveWith(st, filepath.Join(t.TempDir(), "m"), SaveOptions{Files: map[string][]byte{bad: nil}})
		if err == nil || !strings.Contains(err.Error(), "extra file") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
