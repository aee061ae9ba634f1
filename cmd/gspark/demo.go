package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

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
			return runDemo(ctx, s, cmd.OutOrStdout())
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
	fmt.Fprintf(w, "demo finished in %s\n", time.Since(total).Round(time.Millisecond))
	return nil
}
