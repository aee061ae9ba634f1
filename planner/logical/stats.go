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
// half, aggregates a tenth; unknown sources count as large.
func EstimateRows(p Plan) float64 {
	switch n := p.(type) {
	case *Scan:
		r := float64(n.Source.EstimatedRows())
		if r < 0 {
			r = 1e9
		}
		for range n.Filters {
			r /= 2
		}
		if n.Limit >= 0 {
			r = min(r, float64(n.Limit))
		}
		return r
	case *Filter:
		return EstimateRows(n.Child) / 2
	case *Aggregate:
		return EstimateRows(n.Child) / 10
	case *Limit:
		return min(float64(n.N), EstimateRows(n.Child))
	case *Join:
		return max(EstimateRows(n.Left), EstimateRows(n.Right))
	}
	kids := p.Children()
	if len(kids) == 1 {
		return EstimateRows(kids[0])
	}
	return 1e9
}
