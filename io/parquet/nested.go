package parquet

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go/format"
)

// Nested columns (lists, maps and structs, nested to any depth) are read by
// decoding every leaf column of the row group with its definition and
// repetition levels, then assembling Arrow arrays from the levels batch by
// batch. The schema is interpreted as parquet-format's LogicalTypes.md
// says, backward-compatibility rules included:
//   - a LIST group's one repeated child is the element when it is a
//     primitive, a group of several fields, or a group named "array" or
//     "<list>_tuple" (2-level lists of older writers); otherwise its one
//     child is the element (the standard 3-level layout);
//   - MAP and the legacy MAP_KEY_VALUE groups hold a repeated group of a
//     key and a value; one without a value is read as the list of its keys;
//   - a repeated field outside a LIST or MAP is a non-null list of
//     non-null elements;
//   - any other group is a struct.

// nestKind is the shape of one node of a nested column.
type nestKind uint8

const (
	nkLeaf nestKind = iota
	nkStruct
	nkList
	nkMap
)

// nestNode is one node of a nested column's schema tree.
type nestNode struct {
	kind nestKind
	typ  arrow.DataType
	// def is the definition level from which the node is non-null.
	def int
	// elemDef (lists and maps) is the level from which a slot has at least
	// one element; rep is the repetition level of the repeated field.
	elemDef, rep int
	children     []*nestNode // struct fields; a list's element; a map's key and value
	// first and end delimit the leaves under the node (indices into
	// nestLayout.leaves); first is the one whose levels give the node's
	// validity and offsets.
	first, end int
}

// nestLayout describes a nested column: its tree and its leaf columns in
// file order.
type nestLayout struct {
	root   *nestNode
	leaves []column
}

// mapNested maps the nested column whose schema starts at element i.
func mapNested(els []format.SchemaElement, i, leaf int) (column, error) {
	b := nestBuilder{els: els}
	root, _, err := b.field(i, 0, 0, false)
	if err != nil {
		return column{}, err
	}
	for k := range b.leaves {
		b.leaves[k].leaf = leaf + k
	}
	el := &els[i]
	rep, _ := el.RepetitionType.Get()
	return column{
		name: el.Name, typ: root.typ, optional: rep == format.Optional, leaf: leaf,
		nest: &nestLayout{root: root, leaves: b.leaves},
	}, nil
}

// nestBuilder walks a nested column's schema elements.
type nestBuilder struct {
	els    []format.SchemaElement
	leaves []column
}

func (b *nestBuilder) children(i int) (int, error) {
	n, _ := b.els[i].NumChildren.Get()
	if n < 0 || int(n) > len(b.els)-i-1 {
		return 0, fmt.Errorf("schema element %s: %d children", b.els[i].Name, n)
	}
	return int(n), nil
}

// field maps the schema element at i whose parent is non-null from level
// def at repetition level rep. asElement says a repeated element has
// already been counted by the list it belongs to. It returns the node and
// the index of the element after the field.
func (b *nestBuilder) field(i, def, rep int, asElement bool) (*nestNode, int, error) {
	if i >= len(b.els) {
		return nil, 0, errors.New("schema ends inside a group")
	}
	if def > 250 || rep > 250 {
		return nil, 0, errors.New("nesting too deep")
	}
	el := &b.els[i]
	r, _ := el.RepetitionType.Get()
	if r == format.Repeated && !asElement {
		// A repeated field outside a LIST: a non-null list of non-null
		// elements.
		first := len(b.leaves)
		elem, next, err := b.field(i, def+1, rep+1, true)
		if err != nil {
			return nil, 0, err
		}
		return &nestNode{kind: nkList, typ: arrow.ListOf(elem.typ), def: def, elemDef: def + 1, rep: rep + 1,
			children: []*nestNode{elem}, first: first, end: len(b.leaves)}, next, nil
	}
	if r == format.Optional {
		def++
	}
	nc, err := b.children(i)
	if err != nil {
		return nil, 0, err
	}
	first := len(b.leaves)
	if nc == 0 {
		c, err := mapColumn(el)
		if err != nil {
			return nil, 0, fmt.Errorf("field %s: %w", el.Name, err)
		}
		c.maxDef, c.maxRep, c.optional = def, rep, def > 0
		b.leaves = append(b.leaves, c)
		return &nestNode{kind: nkLeaf, typ: c.typ, def: def, first: first, end: first + 1}, i + 1, nil
	}
	lt := el.LogicalType.Value
	ct, hasCT := el.ConvertedType.Get()
	_, isList := lt.(*format.ListType)
	_, isMap := lt.(*format.MapType)
	if lt == nil && hasCT {
		isList = ct == 3
		isMap = ct == 1 || ct == 2
	}
	switch {
	case isList:
		if nc != 1 {
			return nil, 0, fmt.Errorf("LIST %s has %d children, want 1", el.Name, nc)
		}
		child := &b.els[i+1]
		if cr, _ := child.RepetitionType.Get(); cr != format.Repeated {
			return nil, 0, fmt.Errorf("LIST %s: child %s is not repeated", el.Name, child.Name)
		}
		cn, err := b.children(i + 1)
		if err != nil {
			return nil, 0, err
		}
		var elem *nestNode
		var next int
		if cn == 0 || cn > 1 || child.Name == "array" || child.Name == el.Name+"_tuple" {
			// 2-level: the repeated field is the element.
			elem, next, err = b.field(i+1, def+1, rep+1, true)
		} else {
			elem, next, err = b.field(i+2, def+1, rep+1, false)
		}
		if err != nil {
			return nil, 0, err
		}
		if next2, _, err := skipGroup(b.els, i); err != nil || next2 != next {
			return nil, 0, fmt.Errorf("LIST %s: malformed group", el.Name)
		}
		return &nestNode{kind: nkList, typ: arrow.ListOf(elem.typ), def: def, elemDef: def + 1, rep: rep + 1,
			children: []*nestNode{elem}, first: first, end: len(b.leaves)}, next, nil
	case isMap:
		if nc != 1 {
			return nil, 0, fmt.Errorf("MAP %s has %d children, want 1", el.Name, nc)
		}
		kv := &b.els[i+1]
		kn, err := b.children(i + 1)
		if err != nil {
			return nil, 0, err
		}
		if cr, _ := kv.RepetitionType.Get(); cr != format.Repeated || kn < 1 || kn > 2 {
			return nil, 0, fmt.Errorf("MAP %s: want a repeated group of a key and a value", el.Name)
		}
		key, next, err := b.field(i+2, def+1, rep+1, false)
		if err != nil {
			return nil, 0, err
		}
		if kn == 1 {
			// A map without values (a set of keys): the list of its keys,
			// as arrow-go and parquet-rs read it.
			return &nestNode{kind: nkList, typ: arrow.ListOf(key.typ), def: def, elemDef: def + 1, rep: rep + 1,
				children: []*nestNode{key}, first: first, end: len(b.leaves)}, next, nil
		}
		val, next, err := b.field(next, def+1, rep+1, false)
		if err != nil {
			return nil, 0, err
		}
		// Optional keys (some writers declare them) are read; a key that
		// is actually null fails the read naming its row, as Spark
		// refuses null map keys.
		return &nestNode{kind: nkMap, typ: arrow.MapOf(key.typ, val.typ), def: def, elemDef: def + 1, rep: rep + 1,
			children: []*nestNode{key, val}, first: first, end: len(b.leaves)}, next, nil
	}
	// A struct.
	n := &nestNode{kind: nkStruct, def: def, first: first}
	var fields []arrow.Field
	next := i + 1
	for range nc {
		if next >= len(b.els) {
			return nil, 0, errors.New("schema ends inside a group")
		}
		name := b.els[next].Name
		ch, nx, err := b.field(next, def, rep, false)
		if err != nil {
			return nil, 0, err
		}
		n.children = append(n.children, ch)
		fields = append(fields, arrow.Field{Name: name, Type: ch.typ, Nullable: true})
		next = nx
	}
	n.typ = arrow.StructOf(fields...)
	n.end = len(b.leaves)
	return n, next, nil
}

// leafLevels is one leaf column of a row group decoded whole: a definition
// and repetition level per entry, the non-null values in Arrow layout
// (fixed-width values, booleans one byte each, or byte arrays), and where
// each row's entries start.
type leafLevels struct {
	c          *column
	defs, reps []byte
	vidx       []int32 // value index of each entry (-1 when null)
	fixed      []byte
	bdata      []byte
	boff       []int32
	rowStart   []int32 // entry index of each row's first entry, and the end
}

// nestRows is a nested column of one row group, decoded, and the position
// of the next batch.
type nestRows struct {
	n      *nestLayout
	leaves []leafLevels
	pos    int
}

// decodeNested reads every leaf column chunk of the nested column c in row
// group rg (numRows rows).
func decodeNested(ctx context.Context, f *File, rg int, c *column, numRows int) (*nestRows, error) {
	chunks := f.pf.Metadata().RowGroups[rg].Columns
	nr := &nestRows{n: c.nest, leaves: make([]leafLevels, len(c.nest.leaves))}
	for k := range c.nest.leaves {
		lc := &c.nest.leaves[k]
		if lc.leaf >= len(chunks) {
			return nil, fmt.Errorf("leaf column %d missing", lc.leaf)
		}
		pages, err := newChunkPages(f.r, lc, &chunks[lc.leaf])
		if err != nil {
			return nil, err
		}
		ll := &nr.leaves[k]
		ll.c = lc
		if err := ll.read(ctx, &colReader{c: lc, pages: pages}); err != nil {
			return nil, fmt.Errorf("field %s: %w", lc.name, err)
		}
		if len(ll.rowStart)-1 != numRows {
			return nil, fmt.Errorf("field %s has %d rows, row group %d", lc.name, len(ll.rowStart)-1, numRows)
		}
	}
	return nr, nil
}

func (ll *leafLevels) read(ctx context.Context, cr *colReader) error {
	maxDef, _ := cr.c.levels()
	ow := cr.c.kind.outWidth()
	binary := cr.c.kind == kBinary
	if binary {
		ll.boff = append(ll.boff, 0)
	}
	nv := int32(0)
	for cr.pages.left > 0 {
		if err := cr.nextPage(ctx); err != nil {
			return err
		}
		for e := range cr.rows {
			// A page without levels has every value defined.
			d, r := byte(maxDef), byte(0)
			if cr.defs != nil {
				d = cr.defs[e]
			}
			if cr.reps != nil {
				r = cr.reps[e]
			}
			if r == 0 {
				ll.rowStart = append(ll.rowStart, int32(len(ll.defs)))
			}
			ll.defs = append(ll.defs, d)
			ll.reps = append(ll.reps, r)
			if int(d) < maxDef {
				ll.vidx = append(ll.vidx, -1)
				continue
			}
			ll.vidx = append(ll.vidx, nv)
			nv++
			j := cr.valPos
			cr.valPos++
			if cr.idx != nil {
				if j >= len(cr.idx) {
					return errors.New("more values than dictionary indices")
				}
				j = int(cr.idx[j])
				if j < 0 || j >= cr.dictLen {
					return fmt.Errorf("dictionary index %d out of range [0,%d)", j, cr.dictLen)
				}
			}
			if binary {
				if j+1 >= len(cr.boff) {
					return errors.New("more values than the page holds")
				}
				ll.bdata = append(ll.bdata, cr.bdata[cr.boff[j]:cr.boff[j+1]]...)
				if len(ll.bdata) > math.MaxInt32 {
					return errors.New("row group string data exceeds 2 GiB")
				}
				ll.boff = append(ll.boff, int32(len(ll.bdata)))
			} else {
				if (j+1)*ow > len(cr.fixed) {
					return errors.New("more values than the page holds")
				}
				ll.fixed = append(ll.fixed, cr.fixed[j*ow:(j+1)*ow]...)
			}
		}
		cr.rowPos = cr.rows
	}
	ll.rowStart = append(ll.rowStart, int32(len(ll.defs)))
	return nil
}

// rng is the entries [s, e) of one slot of a node in one leaf's levels.
type rng struct{ s, e int32 }

// next assembles the next n rows as an Arrow array.
func (nr *nestRows) next(mem memory.Allocator, n int) (arrow.Array, error) {
	if nr.pos+n > len(nr.leaves[0].rowStart)-1 {
		return nil, errors.New("nested column has fewer rows than the row group")
	}
	rs := make([][]rng, len(nr.leaves))
	for k := range nr.leaves {
		starts := nr.leaves[k].rowStart[nr.pos : nr.pos+n+1]
		r := make([]rng, n)
		for i := range r {
			r[i] = rng{starts[i], starts[i+1]}
		}
		rs[k] = r
	}
	d, err := nr.build(mem, nr.n.root, rs)
	if err != nil {
		return nil, err
	}
	nr.pos += n
	defer d.Release()
	return array.MakeFromData(d), nil
}

// validity returns the validity bitmap of node's slots (nil when none is
// null) and the number of nulls.
func (nr *nestRows) validity(mem memory.Allocator, node *nestNode, slots []rng) (*memory.Buffer, int) {
	ll := &nr.leaves[node.first]
	nulls := 0
	for _, s := range slots {
		if int(ll.defs[s.s]) < node.def {
			nulls++
		}
	}
	if nulls == 0 {
		return nil, 0
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(len(slots)))))
	bits := buf.Bytes()
	for i := range bits {
		bits[i] = 0
	}
	for i, s := range slots {
		if int(ll.defs[s.s]) >= node.def {
			bitutil.SetBit(bits, i)
		}
	}
	return buf, nulls
}

// build assembles node's array from the slots each of its leaves has.
func (nr *nestRows) build(mem memory.Allocator, node *nestNode, rs [][]rng) (arrow.ArrayData, error) {
	slots := rs[node.first]
	n := len(slots)
	for _, s := range slots {
		if s.e <= s.s {
			return nil, errors.New("empty level run")
		}
	}
	switch node.kind {
	case nkLeaf:
		return nr.buildLeaf(mem, node, slots)
	case nkStruct:
		kids := make([]arrow.ArrayData, 0, len(node.children))
		release := func() {
			for _, k := range kids {
				k.Release()
			}
		}
		for _, ch := range node.children {
			for k := ch.first; k < ch.end; k++ {
				if len(rs[k]) != n {
					release()
					return nil, errors.New("leaf columns disagree on the struct's rows")
				}
			}
			d, err := nr.build(mem, ch, rs)
			if err != nil {
				release()
				return nil, err
			}
			kids = append(kids, d)
		}
		valid, nulls := nr.validity(mem, node, slots)
		d := array.NewData(node.typ, n, []*memory.Buffer{valid}, kids, nulls, 0)
		if valid != nil {
			valid.Release()
		}
		release()
		return d, nil
	}
	// A list or map: split each leaf's slots into element slots.
	sub := make([][]rng, len(rs))
	obuf := memory.NewResizableBuffer(mem)
	obuf.Resize((n + 1) * 4)
	offs := as[int32](obuf.Bytes())[:n+1]
	for k := node.first; k < node.end; k++ {
		ll := &nr.leaves[k]
		out := make([]rng, 0, len(rs[k]))
		if len(rs[k]) != n {
			obuf.Release()
			return nil, errors.New("leaf columns disagree on the list's rows")
		}
		for i, s := range rs[k] {
			if k == node.first {
				offs[i] = int32(len(out))
			}
			if int(ll.defs[s.s]) < node.elemDef {
				if s.e-s.s != 1 {
					obuf.Release()
					return nil, errors.New("a null or empty list with repeated entries")
				}
				continue
			}
			start := s.s
			for e := s.s + 1; e < s.e; e++ {
				if int(ll.reps[e]) == node.rep {
					out = append(out, rng{start, e})
					start = e
				} else if int(ll.reps[e]) < node.rep {
					obuf.Release()
					return nil, errors.New("repetition level out of place")
				}
			}
			out = append(out, rng{start, s.e})
		}
		if k == node.first {
			offs[n] = int32(len(out))
		} else if len(out) != len(sub[node.first]) {
			obuf.Release()
			return nil, errors.New("leaf columns disagree on list lengths")
		}
		sub[k] = out
	}
	var child arrow.ArrayData
	if node.kind == nkList {
		d, err := nr.build(mem, node.children[0], sub)
		if err != nil {
			obuf.Release()
			return nil, err
		}
		child = d
	} else {
		key, err := nr.build(mem, node.children[0], sub)
		if err != nil {
			obuf.Release()
			return nil, err
		}
		if key.NullN() > 0 {
			row := nr.nullKeyRow(node.children[0], sub, key)
			key.Release()
			obuf.Release()
			return nil, fmt.Errorf("null map key in row %d of the row group (map keys cannot be null)", row)
		}
		val, err := nr.build(mem, node.children[1], sub)
		if err != nil {
			key.Release()
			obuf.Release()
			return nil, err
		}
		et := node.typ.(*arrow.MapType).Elem()
		child = array.NewData(et, key.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{key, val}, 0, 0)
		key.Release()
		val.Release()
	}
	valid, nulls := nr.validity(mem, node, slots)
	d := array.NewData(node.typ, n, []*memory.Buffer{valid, obuf}, []arrow.ArrayData{child}, nulls, 0)
	if valid != nil {
		valid.Release()
	}
	obuf.Release()
	child.Release()
	return d, nil
}

// nullKeyRow returns the row (counted from the start of the row group) of
// the first null in key, the keys of a map node whose slots are
// sub[keyNode.first].
func (nr *nestRows) nullKeyRow(keyNode *nestNode, sub [][]rng, key arrow.ArrayData) int {
	valid := key.Buffers()[0]
	j := 0
	for ; j < key.Len(); j++ {
		if valid != nil && !bitutil.BitIsSet(valid.Bytes(), key.Offset()+j) {
			break
		}
	}
	slots := sub[keyNode.first]
	if j >= len(slots) {
		return -1
	}
	starts := nr.leaves[keyNode.first].rowStart
	e := slots[j].s
	return sort.Search(len(starts)-1, func(i int) bool { return starts[i+1] > e })
}

// buildLeaf gathers the values of a leaf's slots (one entry each).
func (nr *nestRows) buildLeaf(mem memory.Allocator, node *nestNode, slots []rng) (arrow.ArrayData, error) {
	ll := &nr.leaves[node.first]
	n := len(slots)
	for _, s := range slots {
		if s.e-s.s != 1 {
			return nil, errors.New("a leaf value with repeated entries")
		}
	}
	valid, nulls := nr.validity(mem, node, slots)
	release := func(bufs ...*memory.Buffer) {
		for _, b := range bufs {
			if b != nil {
				b.Release()
			}
		}
	}
	var bufs []*memory.Buffer
	if ll.c.kind == kBinary {
		obuf := memory.NewResizableBuffer(mem)
		obuf.Resize((n + 1) * 4)
		offs := as[int32](obuf.Bytes())[:n+1]
		size := 0
		for _, s := range slots {
			if v := ll.vidx[s.s]; v >= 0 {
				size += int(ll.boff[v+1] - ll.boff[v])
			}
		}
		if size > math.MaxInt32 {
			release(valid, obuf)
			return nil, errors.New("batch string data exceeds 2 GiB")
		}
		dbuf := memory.NewResizableBuffer(mem)
		dbuf.Resize(size)
		dat := dbuf.Bytes()
		pos := int32(0)
		offs[0] = 0
		for i, s := range slots {
			if v := ll.vidx[s.s]; v >= 0 {
				pos += int32(copy(dat[pos:], ll.bdata[ll.boff[v]:ll.boff[v+1]]))
			}
			offs[i+1] = pos
		}
		bufs = []*memory.Buffer{valid, obuf, dbuf}
	} else {
		ow := ll.c.kind.outWidth()
		vbuf := memory.NewResizableBuffer(mem)
		if ll.c.kind == kBool {
			vbuf.Resize(int(bitutil.BytesForBits(int64(n))))
			bits := vbuf.Bytes()
			for i := range bits {
				bits[i] = 0
			}
			for i, s := range slots {
				if v := ll.vidx[s.s]; v >= 0 && ll.fixed[v] != 0 {
					bitutil.SetBit(bits, i)
				}
			}
		} else {
			vbuf.Resize(n * ow)
			out := vbuf.Bytes()
			for i, s := range slots {
				dst := out[i*ow : (i+1)*ow]
				if v := int(ll.vidx[s.s]); v >= 0 {
					copy(dst, ll.fixed[v*ow:(v+1)*ow])
				} else {
					clear(dst)
				}
			}
		}
		bufs = []*memory.Buffer{valid, vbuf}
	}
	d := array.NewData(node.typ, n, bufs, nil, nulls, 0)
	release(bufs...)
	return d, nil
}
