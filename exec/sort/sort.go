// Package sort implements ordering operators: a global sort, top-N and limit.
// Under memory pressure the global sort becomes an external merge sort over
// sorted runs spilled to disk.
package sort

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/exec/spill"
)

// Key is one sort key: a column index, its direction and where its nulls go
// (first or last, whatever the direction).
type Key struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// String renders the key as "#col ASC NULLS FIRST".
func (k Key) String() string {
	dir, nulls := "ASC", "NULLS LAST"
	if k.Desc {
		dir = "DESC"
	}
	if k.NullsFirst {
		nulls = "NULLS FIRST"
	}
	return fmt.Sprintf("#%d %s %s", k.Col, dir, nulls)
}

func keysString(keys []Key) string {
	s := make([]string, len(keys))
	for i, k := range keys {
		s[i] = k.String()
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func checkKeys(name string, child exec.Operator, keys []Key) error {
	if len(keys) == 0 {
		return fmt.Errorf("%s: no sort keys", name)
	}
	s := child.Schema()
	for _, k := range keys {
		if k.Col < 0 || k.Col >= s.NumFields() {
			return fmt.Errorf("%s: key column %d out of range", name, k.Col)
		}
		t := s.Field(k.Col).Type
		if d, ok := t.(*arrow.DictionaryType); ok {
			t = d.ValueType
		}
		switch t.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
			arrow.FLOAT32, arrow.FLOAT64, arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL64, arrow.DECIMAL128,
			arrow.STRING, arrow.BINARY, arrow.BOOL, arrow.DURATION, arrow.INTERVAL_MONTHS:
		default:
			return fmt.Errorf("%s: key column %s: unsupported sort key type %s", name, s.Field(k.Col).Name, s.Field(k.Col).Type)
		}
	}
	return nil
}

// sortOp is a global sort (limit < 0) or a top-N (limit >= 0).
type sortOp struct {
	env   *exec.Env
	child exec.Operator
	keys  []Key
	limit int64
	stats exec.SpillStats
}

// NewSort returns a global sort of child by keys: one output partition. Child
// partitions are sorted concurrently, then merged; rows with equal keys keep
// their partition order and, within a partition, their input order. Under
// memory pressure (env.ShouldSpill) a partition sorts the rows it holds and
// writes them to a spill file as one run; the runs and the rows left in
// memory are then merged, streaming, with one batch of each run in memory.
func NewSort(env *exec.Env, child exec.Operator, keys []Key) (exec.Operator, error) {
	if env == nil || child == nil {
		return nil, errors.New("sort: nil env or child")
	}
	if err := checkKeys("sort", child, keys); err != nil {
		return nil, err
	}
	if env.BatchSize <= 0 {
		return nil, fmt.Errorf("sort: batch size %d", env.BatchSize)
	}
	return &sortOp{env: env, child: child, keys: slices.Clone(keys), limit: -1}, nil
}

// NewTopN returns the first n rows of child in key order, in one partition.
// Each child partition keeps only its own first n rows while it is read.
func NewTopN(env *exec.Env, child exec.Operator, keys []Key, n int64) (exec.Operator, error) {
	if env == nil || child == nil {
		return nil, errors.New("top-n: nil env or child")
	}
	if err := checkKeys("top-n", child, keys); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("top-n: negative limit %d", n)
	}
	if env.BatchSize <= 0 {
		return nil, fmt.Errorf("top-n: batch size %d", env.BatchSize)
	}
	return &sortOp{env: env, child: child, keys: slices.Clone(keys), limit: n}, nil
}

// Schema implements exec.Operator.
func (s *sortOp) Schema() *arrow.Schema { return s.child.Schema() }

// Partitions implements exec.Operator: a sort has one output partition.
func (s *sortOp) Partitions() int { return 1 }

// Children implements exec.Operator.
func (s *sortOp) Children() []exec.Operator { return []exec.Operator{s.child} }

// String implements exec.Operator.
func (s *sortOp) String() string {
	if s.limit >= 0 {
		return fmt.Sprintf("TopN(n=%d, keys=%s)", s.limit, keysString(s.keys))
	}
	return fmt.Sprintf("Sort(keys=%s)", keysString(s.keys))
}

// Execute implements exec.Operator. The child is read and sorted on the first Next.
func (s *sortOp) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(s, p); err != nil {
		return nil, err
	}
	return &sortStream{op: s, ctx: ctx, held: exec.NewHeld(s.env.Budget)}, nil
}

type sortStream struct {
	op      *sortOp
	ctx     context.Context
	held    exec.Held // the row indexes (Go memory) in the query's budget
	started bool
	done    bool
	cols    []arrow.Array // every input row, concatenated
	perm    []int32       // output order, global row ids
	pos     int
	merge   *merger // the merge of the sorted runs, when the sort spilled
}

func (st *sortStream) Next() (arrow.RecordBatch, error) {
	if st.done {
		return nil, io.EOF
	}
	if err := st.ctx.Err(); err != nil {
		return nil, err
	}
	if !st.started {
		st.started = true
		if err := st.run(); err != nil {
			st.done = true
			st.release()
			return nil, err
		}
	}
	if st.merge != nil {
		b, err := st.merge.next()
		if err != nil {
			st.done = true
			st.release()
		}
		return b, err
	}
	if st.pos >= len(st.perm) {
		st.done = true
		st.release()
		return nil, io.EOF
	}
	end := min(st.pos+st.op.env.BatchSize, len(st.perm))
	b, err := takeColumns(st.op.env.Mem, st.op.Schema(), st.cols, st.perm[st.pos:end])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", st.op, err)
	}
	st.pos = end
	return b, nil
}

func (st *sortStream) Close() error {
	st.done = true
	st.release()
	return nil
}

func (st *sortStream) release() {
	for _, c := range st.cols {
		if c != nil {
			c.Release()
		}
	}
	st.cols, st.perm = nil, nil
	if st.merge != nil {
		st.merge.close()
		st.merge = nil
	}
	st.held.Set(0)
}

// indexBytes is the Go memory sorting rows rows in ranges sorted ranges
// takes besides the rows themselves: a 4-byte row index each, as many again
// for the merge of several ranges, and, for a single integer key, the 16-byte
// (key, index) pairs of the radix sort and their scratch copy.
func (op *sortOp) indexBytes(rows int64, ranges int) int64 {
	n := 4 * rows
	if ranges > 1 {
		n += 4 * rows
	}
	if len(op.keys) == 1 && radixType(op.Schema().Field(op.keys[0].Col).Type) {
		n += 32 * rows
	}
	return n
}

// radixType reports whether a sort key of type t is radix sorted (intKey
// has a key for its arrays).
func radixType(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.DATE32, arrow.TIMESTAMP,
		arrow.DECIMAL64, arrow.DURATION, arrow.INTERVAL_MONTHS:
		return true
	}
	return false
}

// run reads every child partition concurrently (a top-N keeps only the first
// limit rows of each), concatenates them, sorts each partition's range
// concurrently and merges the ranges into st.perm.
func (st *sortStream) run() error {
	op := st.op
	n := op.child.Partitions()
	parts := make([][]arrow.Array, n) // columns of each partition, concatenated
	defer func() {
		for _, cols := range parts {
			releaseCols(cols)
		}
	}()
	runs := make([][]*spill.File, n) // the runs each partition spilled
	spilled := false
	defer func() {
		if !spilled {
			for _, fs := range runs {
				removeFiles(fs)
			}
		}
	}()
	g, gctx := errgroup.WithContext(st.ctx)
	for p := range n {
		g.Go(func() (err error) {
			defer exec.Recover(&err, op)
			cols, files, err := op.readPartition(gctx, p)
			parts[p], runs[p] = cols, files
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var held, rows int64
	for p, fs := range runs {
		if len(fs) > 0 {
			spilled = true
		}
		held += spill.ArraysSize(parts[p])
		rows += int64(colsLen(parts[p]))
	}
	if spilled || op.limit < 0 && n > 1 && op.env.ShouldSpillWith(held+op.indexBytes(rows, n)) {
		// Merge instead of concatenating the partitions, which would pass
		// the threshold.
		spilled = true
		return st.mergeSpilled(parts, runs)
	}
	bounds := make([]int, n+1)
	for p, cols := range parts {
		bounds[p+1] = bounds[p] + colsLen(cols)
	}
	if bounds[n] > math.MaxInt32 {
		return fmt.Errorf("%s: %d rows exceed the limit of %d", op, bounds[n], math.MaxInt32)
	}
	cols, err := concatCols(op.env.Mem, op.Schema(), parts)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	st.cols = cols
	st.held.Set(op.indexBytes(int64(bounds[n]), n))
	perm, err := sortRanges(st.ctx, cols, op.keys, bounds, op.limit)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	st.perm = perm
	st.held.Set(4 * int64(cap(perm)))
	return nil
}

// readPartition drains partition p of the child into concatenated columns.
// For a top-N it compacts to the first limit rows whenever enough rows pile up.
// A sort under memory pressure spills what it holds as sorted runs, returned
// in input order (removed on error).
func (op *sortOp) readPartition(ctx context.Context, p int) (_ []arrow.Array, _ []*spill.File, err error) {
	schema := op.Schema()
	s, err := exec.Open(ctx, op.child, p)
	if err != nil {
		return nil, nil, err
	}
	var runs []*spill.File
	defer func() {
		if err != nil {
			removeFiles(runs)
		}
	}()
	var batches []arrow.RecordBatch
	defer func() { exec.ReleaseAll(batches) }()
	// Deferred last so that it runs first: a panic below becomes err, and
	// the runs are removed.
	defer exec.Recover(&err, op)
	var held, rows int64 // bytes and rows of batches
	minRun := op.minRunBytes()
	var kept []arrow.Array // compacted top rows so far (top-N only)
	defer func() { releaseCols(kept) }()
	pending := int64(0)
	// Compact once the pending rows reach twice the limit (plus a batch), so a
	// partition holds O(limit) rows; huge limits simply never compact early.
	threshold := int64(math.MaxInt64)
	if op.limit < math.MaxInt32 {
		threshold = 2*op.limit + int64(op.env.BatchSize)
	}
	compact := func() error {
		parts := [][]arrow.Array{kept}
		if kept == nil {
			parts = nil
		}
		for _, b := range batches {
			parts = append(parts, b.Columns())
		}
		cols, err := concatCols(op.env.Mem, schema, parts)
		exec.ReleaseAll(batches)
		batches, pending = nil, 0
		if err != nil {
			return err
		}
		defer releaseCols(cols)
		perm, err := sortRanges(ctx, cols, op.keys, []int{0, colsLen(cols)}, op.limit)
		if err != nil {
			return err
		}
		top, err := takeColumnsArr(op.env.Mem, cols, perm)
		if err != nil {
			return err
		}
		releaseCols(kept)
		kept = top
		return nil
	}
	err = exec.Drain(ctx, s, func(b arrow.RecordBatch) error {
		if b.NumRows() == 0 {
			return nil
		}
		b.Retain()
		batches = append(batches, b)
		pending += b.NumRows()
		if op.limit >= 0 && pending >= threshold {
			return compact()
		}
		held += spill.Size(b)
		rows += b.NumRows()
		if op.limit < 0 && held >= minRun && op.env.ShouldSpillWith(held+op.indexBytes(rows, 1)) {
			f, err := op.spillRun(ctx, batches)
			exec.ReleaseAll(batches)
			batches, held, rows = nil, 0, 0
			if err != nil {
				return err
			}
			runs = append(runs, f)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if op.limit >= 0 && len(batches) > 0 {
		if err := compact(); err != nil {
			return nil, nil, err
		}
	}
	if op.limit >= 0 {
		out := kept
		kept = nil
		return out, nil, nil
	}
	if op.limit < 0 && held > 0 && op.env.ShouldSpillWith(held+op.indexBytes(rows, 1)) {
		// Concatenating what is held would pass the threshold: spill it too.
		f, err := op.spillRun(ctx, batches)
		exec.ReleaseAll(batches)
		batches = nil
		if err != nil {
			return nil, nil, err
		}
		runs = append(runs, f)
	}
	parts := make([][]arrow.Array, len(batches))
	for i, b := range batches {
		parts[i] = b.Columns()
	}
	cols, err := concatCols(op.env.Mem, schema, parts)
	return cols, runs, err
}

func removeFiles(fs []*spill.File) {
	for _, f := range fs {
		_ = f.Remove()
	}
}

// mergeSpilled sorts the rows each partition still holds and starts the
// merge of every partition's runs, in input order: partition by partition,
// its spilled runs and then its rows in memory. It takes the columns of parts
// (setting them to nil) and the files of runs.
func (st *sortStream) mergeSpilled(parts [][]arrow.Array, files [][]*spill.File) error {
	op := st.op
	var runs []run
	var permBytes int64
	for p := range parts {
		for _, f := range files[p] {
			runs = append(runs, run{file: f})
		}
		files[p] = nil
		cols := parts[p]
		parts[p] = nil
		n := colsLen(cols)
		if n == 0 {
			releaseCols(cols)
			continue
		}
		// Owned by runs from here on.
		mr := &memRun{mem: op.env.Mem, schema: op.Schema(), cols: cols, batchSize: op.runBatch()}
		runs = append(runs, run{mem: mr})
		// The row indexes of the runs sorted so far, and this one's sort.
		st.held.Set(permBytes + op.indexBytes(int64(n), 1))
		perm, err := sortRanges(st.ctx, cols, op.keys, []int{0, n}, -1)
		if err != nil {
			releaseRuns(runs)
			for _, fs := range files {
				removeFiles(fs)
			}
			return fmt.Errorf("%s: %w", op, err)
		}
		mr.perm = perm
		permBytes += 4 * int64(cap(perm))
		st.held.Set(permBytes)
	}
	m, err := op.mergeRuns(st.ctx, runs)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	st.merge = m
	return nil
}

func colsLen(cols []arrow.Array) int {
	if len(cols) == 0 {
		return 0
	}
	return cols[0].Len()
}

func releaseCols(cols []arrow.Array) {
	for _, c := range cols {
		if c != nil {
			c.Release()
		}
	}
}

// concatCols concatenates, column by column, the non-empty column sets of
// parts; with none it returns empty columns of the schema's types.
func concatCols(mem memory.Allocator, schema *arrow.Schema, parts [][]arrow.Array) ([]arrow.Array, error) {
	var use [][]arrow.Array
	for _, p := range parts {
		if colsLen(p) > 0 {
			use = append(use, p)
		}
	}
	out := make([]arrow.Array, schema.NumFields())
	for c := range out {
		switch len(use) {
		case 0:
			out[c] = array.MakeArrayOfNull(mem, schema.Field(c).Type, 0)
		case 1:
			use[0][c].Retain()
			out[c] = use[0][c]
		default:
			arrs := make([]arrow.Array, len(use))
			for i, p := range use {
				arrs[i] = p[c]
			}
			a, err := array.Concatenate(arrs, mem)
			if err != nil {
				releaseCols(out)
				return nil, fmt.Errorf("column %s: %w", schema.Field(c).Name, err)
			}
			out[c] = a
		}
	}
	return out, nil
}

// sortRanges sorts the rows of each range [bounds[p], bounds[p+1]) of cols
// concurrently (ties by row id, so the sort is stable), then merges the ranges
// with a heap (ties by range) and returns at most limit row ids (all when
// limit < 0).
func sortRanges(ctx context.Context, cols []arrow.Array, keys []Key, bounds []int, limit int64) ([]int32, error) {
	cmpRows, err := rowsCmp(cols, keys)
	if err != nil {
		return nil, err
	}
	total := bounds[len(bounds)-1]
	want := total
	if limit >= 0 && limit < int64(total) {
		want = int(limit)
	}
	perm := make([]int32, total)
	for i := range perm {
		perm[i] = int32(i)
	}
	less := func(a, b int32) int {
		if r := cmpRows(int(a), int(b)); r != 0 {
			return r
		}
		return int(a - b)
	}
	var g errgroup.Group
	for p := 0; p+1 < len(bounds); p++ {
		run := perm[bounds[p]:bounds[p+1]]
		if len(run) < 2 {
			continue
		}
		g.Go(func() (err error) {
			defer exec.Recover(&err, "sort")
			if err := ctx.Err(); err != nil {
				return err
			}
			switch {
			case want < len(run)/4 && want > 0:
				partialSort(run, want, less)
			case len(keys) == 1 && len(run) > 64 && radixSortRun(cols[keys[0].Col], keys[0], run):
			default:
				slices.SortFunc(run, less)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(bounds) == 2 {
		return perm[:want], nil
	}
	return merge(perm, bounds, want, less), nil
}

// partialSort leaves the first k elements of run in order: it keeps a
// max-heap of the k smallest, then sorts it.
func partialSort(run []int32, k int, less func(a, b int32) int) {
	h := run[:k]
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= k {
				return
			}
			m := l
			if r := l + 1; r < k && less(h[r], h[l]) > 0 {
				m = r
			}
			if less(h[m], h[i]) <= 0 {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for i := k; i < len(run); i++ {
		if less(run[i], h[0]) < 0 {
			h[0], run[i] = run[i], h[0]
			down(0)
		}
	}
	slices.SortFunc(h, less)
}

// merge k-way merges the sorted ranges of perm into a new slice of want ids.
func merge(perm []int32, bounds []int, want int, less func(a, b int32) int) []int32 {
	type cursor struct{ pos, end int }
	var heap []cursor
	top := func(c cursor) int32 { return perm[c.pos] }
	// Row ids grow with the range index, so less's tie-break by id keeps
	// earlier ranges first.
	up := func(i int) {
		for i > 0 {
			p := (i - 1) / 2
			if less(top(heap[i]), top(heap[p])) >= 0 {
				return
			}
			heap[i], heap[p] = heap[p], heap[i]
			i = p
		}
	}
	down := func(i int) {
		n := len(heap)
		for {
			l := 2*i + 1
			if l >= n {
				return
			}
			m := l
			if r := l + 1; r < n && less(top(heap[r]), top(heap[l])) < 0 {
				m = r
			}
			if less(top(heap[m]), top(heap[i])) >= 0 {
				return
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	for p := 0; p+1 < len(bounds); p++ {
		end := bounds[p+1]
		if want < bounds[p+1]-bounds[p] {
			end = bounds[p] + want // a range contributes at most want rows
		}
		if bounds[p] < end {
			heap = append(heap, cursor{bounds[p], end})
			up(len(heap) - 1)
		}
	}
	out := make([]int32, 0, want)
	for len(out) < want && len(heap) > 0 {
		c := &heap[0]
		out = append(out, perm[c.pos])
		c.pos++
		if c.pos == c.end {
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		if len(heap) > 0 {
			down(0)
		}
	}
	return out
}

// takeColumnsArr gathers rows idx of every column.
func takeColumnsArr(mem memory.Allocator, cols []arrow.Array, idx []int32) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(cols))
	for c, col := range cols {
		a, err := kernels.Take(mem, col, idx)
		if err != nil {
			releaseCols(out)
			return nil, err
		}
		out[c] = a
	}
	return out, nil
}

// takeColumns gathers rows idx of every column into a batch of schema.
func takeColumns(mem memory.Allocator, schema *arrow.Schema, cols []arrow.Array, idx []int32) (arrow.RecordBatch, error) {
	out, err := takeColumnsArr(mem, cols, idx)
	if err != nil {
		return nil, err
	}
	defer releaseCols(out)
	return array.NewRecordBatch(schema, out, int64(len(idx))), nil
}
