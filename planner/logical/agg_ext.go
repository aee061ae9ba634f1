package logical

import (
	"fmt"
	"strconv"
	"strings"
)

// extAggNames are the SQL names of the aggregates added after the bitwise
// ones; lookupExtAggregate also knows their aliases.
var extAggNames = map[AggFunc]string{
	AggMode:             "mode",
	AggListAgg:          "listagg",
	AggPercentileDisc:   "percentile_disc",
	AggSkewness:         "skewness",
	AggKurtosis:         "kurtosis",
	AggRegrCount:        "regr_count",
	AggRegrAvgX:         "regr_avgx",
	AggRegrAvgY:         "regr_avgy",
	AggRegrSXX:          "regr_sxx",
	AggRegrSYY:          "regr_syy",
	AggRegrSXY:          "regr_sxy",
	AggRegrSlope:        "regr_slope",
	AggRegrIntercept:    "regr_intercept",
	AggRegrR2:           "regr_r2",
	AggHistogramNumeric: "histogram_numeric",
	AggTrySum:           "try_sum",
	AggTryAvg:           "try_avg",
	AggCountMinSketch:   "count_min_sketch",
	AggPercentileCont:   "percentile_cont",
}

// lookupExtAggregate is LookupAggregate for the names of extAggNames and
// their aliases (string_agg is listagg).
func lookupExtAggregate(name string) (AggFunc, bool) {
	n := strings.ToLower(name)
	switch n {
	case "string_agg":
		return AggListAgg, true
	}
	for f, fn := range extAggNames {
		if fn == n {
			return f, true
		}
	}
	for f, fn := range sketchAggNames {
		if fn == n {
			return f, true
		}
	}
	return 0, false
}

// extAggregateNames lists the names lookupExtAggregate knows.
func extAggregateNames() []string {
	out := []string{"string_agg"}
	for _, n := range extAggNames {
		out = append(out, n)
	}
	for _, n := range sketchAggNames {
		out = append(out, n)
	}
	return out
}

// IsRegr reports whether f is one of the regr_* aggregates, which take
// (y, x) and skip the rows where either is null.
func (f AggFunc) IsRegr() bool { return f >= AggRegrCount && f <= AggRegrR2 }

// WithinGroup reports whether f takes its input from a WITHIN GROUP
// (ORDER BY x) clause: mode (optionally), percentile_cont, percentile_disc
// and listagg (optionally).
func (f AggFunc) WithinGroup() bool {
	return f == AggMode || f == AggPercentileDisc || f == AggPercentileCont || f == AggListAgg
}

// extString is String for the aggregates of extAggNames with parameters.
func (e *AggregateCall) extString() (string, bool) {
	switch e.Func {
	case AggMode, AggPercentileDisc, AggPercentileCont, AggListAgg, AggHistogramNumeric, AggCountMinSketch:
	default:
		return "", false
	}
	var b strings.Builder
	b.WriteString(e.Func.String() + "(")
	if e.Distinct {
		b.WriteString("DISTINCT ")
	}
	switch e.Func {
	case AggPercentileDisc, AggPercentileCont:
		// percentile_disc(p) WITHIN GROUP (ORDER BY x), as Spark names it.
		for i, p := range e.Percentages {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatFloat(p, 'g', -1, 64))
		}
	case AggMode:
		if e.Desc {
			b.WriteString(") WITHIN GROUP (ORDER BY " + e.Arg.String() + " DESC)")
			return b.String(), true
		}
		b.WriteString(e.Arg.String())
	default:
		b.WriteString(e.Arg.String())
	}
	switch e.Func {
	case AggListAgg:
		b.WriteString(", " + strconv.Quote(e.Delimiter))
	case AggHistogramNumeric:
		fmt.Fprintf(&b, ", %d", e.Bins)
	case AggCountMinSketch:
		for _, p := range e.Percentages {
			b.WriteString(", " + strconv.FormatFloat(p, 'g', -1, 64))
		}
		fmt.Fprintf(&b, ", %d", e.Accuracy)
	}
	b.WriteString(")")
	if f, ok := e.Arg2.(*Func); ok && len(e.KeyDesc) > 0 && len(f.Args) == len(e.KeyDesc) {
		keys := make([]string, len(f.Args))
		for i, k := range f.Args {
			keys[i] = k.String()
			if e.KeyDesc[i] {
				keys[i] += " DESC"
			}
		}
		fmt.Fprintf(&b, " WITHIN GROUP (ORDER BY %s)", strings.Join(keys, ", "))
		return b.String(), true
	}
	if e.Func == AggPercentileDisc || e.Func == AggPercentileCont || e.Func == AggListAgg && e.Arg2 != nil {
		key := e.Arg
		if e.Arg2 != nil {
			key = e.Arg2
		}
		dir := ""
		if e.Desc {
			dir = " DESC"
		}
		fmt.Fprintf(&b, " WITHIN GROUP (ORDER BY %s%s)", key, dir)
	}
	return b.String(), true
}
