package window

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/spill"
)

type hugeStream struct{}

func (h *hugeStream) Next() (arrow.RecordBatch, error) { return nil, nil }
func (h *hugeStream) Close() error                     { return nil }

func (s *windowStream) startHuge(cols []arrow.Array) error {
	b := array.NewRecordBatch(s.op.child.Schema(), cols, int64(cols[0].Len()))
	releaseArrays(cols)
	s.pending, s.pendN = []arrow.RecordBatch{b}, spill.Size(b)
	s.limit = 2 * s.pendN
	return nil
}
