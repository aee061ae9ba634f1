package join

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/values"
)

func rowsOf(b arrow.RecordBatch) [][]any { return values.Rows([]arrow.RecordBatch{b}) }
