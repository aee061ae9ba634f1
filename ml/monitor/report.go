package monitor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
)

// Report is the result of Compare: one row per profiled column.
type Report struct {
	// FormatVersion is the JSON layout's version (FormatVersion).
	FormatVersion int `json:"formatVersion"`
	// TrainRows and Rows are the numbers of training and current rows.
	TrainRows int64 `json:"trainRows"`
	Rows      int64 `json:"rows"`
	// Thresholds are the thresholds the columns were judged by.
	Thresholds Thresholds `json:"thresholds"`
	// Drifted is whether any column drifted.
	Drifted bool `json:"drifted"`
	// Columns are the profile's columns, in its order.
	Columns []ColumnDrift `json:"columns"`
}

// ColumnDrift is the comparison of one column. The statistics that do not
// apply to its kind, or that cannot be computed (no non-null values on a
// side), are nil.
type ColumnDrift struct {
	// Name, Role and Kind are the profiled column's.
	Name string `json:"name"`
	Role Role   `json:"role"`
	Kind Kind   `json:"kind"`
	// Skipped says why the column was not compared (a label column the
	// data lacks); the statistics are then zero.
	Skipped string `json:"skipped,omitempty"`
	// Rows is the number of current rows.
	Rows int64 `json:"rows"`
	// TrainNullRate and NullRate are the shares of nulls in training and
	// now; NullRateChange the absolute difference.
	TrainNullRate  float64 `json:"trainNullRate"`
	NullRate       float64 `json:"nullRate"`
	NullRateChange float64 `json:"nullRateChange"`
	// PSI is the population stability index (numeric and categorical).
	PSI *float64 `json:"psi,omitempty"`
	// KSD and KSPValue are the two-sample KS statistic and its asymptotic
	// p-value (numeric).
	KSD      *float64 `json:"ksD,omitempty"`
	KSPValue *float64 `json:"ksPValue,omitempty"`
	// NewCategoryShare is the share of current non-null values outside the
	// training categories, beyond training's own "other" share (categorical).
	NewCategoryShare *float64 `json:"newCategoryShare,omitempty"`
	// Drifted is whether any statistic is past its threshold; Reasons say which.
	Drifted bool     `json:"drifted"`
	Reasons []string `json:"reasons,omitempty"`
	// Note says what was not judged (a PSI over too few values).
	Note string `json:"note,omitempty"`
}

// DriftedColumns are the names of the columns that drifted.
func (r *Report) DriftedColumns() []string {
	var out []string
	for _, c := range r.Columns {
		if c.Drifted {
			out = append(out, c.Name)
		}
	}
	return out
}

// JSON renders the report as indented JSON.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return nil, fmt.Errorf("drift report: %w", err)
	}
	return append(b, '\n'), nil
}

// Table renders the report as a text table with a summary line.
func (r *Report) Table() string {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "column\trole\tkind\tnulls\tPSI\tKS D\tKS p\tnew cat\tdrift")
	opt := func(f *float64, format string) string {
		if f == nil {
			return "-"
		}
		return fmt.Sprintf(format, *f)
	}
	for _, c := range r.Columns {
		if c.Skipped != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\t-\t-\t-\t-\tskipped: %s\n", c.Name, c.Role, c.Kind, c.Skipped)
			continue
		}
		verdict := "ok"
		if c.Note != "" {
			verdict = "ok (" + c.Note + ")"
		}
		if c.Drifted {
			verdict = "DRIFT: " + strings.Join(c.Reasons, "; ")
			if c.Note != "" {
				verdict += " (" + c.Note + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f→%.3f\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Role, c.Kind, c.TrainNullRate, c.NullRate,
			opt(c.PSI, "%.4f"), opt(c.KSD, "%.4f"), opt(c.KSPValue, "%.3g"), opt(c.NewCategoryShare, "%.4f"), verdict)
	}
	tw.Flush()
	if d := r.DriftedColumns(); len(d) > 0 {
		fmt.Fprintf(&buf, "drift in %d of %d columns (%s); %d rows compared with %d training rows\n", len(d), len(r.Columns), strings.Join(d, ", "), r.Rows, r.TrainRows)
	} else {
		fmt.Fprintf(&buf, "no drift in %d columns; %d rows compared with %d training rows\n", len(r.Columns), r.Rows, r.TrainRows)
	}
	return buf.String()
}
