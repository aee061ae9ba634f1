package exec

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// Filter keeps the rows of its child for which the predicate is true (null
// counts as false). It runs partition by partition.
type Filter struct {
	env   *Env
	child Operator
	pred  expr.Expr
}

// NewFilter returns a filter of child by pred, a boolean expression over the child's columns.
func NewFilter(env *Env, child Operator, pred expr.Expr) (*Filter, error) {
	if pred.DataType().ID() != arrow.BOOL {
		return nil, fmt.Errorf("filter predicate %s has type %s, not boolean", pred, pred.DataType())
	}
	return &Filter{env: env, child: child, pred: pred}, nil
}

// Schema implements Operator.
func (f *Filter) Schema() *arrow.Schema { return f.child.Schema() }

// Partitions implements Operator.
func (f *Filter) Partitions() int { return f.child.Partitions() }

// Children implements Operator.
func (f *Filter) Children() []Operator { return []Operator{f.child} }

// String implements Operator.
func (f *Filter) String() string { return "Filter " + f.pred.String() }

// Execute implements Operator.
func (f *Filter) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(f, p); err != nil {
		return nil, err
	}
	in, err := Open(ctx, f.child, p)
	if err != nil {
		return nil, err
	}
	return &filterStream{f: f, ctx: ctx, in: in}, nil
}

type filterStream struct {
	f    *Filter
	ctx  context.Context
	in   Stream
	rows conjunctRows
}

func (s *filterStream) Next() (arrow.RecordBatch, error) {
	for {
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
		b, err := s.in.Next()
		if err != nil {
			return nil, err
		}
		out, err := s.apply(b)
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return out, nil
	}
}

// apply filters b and releases it, even when the predicate panics.
func (s *filterStream) apply(b arrow.RecordBatch) (arrow.RecordBatch, error) {
	defer b.Release()
	if s.rows.conj == nil {
		s.rows = newConjunctRows(s.f.pred)
	}
	kept, all, err := s.rows.eval(s.f.env, b, nil)
	if err != nil {
		return nil, err
	}
	if all {
		return kept, nil
	}
	defer kept.Release()
	return kernels.TakeBatch(s.f.env.Mem, kept, s.rows.idx)
}

// conjunctRows evaluates a filter's conjuncts one after another, each on
// the rows the earlier ones kept: the rows still in are a bitmap narrowed
// by each conjunct, and when at most half of a batch's rows are left before
// a conjunct that is not cheap, they are copied out and the later
// conjuncts run over the copy only. A conjunct that expr.DictionaryColumn
// accepts runs once per dictionary entry when the batch's source has the
// column's dictionary codes.
type conjunctRows struct {
	conj []expr.Expr
	// dictCol is, per conjunct, the column expr.DictionaryColumn reports
	// (-1: none).
	dictCol []int
	idx     []int32
	acc     []byte
	// sel maps the rows of a copy to the rows of the input batch while the
	// conjuncts run over a copy; coded holds codes gathered through it.
	sel   []int32
	coded []int32
	// copied says that the batch eval last returned is a copy of the
	// input's rows sel (not the input itself).
	copied bool
	// coded1 holds, per column, an input schema and the same schema with
	// that column dictionary-encoded.
	coded1 map[int][2]*arrow.Schema
}

// ColumnCodes gives the dictionary codes of a batch's string columns, when
// its source decoded them from dictionary pages (a Parquet row group).
type ColumnCodes interface {
	// Codes returns the dictionary of column col's strings and every
	// row's index into it (any index for a null row), or ok false.
	Codes(col int) (dict arrow.Array, codes []int32, ok bool)
}

// newConjunctRows splits pred into its conjuncts, in evaluation order.
func newConjunctRows(pred expr.Expr) conjunctRows {
	r := conjunctRows{conj: expr.OrderConjuncts(expr.Conjuncts(pred))}
	r.dictCol = make([]int, len(r.conj))
	for k, c := range r.conj {
		r.dictCol[k] = -1
		if col, ok := expr.DictionaryColumn(c); ok {
			r.dictCol[k] = col
		}
	}
	return r
}

// eval returns the rows of b where every conjunct is true, as a batch kept
// (b itself or a copy of some of its rows; the caller releases it) and,
// unless all is true, the positions in kept of those rows (in r.idx).
// codes (nil: none) has the dictionary codes of b's columns.
func (r *conjunctRows) eval(env *Env, b arrow.RecordBatch, codes ColumnCodes) (kept arrow.RecordBatch, all bool, err error) {
	cur := b
	cur.Retain()
	defer func() {
		if err != nil || kept == nil {
			cur.Release()
		}
	}()
	all = true
	r.copied = false
	for k, c := range r.conj {
		n := int(cur.NumRows())
		var m arrow.Array
		coded := false
		if codes != nil && r.dictCol[k] >= 0 {
			m, coded, err = r.evalCoded(env, cur, r.copied, codes, r.dictCol[k], c)
		}
		if !coded && err == nil {
			m, err = c.Eval(env.Mem, cur)
		}
		if err != nil {
			return nil, false, err
		}
		mask, ok := m.(*array.Boolean)
		if !ok {
			m.Release()
			return nil, false, fmt.Errorf("filter predicate %s returned %s", c, m.DataType())
		}
		if nb := int(bitutil.BytesForBits(int64(n))); cap(r.acc) < nb {
			r.acc = make([]byte, nb)
		}
		kernels.AndMask(r.acc, mask, all)
		m.Release()
		left := bitutil.CountSetBits(r.acc, 0, n)
		all = left == n
		if left == 0 {
			r.idx = r.idx[:0]
			return cur, false, nil
		}
		if all {
			continue
		}
		if k == len(r.conj)-1 {
			r.idx = kernels.SetBitIndices(r.acc, 0, n, r.idx)
		} else if left <= n/2 && !expr.CheapConjunct(r.conj[k+1]) {
			r.idx = kernels.SetBitIndices(r.acc, 0, n, r.idx)
			t, err := kernels.TakeBatch(env.Mem, cur, r.idx)
			if err != nil {
				return nil, false, err
			}
			cur.Release()
			cur, all = t, true
			// Row i of the copy is row sel[i] of b. idx ascends, so
			// composing in place reads each entry before it is written.
			if !r.copied {
				r.sel = append(r.sel[:0], r.idx...)
			} else {
				for i, j := range r.idx {
					r.sel[i] = r.sel[j]
				}
				r.sel = r.sel[:len(r.idx)]
			}
			r.copied = true
		}
	}
	return cur, all, nil
}

// codedSchema returns src with column col of type dt, made once per
// column while the batches' fields stay the same.
func (r *conjunctRows) codedSchema(src *arrow.Schema, col int, dt arrow.DataType) *arrow.Schema {
	if r.coded1 == nil {
		r.coded1 = map[int][2]*arrow.Schema{}
	}
	if c, ok := r.coded1[col]; ok && sameFields(c[0], src) {
		return c[1]
	}
	fields := slices.Clone(src.Fields())
	fields[col].Type = dt
	out := arrow.NewSchema(fields, nil)
	r.coded1[col] = [2]*arrow.Schema{src, out}
	return out
}

// sameFields reports whether a and b have the same field names and types.
func sameFields(a, b *arrow.Schema) bool {
	if a == b {
		return true
	}
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := range a.NumFields() {
		fa, fb := a.Field(i), b.Field(i)
		if fa.Name != fb.Name || fa.Nullable != fb.Nullable || !arrow.TypeEqual(fa.Type, fb.Type) {
			return false
		}
	}
	return true
}

// evalCoded evaluates conjunct c, which reads only string column col of
// cur, with that column as a dictionary array built from codes: once per
// dictionary entry. copied says that cur holds the rows r.sel of the batch
// the codes belong to. It reports false when the column has no codes.
func (r *conjunctRows) evalCoded(env *Env, cur arrow.RecordBatch, copied bool, codes ColumnCodes, col int, c expr.Expr) (arrow.Array, bool, error) {
	if col >= int(cur.NumCols()) || cur.Column(col).DataType().ID() != arrow.STRING {
		return nil, false, nil
	}
	dict, cs, ok := codes.Codes(col)
	n := int(cur.NumRows())
	if !ok || dict.Len() > n {
		// A dictionary with more entries than the batch has rows costs
		// more evaluated whole than the rows do.
		return nil, false, nil
	}
	if copied {
		if cap(r.coded) < n {
			r.coded = make([]int32, n)
		}
		r.coded = r.coded[:n]
		for i, j := range r.sel[:n] {
			r.coded[i] = cs[j]
		}
		cs = r.coded
	} else if len(cs) < n {
		return nil, false, nil
	}
	plain := cur.Column(col).Data()
	if plain.Offset() != 0 {
		// The codes count rows from 0, the validity bitmap from the offset.
		return nil, false, nil
	}
	idx := array.NewData(arrow.PrimitiveTypes.Int32, n,
		[]*memory.Buffer{plain.Buffers()[0], memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(cs[:n]))},
		nil, plain.NullN(), 0)
	indices := array.MakeFromData(idx)
	idx.Release()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	da := array.NewDictionaryArray(dt, indices, dict)
	indices.Release()
	defer da.Release()
	cols := slices.Clone(cur.Columns())
	cols[col] = da
	batch := array.NewRecordBatch(r.codedSchema(cur.Schema(), col, dt), cols, int64(n))
	defer batch.Release()
	m, err := c.Eval(env.Mem, batch)
	return m, err == nil, err
}

func (s *filterStream) Close() error { return s.in.Close() }

// ScanOutput turns the batches a scan reads into what it produces: a fused
// predicate keeps the matching rows (copying only the output columns), the
// output columns are selected, and a per-partition limit ends the stream.
type ScanOutput struct {
	env     *Env
	pred    expr.Expr
	schema  *arrow.Schema
	cols    []int
	limit   int64
	emitted int64
	rows    conjunctRows

	// For ShapeLazy (see DecodeLazily): the read batch's schema, which of
	// its columns the predicate reads, that schema with the other columns
	// as nulls (and the metadata it was last made with), and the kept
	// rows' positions in the batch.
	read     *arrow.Schema
	predCol  []bool
	coded    []bool // predicate columns read only by conjuncts that take a dictionary array
	predRead *arrow.Schema
	predMD   *arrow.Metadata
	pos      []int32
}

// NewScanOutput shapes batches into schema's columns cols (positions in the
// read batch) where pred (nil: every row) holds, up to limit rows (< 0: all).
func NewScanOutput(env *Env, pred expr.Expr, schema *arrow.Schema, cols []int, limit int64) *ScanOutput {
	s := &ScanOutput{env: env, pred: pred, schema: schema, cols: cols, limit: limit}
	if pred != nil {
		s.rows = newConjunctRows(pred)
	}
	return s
}

// Done reports whether the limit has been reached.
func (s *ScanOutput) Done() bool { return s.limit >= 0 && s.emitted >= s.limit }

// Shape consumes b and returns the output batch, or nil when no row of b is
// produced.
func (s *ScanOutput) Shape(b arrow.RecordBatch) (arrow.RecordBatch, error) {
	return s.ShapeCoded(b, nil)
}

// ShapeCoded is Shape for a batch whose source has the dictionary codes of
// its string columns (codes, until the source reads on; nil: none), which
// the predicate's conjuncts over one string column use.
func (s *ScanOutput) ShapeCoded(b arrow.RecordBatch, codes ColumnCodes) (arrow.RecordBatch, error) {
	defer b.Release()
	src, all := b, true
	if s.pred != nil {
		kept, every, err := s.rows.eval(s.env, b, codes)
		if err != nil {
			return nil, err
		}
		defer kept.Release()
		src, all = kept, every
	}
	if !all && len(s.rows.idx) == 0 {
		return nil, nil
	}
	out := carryInputFile(b, selectColumns(src, s.schema, s.cols))
	if !all {
		taken, err := kernels.TakeBatch(s.env.Mem, out, s.rows.idx)
		out.Release()
		if err != nil {
			return nil, err
		}
		out = taken
	}
	return s.emit(out), nil
}

// emit counts out against the limit, cutting it there, and returns it (nil
// when it has no rows); it takes over out's reference.
func (s *ScanOutput) emit(out arrow.RecordBatch) arrow.RecordBatch {
	if out.NumRows() == 0 {
		out.Release()
		return nil
	}
	if s.limit >= 0 && s.emitted+out.NumRows() > s.limit {
		sl := out.NewSlice(0, s.limit-s.emitted)
		out.Release()
		out = sl
	}
	s.emitted += out.NumRows()
	return out
}

// LazyColumns is a batch whose columns its source decodes on demand, each
// at most once (a Parquet row group's reader between batches).
type LazyColumns interface {
	ColumnCodes
	// Column decodes column col of the batch: every row (rows nil) or the
	// rows at the ascending positions rows, in that order.
	Column(col int, rows []int32) (arrow.Array, error)
	// Selectable reports whether Column takes row positions for col;
	// otherwise the column is decoded whole.
	Selectable(col int) bool
	// DictColumn decodes string column col whole, as a dictionary array
	// when the source holds it as codes into a dictionary of at most
	// maxDict entries, else as Column does.
	DictColumn(col, maxDict int) (arrow.Array, error)
}

// DecodeLazily readies ShapeLazy for batches of the columns of read, of
// which the predicate reads those at positions predCols.
func (s *ScanOutput) DecodeLazily(read *arrow.Schema, predCols []int) {
	s.read = read
	s.predCol = make([]bool, read.NumFields())
	for _, c := range predCols {
		s.predCol[c] = true
	}
	s.coded = make([]bool, read.NumFields())
	for c := range s.coded {
		s.coded[c] = s.predCol[c] && read.Field(c).Type.ID() == arrow.STRING && s.onlyDictConjuncts(c)
	}
	s.predRead, s.predMD = nil, nil
}

// onlyDictConjuncts reports whether the predicate reads string column col
// only in conjuncts that expr.DictionaryColumn accepts for it (at least
// one), which then take the column as a dictionary array.
func (s *ScanOutput) onlyDictConjuncts(col int) bool {
	if s.pred == nil {
		return false
	}
	some := false
	for k, c := range s.rows.conj {
		if s.rows.dictCol[k] == col {
			some = true
			continue
		}
		refs, ok := expr.ColumnRefs(c)
		if !ok || slices.Contains(refs, col) {
			return false
		}
	}
	return some
}

// Lazy reports whether ShapeLazy may be used (DecodeLazily was called and
// there is a predicate: without one every column is decoded whole anyway).
func (s *ScanOutput) Lazy() bool { return s.read != nil && s.pred != nil }

// ShapeLazy is ShapeCoded for a batch of n rows whose columns src decodes
// on demand, carrying schema metadata md (nil: none): the predicate's
// columns are decoded whole and evaluated first, and the output columns the
// predicate does not read are decoded only at the rows it keeps, so that
// the other rows' values are neither copied out of their pages nor copied
// again to drop them. Columns no one reads are not decoded at all.
func (s *ScanOutput) ShapeLazy(n int, src LazyColumns, md *arrow.Metadata) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(s.predCol))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, p := range s.predCol {
		var a arrow.Array
		var err error
		switch {
		case !p:
			a = array.NewNull(n)
		case s.coded[i]:
			// Evaluated once per dictionary entry when the dictionary is
			// no larger than the batch, as ShapeCoded does.
			a, err = src.DictColumn(i, n)
		default:
			a, err = src.Column(i, nil)
		}
		if err != nil {
			return nil, err
		}
		cols[i] = a
	}
	if !s.predSchemaFits(cols, md) {
		fields := slices.Clone(s.read.Fields())
		for i := range fields {
			fields[i].Type = cols[i].DataType()
			if !s.predCol[i] {
				fields[i].Nullable = true
			}
		}
		s.predRead, s.predMD = arrow.NewSchema(fields, md), md
	}
	b := array.NewRecordBatch(s.predRead, cols, int64(n))
	defer b.Release()
	kept, all, err := s.rows.eval(s.env, b, src)
	if err != nil {
		return nil, err
	}
	defer kept.Release()
	if !all && len(s.rows.idx) == 0 {
		return nil, nil
	}
	// pos: the kept rows' positions in the batch (nil: every row).
	var pos []int32
	switch {
	case s.rows.copied && all:
		pos = s.rows.sel
	case s.rows.copied:
		s.pos = s.pos[:0]
		for _, j := range s.rows.idx {
			s.pos = append(s.pos, s.rows.sel[j])
		}
		pos = s.pos
	case !all:
		pos = s.rows.idx
	}
	rows := n
	if pos != nil {
		rows = len(pos)
	}
	late := make([]arrow.Array, len(s.predCol)) // output columns decoded here, by read column
	defer func() {
		for _, c := range late {
			if c != nil {
				c.Release()
			}
		}
	}()
	out := make([]arrow.Array, len(s.cols))
	defer func() {
		for _, c := range out {
			if c != nil {
				c.Release()
			}
		}
	}()
	for k, c := range s.cols {
		var a arrow.Array
		switch {
		case s.predCol[c]:
			if a, err = s.keptColumn(kept, c, all); err != nil {
				return nil, err
			}
		default:
			if late[c] == nil {
				if late[c], err = s.decodeAt(src, c, pos); err != nil {
					return nil, err
				}
			}
			a = late[c]
			a.Retain()
		}
		out[k] = a
	}
	ob := newBatch(s.schema, out, int64(rows))
	return s.emit(WithMetadata(ob, md)), nil
}

// predSchemaFits reports whether the schema last made for the predicate's
// batch has cols' types and metadata md.
func (s *ScanOutput) predSchemaFits(cols []arrow.Array, md *arrow.Metadata) bool {
	if s.predRead == nil || s.predMD != md {
		return false
	}
	for i, c := range cols {
		if !arrow.TypeEqual(s.predRead.Field(i).Type, c.DataType()) {
			return false
		}
	}
	return true
}

// keptColumn returns column col of kept at the rows s.rows.idx (every row
// when all), its strings decoded when it is a dictionary array.
func (s *ScanOutput) keptColumn(kept arrow.RecordBatch, col int, all bool) (arrow.Array, error) {
	a := kept.Column(col)
	if all {
		a.Retain()
	} else {
		t, err := kernels.Take(s.env.Mem, a, s.rows.idx)
		if err != nil {
			return nil, err
		}
		a = t
	}
	d, ok := a.(*array.Dictionary)
	if !ok {
		return a, nil
	}
	defer d.Release()
	return kernels.DecodeDictionary(s.env.Mem, d)
}

// decodeAt decodes column col of src at positions pos (nil: every row).
func (s *ScanOutput) decodeAt(src LazyColumns, col int, pos []int32) (arrow.Array, error) {
	if pos == nil || src.Selectable(col) {
		return src.Column(col, pos)
	}
	whole, err := src.Column(col, nil)
	if err != nil {
		return nil, err
	}
	defer whole.Release()
	return kernels.Take(s.env.Mem, whole, pos)
}
