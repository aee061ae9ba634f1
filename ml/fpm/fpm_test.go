package fpm

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
)

var ctx = context.Background()

func newSession(t *testing.T) *frame.Session {
	return frame.NewSession(frame.WithAllocator(exectest.Alloc(t)))
}

// fmtSet renders a list of items sorted, e.g. "[1 2 5]".
func fmtSet(v any) string {
	var ss []string
	for _, it := range v.([]any) {
		ss = append(ss, fmt.Sprint(it))
	}
	slices.Sort(ss)
	return "[" + strings.Join(ss, " ") + "]"
}

func collect(t *testing.T, df *frame.DataFrame) []frame.Row {
	t.Helper()
	rows, err := df.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// itemsetStrings renders freqItemsets rows as sorted "items:freq" lines.
func itemsetStrings(t *testing.T, df *frame.DataFrame) []string {
	rows := collect(t, df)
	slices.SortFunc(rows, func(a, b frame.Row) int { return slices.Compare(sortedItems(a[0]), sortedItems(b[0])) })
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s:%d", fmtSet(r[0]), r[1]))
	}
	return out
}

// sortedItems returns the items of a list as sorted strings, so that lists
// order as Spark sorts arrays (element by element, a prefix first).
func sortedItems(v any) []string {
	var ss []string
	for _, it := range v.([]any) {
		ss = append(ss, fmt.Sprint(it))
	}
	slices.Sort(ss)
	return ss
}

// ruleStrings renders associationRules rows as sorted lines.
func ruleStrings(t *testing.T, df *frame.DataFrame) []string {
	rows := collect(t, df)
	slices.SortFunc(rows, func(a, b frame.Row) int {
		if c := slices.Compare(sortedItems(a[0]), sortedItems(b[0])); c != 0 {
			return c
		}
		return slices.Compare(sortedItems(a[1]), sortedItems(b[1]))
	})
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s=>%s conf=%.6g lift=%.6g support=%.6g", fmtSet(r[0]), fmtSet(r[1]), r[2], r[3], r[4]))
	}
	return out
}

// The example of Spark's ML guide (FPGrowthExample: minSupport 0.5,
// minConfidence 0.6), with its itemsets, rules and predictions checked by
// hand: n = 3, minCount = ceil(1.5) = 2.
func TestFPGrowthGuideExample(t *testing.T) {
	s := newSession(t)
	data := s.CreateDataFrameRows([][]any{{0, []any{1, 2, 5}}, {1, []any{1, 2, 3, 5}}, {2, []any{1, 2}}}, "id INT, items ARRAY<INT>")
	wantSets := []string{"[1]:3", "[1 2]:3", "[1 2 5]:2", "[1 5]:2", "[2]:3", "[2 5]:2", "[5]:2"}
	two3 := 2.0 / 3
	wantRules := []string{
		"[1]=>[2] conf=1 lift=1 support=1",
		fmt.Sprintf("[1]=>[5] conf=%.6g lift=1 support=%.6g", two3, two3),
		fmt.Sprintf("[1 2]=>[5] conf=%.6g lift=1 support=%.6g", two3, two3),
		fmt.Sprintf("[1 5]=>[2] conf=1 lift=1 support=%.6g", two3),
		"[2]=>[1] conf=1 lift=1 support=1",
		fmt.Sprintf("[2]=>[5] conf=%.6g lift=1 support=%.6g", two3, two3),
		fmt.Sprintf("[2 5]=>[1] conf=1 lift=1 support=%.6g", two3),
		fmt.Sprintf("[5]=>[1] conf=1 lift=1 support=%.6g", two3),
		fmt.Sprintf("[5]=>[2] conf=1 lift=1 support=%.6g", two3),
	}
	for _, parts := range []int{1, 4} {
		df := data.Repartition(parts)
		m, err := NewFPGrowth().SetMinSupport(0.5).SetMinConfidence(0.6).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		if got := itemsetStrings(t, m.FreqItemsets(s)); !slices.Equal(got, wantSets) {
			t.Errorf("parts=%d: freqItemsets %v, want %v", parts, got, wantSets)
		}
		if got := ruleStrings(t, m.AssociationRules(s)); !slices.Equal(got, wantRules) {
			t.Errorf("parts=%d: rules\n%s\nwant\n%s", parts, strings.Join(got, "\n"), strings.Join(wantRules, "\n"))
		}
		out, err := m.Transform(df.OrderBy(frame.Col("id")))
		if err != nil {
			t.Fatal(err)
		}
		var preds []string
		for _, r := range collect(t, out.OrderBy(frame.Col("id"))) {
			preds = append(preds, fmtSet(r[2]))
		}
		if want := []string{"[]", "[]", "[5]"}; !slices.Equal(preds, want) {
			t.Errorf("parts=%d: predictions %v, want %v", parts, preds, want)
		}
	}
}

// The example of pyspark's FPGrowth documentation (sample_fpgrowth.txt,
// minSupport 0.2, minConfidence 0.7): its first five itemsets and rules in
// sorted order, and the prediction for ["t", "s"].
func TestFPGrowthPySparkDocExample(t *testing.T) {
	s := newSession(t)
	lines := []string{"r z h k p", "z y x w v u t s", "s x o n r", "x z y m t s q e", "z", "x z y r q t p"}
	rows := make([][]any, len(lines))
	for i, l := range lines {
		var items []any
		for _, f := range strings.Fields(l) {
			items = append(items, f)
		}
		rows[i] = []any{items}
	}
	df := s.CreateDataFrameRows(rows, "items ARRAY<STRING>")
	m, err := NewFPGrowth().SetMinSupport(0.2).SetMinConfidence(0.7).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	sets := itemsetStrings(t, m.FreqItemsets(s))
	if want := []string{"[p]:2", "[p r]:2", "[p r z]:2", "[p z]:2", "[q]:2"}; !slices.Equal(sets[:5], want) {
		t.Errorf("first itemsets %v, want %v", sets[:5], want)
	}
	third := 1.0 / 3
	rules := ruleStrings(t, m.AssociationRules(s))
	want := []string{
		fmt.Sprintf("[p]=>[r] conf=1 lift=2 support=%.6g", third),
		fmt.Sprintf("[p]=>[z] conf=1 lift=1.2 support=%.6g", third),
		fmt.Sprintf("[p r]=>[z] conf=1 lift=1.2 support=%.6g", third),
		fmt.Sprintf("[p z]=>[r] conf=1 lift=2 support=%.6g", third),
		fmt.Sprintf("[q]=>[t] conf=1 lift=2 support=%.6g", third),
	}
	got := slices.Clone(rules[:5])
	if !slices.Equal(got, want) {
		t.Errorf("first rules\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	out, err := m.SetPredictionCol("newPrediction").Transform(s.CreateDataFrameRows([][]any{{[]any{"t", "s"}}}, "items ARRAY<STRING>"))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmtSet(collect(t, out)[0][1]); got != "[x y z]" {
		t.Errorf("prediction for [t s] = %s, want [x y z]", got)
	}
}

func TestFPGrowthSaveLoadAndErrors(t *testing.T) {
	s := newSession(t)
	df := s.CreateDataFrameRows([][]any{{[]any{"a", "b"}}, {[]any{"a", "c"}}, {nil}, {[]any{"a", "b", "c"}}}, "items ARRAY<STRING>")
	m, err := NewFPGrowth().SetMinSupport(0.5).SetMinConfidence(0.5).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if m.NumTrainingRecords() != 3 {
		t.Errorf("numTrainingRecords = %d, want 3 (the null transaction is ignored)", m.NumTrainingRecords())
	}
	dir := filepath.Join(t.TempDir(), "fp")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*FPGrowthModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := itemsetStrings(t, m.FreqItemsets(s)), itemsetStrings(t, back.FreqItemsets(s)); !slices.Equal(a, b) || len(a) != 5 {
		t.Errorf("itemsets after load %v, before %v", b, a)
	}
	if a, b := ruleStrings(t, m.AssociationRules(s)), ruleStrings(t, back.AssociationRules(s)); !slices.Equal(a, b) {
		t.Errorf("rules after load %v, before %v", b, a)
	}
	if back.UID() != m.UID() || back.minConfidence.Get(back.Params()) != 0.5 || back.NumTrainingRecords() != 3 {
		t.Errorf("loaded model lost its params or records")
	}
	est := NewFPGrowth().SetMinSupport(0.25).SetNumPartitions(3)
	edir := filepath.Join(t.TempDir(), "est")
	if err := est.Save(edir); err != nil {
		t.Fatal(err)
	}
	e2, err := ml.LoadAs[*FPGrowth](ctx, edir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if e2.minSupport.Get(e2.Params()) != 0.25 || e2.numPartitions.Get(e2.Params()) != 3 {
		t.Errorf("loaded estimator params wrong")
	}

	dup := s.CreateDataFrameRows([][]any{{[]any{"a", "a"}}}, "items ARRAY<STRING>")
	if _, err := NewFPGrowth().Fit(ctx, dup); err == nil || !strings.Contains(err.Error(), "unique") || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("repeated item: err = %v", err)
	}
	if _, err := NewFPGrowth().SetItemsCol("nope").Fit(ctx, df); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing column: err = %v", err)
	}
	if err := NewFPGrowth().SetMinSupport(1.5).CheckParams(); err == nil {
		t.Errorf("minSupport 1.5 accepted")
	}
}

// The example of Spark's ML guide and pyspark's PrefixSpan documentation
// (minSupport 0.5, maxPatternLength 5): n = 4, minCount 2.
func TestPrefixSpanGuideExample(t *testing.T) {
	s := newSession(t)
	data := s.CreateDataFrameRows([][]any{
		{[]any{[]any{1, 2}, []any{3}}},
		{[]any{[]any{1}, []any{3, 2}, []any{1, 2}}},
		{[]any{[]any{1, 2}, []any{5}}},
		{[]any{[]any{6}}},
	}, "sequence ARRAY<ARRAY<INT>>")
	for _, parts := range []int{1, 4} {
		res, err := NewPrefixSpan().SetMinSupport(0.5).SetMaxPatternLength(5).SetMaxLocalProjDBSize(32000000).
			FindFrequentSequentialPatterns(ctx, data.Repartition(parts))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range collect(t, res) {
			var sets []string
			for _, set := range r[0].([]any) {
				sets = append(sets, fmtSet(set))
			}
			got = append(got, fmt.Sprintf("%s:%d", strings.Join(sets, ""), r[1]))
		}
		slices.Sort(got)
		want := []string{"[1 2]:3", "[1]:3", "[1][3]:2", "[2]:3", "[3]:2"}
		if !slices.Equal(got, want) {
			t.Errorf("parts=%d: patterns %v, want %v", parts, got, want)
		}
	}
}

// A hand-checked case: maxPatternLength cuts patterns by their number of
// items, and an itemset extension needs both items in one itemset.
func TestPrefixSpanHandChecked(t *testing.T) {
	s := newSession(t)
	data := s.CreateDataFrameRows([][]any{
		{[]any{[]any{"a"}, []any{"b"}, []any{"c"}}},
		{[]any{[]any{"a", "b"}, []any{"c"}}},
		{nil},
	}, "sequence ARRAY<ARRAY<STRING>>")
	pats, _, err := NewPrefixSpan().SetMinSupport(1).SetMaxPatternLength(2).Patterns(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pats {
		got = append(got, fmt.Sprint(p.Sequence, p.Freq))
	}
	slices.Sort(got)
	// Both sequences hold a, b, c, a→c, b→c; only the first holds a→b, only
	// the second (ab); a→b→c has three items.
	want := []string{"[[a] [c]] 2", "[[a]] 2", "[[b] [c]] 2", "[[b]] 2", "[[c]] 2"}
	if !slices.Equal(got, want) {
		t.Errorf("patterns %v, want %v", got, want)
	}
}
