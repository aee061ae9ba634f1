package aggregate

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// validFromSeen returns seen when some entry is false, nil when all are true.
func validFromSeen(seen []bool) []bool {
	for _, s := range seen {
		if !s {
			return seen
		}
	}
	return nil
}

func arrayRecord(s *arrow.Schema, cols []arrow.Array, n int) arrow.RecordBatch {
	return array.NewRecordBatch(s, cols, int64(n))
}
