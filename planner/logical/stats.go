package logical

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// EstimateBytes guesses the size of p's output from its estimated rows and
// the widths of its columns (strings and nested values count 32 bytes).
func EstimateBytes(p Plan) float64 {
	width := 0
	for _, a := range p.Output() {
		if fw, ok := a.Type.(arrow.FixedWidthDataType); ok {
			width += max(fw.BitWidth()/8, 1)
		} else {
			width += 32
		}
	}
	return EstimateRows(p) * float64(max(width, 1))
}

// EstimateRows guesses a plan's row count from its sources: filters keep a
// half (a tenth for an equality with a constant or a LIKE), aggregates a
// tenth; unknown sources count as large. An equi-join is
// taken to join a foreign key to a key: it keeps the rows of its larger input
// times the fraction its filters leave of both inputs (lineitem joined to the
// suppliers of one nation keeps a part of lineitem, not all of it). A left
// semi join keeps the left rows times the fraction kept of the right input,
// an anti join the left rows.
func EstimateRows(p Plan) float64 {
	base, kept := estimate(p)
	return base * kept
}

// estimate returns the rows of p's largest source, before filters, and the
// fraction of them p is estimated to keep.
func estimate(p Plan) (base, kept float64) {
	switch n := p.(type) {
	case *Scan:
		r := float64(n.Source.EstimatedRows())
		if r < 0 {
			r = 1e9
		}
		kept = 1
		for _, f := range n.Filters {
			kept *= filterKeeps(f)
		}
		if n.Limit >= 0 && float64(n.Limit) < r*kept {
			return float64(n.Limit), 1
		}
		return r, kept
	case *Filter:
		base, kept = estimate(n.Child)
		return base, kept * filterKeeps(n.Cond)
	case *Aggregate:
		return EstimateRows(n.Child) / 10, 1
	case *Limit:
		base, kept = estimate(n.Child)
		if float64(n.N) < base*kept {
			return float64(n.N), 1
		}
		return base, kept
	case *Join:
		return estimateJoin(n)
	}
	kids := p.Children()
	if len(kids) == 1 {
		return estimate(kids[0])
	}
	return 1e9, 1
}

// estimateJoin is estimate for a join (see EstimateRows).
func estimateJoin(j *Join) (base, kept float64) {
	lb, lk := estimate(j.Left)
	rb, rk := estimate(j.Right)
	switch j.Kind {
	case LeftSemiJoin:
		return lb, lk * rk
	case LeftAntiJoin:
		return lb, lk
	}
	l, r := lb*lk, rb*rk
	if !hasEquiKey(j) {
		return max(l, r), 1
	}
	base, kept = max(lb, rb), lk*rk
	rows := base * kept
	switch j.Kind {
	case LeftJoin:
		rows = max(rows, l)
	case RightJoin:
		rows = max(rows, r)
	case FullJoin:
		rows = max(rows, l, r)
	default:
		return base, kept
	}
	return rows, 1
}

// hasEquiKey reports whether j's condition equates an expression of its left
// input with one of its right input.
func hasEquiKey(j *Join) bool {
	if j.Cond == nil {
		return false
	}
	lids, rids := OutputIDs(j.Left), OutputIDs(j.Right)
	for _, c := range SplitConjuncts(j.Cond) {
		b, ok := c.(*Binary)
		if !ok || (b.Op != OpEq && b.Op != OpNullSafeEq) {
			continue
		}
		l, r := References(b.L), References(b.R)
		if len(l) > 0 && len(r) > 0 && (Subset(l, lids) && Subset(r, rids) || Subset(l, rids) && Subset(r, lids)) {
			return true
		}
	}
	return false
}

// filterKeeps guesses the fraction of rows a filter condition keeps: a tenth
// for a column equal to a constant (p_type = 'ECONOMY ANODIZED STEEL') or a
// LIKE (p_name LIKE '%green%'), a half for anything else.
func filterKeeps(cond Expr) float64 {
	switch c := cond.(type) {
	case *Like:
		return 0.1
	case *Binary:
		if c.Op != OpEq {
			break
		}
		_, l := c.L.(*Literal)
		_, r := c.R.(*Literal)
		if l != r {
			return 0.1
		}
	}
	return 0.5
}
