package frame

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
)

// builtinTableFunction returns the table-valued functions every session has
// (a registered function of the same name takes precedence): range.
func builtinTableFunction(name string) (TableFunction, bool) {
	if strings.EqualFold(name, "range") {
		return rangeFunction, true
	}
	return nil, false
}

// rangeFunction is Spark's range(end), range(start, end), range(start, end,
// step) and range(start, end, step, numPartitions): one BIGINT column id
// holding start, start+step, … up to end (excluded).
func rangeFunction(_ context.Context, s *Session, args []TableArg) (*DataFrame, error) {
	if len(args) < 1 || len(args) > 4 {
		return nil, fmt.Errorf("takes 1 to 4 arguments (end; start, end[, step[, numPartitions]]), got %d", len(args))
	}
	names := []string{"start", "end", "step", "numPartitions"}
	if len(args) == 1 {
		names = []string{"end"}
	}
	vals := make([]int64, len(args))
	for i, a := range args {
		if a.Table != nil {
			return nil, fmt.Errorf("argument %d (%s) must be an integer, not a table", i+1, names[i])
		}
		v, ok := logical.IntValue(a.Value)
		if f, isFloat := a.Value.(float64); isFloat && !math.IsNaN(f) && math.Abs(f) < 1<<63 {
			v, ok = int64(f), true // a fractional argument is cast to BIGINT, as Spark does
		}
		if !ok {
			return nil, fmt.Errorf("argument %d (%s) must be an integer constant, got %v", i+1, names[i], a.Value)
		}
		vals[i] = v
	}
	r := &rangeTable{step: 1}
	switch len(vals) {
	case 1:
		r.end = vals[0]
	default:
		r.start, r.end = vals[0], vals[1]
		if len(vals) > 2 {
			r.step = vals[2]
		}
		if len(vals) > 3 {
			if vals[3] < 1 {
				return nil, fmt.Errorf("numPartitions must be positive, got %d", vals[3])
			}
			r.parts = int(min(vals[3], 1024))
		}
	}
	if r.step == 0 {
		return nil, fmt.Errorf("step must not be 0")
	}
	// rows = ceil((end - start) / step) when positive, computed without overflow.
	d := new(big.Int).Sub(big.NewInt(r.end), big.NewInt(r.start))
	st := big.NewInt(r.step)
	q, m := new(big.Int).QuoRem(d, st, new(big.Int))
	if m.Sign() != 0 && (m.Sign() > 0) == (st.Sign() > 0) {
		q.Add(q, big.NewInt(1))
	}
	if q.Sign() > 0 {
		if !q.IsInt64() {
			return nil, fmt.Errorf("range of %s rows is too large", q)
		}
		r.rows = q.Int64()
	}
	return s.newFrame(s.analyzer().NewScan(r, "range")), nil
}

// rangeTable is the logical.Source of a range: the values are made as they
// are read, a slice of the range per partition.
type rangeTable struct {
	start, end, step int64
	rows             int64
	parts            int // numPartitions, 0 when not given
}

var rangeSchema = arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}}, nil)

// Describe implements logical.Source.
func (r *rangeTable) Describe() string {
	return fmt.Sprintf("range(%d, %d, %d)", r.start, r.end, r.step)
}

// Schema implements logical.Source.
func (r *rangeTable) Schema() *arrow.Schema { return rangeSchema }

// EstimatedRows implements logical.Source.
func (r *rangeTable) EstimatedRows() int64 { return r.rows }

// Operator implements logical.Source: slice i of n holds rows
// [i·rows/n, (i+1)·rows/n), each read as one "file".
func (r *rangeTable) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	n := r.parts
	if n == 0 {
		n = max(req.Partitions, 1)
	}
	n = int(max(min(int64(n), r.rows), 1))
	names := make([]string, n)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	batch := env.BatchSize
	if batch <= 0 {
		batch = 8192
	}
	mem := env.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	open := func(ctx context.Context, name string) (exec.BatchReader, error) {
		i, err := strconv.Atoi(name)
		if err != nil || i < 0 || i >= n {
			return nil, fmt.Errorf("range: no slice %q", name)
		}
		lo := new(big.Int).Div(new(big.Int).Mul(big.NewInt(r.rows), big.NewInt(int64(i))), big.NewInt(int64(n))).Int64()
		hi := new(big.Int).Div(new(big.Int).Mul(big.NewInt(r.rows), big.NewInt(int64(i+1))), big.NewInt(int64(n))).Int64()
		return &rangeReader{ctx: ctx, r: r, next: lo, hi: hi, batch: int64(batch), mem: mem}, nil
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "Range", Files: names, Open: open, Schema: rangeSchema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: max(req.Partitions, n),
	}), nil
}

// rangeReader makes the rows [next, hi) of a range in batches.
type rangeReader struct {
	ctx      context.Context
	r        *rangeTable
	next, hi int64
	batch    int64
	mem      memory.Allocator
}

func (rr *rangeReader) Next() (arrow.RecordBatch, error) {
	if err := rr.ctx.Err(); err != nil {
		return nil, err
	}
	if rr.next >= rr.hi {
		return nil, io.EOF
	}
	k := min(rr.batch, rr.hi-rr.next)
	b := array.NewInt64Builder(rr.mem)
	defer b.Release()
	b.Reserve(int(k))
	// start + i·step wraps around exactly as Spark's range does at the
	// ends of BIGINT; the count above keeps i within the range.
	v := rr.r.start + rr.next*rr.r.step
	for j := int64(0); j < k; j++ {
		b.UnsafeAppend(v)
		v += rr.r.step
	}
	rr.next += k
	col := b.NewArray()
	defer col.Release()
	return array.NewRecordBatch(rangeSchema, []arrow.Array{col}, k), nil
}

func (rr *rangeReader) Close() error {
	rr.next = rr.hi
	return nil
}
