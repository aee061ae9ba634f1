package frame

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// Describe computes count, mean, stddev, min and max of the named columns
// (every numeric and string column when none are named) and returns them as
// a DataFrame of strings with a first column "summary", as Spark's describe
// does. It runs a query, so it takes a context.
func (df *DataFrame) Describe(ctx context.Context, cols ...string) (*DataFrame, error) {
	return df.summarize(ctx, []string{"count", "mean", "stddev", "min", "max"}, cols)
}

// Summary computes the given statistics of every numeric and string column,
// as Spark's summary does: count, mean, stddev, min, max and approximate
// percentiles written like "75%"; without statistics it computes count,
// mean, stddev, min, 25%, 50%, 75% and max. Percentiles, mean and stddev
// are null for string columns.
func (df *DataFrame) Summary(ctx context.Context, statistics ...string) (*DataFrame, error) {
	if len(statistics) == 0 {
		statistics = []string{"count", "mean", "stddev", "min", "25%", "50%", "75%", "max"}
	}
	return df.summarize(ctx, statistics, nil)
}

// summarize computes statistics of the named columns (every numeric and
// string column when none are named).
func (df *DataFrame) summarize(ctx context.Context, stats, cols []string) (*DataFrame, error) {
	if df.err != nil {
		return nil, df.err
	}
	var attrs []*logical.Attribute
	input := df.plan.Output()
	if len(cols) == 0 {
		for _, a := range input {
			if logical.IsNumeric(a.Type) || logical.IsString(a.Type) {
				attrs = append(attrs, a)
			}
		}
	}
	for _, c := range cols {
		var found *logical.Attribute
		for _, a := range input {
			if strings.EqualFold(c, a.Name) {
				found = a
				break
			}
		}
		if found == nil {
			return nil, fmt.Errorf("%w: describe: unknown column %s (columns: %s)", logical.ErrAnalysis, c, names(input))
		}
		attrs = append(attrs, found)
	}
	percent := map[string]float64{}
	for _, st := range stats {
		switch st {
		case "count", "mean", "stddev", "min", "max", "count_distinct", "approx_count_distinct":
			continue
		}
		p, err := strconv.ParseFloat(strings.TrimSuffix(st, "%"), 64)
		if !strings.HasSuffix(st, "%") || err != nil || p < 0 || p > 100 {
			return nil, fmt.Errorf("%w: summary: unknown statistic %q (count, mean, stddev, min, max, count_distinct, approx_count_distinct or a percentile like 75%%)", logical.ErrAnalysis, st)
		}
		percent[st] = p / 100
	}
	var aggs []Column
	for _, a := range attrs {
		c := Column{expr: a}
		numeric := logical.IsNumeric(a.Type)
		for _, st := range stats {
			switch {
			case st == "count":
				aggs = append(aggs, Agg(logical.AggCount, c))
			case st == "mean" && numeric:
				aggs = append(aggs, Agg(logical.AggAvg, c).Cast("double"))
			case st == "stddev" && numeric:
				aggs = append(aggs, AggOf(logical.AggStddevSamp, false, false, c))
			case st == "min":
				aggs = append(aggs, Agg(logical.AggMin, c))
			case st == "max":
				aggs = append(aggs, Agg(logical.AggMax, c))
			case st == "count_distinct":
				aggs = append(aggs, AggOf(logical.AggCount, true, false, c))
			case st == "approx_count_distinct":
				aggs = append(aggs, AggOf(logical.AggApproxCountDistinct, false, false, c))
			case numeric && percent[st] >= 0 && strings.HasSuffix(st, "%"):
				aggs = append(aggs, PercentileOf(logical.AggPercentileApprox, c, []float64{percent[st]}, false, 0))
			default:
				aggs = append(aggs, Lit(nil))
			}
		}
	}
	rows, err := df.Agg(aggs...).Collect(ctx)
	if err != nil {
		return nil, err
	}
	out := make([][]*string, len(stats))
	for i, st := range stats {
		name := st
		out[i] = []*string{&name}
		for j := range attrs {
			v := rows[0][j*len(stats)+i]
			if v == nil {
				out[i] = append(out[i], nil)
				continue
			}
			text := values.FormatValue(v)
			out[i] = append(out[i], &text)
		}
	}
	header := []string{"summary"}
	for _, a := range attrs {
		header = append(header, a.Name)
	}
	return df.s.memFrameNullable("describe", header, out), nil
}
