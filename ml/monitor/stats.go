package monitor

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// column is a column to profile.
type column struct {
	name string
	role Role
	typ  string
	kind Kind
}

// numExpr is a numeric column as a double, with NaN and ±Inf as null.
func numExpr(name string) frame.Column {
	x := F.Col(name).Cast("double")
	return F.When(x.Gt(F.Lit(math.Inf(-1))).And(x.Lt(F.Lit(math.Inf(1)))), x)
}

// catExpr is a categorical column as a string.
func catExpr(name string) frame.Column { return F.Col(name).Cast("string") }

// quantiles is the array of approximate quantiles of x at ps.
func quantiles(x frame.Column, ps []float64) frame.Column {
	return frame.PercentileOf(logical.AggPercentileApprox, x, ps, true, 0)
}

// deciles are the percentages of the bin edges: 0.1, …, 0.9.
func deciles() []float64 {
	ps := make([]float64, binCount-1)
	for i := range ps {
		ps[i] = float64(i+1) / binCount
	}
	return ps
}

// samplePercents are the percentages of a sample of n quantiles: the
// midpoints (i+0.5)/n, so that with n values they are the values themselves.
func samplePercents(n int) []float64 {
	ps := make([]float64, n)
	for i := range ps {
		ps[i] = (float64(i) + 0.5) / float64(n)
	}
	return ps
}

// aggs collects aggregate columns and the index of each in the result row.
type aggs struct{ cols []frame.Column }

func (a *aggs) add(c frame.Column) int {
	a.cols = append(a.cols, c)
	return len(a.cols) - 1
}

// run computes the aggregates over df as one row.
func (a *aggs) run(ctx context.Context, df *frame.DataFrame) (frame.Row, error) {
	if len(a.cols) == 0 {
		return nil, nil
	}
	rows, err := df.Agg(a.cols...).Collect(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) != 1 {
		return nil, fmt.Errorf("aggregation returned %d rows", len(rows))
	}
	return rows[0], nil
}

func toInt(v any) int64 {
	f, _ := values.Float64(v)
	return int64(f)
}

// toFloats converts an array row value to []float64, skipping nulls.
func toFloats(v any) []float64 {
	list, _ := v.([]any)
	out := make([]float64, 0, len(list))
	for _, e := range list {
		if f, ok := values.Float64(e); ok {
			out = append(out, f)
		}
	}
	return out
}

// finite is f, or 0 when it is NaN or infinite (JSON has neither).
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// firstPass counts the rows and each column's non-null values, and
// summarizes the numeric columns: min, max, mean, std and decile edges.
func firstPass(ctx context.Context, df *frame.DataFrame, cols []column) (int64, []int64, []*NumericProfile, error) {
	var a aggs
	rowsAt := a.add(F.CountStar())
	type at struct{ count, min, max, mean, std, dec int }
	ats := make([]at, len(cols))
	for i, c := range cols {
		if c.kind != Numeric {
			ats[i].count = a.add(F.Count(F.Col(c.name)))
			continue
		}
		x := numExpr(c.name)
		ats[i] = at{a.add(F.Count(x)), a.add(F.Min(x)), a.add(F.Max(x)), a.add(F.Avg(x)), a.add(F.StddevSamp(x)), a.add(quantiles(x, deciles()))}
	}
	row, err := a.run(ctx, df)
	if err != nil {
		return 0, nil, nil, err
	}
	counts := make([]int64, len(cols))
	moments := make([]*NumericProfile, len(cols))
	for i, c := range cols {
		counts[i] = toInt(row[ats[i].count])
		if c.kind != Numeric {
			continue
		}
		np := &NumericProfile{Edges: []float64{}, Shares: []float64{1}, Sample: []float64{}}
		if counts[i] > 0 {
			np.Min, _ = values.Float64(row[ats[i].min])
			np.Max, _ = values.Float64(row[ats[i].max])
			np.Mean, _ = values.Float64(row[ats[i].mean])
			np.Std, _ = values.Float64(row[ats[i].std])
			np.Mean, np.Std = finite(np.Mean), finite(np.Std)
			np.Edges = slices.Compact(slices.Sorted(slices.Values(toFloats(row[ats[i].dec]))))
		}
		moments[i] = np
	}
	return toInt(row[rowsAt]), counts, moments, nil
}

// numericPass fills the bin shares and samples of the profile's numeric
// columns, whose edges firstPass found; counts are the non-null counts.
func numericPass(ctx context.Context, df *frame.DataFrame, p *Profile, counts []int64) error {
	bins, samples, err := binsAndSamples(ctx, df, p, func(i int) int64 { return counts[i] }, nil)
	if err != nil {
		return err
	}
	for i := range p.Columns {
		c := &p.Columns[i]
		if c.Kind != Numeric || counts[i] == 0 {
			continue
		}
		c.Numeric.Shares = shares(bins[i], counts[i])
		c.Numeric.Sample = samples[i]
	}
	return nil
}

// shares divides counts by total.
func shares(counts []int64, total int64) []float64 {
	out := make([]float64, len(counts))
	for i, n := range counts {
		if total > 0 {
			out[i] = float64(n) / float64(total)
		}
	}
	return out
}

// binsAndSamples counts the values of each numeric column of p in p's bins
// and takes a sample of at most p.SampleSize quantiles, over df; count(i)
// is column i's non-null count in df, and names(i), when not nil, the
// column's name in df (default: the profile's). Columns with a zero count
// are skipped.
func binsAndSamples(ctx context.Context, df *frame.DataFrame, p *Profile, count func(int) int64, names func(int) string) ([][]int64, [][]float64, error) {
	var a aggs
	binAt := make([][]int, len(p.Columns))
	sampleAt := make([]int, len(p.Columns))
	for i, c := range p.Columns {
		if c.Kind != Numeric || count(i) == 0 {
			continue
		}
		name := c.Name
		if names != nil {
			name = names(i)
		}
		x := numExpr(name)
		for _, e := range c.Numeric.Edges {
			binAt[i] = append(binAt[i], a.add(F.CountIf(x.Leq(F.Lit(e)))))
		}
		sampleAt[i] = a.add(quantiles(x, samplePercents(int(min(int64(p.SampleSize), count(i))))))
	}
	row, err := a.run(ctx, df)
	if err != nil {
		return nil, nil, err
	}
	bins := make([][]int64, len(p.Columns))
	samples := make([][]float64, len(p.Columns))
	for i, c := range p.Columns {
		if c.Kind != Numeric || count(i) == 0 {
			continue
		}
		// count_if(x <= edge) is cumulative: bin k holds the difference.
		b := make([]int64, len(c.Numeric.Edges)+1)
		prev := int64(0)
		for k, at := range binAt[i] {
			cum := toInt(row[at])
			b[k] = cum - prev
			prev = cum
		}
		b[len(b)-1] = count(i) - prev
		bins[i] = b
		s := toFloats(row[sampleAt[i]])
		slices.Sort(s)
		samples[i] = s
	}
	return bins, samples, nil
}

// topCategories fills c.Categorical with the top k values of the column
// and its distinct count; nonNull is the column's non-null count.
func topCategories(ctx context.Context, df *frame.DataFrame, c *ColumnProfile, nonNull int64, k int) error {
	if nonNull == 0 {
		return nil
	}
	x := catExpr(c.Name)
	grouped := df.Filter(x.IsNotNull()).GroupBy(x.Alias("value")).Agg(F.CountStar().Alias("n"))
	distinct, err := grouped.Count(ctx)
	if err != nil {
		return err
	}
	rows, err := grouped.OrderBy(F.Col("n").Desc(), F.Col("value").Asc()).Limit(k).Collect(ctx)
	if err != nil {
		return err
	}
	cp := c.Categorical
	cp.Distinct = distinct
	rest := nonNull
	for _, r := range rows {
		v, _ := r[0].(string)
		n := toInt(r[1])
		rest -= n
		cp.Top = append(cp.Top, Category{Value: v, Share: float64(n) / float64(nonNull)})
	}
	cp.OtherShare = float64(rest) / float64(nonNull)
	return nil
}
