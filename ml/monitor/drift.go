package monitor

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/ml"
)

// PSIEpsilon is the share a PSI bin counts with when its share is smaller
// (an empty bin would make the logarithm infinite).
const PSIEpsilon = 1e-4

// Thresholds decide when a column has drifted: when any of its statistics
// is past its threshold.
type Thresholds struct {
	// PSI: drifted when the population stability index is above it.
	PSI float64 `json:"psi"`
	// KSPValue and KSD: a numeric column drifted when the KS test's
	// p-value is below KSPValue and its statistic D above KSD (the D
	// condition keeps large samples from flagging negligible shifts).
	KSPValue float64 `json:"ksPValue"`
	KSD      float64 `json:"ksD"`
	// NullRate: drifted when the share of nulls changed by more.
	NullRate float64 `json:"nullRateChange"`
	// NewCategory: a categorical column drifted when a larger share of its
	// values are categories training did not see.
	NewCategory float64 `json:"newCategoryShare"`
	// PSIMinValues: the PSI is judged only over at least this many current
	// non-null values. Over n values and 10 bins its expected value with
	// no drift at all is about 9/n (plus 9/n of the training side), so
	// PSI > 0.2 is noise below about 100 values; the KS test, which
	// accounts for the sample size, still applies.
	PSIMinValues int64 `json:"psiMinValues"`
}

// DefaultThresholds are the usual rules of thumb: PSI above 0.2 is a
// significant shift (0.1–0.2 moderate); a KS p-value below 0.01 with D
// above 0.1; a null rate 10 points off; more than 5% unseen categories;
// the PSI judged over 100 values or more.
func DefaultThresholds() Thresholds {
	return Thresholds{PSI: 0.2, KSPValue: 0.01, KSD: 0.1, NullRate: 0.1, NewCategory: 0.05, PSIMinValues: 100}
}

// PSI is the population stability index Σ (aᵢ - eᵢ)·ln(aᵢ/eᵢ) of actual
// shares a against expected shares e (same length), each share below
// PSIEpsilon counted as PSIEpsilon.
func PSI(expected, actual []float64) float64 {
	s := 0.0
	for i := range expected {
		e, a := max(expected[i], PSIEpsilon), max(actual[i], PSIEpsilon)
		s += (a - e) * math.Log(a/e)
	}
	return s
}

// Compare compares current — new data the model has scored (its inputs
// and outputs) — with the training profile: a row per profiled column. A
// missing input or output column, or one whose type does not match the
// profile's kind, is an error naming it; a missing label column is
// skipped (new data rarely has labels yet). Numeric columns get the PSI
// over the profile's decile bins and the KS test of the profile's sample
// against a sample of current values taken the same way; categorical
// columns the PSI over the profile's top categories and "other", and the
// share of new categories.
func Compare(ctx context.Context, prof *Profile, current *frame.DataFrame, th Thresholds) (*Report, error) {
	if err := current.Err(); err != nil {
		return nil, err
	}
	schema := current.Schema()
	rep := &Report{FormatVersion: FormatVersion, TrainRows: prof.Rows, Thresholds: th, Columns: make([]ColumnDrift, len(prof.Columns))}
	names := make([]string, len(prof.Columns))
	var a aggs
	rowsAt := a.add(F.CountStar())
	countAt := make([]int, len(prof.Columns))
	catAt := make([][]int, len(prof.Columns))
	for i, c := range prof.Columns {
		rep.Columns[i] = ColumnDrift{Name: c.Name, Role: c.Role, Kind: c.Kind}
		j := ml.FieldIndex(schema, c.Name)
		if j < 0 {
			switch c.Role {
			case Label:
				rep.Columns[i].Skipped = "no label column in the data"
				continue
			case Output:
				return nil, fmt.Errorf("the data has no column %q, an output of the model: compare data the model has scored; columns: %s", c.Name, strings.Join(current.Columns(), ", "))
			}
			return nil, fmt.Errorf("the data has no column %q, an input of the model; columns: %s", c.Name, strings.Join(current.Columns(), ", "))
		}
		f := schema.Field(j)
		names[i] = f.Name
		if k := kindOf(f.Type); k != c.Kind && c.Kind != Other {
			return nil, fmt.Errorf("column %q is %s (%s), but was %s (%s) in training", c.Name, ml.TypeName(f.Type), k, c.Type, c.Kind)
		}
		switch c.Kind {
		case Numeric:
			countAt[i] = a.add(F.Count(numExpr(f.Name)))
		case Categorical:
			countAt[i] = a.add(F.Count(F.Col(f.Name)))
			x := catExpr(f.Name)
			for _, cat := range c.Categorical.Top {
				catAt[i] = append(catAt[i], a.add(F.CountIf(x.Eq(F.Lit(cat.Value)))))
			}
		default:
			countAt[i] = a.add(F.Count(F.Col(f.Name)))
		}
	}
	row, err := a.run(ctx, current)
	if err != nil {
		return nil, err
	}
	rep.Rows = toInt(row[rowsAt])
	if rep.Rows == 0 {
		return nil, fmt.Errorf("the data has no rows")
	}
	counts := make([]int64, len(prof.Columns))
	for i := range prof.Columns {
		if names[i] != "" {
			counts[i] = toInt(row[countAt[i]])
		}
	}
	bins, samples, err := binsAndSamples(ctx, current, prof, func(i int) int64 {
		if names[i] == "" || prof.Columns[i].Numeric == nil || prof.Rows-prof.Columns[i].Nulls == 0 {
			return 0
		}
		return counts[i]
	}, func(i int) string { return names[i] })
	if err != nil {
		return nil, err
	}
	for i, c := range prof.Columns {
		d := &rep.Columns[i]
		if names[i] == "" {
			continue
		}
		d.Rows = rep.Rows
		if prof.Rows > 0 {
			d.TrainNullRate = float64(c.Nulls) / float64(prof.Rows)
		}
		d.NullRate = float64(rep.Rows-counts[i]) / float64(rep.Rows)
		d.NullRateChange = math.Abs(d.NullRate - d.TrainNullRate)
		trained := prof.Rows - c.Nulls
		switch {
		case c.Kind == Numeric && bins[i] != nil:
			psi := PSI(c.Numeric.Shares, shares(bins[i], counts[i]))
			d.PSI = &psi
			if len(c.Numeric.Sample) > 0 && len(samples[i]) > 0 {
				ksd, p := KSTest(c.Numeric.Sample, samples[i])
				d.KSD, d.KSPValue = &ksd, &p
			}
		case c.Kind == Categorical && trained > 0 && counts[i] > 0:
			exp := make([]float64, 0, len(c.Categorical.Top)+1)
			act := make([]float64, 0, len(c.Categorical.Top)+1)
			known := int64(0)
			for k, cat := range c.Categorical.Top {
				n := toInt(row[catAt[i][k]])
				known += n
				exp = append(exp, cat.Share)
				act = append(act, float64(n)/float64(counts[i]))
			}
			other := float64(counts[i]-known) / float64(counts[i])
			psi := PSI(append(exp, c.Categorical.OtherShare), append(act, other))
			d.PSI = &psi
			// Values outside the top categories that were in training's
			// tail ("other") are not new: only the excess counts.
			nc := max(0, other-c.Categorical.OtherShare)
			d.NewCategoryShare = &nc
		}
		d.judge(th)
		rep.Drifted = rep.Drifted || d.Drifted
	}
	return rep, nil
}

// judge sets Drifted and Reasons from the thresholds.
func (d *ColumnDrift) judge(th Thresholds) {
	if n := int64(math.Round(float64(d.Rows) * (1 - d.NullRate))); d.PSI != nil && n < th.PSIMinValues {
		d.Note = fmt.Sprintf("PSI not judged: %d values < %d", n, th.PSIMinValues)
	} else if d.PSI != nil && *d.PSI > th.PSI {
		d.Reasons = append(d.Reasons, fmt.Sprintf("PSI %.3g > %g", *d.PSI, th.PSI))
	}
	if d.KSD != nil && *d.KSPValue < th.KSPValue && *d.KSD > th.KSD {
		d.Reasons = append(d.Reasons, fmt.Sprintf("KS p-value %.3g < %g and D %.3g > %g", *d.KSPValue, th.KSPValue, *d.KSD, th.KSD))
	}
	if d.NullRateChange > th.NullRate {
		d.Reasons = append(d.Reasons, fmt.Sprintf("null rate %.3g (training %.3g)", d.NullRate, d.TrainNullRate))
	}
	if d.NewCategoryShare != nil && *d.NewCategoryShare > th.NewCategory {
		d.Reasons = append(d.Reasons, fmt.Sprintf("new categories %.3g > %g", *d.NewCategoryShare, th.NewCategory))
	}
	d.Drifted = len(d.Reasons) > 0
}
