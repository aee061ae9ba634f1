package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/jobs"
	"github.com/gspark/gspark/ml/monitor"
	"github.com/gspark/gspark/ml/predict"
)

// demoJob is the job file of the demo's ML half.
//
//go:embed demo_job.yaml
var demoJob []byte

func newDemo(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Run the demo job over the built-in sample data (TPC-H SF 0.01 and iris)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.session()
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd.Context())
			defer stop()
			return signalCause(ctx, runDemo(ctx, s, cmd.OutOrStdout()))
		},
	}
}

// demoStep is one query of the demo job.
type demoStep struct {
	title string
	df    func(s *frame.Session) *frame.DataFrame
}

func demoSteps() []demoStep {
	return []demoStep{
		{"TPC-H Q1: pricing summary report (samples.lineitem)", func(s *frame.Session) *frame.DataFrame {
			li := s.Table("samples.lineitem")
			discPrice := F.Col("l_extendedprice").Mul(F.Lit(1).Sub(F.Col("l_discount")))
			return li.Filter(F.Col("l_shipdate").Leq(F.Date("1998-09-02"))).
				GroupBy(F.Col("l_returnflag"), F.Col("l_linestatus")).
				Agg(
					F.Sum(F.Col("l_quantity")).Alias("sum_qty"),
					F.Sum(F.Col("l_extendedprice")).Alias("sum_base_price"),
					F.Sum(discPrice).Alias("sum_disc_price"),
					F.Sum(discPrice.Mul(F.Lit(1).Add(F.Col("l_tax")))).Alias("sum_charge"),
					F.Avg(F.Col("l_quantity")).Alias("avg_qty"),
					F.Avg(F.Col("l_extendedprice")).Alias("avg_price"),
					F.Avg(F.Col("l_discount")).Alias("avg_disc"),
					F.CountStar().Alias("count_order"),
				).
				OrderBy(F.Col("l_returnflag").Asc(), F.Col("l_linestatus").Asc())
		}},
		{"Revenue by nation in 1994 (lineitem ⋈ orders ⋈ customer ⋈ nation)", func(s *frame.Session) *frame.DataFrame {
			orders := s.Table("samples.orders").
				Filter(F.Col("o_orderdate").Geq(F.Date("1994-01-01")).And(F.Col("o_orderdate").Lt(F.Date("1995-01-01"))))
			li := s.Table("samples.lineitem")
			cust := s.Table("samples.customer")
			nation := s.Table("samples.nation")
			return li.Join(orders, F.Col("l_orderkey").Eq(F.Col("o_orderkey")), "inner").
				Join(cust, F.Col("o_custkey").Eq(F.Col("c_custkey")), "inner").
				Join(nation, F.Col("c_nationkey").Eq(F.Col("n_nationkey")), "inner").
				GroupBy(F.Col("n_name")).
				Agg(F.Sum(F.Col("l_extendedprice").Mul(F.Lit(1).Sub(F.Col("l_discount")))).Alias("revenue"),
					F.CountStar().Alias("lines")).
				OrderBy(F.Col("revenue").Desc()).
				Limit(5)
		}},
		{"Iris: measurements per species (samples.iris)", func(s *frame.Session) *frame.DataFrame {
			return s.Table("samples.iris").
				GroupBy(F.Col("species")).
				Agg(F.CountStar().Alias("n"),
					F.Avg(F.Col("sepal_length")).Alias("avg_sepal_length"),
					F.Avg(F.Col("petal_length")).Alias("avg_petal_length"),
					F.Max(F.Col("petal_width")).Alias("max_petal_width")).
				OrderBy(F.Col("species"))
		}},
	}
}

func runDemo(ctx context.Context, s *frame.Session, w io.Writer) error {
	fmt.Fprintf(w, "gspark demo: %d partitions\n\n", s.Partitions())
	total := time.Now()
	for _, st := range demoSteps() {
		start := time.Now()
		df := st.df(s)
		out, err := df.ShowString(ctx, 20, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", st.title, err)
		}
		fmt.Fprintf(w, "%s\n%s(%s)\n\n", st.title, out, time.Since(start).Round(time.Microsecond))
	}
	if err := runDemoJob(ctx, s, w); err != nil {
		return err
	}
	fmt.Fprintf(w, "demo finished in %s\n", time.Since(total).Round(time.Millisecond))
	return nil
}

// runDemoJob runs the embedded job file (train, tune, evaluate, save, score
// on samples.iris) in a temporary directory, then queries the scores it
// wrote and the saved model through SQL.
func runDemoJob(ctx context.Context, s *frame.Session, w io.Writer) error {
	dir, err := os.MkdirTemp("", "gspark-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	job, err := jobs.Parse("demo_job.yaml", demoJob, map[string]string{"out": dir})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ML job %q: split samples.iris, 3-fold cross-validated StandardScaler + LogisticRegression, held-out evaluation, save, batch scoring to Parquet\n", job.Name)
	start := time.Now()
	res, err := jobs.Run(ctx, job, jobs.Options{Session: s, Progress: w})
	if err != nil {
		return fmt.Errorf("demo job: %w", err)
	}
	for _, k := range slices.Sorted(maps.Keys(res.Metrics)) {
		fmt.Fprintf(w, "  %-28s %.4f\n", k, res.Metrics[k])
	}
	fmt.Fprintf(w, "(%s)\n\n", time.Since(start).Round(time.Millisecond))
	model := filepath.Join(dir, "model")
	queries := []struct{ title, sql string }{
		{"Held-out predictions per species, read back from the scored Parquet files",
			"SELECT species, prediction, count(*) AS n FROM parquet.`" + filepath.Join(dir, "scores") + "` GROUP BY species, prediction ORDER BY species, prediction"},
		{"The saved model applied in SQL to the held-out rows (labels indexed alphabetically), with its class probabilities",
			"SELECT species, prediction, round(vector_to_array(probability)[0], 3) AS p_setosa, " +
				"round(vector_to_array(probability)[1], 3) AS p_versicolor, round(vector_to_array(probability)[2], 3) AS p_virginica " +
				"FROM ml_transform('" + model + "', TABLE(test)) ORDER BY sepal_length DESC, petal_length DESC LIMIT 5"},
	}
	for _, q := range queries {
		start := time.Now()
		df := s.SQL(q.sql)
		out, err := df.ShowString(ctx, 20, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", q.title, err)
		}
		fmt.Fprintf(w, "%s\n%s(%s)\n\n", q.title, out, time.Since(start).Round(time.Microsecond))
	}
	if err := demoPredict(ctx, w, model); err != nil {
		return err
	}
	return demoDrift(ctx, s, w, model)
}

// demoPredict scores one record in-process with the saved model, as a
// program embedding gspark (or `gspark serve`) does, and times it.
func demoPredict(ctx context.Context, w io.Writer, model string) error {
	start := time.Now()
	p, err := predict.Load(ctx, model, predict.WithOutputs("prediction", "probability"))
	if err != nil {
		return fmt.Errorf("demo predictor: %w", err)
	}
	rec := map[string]any{"sepal_length": 6.3, "sepal_width": 3.3, "petal_length": 6.0, "petal_width": 2.5}
	out, err := p.Predict(ctx, rec)
	if err != nil {
		return fmt.Errorf("demo predictor: %w", err)
	}
	const n = 1000
	lat := make([]time.Duration, n)
	for i := range lat {
		t := time.Now()
		if _, err := p.Predict(ctx, rec); err != nil {
			return fmt.Errorf("demo predictor: %w", err)
		}
		lat[i] = time.Since(t)
	}
	slices.Sort(lat)
	fmt.Fprintf(w, "One record scored in-process by the saved model (the path of gspark serve)\n  %v → prediction %v, probability %.3f\n  median %s per record over %d calls\n(%s)\n\n",
		rec, out["prediction"], out["probability"], lat[n/2], n, time.Since(start).Round(time.Millisecond))
	return nil
}

// demoDrift compares the held-out rows with the training profile the job
// saved with the model, as `gspark monitor` does.
func demoDrift(ctx context.Context, s *frame.Session, w io.Writer, model string) error {
	start := time.Now()
	prof, err := monitor.ReadProfile(model)
	if err != nil {
		return fmt.Errorf("demo drift check: %w", err)
	}
	st, err := all.Load(ctx, model)
	if err != nil {
		return fmt.Errorf("demo drift check: %w", err)
	}
	scored, err := st.(ml.Transformer).Transform(s.Table("test"))
	if err != nil {
		return fmt.Errorf("demo drift check: %w", err)
	}
	rep, err := monitor.Compare(ctx, prof, scored, monitor.DefaultThresholds())
	if err != nil {
		return fmt.Errorf("demo drift check: %w", err)
	}
	fmt.Fprintf(w, "Drift check of the held-out rows against the training profile saved with the model (gspark monitor)\n%s(%s)\n\n",
		rep.Table(), time.Since(start).Round(time.Millisecond))
	return nil
}
