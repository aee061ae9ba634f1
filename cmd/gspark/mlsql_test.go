package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/feature"
)

// The sessions of `gspark sql` and the shell have ml_transform and
// DESCRIBE MODEL: a model saved from Go scores a table in SQL.
func TestMLTransformInSQL(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	iris := s.Table("samples.iris")
	km := clustering.NewKMeans()
	for k, v := range map[string]any{"k": 3, "seed": int64(1)} {
		if err := km.Params().Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	m, err := ml.NewPipeline(feature.NewVectorAssembler().SetInputCols("petal_length", "petal_width").SetOutputCol("features"), km).Fit(ctx, iris)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "km")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	scored, err := m.Transform(iris)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := scored.GroupBy(frame.Col("prediction")).Count().OrderBy(frame.Col("prediction")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "prediction,n\r\n"
	for _, r := range rows {
		want += fmt.Sprintf("%v,%v\r\n", r[0], r[1])
	}

	cmd := newSQL(&globalFlags{partitions: 2})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var o, e bytes.Buffer
	cmd.SetOut(&o)
	cmd.SetErr(&e)
	cmd.SetArgs([]string{"--format", "csv", "-e", fmt.Sprintf(
		"select prediction, count(*) as n from ml_transform('%s', table(samples.iris)) group by prediction order by prediction;\n"+
			"describe model '%s'", dir, dir)})
	if err := cmd.ExecuteContext(ctx); err != nil {
		t.Fatalf("%v\n%s", err, e.String())
	}
	if !strings.HasPrefix(o.String(), want) {
		t.Errorf("sql output:\n%s\nwant it to start with\n%s", o.String(), want)
	}
	for _, line := range []string{"stage,0,gspark.ml.feature.VectorAssembler,", "stage,1,gspark.ml.clustering.KMeansModel,",
		"input,0,petal_length,double,,", "output,1,prediction,int,,"} {
		if !strings.Contains(o.String(), line) {
			t.Errorf("DESCRIBE MODEL output lacks %q:\n%s", line, o.String())
		}
	}

	// The shell's session, as the shell and the piped shell build it.
	shell, err := (&globalFlags{partitions: 2}).session()
	if err != nil {
		t.Fatal(err)
	}
	f, _ := formatter("csv")
	var out bytes.Buffer
	script := fmt.Sprintf("select count(*) as n from ml_transform('%s', table(samples.iris)) where prediction = %v;", dir, rows[0][0])
	if err := runStatements(ctx, shell, strings.NewReader(script), newPrinter(f, &out, &bytes.Buffer{})); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("n\r\n%v\r\n", rows[0][1]); out.String() != got {
		t.Errorf("shell: got %q, want %q", out.String(), got)
	}
}

// After FROM and JOIN the shell completes the session's table functions.
func TestCompleterTableFunctions(t *testing.T) {
	s, err := (&globalFlags{partitions: 2}).session()
	if err != nil {
		t.Fatal(err)
	}
	c := &completer{s: s}
	for before, want := range map[string]string{
		"select * from ml_":             "[ml_transform(]",
		"select * from nation join ml_": "[ml_transform(]",
		"select ml_":                    "[]",
	} {
		if got := fmt.Sprint(complete(c, before, "")); got != want {
			t.Errorf("%q: got %s, want %s", before, got, want)
		}
	}
}
