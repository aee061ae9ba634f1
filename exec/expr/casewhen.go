package expr

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

type caseExpr struct {
	whens, thens []Expr
	els          Expr
	t            arrow.DataType
}

// CaseWhen returns CASE WHEN whens[0] THEN thens[0] ... ELSE els END. els may
// be nil (null). Each THEN (and the ELSE) is evaluated only on the rows that
// select it, and each WHEN only on rows no earlier WHEN matched, so errors in
// branches a row does not take are not raised.
func CaseWhen(whens, thens []Expr, els Expr) (Expr, error) {
	if len(whens) == 0 || len(whens) != len(thens) {
		return nil, fmt.Errorf("CASE: %d WHEN and %d THEN expressions", len(whens), len(thens))
	}
	c := &caseExpr{whens: whens, thens: thens, els: els}
	branches := append([]Expr(nil), thens...)
	if els != nil {
		branches = append(branches, els)
	}
	for _, b := range branches {
		t := valueType(b.DataType())
		if t.ID() == arrow.NULL {
			continue
		}
		if c.t == nil {
			c.t = t
		} else if !arrow.TypeEqual(c.t, t) {
			return nil, fmt.Errorf("%s: branches have different types %s and %s", c, sqlType(c.t), sqlType(t))
		}
	}
	if c.t == nil {
		c.t = arrow.Null
	}
	for _, w := range whens {
		if t := w.DataType().ID(); t != arrow.BOOL && t != arrow.NULL {
			return nil, fmt.Errorf("%s: condition %s is %s, not boolean", c, w, sqlType(w.DataType()))
		}
	}
	return c, nil
}

func (c *caseExpr) DataType() arrow.DataType { return c.t }

func (c *caseExpr) String() string {
	var sb strings.Builder
	sb.WriteString("CASE")
	for i := range c.whens {
		fmt.Fprintf(&sb, " WHEN %s THEN %s", c.whens[i], c.thens[i])
	}
	if c.els != nil {
		fmt.Fprintf(&sb, " ELSE %s", c.els)
	}
	sb.WriteString(" END")
	return sb.String()
}

// piece is the value of one branch for the rows (of the original batch) in idx.
type piece struct {
	idx []int32
	arr arrow.Array
}

func (c *caseExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	var pieces []piece
	defer func() {
		for _, p := range pieces {
			p.arr.Release()
		}
	}()
	// remaining lists the rows no WHEN has matched yet; nil means all rows.
	var remaining []int32
	cur := batch
	cur.Retain()
	defer func() { cur.Release() }()
	for k, w := range c.whens {
		if cur.NumRows() == 0 {
			break
		}
		cond, err := w.Eval(mem, cur)
		if err != nil {
			return nil, err
		}
		var sel, rest []int32
		if b, ok := cond.(*array.Boolean); ok {
			local := kernels.MaskIndices(b, make([]int32, 0, b.Len()))
			sel, rest = splitRows(local, remaining, int(cur.NumRows()))
		} else {
			_, rest = splitRows(nil, remaining, int(cur.NumRows()))
		}
		cond.Release()
		if len(sel) > 0 {
			arr, err := c.evalOn(mem, c.thens[k], batch, sel, n)
			if err != nil {
				return nil, err
			}
			pieces = append(pieces, piece{idx: sel, arr: arr})
		}
		if len(rest) == int(cur.NumRows()) {
			continue
		}
		next, err := takeRows(mem, batch, rest)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
		cur.Release()
		cur = next
		remaining = rest
	}
	if c.els != nil && cur.NumRows() > 0 {
		rest := remaining
		if rest == nil {
			rest = iota32(n)
		}
		arr, err := EvalArg(mem, c.els, cur)
		if err != nil {
			return nil, err
		}
		pieces = append(pieces, piece{idx: rest, arr: arr})
	}
	return c.assemble(mem, pieces, n)
}

// evalOn evaluates e on the rows idx of batch.
func (c *caseExpr) evalOn(mem memory.Allocator, e Expr, batch arrow.RecordBatch, idx []int32, n int) (arrow.Array, error) {
	if len(idx) == n {
		return EvalArg(mem, e, batch)
	}
	sub, err := takeRows(mem, batch, idx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	defer sub.Release()
	return EvalArg(mem, e, sub)
}

// assemble scatters the pieces into one array of n rows; rows in no piece
// are null.
func (c *caseExpr) assemble(mem memory.Allocator, pieces []piece, n int) (arrow.Array, error) {
	var live []arrow.Array
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = -1
	}
	off := int32(0)
	for _, p := range pieces {
		if isAllNull(p.arr) {
			continue
		}
		if len(p.idx) == n && len(live) == 0 {
			p.arr.Retain()
			return p.arr, nil
		}
		for m, row := range p.idx {
			perm[row] = off + int32(m)
		}
		off += int32(len(p.idx))
		live = append(live, p.arr)
	}
	if len(live) == 0 {
		return nullArray(mem, c.t, n), nil
	}
	all := live[0]
	if len(live) > 1 {
		var err error
		all, err = array.Concatenate(live, mem)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
		defer all.Release()
	}
	out, err := kernels.Take(mem, all, perm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	return out, nil
}

// splitRows maps the selected local positions of the current row set (rows
// of the batch, or all rows when remaining is nil) to batch rows, returning
// the selected rows and the rest.
func splitRows(local, remaining []int32, cur int) (sel, rest []int32) {
	row := func(i int32) int32 {
		if remaining == nil {
			return i
		}
		return remaining[i]
	}
	sel = make([]int32, 0, len(local))
	rest = make([]int32, 0, cur-len(local))
	j := 0
	for i := 0; i < cur; i++ {
		if j < len(local) && local[j] == int32(i) {
			sel = append(sel, row(int32(i)))
			j++
		} else {
			rest = append(rest, row(int32(i)))
		}
	}
	return sel, rest
}

func iota32(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

// takeRows returns the rows idx of b; unlike kernels.TakeBatch it keeps
// dictionary and NULL-typed columns.
func takeRows(mem memory.Allocator, b arrow.RecordBatch, idx []int32) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, b.NumCols())
	defer ReleaseAll(cols)
	for i := range cols {
		col := b.Column(i)
		switch a := col.(type) {
		case *array.Dictionary:
			ind, err := kernels.Take(mem, a.Indices(), idx)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", b.ColumnName(i), err)
			}
			cols[i] = array.NewDictionaryArray(a.DataType(), ind, a.Dictionary())
			ind.Release()
		case *array.Null:
			cols[i] = array.NewNull(len(idx))
		default:
			c, err := kernels.Take(mem, col, idx)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", b.ColumnName(i), err)
			}
			cols[i] = c
		}
	}
	return array.NewRecordBatch(b.Schema(), cols, int64(len(idx))), nil
}
