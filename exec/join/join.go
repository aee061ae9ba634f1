// Package join implements the hash join operator: one side is read completely
// into a hash table, the other streams through it batch at a time.
package join

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
)

// Kind is the type of a join.
type Kind int

const (
	// Inner keeps the pairs of rows whose keys are equal.
	Inner Kind = iota
	// Left keeps every left row, with nulls on the right when nothing matches.
	Left
)

// String returns the name of the join kind.
func (k Kind) String() string {
	switch k {
	case Inner:
		return "Inner"
	case Left:
		return "Left"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Side names the input a hash join builds its table from.
type Side int

const (
	// BuildLeft builds the hash table from the left input and streams the right.
	BuildLeft Side = iota
	// BuildRight builds the hash table from the right input and streams the left.
	BuildRight
)

// String returns "left" or "right".
func (s Side) String() string {
	if s == BuildLeft {
		return "left"
	}
	return "right"
}

type hashJoin struct {
	env          *exec.Env
	left, right  exec.Operator
	lkeys, rkeys []int
	kind         Kind
	build        Side
	schema       *arrow.Schema
	seed         maphash.Seed

	mu  sync.Mutex
	cur *table // the table of the current run, nil between runs
}

// NewHashJoin joins left and right on lkeys[i] == rkeys[i] (column indices of
// equal types). Output columns are left's then right's; its partitions are the
// probe side's, the other side being built once per run into a shared table.
func NewHashJoin(env *exec.Env, left, right exec.Operator, lkeys, rkeys []int, kind Kind, build Side) (exec.Operator, error) {
	if env == nil || left == nil || right == nil {
		return nil, errors.New("hash join: nil env or input")
	}
	if kind != Inner && kind != Left {
		return nil, fmt.Errorf("hash join: unknown join kind %d", int(kind))
	}
	if build != BuildLeft && build != BuildRight {
		return nil, fmt.Errorf("hash join: unknown build side %d", int(build))
	}
	if kind == Left && build == BuildLeft {
		return nil, errors.New("hash join: left join must build the right side")
	}
	if len(lkeys) == 0 || len(lkeys) != len(rkeys) {
		return nil, fmt.Errorf("hash join: %d left keys and %d right keys", len(lkeys), len(rkeys))
	}
	ls, rs := left.Schema(), right.Schema()
	for i := range lkeys {
		if lkeys[i] < 0 || lkeys[i] >= ls.NumFields() {
			return nil, fmt.Errorf("hash join: left key column %d out of range", lkeys[i])
		}
		if rkeys[i] < 0 || rkeys[i] >= rs.NumFields() {
			return nil, fmt.Errorf("hash join: right key column %d out of range", rkeys[i])
		}
		lt, rt := keyType(ls.Field(lkeys[i]).Type), keyType(rs.Field(rkeys[i]).Type)
		if !arrow.TypeEqual(lt, rt) {
			return nil, fmt.Errorf("hash join: key %s (%s) and %s (%s) differ in type",
				ls.Field(lkeys[i]).Name, ls.Field(lkeys[i]).Type, rs.Field(rkeys[i]).Name, rs.Field(rkeys[i]).Type)
		}
		if err := checkKeyType(lt); err != nil {
			return nil, fmt.Errorf("hash join: key %s: %w", ls.Field(lkeys[i]).Name, err)
		}
	}
	fields := make([]arrow.Field, 0, ls.NumFields()+rs.NumFields())
	fields = append(fields, ls.Fields()...)
	for _, f := range rs.Fields() {
		if kind == Left {
			f.Nullable = true
		}
		fields = append(fields, f)
	}
	if env.BatchSize <= 0 {
		return nil, fmt.Errorf("hash join: batch size %d", env.BatchSize)
	}
	return &hashJoin{
		env: env, left: left, right: right,
		lkeys: append([]int(nil), lkeys...), rkeys: append([]int(nil), rkeys...),
		kind: kind, build: build, schema: arrow.NewSchema(fields, nil), seed: maphash.MakeSeed(),
	}, nil
}

// keyType maps dictionary<_, string> to string, so either may join the other.
func keyType(t arrow.DataType) arrow.DataType {
	if d, ok := t.(*arrow.DictionaryType); ok {
		return d.ValueType
	}
	return t
}

func checkKeyType(t arrow.DataType) error {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64, arrow.DATE32, arrow.TIMESTAMP,
		arrow.DECIMAL64, arrow.DECIMAL128, arrow.STRING, arrow.BOOL:
		return nil
	}
	return fmt.Errorf("unsupported join key type %s", t)
}

// Schema implements exec.Operator.
func (j *hashJoin) Schema() *arrow.Schema { return j.schema }

// Partitions implements exec.Operator: one per partition of the probe side.
func (j *hashJoin) Partitions() int { return j.probeOp().Partitions() }

// Children implements exec.Operator.
func (j *hashJoin) Children() []exec.Operator { return []exec.Operator{j.left, j.right} }

// String implements exec.Operator.
func (j *hashJoin) String() string {
	return fmt.Sprintf("HashJoin(%s, build=%s, keys=%s=%s)", j.kind, j.build, intList(j.lkeys), intList(j.rkeys))
}

func intList(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return "[" + strings.Join(s, ",") + "]"
}

func (j *hashJoin) probeOp() exec.Operator {
	if j.build == BuildLeft {
		return j.right
	}
	return j.left
}

func (j *hashJoin) buildOp() exec.Operator {
	if j.build == BuildLeft {
		return j.left
	}
	return j.right
}

func (j *hashJoin) probeKeys() []int {
	if j.build == BuildLeft {
		return j.rkeys
	}
	return j.lkeys
}

func (j *hashJoin) buildKeys() []int {
	if j.build == BuildLeft {
		return j.lkeys
	}
	return j.rkeys
}

// Execute implements exec.Operator. The build side is read on the first Next
// of the first stream of a run; the table is dropped when the last stream
// of the run closes.
func (j *hashJoin) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(j, p); err != nil {
		return nil, err
	}
	j.mu.Lock()
	t := j.cur
	if t == nil {
		t = &table{}
		j.cur = t
	}
	t.refs++
	j.mu.Unlock()
	ps, err := j.probeOp().Execute(ctx, p)
	if err != nil {
		j.unref(t)
		return nil, err
	}
	return &stream{j: j, t: t, ctx: ctx, probe: ps}, nil
}

func (j *hashJoin) unref(t *table) {
	j.mu.Lock()
	defer j.mu.Unlock()
	t.refs--
	if t.refs == 0 {
		t.release()
		if j.cur == t {
			j.cur = nil
		}
	}
}

// table is the build side of one run: its columns concatenated, its keys and
// a chained hash table over row ids.
type table struct {
	refs int // guarded by hashJoin.mu

	once    sync.Once
	err     error
	cols    []arrow.Array
	rows    int
	keys    keySet
	buckets []int32
	next    []int32
	mask    uint64
}

func (t *table) release() {
	for _, c := range t.cols {
		if c != nil {
			c.Release()
		}
	}
	t.cols = nil
	t.keys = keySet{}
	t.buckets, t.next = nil, nil
}

// load reads every partition of the build side concurrently and builds the table.
func (t *table) load(ctx context.Context, j *hashJoin) error {
	op := j.buildOp()
	n := op.Partitions()
	parts := make([][]arrow.RecordBatch, n)
	g, gctx := errgroup.WithContext(ctx)
	for p := range n {
		g.Go(func() error {
			s, err := op.Execute(gctx, p)
			if err != nil {
				return err
			}
			return exec.Drain(gctx, s, func(b arrow.RecordBatch) error {
				if b.NumRows() > 0 {
					b.Retain()
					parts[p] = append(parts[p], b)
				}
				return nil
			})
		})
	}
	err := g.Wait()
	var batches []arrow.RecordBatch
	for _, bs := range parts {
		batches = append(batches, bs...)
	}
	defer func() { exec.ReleaseAll(batches) }()
	if err != nil {
		return fmt.Errorf("hash join build side: %w", err)
	}
	rows := 0
	for _, b := range batches {
		rows += int(b.NumRows())
	}
	if rows > math.MaxInt32 {
		return fmt.Errorf("hash join build side: %d rows exceed the limit of %d", rows, math.MaxInt32)
	}
	schema := op.Schema()
	t.cols = make([]arrow.Array, schema.NumFields())
	for c := range t.cols {
		if len(batches) == 0 {
			t.cols[c] = array.MakeArrayOfNull(j.env.Mem, schema.Field(c).Type, 0)
			continue
		}
		arrs := make([]arrow.Array, len(batches))
		for i, b := range batches {
			arrs[i] = b.Column(c)
		}
		a, err := array.Concatenate(arrs, j.env.Mem)
		if err != nil {
			return fmt.Errorf("hash join build side: column %s: %w", schema.Field(c).Name, err)
		}
		t.cols[c] = a
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	exec.ReleaseAll(batches)
	batches = nil
	t.rows = rows
	keyArrs := make([]arrow.Array, len(j.buildKeys()))
	for i, c := range j.buildKeys() {
		keyArrs[i] = t.cols[c]
	}
	if err := t.keys.load(keyArrs, j.seed); err != nil {
		return fmt.Errorf("hash join build side: %w", err)
	}
	size := 1
	for size < 2*rows {
		size <<= 1
	}
	t.mask = uint64(size - 1)
	t.buckets = make([]int32, size)
	for i := range t.buckets {
		t.buckets[i] = -1
	}
	t.next = make([]int32, rows)
	// Insert in reverse so every chain lists rows in ascending order.
	for i := rows - 1; i >= 0; i-- {
		if t.keys.null[i] {
			t.next[i] = -1
			continue
		}
		b := t.keys.hash[i] & t.mask
		t.next[i] = t.buckets[b]
		t.buckets[b] = int32(i)
		if i&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// stream probes one partition of the probe side against the shared table.
type stream struct {
	j      *hashJoin
	t      *table
	ctx    context.Context
	probe  exec.Stream
	closed bool

	batch   arrow.RecordBatch // current probe batch, nil when one must be read
	keys    keySet
	row     int   // next probe row to start
	chain   int32 // next build row in the chain of the current probe row, -1 when none
	inRow   bool  // a probe row's chain is being walked
	matched bool  // the current probe row has matched at least once
	pIdx    []int32
	bIdx    []int32
}

// Next implements exec.Stream.
func (s *stream) Next() (arrow.RecordBatch, error) {
	if s.closed {
		return nil, io.EOF
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	t := s.t
	t.once.Do(func() { t.err = t.load(s.ctx, s.j) })
	if t.err != nil {
		return nil, t.err
	}
	for {
		if s.batch == nil {
			if t.rows == 0 && s.j.kind == Inner {
				return nil, io.EOF
			}
			b, err := s.probe.Next()
			if err != nil {
				return nil, err
			}
			if b.NumRows() == 0 {
				b.Release()
				continue
			}
			keyArrs := make([]arrow.Array, len(s.j.probeKeys()))
			for i, c := range s.j.probeKeys() {
				keyArrs[i] = b.Column(c)
			}
			if err := s.keys.load(keyArrs, s.j.seed); err != nil {
				b.Release()
				return nil, fmt.Errorf("hash join probe side: %w", err)
			}
			s.batch, s.row, s.inRow = b, 0, false
		}
		s.match()
		var out arrow.RecordBatch
		var err error
		if len(s.pIdx) > 0 {
			out, err = s.gather()
		}
		if s.row >= int(s.batch.NumRows()) {
			s.batch.Release()
			s.batch = nil
		}
		if out != nil || err != nil {
			return out, err
		}
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// match walks probe rows from s.row, filling pIdx/bIdx with at most BatchSize
// pairs; for a left join an unmatched probe row gets build index -1.
func (s *stream) match() {
	t, ks := s.t, &s.keys
	limit := s.j.env.BatchSize
	left := s.j.kind == Left
	n := int(s.batch.NumRows())
	p, b := s.pIdx[:0], s.bIdx[:0]
	for s.row < n && len(p) < limit {
		r := s.row
		if !s.inRow {
			s.inRow, s.matched, s.chain = true, false, -1
			if !ks.null[r] && t.rows > 0 {
				s.chain = t.buckets[ks.hash[r]&t.mask]
			}
		}
		h := ks.hash[r]
		c := s.chain
		for c >= 0 && len(p) < limit {
			if t.keys.hash[c] == h && equal(ks, r, &t.keys, int(c)) {
				p = append(p, int32(r))
				b = append(b, c)
				s.matched = true
			}
			c = t.next[c]
		}
		s.chain = c
		if c >= 0 {
			break // output full in the middle of a chain
		}
		if left && !s.matched {
			if len(p) >= limit {
				break
			}
			p = append(p, int32(r))
			b = append(b, -1)
		}
		s.inRow = false
		s.row++
	}
	s.pIdx, s.bIdx = p, b
}

// gather builds the output batch of the pending index pairs.
func (s *stream) gather() (arrow.RecordBatch, error) {
	mem := s.j.env.Mem
	nl, nr := s.j.left.Schema().NumFields(), s.j.right.Schema().NumFields()
	cols := make([]arrow.Array, 0, nl+nr)
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	probeCols := func() error {
		for c := range s.batch.NumCols() {
			a, err := takeArray(mem, s.batch.Column(int(c)), s.pIdx)
			if err != nil {
				return fmt.Errorf("hash join: column %s: %w", s.batch.ColumnName(int(c)), err)
			}
			cols = append(cols, a)
		}
		return nil
	}
	buildCols := func() error {
		for c, col := range s.t.cols {
			a, err := takeArray(mem, col, s.bIdx)
			if err != nil {
				return fmt.Errorf("hash join: column %s: %w", s.j.buildOp().Schema().Field(c).Name, err)
			}
			cols = append(cols, a)
		}
		return nil
	}
	var err error
	if s.j.build == BuildLeft {
		if err = buildCols(); err == nil {
			err = probeCols()
		}
	} else {
		if err = probeCols(); err == nil {
			err = buildCols()
		}
	}
	n := len(s.pIdx)
	s.pIdx, s.bIdx = s.pIdx[:0], s.bIdx[:0]
	if err != nil {
		return nil, err
	}
	return array.NewRecordBatch(s.j.schema, cols, int64(n)), nil
}

// Close implements exec.Stream.
func (s *stream) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.batch != nil {
		s.batch.Release()
		s.batch = nil
	}
	err := s.probe.Close()
	s.j.unref(s.t)
	return err
}

// takeArray gathers arr[idx] (null for a negative index); dictionary arrays
// keep their dictionary and gather their indices.
func takeArray(mem memory.Allocator, arr arrow.Array, idx []int32) (arrow.Array, error) {
	d, ok := arr.(*array.Dictionary)
	if !ok {
		return kernels.Take(mem, arr, idx)
	}
	ix, err := kernels.Take(mem, d.Indices(), idx)
	if err != nil {
		return nil, err
	}
	defer ix.Release()
	dict := dictValues(d)
	defer dict.Release()
	return array.NewDictionaryArray(d.DataType(), ix, dict), nil
}

// dictValues returns the dictionary of d as a new reference the caller
// releases. Unlike d.Dictionary it does not cache into d, so it is safe on
// arrays other goroutines read.
func dictValues(d *array.Dictionary) arrow.Array {
	return array.MakeFromData(d.Data().Dictionary())
}
