// Package join implements the hash join and the nested-loop join, for every
// join kind of Spark: one side is read completely into a table, the other
// streams through it batch at a time. Under memory pressure a hash join
// partitions both sides to disk by key and joins the partitions one at a
// time (see spill.go).
package join

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/exec/spill"
)

// Kind is the type of a join.
type Kind int

const (
	// Inner keeps the pairs of rows that match.
	Inner Kind = iota
	// Left keeps every left row, with nulls on the right when nothing matches.
	Left
	// Right keeps every right row, with nulls on the left when nothing matches.
	Right
	// Full keeps every row of both sides, null-extended when nothing matches.
	Full
	// LeftSemi keeps (once) the left rows that match at least one right row;
	// its output holds the left columns only.
	LeftSemi
	// LeftAnti keeps the left rows that match no right row (a left row with a
	// null key matches nothing, so it is kept); left columns only.
	LeftAnti
)

// String returns the Spark name of the join kind.
func (k Kind) String() string {
	switch k {
	case Inner:
		return "Inner"
	case Left:
		return "LeftOuter"
	case Right:
		return "RightOuter"
	case Full:
		return "FullOuter"
	case LeftSemi:
		return "LeftSemi"
	case LeftAnti:
		return "LeftAnti"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Side names the input a join builds its table from.
type Side int

const (
	// BuildLeft builds the table from the left input and streams the right.
	BuildLeft Side = iota
	// BuildRight builds the table from the right input and streams the left.
	BuildRight
)

// String returns "left" or "right".
func (s Side) String() string {
	switch s {
	case BuildLeft:
		return "left"
	case BuildRight:
		return "right"
	}
	return fmt.Sprintf("Side(%d)", int(s))
}

// Spec describes an equi-join: LeftKeys[i] = RightKeys[i] (column indices of
// equal types) for every i, AND Residual when it is not nil.
type Spec struct {
	// LeftKeys and RightKeys are the key column indices, pairwise of equal types.
	LeftKeys, RightKeys []int
	// NullSafe[i] gives key i <=> semantics (null equals null); nil means
	// ordinary equality for every key, where a null key matches nothing.
	NullSafe []bool
	// Kind is the join kind.
	Kind Kind
	// Build is the side read into the hash table; the other side streams.
	Build Side
	// Residual is a boolean condition over the joined row (left columns then
	// right columns); a pair matches only when it is true. nil means none.
	Residual expr.Expr
	// ResidualLeft and ResidualRight, when either is not nil, are the only
	// columns Residual reads: it is then a condition over the left columns
	// ResidualLeft followed by the right columns ResidualRight, and the join
	// gathers just those for the candidate pairs, gathering every output
	// column only for the pairs that match.
	ResidualLeft, ResidualRight []int
}

// hashJoin implements both the hash join and the nested-loop join (nested
// set, no keys): one side is read completely into a table shared by the
// streams of a run, the other side streams through it partition by partition.
//
// Right, full and build-left semi/anti joins must also emit build rows after
// the whole probe side has been seen. Every stream records the build rows its
// matching pairs touch in a bitmap shared by the run (atomic bit sets); when a
// stream reaches the end of its probe partition it marks the partition done,
// and the stream finishing the last partition of the run emits the build-side
// tail. No stream ever waits for another, so consumers may read partitions in
// any order, concurrently (exec.Collect) or one after another, without
// deadlock. See Execute for how long a run lasts; a run abandoned by a stream
// closed early has no tail. Each execution of the plan (exec.Execution) has
// its own runs, so executions may overlap.
type hashJoin struct {
	env          *exec.Env
	left, right  exec.Operator
	lkeys, rkeys []int
	nullSafe     []bool
	kind         Kind
	build        Side
	cond         expr.Expr // residual of the hash join, condition of the nested loop
	nested       bool
	condL, condR []int         // the columns cond reads, when narrowed
	condSchema   *arrow.Schema // the schema cond reads: pairSchema, or condL's and condR's columns
	schema       *arrow.Schema // output
	pairSchema   *arrow.Schema // left columns then right columns, for cond
	seed         maphash.Seed

	probeOuter bool // emit probe rows without a match, null-extended
	buildOuter bool // emit build rows without a match, null-extended
	probeSemi  bool // emit probe rows with (semi) or without (anti) a match
	buildSemi  bool // emit build rows with (semi) or without (anti) a match
	anti       bool

	mu      sync.Mutex      // guards the bookkeeping of every table of the join
	own     *exec.Execution // the run of streams executed without an execution; nil when none
	ownStop func() bool     // stops the end of own with its context

	stats     exec.SpillStats // what the join spilled, over all runs
	leafBytes int64           // when > 0, the target size of spilled build partitions (tests)
}

// NewHashJoin joins left and right on lkeys[i] == rkeys[i] (column indices of
// equal types). Output columns are left's then right's (left's only for semi
// and anti joins); its partitions are the probe side's, the other side being
// built once per run into a shared table. It is NewHashJoinWith without
// residual or null-safe keys.
func NewHashJoin(env *exec.Env, left, right exec.Operator, lkeys, rkeys []int, kind Kind, build Side) (exec.Operator, error) {
	return NewHashJoinWith(env, left, right, Spec{LeftKeys: lkeys, RightKeys: rkeys, Kind: kind, Build: build})
}

// NewHashJoinWith returns the hash join described by spec. Every kind works
// with either build side.
func NewHashJoinWith(env *exec.Env, left, right exec.Operator, spec Spec) (exec.Operator, error) {
	j, err := newJoin("hash join", env, left, right, spec.Kind, spec.Build, spec.Residual)
	if err != nil {
		return nil, err
	}
	lkeys, rkeys := spec.LeftKeys, spec.RightKeys
	if len(lkeys) == 0 || len(lkeys) != len(rkeys) {
		return nil, fmt.Errorf("hash join: %d left keys and %d right keys", len(lkeys), len(rkeys))
	}
	if spec.NullSafe != nil && len(spec.NullSafe) != len(lkeys) {
		return nil, fmt.Errorf("hash join: %d null-safe flags for %d keys", len(spec.NullSafe), len(lkeys))
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
	j.lkeys, j.rkeys = slices.Clone(lkeys), slices.Clone(rkeys)
	if err := j.narrowResidual(spec.ResidualLeft, spec.ResidualRight); err != nil {
		return nil, err
	}
	for _, ns := range spec.NullSafe {
		if ns {
			j.nullSafe = slices.Clone(spec.NullSafe)
			break
		}
	}
	return j, nil
}

// NewNestedLoopJoin joins every left row with every right row for which cond
// (a boolean expression over left columns then right columns) is true; a nil
// cond gives the cross product. The build side is read once per run into a
// shared table and the other side streams; pairs are evaluated in chunks of at
// most env.BatchSize. Every kind works with either build side.
func NewNestedLoopJoin(env *exec.Env, left, right exec.Operator, kind Kind, cond expr.Expr, build Side) (exec.Operator, error) {
	j, err := newJoin("nested loop join", env, left, right, kind, build, cond)
	if err != nil {
		return nil, err
	}
	j.nested = true
	return j, nil
}

// newJoin checks the parts common to both joins and derives the schemas.
func newJoin(what string, env *exec.Env, left, right exec.Operator, kind Kind, build Side, cond expr.Expr) (*hashJoin, error) {
	if env == nil || left == nil || right == nil {
		return nil, fmt.Errorf("%s: nil env or input", what)
	}
	if kind < Inner || kind > LeftAnti {
		return nil, fmt.Errorf("%s: unknown join kind %d", what, int(kind))
	}
	if build != BuildLeft && build != BuildRight {
		return nil, fmt.Errorf("%s: unknown build side %d", what, int(build))
	}
	if env.BatchSize <= 0 {
		return nil, fmt.Errorf("%s: batch size %d", what, env.BatchSize)
	}
	if cond != nil && cond.DataType().ID() != arrow.BOOL {
		return nil, fmt.Errorf("%s: condition %s is %s, not boolean", what, cond, cond.DataType())
	}
	ls, rs := left.Schema(), right.Schema()
	fields := make([]arrow.Field, 0, ls.NumFields()+rs.NumFields())
	for _, f := range ls.Fields() {
		if kind == Right || kind == Full {
			f.Nullable = true
		}
		fields = append(fields, f)
	}
	for _, f := range rs.Fields() {
		if kind == Left || kind == Full {
			f.Nullable = true
		}
		fields = append(fields, f)
	}
	j := &hashJoin{
		env: env, left: left, right: right, kind: kind, build: build, cond: cond,
		pairSchema: arrow.NewSchema(fields, nil), seed: maphash.MakeSeed(),
	}
	j.schema = j.pairSchema
	j.condSchema = j.pairSchema
	switch kind {
	case Left:
		j.probeOuter, j.buildOuter = build == BuildRight, build == BuildLeft
	case Right:
		j.probeOuter, j.buildOuter = build == BuildLeft, build == BuildRight
	case Full:
		j.probeOuter, j.buildOuter = true, true
	case LeftSemi, LeftAnti:
		j.schema = ls
		j.anti = kind == LeftAnti
		j.probeSemi, j.buildSemi = build == BuildRight, build == BuildLeft
	}
	return j, nil
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
		arrow.DECIMAL64, arrow.DECIMAL128, arrow.STRING, arrow.BINARY, arrow.BOOL:
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
	if j.nested {
		cond := "cross"
		if j.cond != nil {
			cond = "cond=" + j.cond.String()
		}
		return fmt.Sprintf("NestedLoopJoin(%s, build=%s, %s)", j.kind, j.build, cond)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HashJoin(%s, build=%s, keys=%s=%s", j.kind, j.build, intList(j.lkeys), intList(j.rkeys))
	if j.nullSafe != nil {
		s := make([]string, len(j.nullSafe))
		for i, ns := range j.nullSafe {
			s[i] = "="
			if ns {
				s[i] = "<=>"
			}
		}
		fmt.Fprintf(&b, ", ops=[%s]", strings.Join(s, ","))
	}
	if j.cond != nil {
		fmt.Fprintf(&b, ", residual=%s", j.cond)
	}
	b.WriteString(")")
	return b.String()
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

// trackProbe reports whether streams must remember which probe rows matched.
func (j *hashJoin) trackProbe() bool { return j.probeOuter || j.probeSemi }

// trackBuild reports whether the run must remember which build rows matched.
func (j *hashJoin) trackBuild() bool { return j.buildOuter || j.buildSemi }

// Execute implements exec.Operator. The build side is read once per
// execution of the plan, on the first Next of any of its streams, into a
// table that every probe partition of that execution shares. The table
// belongs to the exec.Execution in ctx (see exec.Execution), so a plan
// executed twice builds twice, and it is freed as soon as it can no longer be
// used: when every partition has been opened and closed, when a stream is
// closed before its end or after its context is cancelled (the run is then
// abandoned: streams still open finish with it, new ones start a fresh run),
// or at the latest when the execution ends. For the kinds with a build-side
// tail, executing a partition that the run has already opened starts a fresh
// run.
//
// Streams executed without an execution in their context (a caller driving
// partitions by hand) share the join's own run, which ends the same way, or
// when the context of the Execute that started it is done; the table of an
// unfinished own run is also dropped, between its streams, by the kinds
// without a tail and when the join is executed as part of an execution.
func (j *hashJoin) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(j, p); err != nil {
		return nil, err
	}
	t, err := j.open(ctx, p)
	if err != nil {
		return nil, err
	}
	ps, err := exec.Open(ctx, j.probeOp(), p)
	if err != nil {
		j.unref(t, true)
		return nil, err
	}
	return &stream{j: j, t: t, ctx: ctx, probe: ps, part: p}, nil
}

// open returns the table of the run that partition p joins, with a
// reference taken.
func (j *hashJoin) open(ctx context.Context, p int) (*table, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := exec.ExecutionFrom(ctx)
	own := e == nil
	switch {
	case own && j.own == nil:
		e = exec.NewExecution()
		j.own, j.ownStop = e, context.AfterFunc(ctx, e.Close)
	case own:
		e = j.own
	case j.own != nil:
		// The plan runs as a whole now: an idle own run is over.
		if t, _ := j.own.State(j).(*table); t == nil || t.refs == 0 {
			if t != nil {
				t.retired = true
				j.settle(t)
			}
			j.dropOwn()
		}
	}
	t, _ := e.State(j).(*table)
	if t == nil || t.retired || t.opened[p] && j.trackBuild() {
		if t != nil && !t.retired {
			t.retired = true
			j.settle(t)
		}
		n := j.Partitions()
		t = &table{j: j, run: e, keepIdle: !own || j.trackBuild(), done: make([]bool, n), opened: make([]bool, n)}
		if !e.SetState(j, t) {
			if !own {
				return nil, fmt.Errorf("%s: executed after the end of its execution", j)
			}
			// The own run's context ended meanwhile: this stream runs alone.
			t.retired = true
		}
	}
	if !t.opened[p] {
		t.opened[p] = true
		t.nopened++
	}
	t.refs++
	return t, nil
}

// dropOwn forgets the join's own run; j.mu is held.
func (j *hashJoin) dropOwn() {
	if j.ownStop != nil {
		j.ownStop()
	}
	j.own, j.ownStop = nil, nil
}

// settle frees t once no stream uses it and no stream can join it any more;
// j.mu is held.
func (j *hashJoin) settle(t *table) {
	if t.refs > 0 || t.freed {
		return
	}
	if !t.retired && !t.abandoned && t.nopened < len(t.opened) && t.keepIdle {
		return
	}
	t.retired, t.freed = true, true
	t.release()
	if t.run == j.own {
		j.dropOwn()
	}
}

// unref drops a reference to the table of a run; abandoned says the stream
// did not reach its end.
func (j *hashJoin) unref(t *table, abandoned bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	t.refs--
	if abandoned {
		t.abandoned, t.retired = true, true
	}
	j.settle(t)
}

// Release implements exec.SharedState: the run's execution has ended.
func (t *table) Release() {
	t.j.mu.Lock()
	defer t.j.mu.Unlock()
	t.retired = true
	t.j.settle(t)
}

// finish marks probe partition p of the run done and reports whether the
// caller finished the last one and so must emit the build-side tail.
func (j *hashJoin) finish(t *table, p int) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !t.done[p] {
		t.done[p] = true
		t.ndone++
	}
	if t.ndone == len(t.done) && !t.tailOwned {
		t.tailOwned = true
		return true
	}
	return false
}

// table is the build side of one run of the join: its columns concatenated,
// its keys and a hash table over row ids (no keys for a nested-loop join),
// with the bookkeeping of the streams that share it. It is the
// exec.SharedState of the join in its execution.
//
// The hash table is laid out bucket by bucket: the entries of bucket b are
// ents[start[b]:start[b+1]], in ascending row order, each holding the row's
// hash (or, for a single fixed-width key, the key itself) beside the row id,
// so a probe touches one slot of start and one run of ents instead of
// following a chain of row ids through separate arrays.
type table struct {
	j   *hashJoin
	run *exec.Execution // the execution the table belongs to

	// Guarded by hashJoin.mu:
	refs      int    // streams using the table
	done      []bool // probe partitions read to the end
	ndone     int
	tailOwned bool   // a stream has taken the build-side tail
	opened    []bool // partitions opened in the run
	nopened   int
	abandoned bool // a stream was closed before its end
	keepIdle  bool // the table outlives its streams until the run ends
	retired   bool // no stream may join the run any more
	freed     bool

	once  sync.Once
	err   error
	cols  []arrow.Array
	rows  int
	keys  keySet
	start []int32 // bucket b holds ents[start[b]:start[b+1]]
	ents  []entry
	exact bool // entry.h is the value of the one fixed-width key: no other comparison needed
	mask  uint64
	// ranged (only when exact) buckets rows by key value instead of hash:
	// bucket (v-lo)>>shift for a key v with v-lo <= span (uint64
	// arithmetic), none for other keys. See chooseRange.
	ranged bool
	lo     uint64
	span   uint64
	shift  uint
	// packed: two fixed-width keys whose ranges fit together in 64 bits
	// are compared as one exact key, (k0-lo0)*(span1+1) + (k1-lo1); see
	// pack. A probe row outside either range matches nothing.
	packed bool
	pk     [2]keyRange
	// direct (only when exact): the keys are distinct and their range is
	// dense, so the table is one slot per key value: slot[v-lo] is 1 + the
	// row of key v, 0 when no row has it, for v-lo <= span. start and ents
	// are then nil. See tryDirect.
	direct  bool
	slot    []int32
	matched []uint32 // bit i: build row i matched; set atomically by every stream

	spilled *spilledBuild // the build side partitioned to disk; nil when in memory
	held    exec.Held     // the hash table's Go memory, counted in the query's budget
}

func (t *table) release() {
	for _, c := range t.cols {
		if c != nil {
			c.Release()
		}
	}
	t.cols = nil
	t.keys = keySet{}
	t.start, t.ents, t.slot, t.matched = nil, nil, nil, nil
	t.held.Set(0)
	if t.spilled != nil {
		t.spilled.release()
		t.spilled = nil
	}
}

// mark records that build row i matched.
func (t *table) mark(i int32) {
	w, bit := &t.matched[i>>5], uint32(1)<<(i&31)
	if atomic.LoadUint32(w)&bit == 0 {
		atomic.OrUint32(w, bit)
	}
}

// isMarked reports whether build row i matched; only read once every probe
// partition is done, after the marks happened-before through hashJoin.mu.
func (t *table) isMarked(i int) bool { return atomic.LoadUint32(&t.matched[i>>5])&(1<<(i&31)) != 0 }

// load reads every partition of the build side concurrently and builds the
// table. Under memory pressure (env.ShouldSpill) a hash join partitions the
// build side to disk instead (see spilledBuild).
func (t *table) load(ctx context.Context, j *hashJoin) error {
	op := j.buildOp()
	n := op.Partitions()
	parts := make([][]arrow.RecordBatch, n)
	var (
		mu   sync.Mutex
		part *partitioner // not nil once the build side spills
		held int64        // bytes of the batches in parts
	)
	defer func() {
		if part != nil {
			part.abort()
		}
	}()
	g, gctx := errgroup.WithContext(ctx)
	for p := range n {
		g.Go(func() (err error) {
			defer exec.Recover(&err, j)
			s, err := exec.Open(gctx, op, p)
			if err != nil {
				return err
			}
			return exec.Drain(gctx, s, func(b arrow.RecordBatch) error {
				if b.NumRows() == 0 {
					return nil
				}
				mu.Lock()
				defer mu.Unlock()
				if part != nil {
					return part.add(b)
				}
				b.Retain()
				parts[p] = append(parts[p], b)
				held += spill.Size(b)
				// Building the table copies what is held.
				if j.nested || !j.env.ShouldSpillWith(held) {
					return nil
				}
				part = j.newPartitioner(gctx, j.buildOp().Schema(), j.buildKeys(), j.root())
				return part.addAll(parts)
			})
		})
	}
	err := g.Wait()
	if err == nil && part == nil && !j.nested && held > 0 {
		rows := int64(0)
		for _, bs := range parts {
			for _, b := range bs {
				rows += b.NumRows()
			}
		}
		// The table needs a copy of the rows and about 32 bytes a row of
		// keys, hashes and chains.
		if j.env.ShouldSpillWith(held + 32*rows) {
			part = j.newPartitioner(ctx, j.buildOp().Schema(), j.buildKeys(), j.root())
			err = part.addAll(parts)
		}
	}
	var batches []arrow.RecordBatch // what parts still hold
	for _, bs := range parts {
		batches = append(batches, bs...)
	}
	if err != nil {
		exec.ReleaseAll(batches)
		return fmt.Errorf("%s build side: %w", j.what(), err)
	}
	if part != nil {
		sb, err := j.finishBuild(ctx, part)
		part = nil
		if err != nil {
			return fmt.Errorf("%s build side: %w", j.what(), err)
		}
		t.spilled = sb
		return nil
	}
	return t.build(ctx, j, batches)
}

// build makes the table of the build rows of batches, releasing them.
func (t *table) build(ctx context.Context, j *hashJoin, batches []arrow.RecordBatch) error {
	defer func() { exec.ReleaseAll(batches) }()
	rows := 0
	for _, b := range batches {
		rows += int(b.NumRows())
	}
	if rows > math.MaxInt32 {
		return fmt.Errorf("%s build side: %d rows exceed the limit of %d", j.what(), rows, math.MaxInt32)
	}
	schema := j.buildOp().Schema()
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
		a, err := exec.Concatenate(ctx, arrs, j.env.Mem)
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return fmt.Errorf("%s build side: column %s: %w", j.what(), schema.Field(c).Name, err)
		}
		t.cols[c] = a
	}
	exec.ReleaseAll(batches)
	batches = nil
	t.rows = rows
	if j.trackBuild() {
		m, err := exec.MakeLargeContext[uint32](ctx, (rows+31)/32, (rows+31)/32)
		if err != nil {
			return err
		}
		t.matched = m
	}
	if j.nested {
		return nil
	}
	keyArrs := make([]arrow.Array, len(j.buildKeys()))
	for i, c := range j.buildKeys() {
		keyArrs[i] = t.cols[c]
	}
	if err := t.keys.reserve(ctx, keyArrs, j.nullSafe, rows); err != nil {
		return err
	}
	// One key compared by ordinary equality may make a table placed by
	// value, which needs no hashes: index hashes the keys if it needs them.
	// Two keys are hashed as two before pack makes them one.
	hash := len(keyArrs) > 1 || j.nullSafe != nil
	if err := t.keys.loadWith(ctx, keyArrs, j.nullSafe, j.seed, hash); err != nil {
		return fmt.Errorf("hash join build side: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if j.nullSafe == nil {
		t.pack()
	}
	if err := t.index(ctx, j.nullSafe, j.seed); err != nil {
		return err
	}
	// Bucket starts, entries and match bits, and, unless the entries hold
	// the keys, the keys' hashes, null flags and about 8 bytes a row of
	// key values.
	keyBytes := int64(0)
	if !t.exact {
		keyBytes = 17 * int64(rows)
	}
	t.held = exec.NewHeld(j.env.Budget)
	t.held.Set(4*int64(len(t.start)+len(t.slot)+len(t.matched)) + int64(unsafe.Sizeof(entry{}))*int64(len(t.ents)) + keyBytes)
	return nil
}

// entry is one build row in the hash table: h is the row's hash, or the key
// value itself when the table is exact.
type entry struct {
	h   uint64
	row int32
}

// exactKeys reports whether ks is one fixed-width key compared by ordinary
// equality, whose value can stand in for its hash in the table's entries.
func exactKeys(ks *keySet, nullSafe []bool) bool {
	return len(ks.cols) == 1 && ks.cols[0].kind == kindFixed && nullSafe == nil
}

// indexCheckMask spaces index's looks at its context: every 4,096 rows. Its
// two passes write to random places of tables of hundreds of MB whose pages
// are fresh, so a row can cost a page fault; 65,536 rows between looks ran
// hundreds of milliseconds after a cancel on a 40M-row build side.
const indexCheckMask = 1<<12 - 1

// index builds the bucket-ordered hash table over the rows of t.keys that
// have no null key: a count per bucket, the running sums as bucket starts,
// then the rows placed from the last one back so each bucket lists its rows
// in ascending order. Keys loaded unhashed are hashed with seed when the
// table buckets by hash; a direct table (see tryDirect) has no buckets.
func (t *table) index(ctx context.Context, nullSafe []bool, seed maphash.Seed) error {
	rows := t.rows
	// A small table gets sparseBuckets times as many buckets as rows (its
	// bucket starts still fit in the cache): most probes that match
	// nothing then find their bucket empty and stop at once.
	want := rows
	if rows <= sparseRows {
		want = rows * sparseBuckets
	}
	size := 1
	for size < want {
		size <<= 1
	}
	t.mask = uint64(size - 1)
	t.exact = exactKeys(&t.keys, nullSafe)
	ks := &t.keys
	if t.exact {
		ok, err := t.tryDirect(ctx)
		if err != nil {
			return err
		}
		if ok {
			// The slots hold everything a probe needs.
			t.keys = keySet{}
			return nil
		}
	}
	start, err := exec.MakeResidentContext[int32](ctx, size+1)
	if err != nil {
		return err
	}
	if t.exact {
		if t.ranged, err = t.chooseRange(ctx, start); err != nil {
			return err
		}
	}
	if !t.ranged {
		if ks.unhashed {
			if err := ks.ensureHash(ctx, seed); err != nil {
				return err
			}
		}
		for i, h := range ks.hash[:rows] {
			if !ks.null[i] {
				start[h&t.mask]++
			}
			if i&indexCheckMask == indexCheckMask {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
	}
	sum := int32(0)
	for b, c := range start[:size] {
		sum += c
		start[b] = sum // the end of bucket b, for now
	}
	start[size] = sum
	ents, err := exec.MakeResidentContext[entry](ctx, int(sum))
	if err != nil {
		return err
	}
	var vals []uint64
	if t.exact {
		vals = ks.cols[0].fixed
	}
	for i := rows - 1; i >= 0; i-- {
		if ks.null[i] {
			continue
		}
		var b uint64
		if t.ranged {
			b = (vals[i] - t.lo) >> t.shift
		} else {
			b = ks.hash[i] & t.mask
		}
		start[b]--
		e := &ents[start[b]]
		e.row = int32(i)
		if vals != nil {
			e.h = vals[i]
		} else {
			e.h = ks.hash[i]
		}
		if i&indexCheckMask == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	t.start, t.ents = start, ents
	if t.exact {
		// The entries hold everything a probe compares.
		t.keys = keySet{}
	}
	return nil
}

// directSlack bounds the slots of a direct table: at most directSlack a
// build row (16 bytes a row, as much as the entries of a bucketed table).
// TPC-H's order keys fill a quarter of their range.
const directSlack = 4

// directSmallSlots and directSmallSlack let a table of sparser keys be
// direct while its slots stay small: up to directSmallSlack a row and
// directSmallSlots in all (1 MiB, in the second-level cache). The probes
// of such a table come at random (lineitem's l_partkey against the parts
// of one colour), and one read of a slot beats finding a bucket and
// comparing its entries.
const (
	directSmallSlots = 1 << 18
	directSmallSlack = 64
)

// directSlots returns the most slots a direct table of rows rows may have.
func directSlots(rows int) uint64 {
	return max(uint64(directSlack)*uint64(rows), min(uint64(directSmallSlack)*uint64(rows), directSmallSlots))
}

// tryDirect makes an exact table direct when its keys are distinct and span
// at most directSlots values: a row is then placed by one write and a
// probe finds its match by one read at the key's offset, with no bucket
// counts, no second pass and no key comparison. A probe side ordered by the
// key (lineitem against orders) reads the slots front to back. It reports
// false, with t unchanged, for keys that do not qualify; the scan for
// duplicates stops at the first one.
func (t *table) tryDirect(ctx context.Context) (bool, error) {
	ks := &t.keys
	null := ks.null[:t.rows]
	vals := ks.cols[0].fixed[:t.rows]
	r, ok := rangeOf(vals, null)
	if !ok || r.span >= directSlots(t.rows) {
		return false, nil
	}
	if r.span >= directCheckSlots && repeatsEarly(vals, null) {
		// A build side keyed by the many side of a relationship (lineitem
		// by l_orderkey) spans as few values but repeats them: no need to
		// allocate and fault in the slots to find that out.
		return false, nil
	}
	slot, err := exec.MakeResidentContext[int32](ctx, int(r.span)+1)
	if err != nil {
		return false, err
	}
	for i, v := range vals {
		if null[i] {
			continue
		}
		d := v - r.lo
		if slot[d] != 0 {
			return false, nil
		}
		slot[d] = int32(i) + 1
		if i&indexCheckMask == indexCheckMask {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
	}
	t.direct, t.slot, t.lo, t.span = true, slot, r.lo, r.span
	return true, nil
}

// directCheckSlots is the size from which tryDirect looks for a repeated
// key among the first directCheckRows rows before it allocates the slots
// (4 MiB of them).
const directCheckSlots = 1 << 20

// directCheckRows is how many leading rows tryDirect checks.
const directCheckRows = 1 << 13

// repeatsEarly reports whether a value repeats among the first
// directCheckRows non-null rows of vals: a key that repeats throughout
// (lineitem's l_orderkey, in runs, or any many-side key at random, where
// a few thousand rows hold a repeat all but surely) is found without a
// pass over all rows.
func repeatsEarly(vals []uint64, null []bool) bool {
	sample := make([]uint64, 0, min(len(vals), directCheckRows))
	for i, v := range vals {
		if len(sample) == cap(sample) {
			break
		}
		if !null[i] {
			sample = append(sample, v)
		}
	}
	slices.Sort(sample)
	for i := 1; i < len(sample); i++ {
		if sample[i] == sample[i-1] {
			return true
		}
	}
	return false
}

// keyRange is the range [lo, lo+span] (uint64 arithmetic) of the values of
// one key column.
type keyRange struct{ lo, span uint64 }

// rangeOf returns the range of the values of vals in non-null rows, as
// signed integers; ok is false when every row is null.
func rangeOf(vals []uint64, null []bool) (r keyRange, ok bool) {
	lo, hi := int64(0), int64(0)
	for i, v := range vals {
		if null[i] {
			continue
		}
		if !ok {
			lo, hi, ok = int64(v), int64(v), true
		}
		lo, hi = min(lo, int64(v)), max(hi, int64(v))
	}
	return keyRange{uint64(lo), uint64(hi) - uint64(lo)}, ok
}

// pack turns two fixed-width build keys into one exact key when their
// ranges multiply to less than 2^64 (TPC-H's (ps_partkey, ps_suppkey)
// pairs): the entries then hold the pair, and a probe compares one word
// instead of reading both build key columns at random. The row hashes stay
// those of the two columns.
func (t *table) pack() {
	ks := &t.keys
	if len(ks.cols) != 2 || ks.cols[0].kind != kindFixed || ks.cols[1].kind != kindFixed {
		return
	}
	null := ks.null[:t.rows]
	r0, ok := rangeOf(ks.cols[0].fixed[:t.rows], null)
	if !ok {
		return
	}
	r1, _ := rangeOf(ks.cols[1].fixed[:t.rows], null)
	if r0.span == math.MaxUint64 || r1.span == math.MaxUint64 {
		return
	}
	if hi, _ := bits.Mul64(r0.span+1, r1.span+1); hi != 0 {
		return
	}
	t.packed, t.pk = true, [2]keyRange{r0, r1}
	c0, c1 := ks.cols[0].fixed, ks.cols[1].fixed
	for i := range t.rows {
		if !null[i] {
			c0[i] = (c0[i]-r0.lo)*(r1.span+1) + (c1[i] - r1.lo)
		}
	}
	ks.cols = ks.cols[:1]
}

// packProbe fills dst with the packed keys of a probe batch (see pack) and
// flags in out the rows outside the build keys' ranges.
func (t *table) packProbe(ks *keySet, dst []uint64, out []bool) {
	r0, r1 := t.pk[0], t.pk[1]
	c0, c1 := ks.cols[0].fixed, ks.cols[1].fixed
	for i := range dst {
		d0, d1 := c0[i]-r0.lo, c1[i]-r1.lo
		out[i] = d0 > r0.span || d1 > r1.span
		dst[i] = d0*(r1.span+1) + d1
	}
}

// chooseRange decides whether an exact table buckets its rows by key value,
// and if so sets lo, span and shift and counts the rows of each bucket into
// start (len(start)-1 buckets, a power of two). Keys close in value then
// share or neighbour buckets, so a probe side ordered by the key (lineitem
// by l_orderkey against orders) reads the table front to back instead of
// at random: its loads hit the cache. The buckets are the key range split
// into at most len(start)-1 equal parts; a key distribution that crowds
// them (the sum of squared bucket sizes, the work of probing every build
// key once, above rangeCrowding times the rows) keeps the hash, and start
// is left cleared.
func (t *table) chooseRange(ctx context.Context, start []int32) (bool, error) {
	ks := &t.keys
	vals := ks.cols[0].fixed[:t.rows]
	r, ok := rangeOf(vals, ks.null[:t.rows])
	if !ok {
		return false, nil
	}
	t.lo, t.span = r.lo, r.span
	size := uint64(len(start) - 1)
	t.shift = 0
	for t.span>>t.shift >= size {
		t.shift++
	}
	for i, v := range vals {
		if !ks.null[i] {
			start[(v-t.lo)>>t.shift]++
		}
		if i&indexCheckMask == indexCheckMask {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
	}
	work := 0
	for _, c := range start[:size] {
		work += int(c) * int(c)
	}
	if work <= rangeCrowding*t.rows {
		return true, nil
	}
	clear(start)
	return false, nil
}

// sparseRows is the most rows a table may have for sparseBuckets buckets a
// row: 8,192 rows, 256 KiB of bucket starts.
const sparseRows = 1 << 13

// sparseBuckets is the buckets a row of a small table gets.
const sparseBuckets = 8

// rangeCrowding bounds the crowding of a value-bucketed table: hashing
// spreads n rows over n to 2n buckets for a sum of squared bucket sizes
// below about 2n.
const rangeCrowding = 3

func (j *hashJoin) what() string {
	if j.nested {
		return "nested loop join"
	}
	return "hash join"
}

// The phases of a stream.
const (
	phaseProbe = iota // streaming probe batches
	phaseTail         // emitting the build-side tail
	phaseDone
)

// stream probes one partition of the probe side against the shared table.
type stream struct {
	j      *hashJoin
	t      *table
	ctx    context.Context
	probe  exec.Stream
	part   int
	closed bool
	phase  int

	batch arrow.RecordBatch // current probe batch, nil when one must be read
	keys  keySet
	row   int     // next probe row to start
	pos   int32   // hash: next entry of the current probe row's bucket
	end   int32   // hash: the end of the current probe row's bucket
	inRow bool    // hash: a probe row's bucket is being walked
	bkt   []int32 // hash: per row of batch, its bucket's start and end (2 per row)
	// pkv and pkOut: the batch's packed keys and its rows outside the
	// build keys' ranges, when the table is packed.
	pkv     []uint64
	pkOut   []bool
	bpos    int    // nested loop: next build row for the current probe row
	pm      []bool // per row of batch: matched at least once (when tracked)
	tailRow int    // next probe row to consider for the probe-side tail
	bTail   int    // next build row to consider for the build-side tail
	pIdx    []int32
	bIdx    []int32
	keep    []int32
	sp      *spillProbe // joining leaf by leaf, when the build side spilled
}

// Next implements exec.Stream.
func (s *stream) Next() (arrow.RecordBatch, error) {
	if s.closed || s.phase == phaseDone {
		return nil, io.EOF
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	t, j := s.t, s.j
	t.once.Do(func() { t.err = t.load(s.ctx, j) })
	if t.err != nil {
		return nil, t.err
	}
	if t.spilled != nil {
		return s.nextSpilled()
	}
	for {
		if s.phase == phaseTail {
			out, err := s.buildTail()
			if out == nil && err == nil {
				s.phase = phaseDone
				return nil, io.EOF
			}
			return out, err
		}
		out, err := s.probeNext()
		if errors.Is(err, io.EOF) {
			s.phase = phaseDone
			if j.trackBuild() && j.finish(t, s.part) {
				s.phase = phaseTail
				continue
			}
			return nil, io.EOF
		}
		return out, err
	}
}

// probeNext returns the next batch of the probe phase: the pairs and the
// settled probe rows of the probe partition against s.t; io.EOF at its end.
func (s *stream) probeNext() (arrow.RecordBatch, error) {
	t, j := s.t, s.j
	for {
		if s.batch == nil {
			if t.rows == 0 && !j.probeOuter && !(j.probeSemi && j.anti) {
				// Nothing can come out of this partition.
				return nil, io.EOF
			}
			b, err := s.probe.Next()
			if errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			if err != nil {
				return nil, err
			}
			if b.NumRows() == 0 {
				b.Release()
				continue
			}
			if !j.nested {
				keyArrs := make([]arrow.Array, len(j.probeKeys()))
				for i, c := range j.probeKeys() {
					keyArrs[i] = b.Column(c)
				}
				// A table placed by key value needs no hashes of the probe keys.
				hash := !(t.direct || t.ranged)
				// The keys live no longer than the batch.
				s.keys.borrow = true
				if err := s.keys.loadWith(s.ctx, keyArrs, j.nullSafe, j.seed, hash); err != nil {
					b.Release()
					return nil, fmt.Errorf("hash join probe side: %w", err)
				}
				s.locate()
			}
			s.batch, s.row, s.inRow, s.bpos, s.tailRow = b, 0, false, 0, 0
			if j.trackProbe() {
				s.pm = grow(s.pm, int(b.NumRows()))
				clear(s.pm)
			}
		}
		if s.row < int(s.batch.NumRows()) {
			switch {
			case j.nested:
				s.matchNested()
			case t.direct:
				s.matchDirect()
			case t.ranged:
				s.matchRanged()
			default:
				s.matchHash()
			}
			if len(s.pIdx) > 0 {
				out, err := s.pairs()
				if out != nil || err != nil {
					return out, err
				}
			}
		} else {
			if j.trackProbe() {
				out, err := s.probeTail()
				if out != nil || err != nil {
					return out, err
				}
			}
			s.batch.Release()
			s.batch = nil
		}
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// skipRow reports whether probe row r needs no more candidates: a semi or
// anti probe row is settled by its first match.
func (s *stream) skipRow(r int) bool { return s.j.probeSemi && s.pm[r] }

// locate looks up the bucket of every row of the probe batch in one pass
// (rows with a null key get an empty one), so the loads of independent rows
// overlap instead of each waiting on the last.
func (s *stream) locate() {
	t, ks := s.t, &s.keys
	n := len(ks.null)
	if t.packed {
		s.pkv, s.pkOut = grow(s.pkv, n), grow(s.pkOut, n)
		t.packProbe(ks, s.pkv, s.pkOut)
	}
	if t.direct || t.ranged {
		// matchDirect and matchRanged find the buckets as they go.
		return
	}
	s.bkt = grow(s.bkt, 2*n)
	bkt := s.bkt
	if t.rows == 0 {
		clear(bkt)
		return
	}
	start, mask := t.start, t.mask
	for r, h := range ks.hash {
		b := h & mask
		lo, hi := start[b], start[b+1]
		if ks.null[r] || t.packed && s.pkOut[r] {
			lo, hi = 0, 0
		}
		bkt[2*r], bkt[2*r+1] = lo, hi
	}
}

// matchHash walks probe rows from s.row, filling pIdx/bIdx with at most
// BatchSize candidate pairs of equal keys.
func (s *stream) matchHash() {
	t, ks := s.t, &s.keys
	limit := s.j.env.BatchSize
	// Without a residual the first equal key settles a semi or anti probe row.
	first := s.j.probeSemi && s.j.cond == nil
	// A semi or anti build row is settled by its first match.
	settled := s.j.buildSemi
	n := int(s.batch.NumRows())
	p, b := s.pIdx[:0], s.bIdx[:0]
	ents, exact := t.ents, t.exact
	want := ks.hash
	if exact {
		want = ks.cols[0].fixed
		if t.packed {
			want = s.pkv
		}
	}
	for s.row < n && len(p) < limit {
		r := s.row
		if !s.inRow {
			s.inRow, s.pos, s.end = true, s.bkt[2*r], s.bkt[2*r+1]
		}
		if s.skipRow(r) {
			s.pos = s.end
		}
		h := want[r]
		c, e := s.pos, s.end
		for ; c < e && len(p) < limit; c++ {
			en := &ents[c]
			if en.h == h && (exact || equal(ks, r, &t.keys, int(en.row))) && !(settled && t.isMarked(int(en.row))) {
				p = append(p, int32(r))
				b = append(b, en.row)
				if first {
					c = e
					break
				}
			}
		}
		s.pos = c
		if c < e {
			break // output full in the middle of a bucket
		}
		s.inRow = false
		s.row++
	}
	s.pIdx, s.bIdx = p, b
}

// matchRanged is matchHash for a table bucketed by key value: a row's
// bucket follows from its key, so it is found here as the rows are walked
// rather than by locate beforehand. A probe side ordered by the key reads
// the buckets front to back, and a row whose bucket is empty (most rows
// when the build side was filtered) costs one read of start.
func (s *stream) matchRanged() {
	t, ks := s.t, &s.keys
	limit := s.j.env.BatchSize
	first := s.j.probeSemi && s.j.cond == nil
	settled := s.j.buildSemi
	n := int(s.batch.NumRows())
	p, b := s.pIdx[:0], s.bIdx[:0]
	ents, start := t.ents, t.start
	base, span, shift := t.lo, t.span, t.shift
	want := ks.cols[0].fixed
	if t.packed {
		want = s.pkv
	}
	if !s.inRow && ks.nulls == 0 && !t.packed && !settled && !s.j.probeSemi {
		// Every candidate counts and no row is settled early: walk whole
		// buckets while they fit in the output, the state in registers.
		r := s.row
		for ; r < n; r++ {
			v := want[r]
			d := v - base
			if d > span {
				continue
			}
			c, e := start[d>>shift], start[d>>shift+1]
			if int(e-c) > limit-len(p) {
				break // the general walk below splits the bucket
			}
			for ; c < e; c++ {
				if en := &ents[c]; en.h == v {
					p = append(p, int32(r))
					b = append(b, en.row)
				}
			}
		}
		s.row = r
	}
	for s.row < n && len(p) < limit {
		r := s.row
		if !s.inRow {
			lo, hi := int32(0), int32(0)
			if d := want[r] - base; d <= span && !ks.null[r] && !(t.packed && s.pkOut[r]) {
				lo, hi = start[d>>shift], start[d>>shift+1]
			}
			s.inRow, s.pos, s.end = true, lo, hi
		}
		if s.skipRow(r) {
			s.pos = s.end
		}
		v := want[r]
		c, e := s.pos, s.end
		for ; c < e && len(p) < limit; c++ {
			en := &ents[c]
			if en.h == v && !(settled && t.isMarked(int(en.row))) {
				p = append(p, int32(r))
				b = append(b, en.row)
				if first {
					c = e
					break
				}
			}
		}
		s.pos = c
		if c < e {
			break // output full in the middle of a bucket
		}
		s.inRow = false
		s.row++
	}
	s.pIdx, s.bIdx = p, b
}

// matchDirect is matchHash for a direct table: a probe row's only
// candidate is the row in its key's slot, whose key is equal by
// construction. A probe row without a candidate is passed over, so the
// output never fills up in the middle of a row.
func (s *stream) matchDirect() {
	t, ks := s.t, &s.keys
	limit := s.j.env.BatchSize
	n := int(s.batch.NumRows())
	vals := ks.cols[0].fixed
	if t.packed {
		vals = s.pkv
	}
	slot, lo, span := t.slot, t.lo, t.span
	p, b := s.pIdx[:0], s.bIdx[:0]
	r := s.row
	if ks.nulls == 0 && !t.packed && !s.j.buildSemi && !s.j.probeSemi {
		for ; r < n && len(p) < limit; r++ {
			if d := vals[r] - lo; d <= span {
				if x := slot[d]; x != 0 {
					p = append(p, int32(r))
					b = append(b, x-1)
				}
			}
		}
	} else {
		settled := s.j.buildSemi
		for ; r < n && len(p) < limit; r++ {
			d := vals[r] - lo
			if d > span || ks.null[r] || t.packed && s.pkOut[r] || s.skipRow(r) {
				continue
			}
			x := slot[d]
			if x == 0 || settled && t.isMarked(int(x-1)) {
				continue
			}
			p = append(p, int32(r))
			b = append(b, x-1)
		}
	}
	s.row = r
	s.pIdx, s.bIdx = p, b
}

// matchNested pairs probe rows from s.row with build rows from s.bpos,
// filling pIdx/bIdx with at most BatchSize candidates.
func (s *stream) matchNested() {
	rows := s.t.rows
	limit := s.j.env.BatchSize
	first := s.j.probeSemi && s.j.cond == nil
	n := int(s.batch.NumRows())
	p, b := s.pIdx[:0], s.bIdx[:0]
	for s.row < n && len(p) < limit {
		r := s.row
		if rows == 0 || s.skipRow(r) {
			s.row, s.bpos = s.row+1, 0
			continue
		}
		end := rows
		if first {
			end = 1
		}
		k := min(end-s.bpos, limit-len(p))
		for i := range k {
			p = append(p, int32(r))
			b = append(b, int32(s.bpos+i))
		}
		s.bpos += k
		if s.bpos >= end {
			s.row, s.bpos = s.row+1, 0
		}
	}
	s.pIdx, s.bIdx = p, b
}

// pairs evaluates the candidate pairs in pIdx/bIdx, records the matches and
// returns the matching pairs when the join outputs pairs (nil when none).
func (s *stream) pairs() (arrow.RecordBatch, error) {
	j, t := s.j, s.t
	defer func() { s.pIdx, s.bIdx = s.pIdx[:0], s.bIdx[:0] }()
	semi := j.probeSemi || j.buildSemi
	if j.cond == nil && semi {
		s.record(nil, true)
		return nil, nil
	}
	narrow := j.condL != nil || j.condR != nil
	lSrc, rSrc, lIdx, rIdx := s.sides(s.batch.Columns(), t.cols, s.pIdx, s.bIdx)
	var b arrow.RecordBatch
	var err error
	if narrow {
		b, err = s.gatherCond(lSrc, rSrc, lIdx, rIdx)
	} else {
		b, err = s.assemble(j.pairSchema, lSrc, rSrc, lIdx, rIdx, true)
	}
	if err != nil {
		return nil, err
	}
	if j.cond == nil {
		s.record(nil, true)
		return b, nil
	}
	defer b.Release()
	m, err := j.cond.Eval(j.env.Mem, b)
	if err != nil {
		return nil, fmt.Errorf("%s condition %s: %w", j.what(), j.cond, err)
	}
	defer m.Release()
	mask, ok := m.(*array.Boolean)
	if !ok || m.Len() != int(b.NumRows()) {
		return nil, fmt.Errorf("%s condition %s returned %d values of %s for %d rows", j.what(), j.cond, m.Len(), m.DataType(), b.NumRows())
	}
	s.keep = kernels.MaskIndices(mask, s.keep)
	s.record(s.keep, false)
	if semi || len(s.keep) == 0 {
		return nil, nil
	}
	if narrow {
		// Gather the output columns of the matching pairs only.
		p, q := s.pIdx, s.bIdx
		for i, k := range s.keep {
			p[i], q[i] = p[k], q[k]
		}
		s.pIdx, s.bIdx = p[:len(s.keep)], q[:len(s.keep)]
		lSrc, rSrc, lIdx, rIdx = s.sides(s.batch.Columns(), t.cols, s.pIdx, s.bIdx)
		return s.assemble(j.pairSchema, lSrc, rSrc, lIdx, rIdx, true)
	}
	if len(s.keep) == int(b.NumRows()) {
		b.Retain()
		return b, nil
	}
	return takeBatch(j.env.Mem, b, s.keep)
}

// takeBatch gathers the rows idx of b, dictionary columns included.
func takeBatch(mem memory.Allocator, b arrow.RecordBatch, idx []int32) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, 0, b.NumCols())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for c := range int(b.NumCols()) {
		a, err := takeArray(mem, b.Column(c), idx)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", b.ColumnName(c), err)
		}
		cols = append(cols, a)
	}
	return array.NewRecordBatch(b.Schema(), cols, int64(len(idx))), nil
}

// record marks the probe and build rows of the matching candidates: those at
// positions keep, or all of them when all is set.
func (s *stream) record(keep []int32, all bool) {
	j, t := s.j, s.t
	tp, tb := j.trackProbe(), j.trackBuild()
	if all {
		if tp {
			for _, r := range s.pIdx {
				s.pm[r] = true
			}
		}
		if tb {
			for _, b := range s.bIdx {
				t.mark(b)
			}
		}
		return
	}
	for _, k := range keep {
		if tp {
			s.pm[s.pIdx[k]] = true
		}
		if tb {
			t.mark(s.bIdx[k])
		}
	}
}

// probeTail returns the next batch of probe rows settled at the end of the
// probe batch: unmatched ones null-extended for an outer join, the matched
// (semi) or unmatched (anti) ones for a semi or anti join. nil when done.
func (s *stream) probeTail() (arrow.RecordBatch, error) {
	j := s.j
	want := j.probeSemi && !j.anti
	n := int(s.batch.NumRows())
	p := s.pIdx[:0]
	for s.tailRow < n && len(p) < j.env.BatchSize {
		if s.pm[s.tailRow] == want {
			p = append(p, int32(s.tailRow))
		}
		s.tailRow++
	}
	s.pIdx = p
	defer func() { s.pIdx = s.pIdx[:0] }()
	if len(p) == 0 {
		return nil, nil
	}
	if j.probeSemi {
		// The probe side is the left one.
		return s.assemble(j.schema, s.batch.Columns(), nil, p, nil, false)
	}
	lSrc, rSrc, lIdx, rIdx := s.sides(s.batch.Columns(), nil, p, nil)
	return s.assemble(j.schema, lSrc, rSrc, lIdx, rIdx, true)
}

// buildTail returns the next batch of build rows settled once the whole probe
// side is done: unmatched ones null-extended for an outer join, the matched
// (semi) or unmatched (anti) ones for a semi or anti join. nil when done.
func (s *stream) buildTail() (arrow.RecordBatch, error) {
	j, t := s.j, s.t
	want := j.buildSemi && !j.anti
	b := s.bIdx[:0]
	for s.bTail < t.rows && len(b) < j.env.BatchSize {
		if t.isMarked(s.bTail) == want {
			b = append(b, int32(s.bTail))
		}
		s.bTail++
	}
	s.bIdx = b
	defer func() { s.bIdx = s.bIdx[:0] }()
	if len(b) == 0 {
		return nil, nil
	}
	if j.buildSemi {
		// The build side is the left one.
		return s.assemble(j.schema, t.cols, nil, b, nil, false)
	}
	lSrc, rSrc, lIdx, rIdx := s.sides(nil, t.cols, nil, b)
	return s.assemble(j.schema, lSrc, rSrc, lIdx, rIdx, true)
}

// sides maps probe/build columns and indices to left/right.
func (s *stream) sides(probe, build []arrow.Array, pIdx, bIdx []int32) (lSrc, rSrc []arrow.Array, lIdx, rIdx []int32) {
	if s.j.build == BuildLeft {
		return build, probe, bIdx, pIdx
	}
	return probe, build, pIdx, bIdx
}

// assemble gathers a batch of schema: the left columns lSrc[lIdx], then, when
// withRight, the right columns rSrc[rIdx]. A nil source (with nil indices)
// gives null columns as long as the other side's indices.
func (s *stream) assemble(schema *arrow.Schema, lSrc, rSrc []arrow.Array, lIdx, rIdx []int32, withRight bool) (arrow.RecordBatch, error) {
	mem := s.j.env.Mem
	n := max(len(lIdx), len(rIdx))
	cols := make([]arrow.Array, 0, schema.NumFields())
	ok := false
	defer func() {
		if !ok {
			for _, c := range cols {
				c.Release()
			}
		}
	}()
	add := func(src []arrow.Array, idx []int32, fields []arrow.Field) error {
		lo, isRun := rowRun(idx)
		for c, f := range fields {
			if src == nil {
				cols = append(cols, array.MakeArrayOfNull(mem, f.Type, n))
				continue
			}
			if isRun {
				// Consecutive rows (every probe row of a key-to-key join
				// matching once): share the source's buffers.
				cols = append(cols, sliceOf(src[c], lo, len(idx)))
				continue
			}
			a, err := takeArray(mem, src[c], idx)
			if err != nil {
				return fmt.Errorf("%s: column %s: %w", s.j.what(), f.Name, err)
			}
			cols = append(cols, a)
		}
		return nil
	}
	if err := add(lSrc, lIdx, s.j.left.Schema().Fields()); err != nil {
		return nil, err
	}
	if withRight {
		if err := add(rSrc, rIdx, s.j.right.Schema().Fields()); err != nil {
			return nil, err
		}
	}
	out := array.NewRecordBatch(schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	ok = true
	return out, nil
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
	if s.sp != nil {
		s.sp.release()
		s.sp = nil
	}
	err := s.probe.Close()
	// A stream closed before its end or with its context cancelled abandons the run.
	s.j.unref(s.t, s.phase != phaseDone || s.ctx.Err() != nil)
	return err
}

// rowRun reports whether idx is the run of consecutive rows lo, lo+1, ...
// (empty is not a run).
func rowRun(idx []int32) (lo int, ok bool) {
	if len(idx) == 0 || idx[0] < 0 {
		return 0, false
	}
	first := idx[0]
	for i, r := range idx {
		if r != first+int32(i) {
			return 0, false
		}
	}
	return int(first), true
}

// sliceOf returns rows [lo, lo+n) of a, retained, sharing a's buffers.
func sliceOf(a arrow.Array, lo, n int) arrow.Array {
	if lo == 0 && n == a.Len() {
		a.Retain()
		return a
	}
	return array.NewSlice(a, int64(lo), int64(lo+n))
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
	dict := kernels.DictionaryValues(d)
	defer dict.Release()
	return array.NewDictionaryArray(d.DataType(), ix, dict), nil
}
