package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
)

func readCSV(s *frame.Session, path string) *frame.DataFrame {
	return s.Read().Option("header", "true").Option("inferSchema", "true").CSV(path)
}

// smallModel fits StringIndexer(c) + VectorAssembler(x, z, ci) on the PSI
// fixture, keeping invalid values so that new data with nulls and new
// categories scores.
func smallModel(t *testing.T, ctx context.Context, train *frame.DataFrame) ml.Model {
	t.Helper()
	pipe := ml.NewPipeline(
		feature.NewStringIndexer().SetInputCol("c").SetOutputCol("ci").SetHandleInvalid("keep"),
		feature.NewVectorAssembler().SetInputCols("x", "z", "ci").SetOutputCol("features").SetHandleInvalid("keep"),
	)
	m, err := pipe.Fit(ctx, train)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }

// TestPSIByHand checks the profile and Compare on testdata/monitor's small
// fixtures against hand computation.
//
// Training x = 1..10: percentile_approx's deciles (the smallest value with
// at least a fraction p at or below it) are 1, 2, …, 9, so the bins are
// (-∞,1], (1,2], …, (8,9], (9,∞) with a share of 0.1 each.
// Current x (20 rows) = 1×4, 2..8 ×2 each, 10×2: shares 0.2, 0.1 ×7, 0, 0.1.
// PSI = (0.2-0.1)·ln(0.2/0.1) + 7·0 + (1e-4-0.1)·ln(1e-4/0.1) + 0
//
//	= 0.1·0.6931471806 + (-0.0999)·(-6.9077552790)
//	= 0.0693147181 + 0.6900847524 = 0.7593994705
//
// Training c = a×5, b×3, c×2 with TopK 2: top a 0.5, b 0.3, other 0.2.
// Current c = a×8, b×4, c×4, d×4: a 0.4, b 0.2, other 0.4.
// PSI = (0.4-0.5)·ln(0.8) + (0.2-0.3)·ln(2/3) + (0.4-0.2)·ln(2)
//
//	= 0.0223143551 + 0.0405465108 + 0.1386294361 = 0.2014903020
//
// New categories: other 0.4 - training's other 0.2 = 0.2.
// Current z has 6 nulls in 20 rows: null rate 0.3 against 0.
func TestPSIByHand(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	train := readCSV(s, "../../testdata/monitor/psi_train.csv")
	model := smallModel(t, ctx, train)
	prof, err := BuildProfile(ctx, train, model, ProfileOptions{TopK: 2})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range prof.Columns {
		names = append(names, c.Name+":"+string(c.Role)+":"+string(c.Kind))
	}
	if want := []string{"c:input:categorical", "x:input:numeric", "z:input:numeric", "ci:output:numeric"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("profiled %v, want %v", names, want)
	}
	x, _ := prof.Column("x")
	if want := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}; !reflect.DeepEqual(x.Numeric.Edges, want) {
		t.Errorf("edges %v, want %v", x.Numeric.Edges, want)
	}
	for _, sh := range x.Numeric.Shares {
		if !near(sh, 0.1) {
			t.Errorf("shares %v, want 0.1 each", x.Numeric.Shares)
			break
		}
	}
	if x.Numeric.Min != 1 || x.Numeric.Max != 10 || !near(x.Numeric.Mean, 5.5) || !near(x.Numeric.Std, math.Sqrt(82.5/9)) {
		t.Errorf("moments %+v", x.Numeric)
	}
	if want := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; !reflect.DeepEqual(x.Numeric.Sample, want) {
		t.Errorf("sample %v, want the values", x.Numeric.Sample)
	}
	c, _ := prof.Column("c")
	if want := (&CategoricalProfile{Top: []Category{{"a", 0.5}, {"b", 0.3}}, OtherShare: 0.2, Distinct: 3}); !reflect.DeepEqual(c.Categorical, want) {
		t.Errorf("categories %+v, want %+v", c.Categorical, want)
	}

	cur, err := model.Transform(readCSV(s, "../../testdata/monitor/psi_current.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// The fixture is small: judge the PSI over any number of values.
	small := DefaultThresholds()
	small.PSIMinValues = 0
	rep, err := Compare(ctx, prof, cur, small)
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) ColumnDrift {
		for _, d := range rep.Columns {
			if d.Name == name {
				return d
			}
		}
		t.Fatalf("no row for %s", name)
		return ColumnDrift{}
	}
	dx, dc, dz := get("x"), get("c"), get("z")
	if !near(*dx.PSI, 0.7593994705) {
		t.Errorf("PSI(x) = %.10f, want 0.7593994705", *dx.PSI)
	}
	if !near(*dc.PSI, 0.2014903020) {
		t.Errorf("PSI(c) = %.10f, want 0.2014903020", *dc.PSI)
	}
	if !near(*dc.NewCategoryShare, 0.2) {
		t.Errorf("new categories %v, want 0.2", *dc.NewCategoryShare)
	}
	if !near(dz.NullRate, 0.3) || dz.TrainNullRate != 0 || !dz.Drifted {
		t.Errorf("z: %+v", dz)
	}
	if !dx.Drifted || !dc.Drifted || !rep.Drifted || rep.Rows != 20 || rep.TrainRows != 10 {
		t.Errorf("report: %+v", rep)
	}
	// KS of x: the training sample is the 10 values, the current one the
	// 20: D = max gap of the ECDFs, at 1: |0.1 - 0.2| and 9: |0.9 - 0.9| …
	// the largest is 0.1 (at 1 through 8, 0.1 apart each): not significant.
	if !near(*dx.KSD, 0.1) {
		t.Errorf("KS D(x) = %v, want 0.1", *dx.KSD)
	}
	table := rep.Table()
	for _, want := range []string{"column", "DRIFT: PSI 0.759 > 0.2", "drift in 4 of 4 columns"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if _, err := rep.JSON(); err != nil {
		t.Error(err)
	}
	// By default the PSI of 20 values is not judged (noise: its expected
	// value without drift is about 9/20 + 9/10): x, drifted by PSI alone
	// above, is fine, with a note.
	rep, err = Compare(ctx, prof, cur, DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	if dx := get("x"); dx.Drifted || dx.Note != "PSI not judged: 20 values < 100" {
		t.Errorf("x with the default thresholds: %+v", dx)
	}
	// The categorical thresholds alone: with PSI and new-category limits
	// above the values, c is fine.
	th := small
	th.PSI, th.NewCategory = 0.25, 0.25
	rep, err = Compare(ctx, prof, cur, th)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(rep.DriftedColumns(), "c") {
		t.Errorf("c drifted with PSI threshold 0.25: %+v", rep.Columns)
	}
}

// TestCompareErrors: missing and mistyped columns are named; a missing
// label is skipped.
func TestCompareErrors(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	train := readCSV(s, "../../testdata/monitor/psi_train.csv")
	model := smallModel(t, ctx, train)
	prof, err := BuildProfile(ctx, train.WithColumn("label", F.Col("x").Mul(2)), model, ProfileOptions{LabelCol: "label"})
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := prof.Column("label"); !ok || l.Role != Label {
		t.Fatalf("label not profiled: %+v", prof.Columns)
	}
	cur := readCSV(s, "../../testdata/monitor/psi_current.csv")
	scored, err := model.Transform(cur)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compare(ctx, prof, scored, DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	if l := rep.Columns[len(rep.Columns)-1]; l.Name != "label" || l.Skipped == "" || l.Drifted {
		t.Errorf("label row %+v", l)
	}
	for _, c := range []struct {
		df   *frame.DataFrame
		want string
	}{
		{scored.Drop("z"), `the data has no column "z", an input of the model`},
		{scored.Drop("ci"), `the data has no column "ci", an output of the model`},
		{scored.WithColumn("x", F.Lit("text")), `column "x" is string (categorical), but was int (numeric)`},
	} {
		if _, err := Compare(ctx, prof, c.df, DefaultThresholds()); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	if _, err := BuildProfile(ctx, train, model, ProfileOptions{LabelCol: "nope"}); err == nil || !strings.Contains(err.Error(), `no column "nope"`) {
		t.Errorf("missing label: %v", err)
	}
	if _, err := BuildProfile(ctx, train.Drop("z"), model, ProfileOptions{}); err == nil || !strings.Contains(err.Error(), `"z"`) {
		t.Errorf("missing input: %v", err)
	}
}

// breastCancer fits assembler + logistic regression on the breast cancer
// data set.
func breastCancer(t *testing.T, ctx context.Context, s *frame.Session) (*frame.DataFrame, ml.Model) {
	t.Helper()
	df := readCSV(s, "../../testdata/ml/breast_cancer.csv").WithColumn("label", F.Col("label").Cast("double"))
	pipe := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols("mean_radius", "mean_texture", "worst_area", "worst_concave_points").SetOutputCol("features"),
		classification.NewLogisticRegression(),
	)
	m, err := pipe.Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	return df, m
}

// TestShiftedDataDrifts: the breast cancer data with mean_radius scaled by
// 1.3 drifts in mean_radius (and its prediction may follow); a random half
// of the training data drifts nowhere.
func TestShiftedDataDrifts(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	train, model := breastCancer(t, ctx, s)
	prof, err := BuildProfile(ctx, train, model, ProfileOptions{LabelCol: "label"})
	if err != nil {
		t.Fatal(err)
	}
	if prof.Rows != 569 {
		t.Fatalf("rows %d", prof.Rows)
	}
	compare := func(df *frame.DataFrame) *Report {
		t.Helper()
		scored, err := model.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Compare(ctx, prof, scored, DefaultThresholds())
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	half := compare(train.Sample(0.5, 3))
	t.Log(half.Table())
	if half.Drifted {
		t.Errorf("a random half drifted:\n%s", half.Table())
	}
	if half.Rows < 200 || half.Rows > 370 {
		t.Errorf("half has %d rows", half.Rows)
	}
	shifted := compare(train.WithColumn("mean_radius", F.Col("mean_radius").Mul(1.3)))
	t.Log(shifted.Table())
	if !shifted.Drifted || !slices.Contains(shifted.DriftedColumns(), "mean_radius") {
		t.Errorf("the shifted copy did not drift in mean_radius:\n%s", shifted.Table())
	}
	for _, c := range shifted.Columns {
		if c.Name == "mean_texture" && c.Drifted {
			t.Errorf("mean_texture drifted: %+v", c)
		}
	}
}

// TestProfileSaveAndRead: the profile is saved with the model, read back
// equal, deterministic, and small; a model without one reports
// fs.ErrNotExist.
func TestProfileSaveAndRead(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(3))
	train, model := breastCancer(t, ctx, s)
	prof, err := BuildProfile(ctx, train, model, ProfileOptions{LabelCol: "label"})
	if err != nil {
		t.Fatal(err)
	}
	// Another partitioning gives the same profile.
	again, err := BuildProfile(ctx, frame.NewSession(frame.WithPartitions(1)).Read().Option("header", "true").Option("inferSchema", "true").
		CSV("../../testdata/ml/breast_cancer.csv").WithColumn("label", F.Col("label").Cast("double")), model, ProfileOptions{LabelCol: "label"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := prof.JSON()
	b, _ := again.JSON()
	if string(a) != string(b) {
		t.Error("profiles with 3 and 1 partitions differ")
	}
	if len(a) > 200<<10 {
		t.Errorf("profile is %d bytes", len(a))
	}
	dir := filepath.Join(t.TempDir(), "model")
	if err := SaveModel(model, dir, prof, false); err != nil {
		t.Fatal(err)
	}
	read, err := ReadProfile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, prof) {
		t.Error("profile read back differs")
	}
	loaded, err := all.Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaded.(ml.Transformer).Transform(train); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(t.TempDir(), "bare")
	if err := SaveModel(model, bare, nil, false); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadProfile(bare); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no profile: %v", err)
	}
	var raw map[string]any
	_ = json.Unmarshal(a, &raw)
	raw["formatVersion"] = 99
	bad, _ := json.Marshal(raw)
	if _, err := ParseProfile(bad); err == nil || !strings.Contains(err.Error(), "formatVersion 99") {
		t.Errorf("format version: %v", err)
	}
}
