package physical

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// isPartitionFunc reports whether f is spark_partition_id() or
// monotonically_increasing_id(), whose value depends on the partition a
// row is in.
func isPartitionFunc(f *logical.Func) bool {
	switch strings.ToLower(f.Name) {
	case "spark_partition_id", "monotonically_increasing_id":
		return true
	}
	return false
}

// hasPartitionFunc reports whether an expression calls a partition
// function.
func hasPartitionFunc(es ...logical.Expr) bool {
	found := false
	for _, e := range es {
		logical.Walk(e, func(x logical.Expr) bool {
			if f, ok := x.(*logical.Func); ok && isPartitionFunc(f) {
				found = true
			}
			return !found
		})
	}
	return found
}

// partitionFuncFor rewrites a partition function for partition p:
// spark_partition_id() becomes the literal p, monotonically_increasing_id()
// a counter of the partition's rows from p << 33 (Spark's layout).
func partitionFuncFor(f *logical.Func, p int) logical.Expr {
	if strings.EqualFold(f.Name, "spark_partition_id") {
		return &logical.Literal{Value: int32(p), Type: arrow.PrimitiveTypes.Int32}
	}
	base := &logical.Literal{Value: int64(p) << 33, Type: arrow.PrimitiveTypes.Int64}
	return &logical.Func{Name: "__monotonic_id", Args: []logical.Expr{base}, Type: arrow.PrimitiveTypes.Int64}
}
