package logical

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/io/source"
)

// Source is a table the planner can scan: files of some format or data in memory.
type Source interface {
	// Describe names the source in one line for EXPLAIN (format and files).
	Describe() string
	Schema() *arrow.Schema
	// EstimatedRows is the number of rows, or -1 when unknown.
	EstimatedRows() int64
	// Operator returns the physical scan for a request.
	Operator(env *exec.Env, req ScanRequest) (exec.Operator, error)
}

// ScanRequest is what the physical planner asks of a source.
type ScanRequest struct {
	// ReadColumns are the source columns to read (indices into Schema).
	ReadColumns []int
	// Filters are simple predicates the source may use to skip data.
	Filters []source.Filter
	// Predicate, if not nil, is evaluated over the read columns: only rows
	// where it is true are produced.
	Predicate expr.Expr
	// PredicateColumns are the positions within ReadColumns that Predicate
	// reads (nil: not known), so that a source may decode the other
	// columns only at the rows the predicate keeps.
	PredicateColumns []int
	// Output lists the positions within ReadColumns to produce.
	Output []int
	// Limit, when ≥ 0, is the most rows any partition needs to produce.
	Limit      int64
	Partitions int
}
