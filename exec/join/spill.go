package join

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/exec/spill"
)

// A hash join whose build side passes the memory budget's spill threshold
// becomes a partitioned (grace) hash join: the build rows are hash-
// partitioned by key into spill files, the leaves of a tree of fanout
// partitions per level (a leaf larger than the target size is split again
// with the next level's hash digit). Each probe stream then partitions its
// own probe rows into files by the same tree, and joins leaf by leaf: it
// loads the leaf's build rows into a table of its own and streams the
// leaf's probe rows through it, with the code of the in-memory join. Build
// rows are numbered within their leaf the same way by every stream, so the
// matches of build rows are recorded in bitmaps shared by the run, and the
// stream finishing the run emits the build-side tail leaf by leaf. A leaf
// that cannot be split (its rows share a key, or the deepest level is
// reached) is joined whole, the budget's hard limit being the last resort.
// The nested-loop join never spills.

const (
	fanBits  = 4
	fanout   = 1 << fanBits
	maxLevel = 64/fanBits - 1

	// minLeafBytes is the default least target size of a leaf.
	minLeafBytes = 1 << 20
)

// digit is the partition of hash h at level l of the tree.
func digit(h uint64, l int) int {
	return int(kernels.Mix64(h+uint64(l+1)*golden) >> (64 - fanBits))
}

// node is a node of the partition tree: inner nodes route by digit(h, level).
type node struct {
	level    int
	children []*node // nil for a leaf
	leaf     int     // index in spilledBuild.leaves for a leaf
	file     *spill.File
	rows     int
}

// leaf is a final partition of the build side.
type leaf struct {
	file    *spill.File // nil when the leaf has no rows
	rows    int
	matched []uint32 // bit i: row i of the leaf matched; when the join tracks build rows
}

// spilledBuild is the build side of a run partitioned to disk.
type spilledBuild struct {
	root   *node
	leaves []*leaf
}

// route returns the leaf of hash h.
func (sb *spilledBuild) route(h uint64) int {
	n := sb.root
	for n.children != nil {
		n = n.children[digit(h, n.level)]
	}
	return n.leaf
}

func (sb *spilledBuild) release() {
	for _, l := range sb.leaves {
		if l.file != nil {
			_ = l.file.Remove()
		}
	}
	sb.leaves = nil
}

// root returns the first level of a partition tree.
func (j *hashJoin) root() *node {
	r := &node{level: 0, children: make([]*node, fanout)}
	for i := range r.children {
		r.children[i] = &node{level: 1, leaf: i}
	}
	return r
}

// leafTarget is the size in bytes of the largest leaf not split further:
// the spill threshold shared by the probe streams that load leaves at once.
func (j *hashJoin) leafTarget() int64 {
	if j.leafBytes > 0 {
		return j.leafBytes
	}
	t := int64(minLeafBytes)
	if b := j.env.Budget; b != nil {
		t = max(t, b.SpillThreshold()/int64(4*max(1, j.Partitions())))
	}
	return t
}

// partitioner routes the rows of batches to one spill writer per leaf of a
// tree (the leaves numbered 0..n-1 by their leaf field).
type partitioner struct {
	ctx     context.Context
	j       *hashJoin
	schema  *arrow.Schema
	keyCols []int
	root    *node
	writers []*spill.Writer
	keys    keySet
	leafOf  []int32
	counts  []int
	idx     []int32
}

func (j *hashJoin) newPartitioner(ctx context.Context, schema *arrow.Schema, keyCols []int, root *node) *partitioner {
	n := 0
	var walk func(*node)
	walk = func(x *node) {
		if x.children == nil {
			n = max(n, x.leaf+1)
			return
		}
		for _, c := range x.children {
			walk(c)
		}
	}
	walk(root)
	return &partitioner{ctx: ctx, j: j, schema: schema, keyCols: keyCols, root: root, writers: make([]*spill.Writer, n)}
}

// add writes the rows of b to the writers of their leaves.
func (pt *partitioner) add(b arrow.RecordBatch) error {
	if err := pt.ctx.Err(); err != nil {
		return err
	}
	n := int(b.NumRows())
	arrs := make([]arrow.Array, len(pt.keyCols))
	for i, c := range pt.keyCols {
		arrs[i] = b.Column(c)
	}
	if err := pt.keys.load(pt.ctx, arrs, pt.j.nullSafe, pt.j.seed); err != nil {
		return err
	}
	sb := spilledBuild{root: pt.root}
	pt.leafOf = grow(pt.leafOf, n)
	pt.counts = grow(pt.counts, len(pt.writers)+1)
	clear(pt.counts)
	for i, h := range pt.keys.hash[:n] {
		l := sb.route(h)
		pt.leafOf[i] = int32(l)
		pt.counts[l+1]++
	}
	for l := 1; l < len(pt.counts); l++ {
		pt.counts[l] += pt.counts[l-1]
	}
	pt.idx = grow(pt.idx, n)
	pos := pt.counts[:len(pt.writers)]
	starts := make([]int, len(pt.writers)+1)
	copy(starts, pt.counts)
	for i, l := range pt.leafOf[:n] {
		pt.idx[pos[l]] = int32(i)
		pos[l]++
	}
	for l := range pt.writers {
		lo, hi := starts[l], starts[l+1]
		if lo == hi {
			continue
		}
		if pt.writers[l] == nil {
			w, err := spill.NewWriter(pt.j.env, pt.schema, &pt.j.stats)
			if err != nil {
				return err
			}
			pt.writers[l] = w
		}
		var part arrow.RecordBatch
		if hi-lo == n {
			b.Retain()
			part = b
		} else {
			var err error
			if part, err = takeBatch(pt.j.env.Mem, b, pt.idx[lo:hi]); err != nil {
				return err
			}
		}
		err := pt.writers[l].Write(part)
		part.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// addAll adds every batch of parts, releasing it and removing it from parts;
// on error the batches not added stay in parts.
func (pt *partitioner) addAll(parts [][]arrow.RecordBatch) error {
	for q, bs := range parts {
		for i, b := range bs {
			if err := pt.add(b); err != nil {
				exec.ReleaseAll(bs[:i])
				parts[q] = bs[i:]
				return err
			}
		}
		exec.ReleaseAll(bs)
		parts[q] = nil
	}
	return nil
}

// finish closes the writers and returns the file of each leaf (nil for an
// empty one); on error every file is removed.
func (pt *partitioner) finish() ([]*spill.File, error) {
	files := make([]*spill.File, len(pt.writers))
	for l, w := range pt.writers {
		if w == nil {
			continue
		}
		f, err := w.Finish()
		pt.writers[l] = nil
		if err != nil {
			for _, f := range files {
				if f != nil {
					_ = f.Remove()
				}
			}
			pt.abort()
			return nil, err
		}
		files[l] = f
	}
	return files, nil
}

// abort removes every file being written.
func (pt *partitioner) abort() {
	for l, w := range pt.writers {
		if w != nil {
			w.Abort()
			pt.writers[l] = nil
		}
	}
}

// finishBuild closes the build partitions, splits the leaves larger than
// the target and numbers the final leaves.
func (j *hashJoin) finishBuild(ctx context.Context, pt *partitioner) (*spilledBuild, error) {
	files, err := pt.finish()
	if err != nil {
		return nil, err
	}
	root := pt.root
	for i, c := range root.children {
		c.file = files[i]
	}
	// Every file hangs on a leaf of the tree from here on: release removes them.
	sb := &spilledBuild{root: root}
	ok := false
	defer func() {
		if !ok {
			removeTree(root)
		}
	}()
	target := j.leafTarget()
	var split func(n *node) error
	split = func(n *node) error {
		if n.children != nil {
			for _, c := range n.children {
				if err := split(c); err != nil {
					return err
				}
			}
			return nil
		}
		if n.file == nil || n.file.Bytes() <= target || n.level > maxLevel {
			return nil
		}
		sub := &node{level: n.level, children: make([]*node, fanout)}
		for i := range sub.children {
			sub.children[i] = &node{level: n.level + 1, leaf: i}
		}
		p := j.newPartitioner(ctx, n.file.Schema(), j.buildKeys(), sub)
		rd, err := n.file.Open(ctx, j.env.Mem)
		if err != nil {
			return err
		}
		err = exec.Drain(ctx, rd, p.add)
		if err != nil {
			p.abort()
			return err
		}
		fs, err := p.finish()
		if err != nil {
			return err
		}
		full := 0
		for i, f := range fs {
			sub.children[i].file = f
			if f != nil && f.Rows() == n.file.Rows() {
				full++
			}
		}
		if full == 1 {
			// Every row went to one child: its rows share a hash, splitting
			// again would not help. Keep the leaf whole.
			removeTree(sub)
			return nil
		}
		_ = n.file.Remove()
		n.file, n.children, n.level = nil, sub.children, sub.level
		for _, c := range n.children {
			if err := split(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := split(root); err != nil {
		return nil, err
	}
	var number func(n *node)
	number = func(n *node) {
		if n.children != nil {
			for _, c := range n.children {
				number(c)
			}
			return
		}
		n.leaf = len(sb.leaves)
		l := &leaf{file: n.file}
		if n.file != nil {
			l.rows = int(n.file.Rows())
		}
		if j.trackBuild() {
			l.matched = make([]uint32, (l.rows+31)/32)
		}
		sb.leaves = append(sb.leaves, l)
		n.file = nil
	}
	number(root)
	ok = true
	return sb, nil
}

func removeTree(n *node) {
	if n.file != nil {
		_ = n.file.Remove()
		n.file = nil
	}
	for _, c := range n.children {
		removeTree(c)
	}
}

// SpilledBytes implements exec.Spiller: the bytes the join wrote to disk
// over all its runs.
func (j *hashJoin) SpilledBytes() int64 { return j.stats.Bytes() }

// SpillFiles implements exec.Spiller: the number of spill files written.
func (j *hashJoin) SpillFiles() int64 { return j.stats.Files() }

// spillProbe is the state of a stream joining leaf by leaf.
type spillProbe struct {
	files []*spill.File // this stream's probe rows of each leaf
	leaf  int           // the leaf being joined
	sub   *stream       // joining the current leaf, nil between leaves
	tail  bool          // emitting the build-side tail
}

// release closes the current leaf and removes the probe files.
func (sp *spillProbe) release() {
	if sp.sub != nil {
		sp.sub.closeSub()
		sp.sub = nil
	}
	for i, f := range sp.files {
		if f != nil {
			_ = f.Remove()
			sp.files[i] = nil
		}
	}
}

// closeSub releases a stream over one leaf: its probe batch, its probe file
// reader and its table.
func (s *stream) closeSub() {
	if s.batch != nil {
		s.batch.Release()
		s.batch = nil
	}
	if s.probe != nil {
		_ = s.probe.Close()
	}
	s.t.release()
}

// partitionProbe reads the whole probe partition into one file per leaf.
func (s *stream) partitionProbe() error {
	sb := s.t.spilled
	pt := s.j.newPartitioner(s.ctx, s.j.probeOp().Schema(), s.j.probeKeys(), sb.root)
	err := exec.Drain(s.ctx, s.probe, pt.add)
	s.probe = drained{}
	if err != nil {
		pt.abort()
		return fmt.Errorf("hash join probe side: %w", err)
	}
	files, err := pt.finish()
	if err != nil {
		return fmt.Errorf("hash join probe side: %w", err)
	}
	s.sp = &spillProbe{files: files}
	return nil
}

// openLeaf loads leaf l's build rows into a table of the stream's own,
// sharing the leaf's match bitmap, and returns a stream over probe (nil for
// the build-side tail).
func (s *stream) openLeaf(l int, probe exec.Stream) (*stream, error) {
	lf := s.t.spilled.leaves[l]
	var batches []arrow.RecordBatch
	if lf.file != nil {
		rd, err := lf.file.Open(s.ctx, s.j.env.Mem)
		if err != nil {
			return nil, err
		}
		err = exec.Drain(s.ctx, rd, func(b arrow.RecordBatch) error {
			b.Retain()
			batches = append(batches, b)
			return nil
		})
		if err != nil {
			exec.ReleaseAll(batches)
			return nil, err
		}
	}
	t := &table{}
	if err := t.build(s.ctx, s.j, batches); err != nil {
		t.release()
		return nil, err
	}
	if t.rows != lf.rows {
		t.release()
		return nil, fmt.Errorf("hash join: spilled build partition has %d rows, want %d", t.rows, lf.rows)
	}
	t.matched = lf.matched
	return &stream{j: s.j, t: t, ctx: s.ctx, probe: probe, part: s.part}, nil
}

// nextSpilled is Next for a run whose build side is on disk.
func (s *stream) nextSpilled() (arrow.RecordBatch, error) {
	j := s.j
	if s.sp == nil {
		if err := s.partitionProbe(); err != nil {
			return nil, err
		}
	}
	sp, sb := s.sp, s.t.spilled
	for {
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
		if sp.sub != nil {
			var out arrow.RecordBatch
			var err error
			if sp.tail {
				out, err = sp.sub.buildTail()
				if out == nil && err == nil {
					err = io.EOF
				}
			} else {
				out, err = sp.sub.probeNext()
			}
			if !errors.Is(err, io.EOF) {
				return out, err
			}
			sp.sub.closeSub()
			sp.sub = nil
			if !sp.tail && sp.files[sp.leaf] != nil {
				_ = sp.files[sp.leaf].Remove()
				sp.files[sp.leaf] = nil
			}
			sp.leaf++
		}
		if sp.leaf >= len(sb.leaves) {
			if sp.tail {
				s.phase = phaseDone
				return nil, io.EOF
			}
			if !j.trackBuild() || !j.finish(s.t, s.part) {
				s.phase = phaseDone
				return nil, io.EOF
			}
			sp.tail, sp.leaf = true, 0
			continue
		}
		l := sp.leaf
		if sp.tail {
			if sb.leaves[l].rows == 0 {
				sp.leaf++
				continue
			}
			sub, err := s.openLeaf(l, nil)
			if err != nil {
				return nil, err
			}
			sp.sub = sub
			continue
		}
		f := sp.files[l]
		if f == nil {
			sp.leaf++ // no probe rows: nothing but the build-side tail, later
			continue
		}
		if sb.leaves[l].rows == 0 && !j.probeOuter && !(j.probeSemi && j.anti) {
			_ = f.Remove()
			sp.files[l] = nil
			sp.leaf++
			continue
		}
		rd, err := f.Open(s.ctx, j.env.Mem)
		if err != nil {
			return nil, err
		}
		sub, err := s.openLeaf(l, rd)
		if err != nil {
			rd.Close()
			return nil, err
		}
		sp.sub = sub
	}
}

// drained stands for a probe stream read to its end and closed.
type drained struct{}

func (drained) Next() (arrow.RecordBatch, error) { return nil, io.EOF }
func (drained) Close() error                     { return nil }
