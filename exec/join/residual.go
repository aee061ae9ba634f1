package join

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// narrowResidual records that the residual reads only the left columns
// lcols and the right columns rcols (see Spec.ResidualLeft), checking them
// against the inputs' schemas. Both nil leaves the residual over every
// column of the pair.
func (j *hashJoin) narrowResidual(lcols, rcols []int) error {
	if lcols == nil && rcols == nil {
		return nil
	}
	if j.cond == nil {
		return fmt.Errorf("%s: residual columns without a residual", j.what())
	}
	ls, rs := j.left.Schema(), j.right.Schema()
	fields := make([]arrow.Field, 0, len(lcols)+len(rcols))
	for _, c := range lcols {
		if c < 0 || c >= ls.NumFields() {
			return fmt.Errorf("%s: residual left column %d out of range", j.what(), c)
		}
		fields = append(fields, j.pairSchema.Field(c))
	}
	for _, c := range rcols {
		if c < 0 || c >= rs.NumFields() {
			return fmt.Errorf("%s: residual right column %d out of range", j.what(), c)
		}
		fields = append(fields, j.pairSchema.Field(ls.NumFields()+c))
	}
	j.condL, j.condR = append([]int{}, lcols...), append([]int{}, rcols...)
	j.condSchema = arrow.NewSchema(fields, nil)
	return nil
}

// gatherCond gathers the columns the narrowed residual reads for the
// candidate pairs: lSrc[condL][lIdx], then rSrc[condR][rIdx].
func (s *stream) gatherCond(lSrc, rSrc []arrow.Array, lIdx, rIdx []int32) (arrow.RecordBatch, error) {
	j := s.j
	cols := make([]arrow.Array, 0, len(j.condL)+len(j.condR))
	release := func() {
		for _, c := range cols {
			c.Release()
		}
	}
	for side, want := range [][]int{j.condL, j.condR} {
		src, idx := lSrc, lIdx
		if side == 1 {
			src, idx = rSrc, rIdx
		}
		for _, c := range want {
			a, err := takeArray(j.env.Mem, src[c], idx)
			if err != nil {
				release()
				return nil, fmt.Errorf("%s: column %s: %w", j.what(), j.condSchema.Field(len(cols)).Name, err)
			}
			cols = append(cols, a)
		}
	}
	out := array.NewRecordBatch(j.condSchema, cols, int64(len(lIdx)))
	release()
	return out, nil
}
