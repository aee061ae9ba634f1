package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	gparquet "github.com/gspark/gspark/io/parquet"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/internal/answers"
)

// gsparkRunner returns a function that builds the named query over the Parquet
// files of in, in a session with the given number of partitions, and collects it.
// Building the DataFrame is part of each timed run.
func gsparkRunner(in inputs, name string, partitions int) (func(ctx context.Context) (answers.Table, error), error) {
	s := frame.NewSession(frame.WithPartitions(partitions))
	path := in.lineitem
	var build func() *frame.DataFrame
	switch name {
	case "q1":
		build = func() *frame.DataFrame {
			df := s.Read().Parquet(path)
			disc := F.Col("l_extendedprice").Mul(F.Lit(1).Sub(F.Col("l_discount")))
			return df.Filter(F.Col("l_shipdate").Leq(F.Date("1998-09-02"))).
				GroupBy(F.Col("l_returnflag"), F.Col("l_linestatus")).
				Agg(F.Sum(F.Col("l_quantity")).Alias("sum_qty"),
					F.Sum(F.Col("l_extendedprice")).Alias("sum_base_price"),
					F.Sum(disc).Alias("sum_disc_price"),
					F.Sum(disc.Mul(F.Lit(1).Add(F.Col("l_tax")))).Alias("sum_charge"),
					F.Avg(F.Col("l_quantity")).Alias("avg_qty"),
					F.Avg(F.Col("l_extendedprice")).Alias("avg_price"),
					F.Avg(F.Col("l_discount")).Alias("avg_disc"),
					F.CountStar().Alias("count_order")).
				OrderBy(F.Col("l_returnflag"), F.Col("l_linestatus"))
		}
	case "q6":
		build = func() *frame.DataFrame {
			df := s.Read().Parquet(path)
			return df.Filter(F.Col("l_shipdate").Geq(F.Date("1994-01-01")).
				And(F.Col("l_shipdate").Lt(F.Date("1995-01-01"))).
				And(F.Col("l_discount").Between(F.Decimal("0.05"), F.Decimal("0.07"))).
				And(F.Col("l_quantity").Lt(F.Lit(24)))).
				Agg(F.Sum(F.Col("l_extendedprice").Mul(F.Col("l_discount"))).Alias("revenue"))
		}
	case "groupby-low":
		build = func() *frame.DataFrame {
			return s.Read().Parquet(path).
				GroupBy(F.Col("l_returnflag"), F.Col("l_linestatus"), F.Col("l_shipmode")).
				Agg(F.CountStar().Alias("count_order"),
					F.Sum(F.Col("l_quantity")).Alias("sum_qty"),
					F.Avg(F.Col("l_extendedprice")).Alias("avg_price")).
				OrderBy(F.Col("l_returnflag"), F.Col("l_linestatus"), F.Col("l_shipmode"))
		}
	case "groupby-high":
		build = func() *frame.DataFrame {
			return s.Read().Parquet(path).
				GroupBy(F.Col("l_orderkey")).
				Agg(F.Sum(F.Col("l_quantity")).Alias("s"), F.CountStar().Alias("c")).
				Agg(F.CountStar().Alias("groups"),
					F.Sum(F.Col("s")).Alias("sum_qty"),
					F.Max(F.Col("s")).Alias("max_qty"),
					F.Sum(F.Col("c")).Alias("sum_count"))
		}
	case "join":
		build = func() *frame.DataFrame {
			li := s.Read().Parquet(path)
			orders := s.Read().Parquet(in.orders)
			return li.Join(orders, F.Col("l_orderkey").Eq(F.Col("o_orderkey")), "inner").
				GroupBy(F.Col("o_orderpriority")).
				Agg(F.CountStar().Alias("count_lines"),
					F.Sum(F.Col("l_extendedprice")).Alias("sum_price")).
				OrderBy(F.Col("o_orderpriority"))
		}
	default:
		return nil, fmt.Errorf("unknown query %q", name)
	}
	return func(ctx context.Context) (answers.Table, error) {
		df := build()
		rows, err := df.Collect(ctx)
		if err != nil {
			return answers.Table{}, fmt.Errorf("gspark %s: %w", name, err)
		}
		t := answers.Table{}
		for _, c := range df.Columns() {
			t.Columns = append(t.Columns, answers.Column{Name: c})
		}
		for i, r := range rows {
			row := make([]answers.Value, len(r))
			for j, v := range r {
				if row[j], err = answers.FromGo(v); err != nil {
					return answers.Table{}, fmt.Errorf("gspark %s row %d column %d: %w", name, i, j, err)
				}
			}
			t.Rows = append(t.Rows, row)
		}
		return t, nil
	}, nil
}

// scanGspark decodes Q1's seven columns with gspark's own Parquet reader into
// Arrow batches, row groups split between workers as the engine's scan splits
// them, and returns the number of rows.
func scanGspark(ctx context.Context, path string, workers int) (int64, error) {
	f, err := gparquet.OpenFile(path)
	if err != nil {
		return 0, err
	}
	groups := f.NumRowGroups()
	var cols []int
	for _, name := range scanColumnNames {
		idx := f.Schema().FieldIndices(name)
		if len(idx) != 1 {
			f.Close()
			return 0, fmt.Errorf("%s: no column %s", path, name)
		}
		cols = append(cols, idx[0])
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	g, ctx := errgroup.WithContext(ctx)
	counts := make([]int64, workers)
	for w := 0; w < workers; w++ {
		g.Go(func() error {
			f, err := gparquet.OpenFile(path)
			if err != nil {
				return err
			}
			defer f.Close()
			mem := exec.NewPool(0)
			var bufs gparquet.Buffers // handed from row group to row group, as the engine's scan does
			for rg := w * groups / workers; rg < (w+1)*groups/workers; rg++ {
				r, err := f.ReadRowGroup(ctx, rg, gparquet.ReadOptions{Columns: cols, Mem: mem, Reuse: &bufs})
				if err != nil {
					return err
				}
				for {
					b, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						r.Close()
						return err
					}
					counts[w] += b.NumRows()
					b.Release()
				}
				if err := r.Close(); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	var n int64
	for _, c := range counts {
		n += c
	}
	return n, nil
}
