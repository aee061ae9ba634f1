package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// BinaryOp is an arithmetic, comparison or logical binary operator.
type BinaryOp int

// The binary operators.
const (
	Add BinaryOp = iota
	Sub
	Mul
	Div
	Mod
	Eq
	NotEq
	Lt
	LtEq
	Gt
	GtEq
	And
	Or
)

var opText = [...]string{"+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "AND", "OR"}

// String returns the operator's SQL symbol.
func (o BinaryOp) String() string {
	if o < 0 || int(o) >= len(opText) {
		return fmt.Sprintf("BinaryOp(%d)", int(o))
	}
	return opText[o]
}

func (o BinaryOp) isArith() bool   { return o >= Add && o <= Mod }
func (o BinaryOp) isCompare() bool { return o >= Eq && o <= GtEq }
func (o BinaryOp) isLogic() bool   { return o == And || o == Or }

// cmpMask returns a 3-bit mask of the accepted comparison outcomes:
// bit 0 less, bit 1 equal, bit 2 greater.
func (o BinaryOp) cmpMask() uint8 {
	switch o {
	case Eq:
		return 2
	case NotEq:
		return 5
	case Lt:
		return 1
	case LtEq:
		return 3
	case Gt:
		return 4
	case GtEq:
		return 6
	}
	return 0
}

// BinaryResultType returns the type of l op r, or an error when the operand
// types are not accepted (see the package rules: same types except decimals).
func BinaryResultType(op BinaryOp, l, r arrow.DataType) (arrow.DataType, error) {
	l, r = valueType(l), valueType(r)
	bad := func() (arrow.DataType, error) {
		return nil, fmt.Errorf("operator %s: unsupported operand types %s and %s", op, sqlType(l), sqlType(r))
	}
	lNull, rNull := l.ID() == arrow.NULL, r.ID() == arrow.NULL
	switch {
	case op.isLogic():
		if (l.ID() == arrow.BOOL || lNull) && (r.ID() == arrow.BOOL || rNull) {
			return arrow.FixedWidthTypes.Boolean, nil
		}
		return bad()
	case op.isCompare():
		if lNull || rNull || arrow.TypeEqual(l, r) && comparable(l) || isDecimal(l) && isDecimal(r) {
			return arrow.FixedWidthTypes.Boolean, nil
		}
		return bad()
	case op.isArith():
		if isDecimal(l) && isDecimal(r) {
			return decimalResultType(op, l, r), nil
		}
		if lNull && rNull {
			return bad()
		}
		if lNull {
			l = r
		}
		if rNull {
			r = l
		}
		if !arrow.TypeEqual(l, r) {
			return bad()
		}
		if isInt(l) && op != Div || isFloat(l) {
			return l, nil
		}
		return bad()
	}
	return bad()
}

func comparable(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.STRING, arrow.BINARY, arrow.DATE32, arrow.TIMESTAMP, arrow.BOOL, arrow.DECIMAL64, arrow.DECIMAL128:
		return true
	}
	return false
}

// decimalResultType applies Spark's decimal precision rules.
func decimalResultType(op BinaryOp, l, r arrow.DataType) arrow.DataType {
	p1, s1 := kernels.DecimalParams(l)
	p2, s2 := kernels.DecimalParams(r)
	var p, s int32
	switch op {
	case Add, Sub:
		s = max(s1, s2)
		p = max(p1-s1, p2-s2) + s + 1
	case Mul:
		p, s = p1+p2+1, s1+s2
	case Div:
		s = max(6, s1+p2+1)
		p = p1 - s1 + s2 + s
	case Mod:
		s = max(s1, s2)
		p = min(p1-s1, p2-s2) + s
	}
	if p > 38 {
		intDigits := p - s
		minScale := min(s, 6)
		s = max(38-intDigits, minScale)
		p = 38
	}
	return decimalType(p, s)
}

type binaryExpr struct {
	op   BinaryOp
	l, r Expr
	t    arrow.DataType
}

// Binary returns l op r; see BinaryResultType for the accepted types.
func Binary(op BinaryOp, l, r Expr) (Expr, error) {
	t, err := BinaryResultType(op, l.DataType(), r.DataType())
	if err != nil {
		return nil, fmt.Errorf("%s %s %s: %w", l, op, r, err)
	}
	return &binaryExpr{op: op, l: l, r: r, t: t}, nil
}

func (b *binaryExpr) DataType() arrow.DataType { return b.t }
func (b *binaryExpr) String() string {
	return "(" + b.l.String() + " " + b.op.String() + " " + b.r.String() + ")"
}

func (b *binaryExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	if b.op.isCompare() {
		if out, ok, err := b.compareLiteral(mem, batch); ok {
			return out, err
		}
	}
	if b.op.isLogic() {
		return b.evalLogic(mem, batch)
	}
	args, err := EvalArgs(mem, batch, b.l, b.r)
	if err != nil {
		return nil, err
	}
	defer ReleaseAll(args)
	l, r := args[0], args[1]
	n := int(batch.NumRows())
	if l.Len() != n || r.Len() != n {
		return nil, fmt.Errorf("%s: operands have %d and %d rows, batch %d", b, l.Len(), r.Len(), n)
	}
	if isAllNull(l) || isAllNull(r) {
		return nullArray(mem, b.t, n), nil
	}
	if l.DataType().ID() != valueType(b.l.DataType()).ID() || r.DataType().ID() != valueType(b.r.DataType()).ID() {
		return nil, fmt.Errorf("%s: operands evaluated to %s and %s, declared %s and %s", b,
			sqlType(l.DataType()), sqlType(r.DataType()), sqlType(b.l.DataType()), sqlType(b.r.DataType()))
	}
	valid, nulls := andValidity(mem, n, l, r)
	var out arrow.Array
	if b.op.isCompare() {
		out, err = b.compare(mem, l, r, n, valid, nulls)
	} else {
		out, err = b.arith(mem, l, r, n, valid, nulls)
	}
	if err != nil && valid != nil {
		valid.Release()
	}
	return out, err
}

// compare evaluates a comparison; valid (owned) becomes the result validity.
func (b *binaryExpr) compare(mem memory.Allocator, l, r arrow.Array, n int, valid *memory.Buffer, nulls int) (arrow.Array, error) {
	mask := b.op.cmpMask()
	out := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	bits := out.Bytes()
	ld, rd := l.Data(), r.Data()
	if isDecimal(l.DataType()) {
		if err := compareDecimal(l, r, bits, mask); err != nil {
			out.Release()
			return nil, fmt.Errorf("%s: %w", b, err)
		}
		return makeArray(b.t, n, nulls, valid, out), nil
	}
	switch l.DataType().ID() {
	case arrow.INT8:
		cmpOrdered(arrow.GetValues[int8](ld, 1), arrow.GetValues[int8](rd, 1), bits, mask)
	case arrow.INT16:
		cmpOrdered(arrow.GetValues[int16](ld, 1), arrow.GetValues[int16](rd, 1), bits, mask)
	case arrow.INT32, arrow.DATE32:
		cmpOrdered(arrow.GetValues[int32](ld, 1), arrow.GetValues[int32](rd, 1), bits, mask)
	case arrow.INT64, arrow.TIMESTAMP:
		cmpOrdered(arrow.GetValues[int64](ld, 1), arrow.GetValues[int64](rd, 1), bits, mask)
	case arrow.FLOAT32:
		cmpFloat(arrow.GetValues[float32](ld, 1), arrow.GetValues[float32](rd, 1), bits, mask)
	case arrow.FLOAT64:
		cmpFloat(arrow.GetValues[float64](ld, 1), arrow.GetValues[float64](rd, 1), bits, mask)
	case arrow.STRING, arrow.BINARY: // binaries compare as unsigned bytes, as in Spark
		cmpStrings(l, r, bits, mask)
	case arrow.BOOL:
		lb, rb := bufBytes(l, 1), bufBytes(r, 1)
		lo, ro := ld.Offset(), rd.Offset()
		for i := 0; i < n; i++ {
			x, y := b2i(bitutil.BitIsSet(lb, lo+i)), b2i(bitutil.BitIsSet(rb, ro+i))
			if mask>>(1+x-y)&1 != 0 {
				bitutil.SetBit(bits, i)
			}
		}
	default:
		out.Release()
		return nil, fmt.Errorf("%s: comparison of %s is not supported", b, sqlType(l.DataType()))
	}
	return makeArray(b.t, n, nulls, valid, out), nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

type ordered interface {
	~int8 | ~int16 | ~int32 | ~int64
}

// cmpOrdered sets bit i of out when the outcome of l[i] vs r[i] is in mask.
// As cmpScalar, each operator's mask gets a loop of one comparison per
// value (> and <= swap the operands of < and >=).
func cmpOrdered[T ordered](l, r []T, out []byte, mask uint8) {
	n := len(l)
	r = r[:n]
	full := n &^ 7
	switch mask {
	case 1, 6: // <, >=
		ltPairs(l[:full], r[:full], out, flip(mask == 6))
	case 4, 3: // >, <=
		ltPairs(r[:full], l[:full], out, flip(mask == 3))
	case 2, 5: // =, <>
		eqPairs(l[:full], r[:full], out, flip(mask == 5))
	default:
		for i := 0; i < full; i += 8 {
			var v uint8
			for j := 0; j < 8; j++ {
				a, b := l[i+j], r[i+j]
				c := 1 + b2i(a > b) - b2i(a < b)
				v |= (mask >> c & 1) << j
			}
			out[i/8] = v
		}
	}
	for i := full; i < n; i++ {
		a, b := l[i], r[i]
		c := 1 + b2i(a > b) - b2i(a < b)
		if mask>>c&1 != 0 {
			bitutil.SetBit(out, i)
		}
	}
}

// ltPairs packs l[i] < r[i] (xor inv) into out, 8 pairs per byte; len(l)
// is a multiple of 8 and len(r) at least len(l).
func ltPairs[T ordered](l, r []T, out []byte, inv byte) {
	for i := 0; i+8 <= len(l); i += 8 {
		a, b := l[i:i+8:i+8], r[i:i+8:i+8]
		out[i>>3] = (b2b(a[0] < b[0]) | b2b(a[1] < b[1])<<1 | b2b(a[2] < b[2])<<2 | b2b(a[3] < b[3])<<3 |
			b2b(a[4] < b[4])<<4 | b2b(a[5] < b[5])<<5 | b2b(a[6] < b[6])<<6 | b2b(a[7] < b[7])<<7) ^ inv
	}
}

// eqPairs is ltPairs for l[i] == r[i].
func eqPairs[T ordered](l, r []T, out []byte, inv byte) {
	for i := 0; i+8 <= len(l); i += 8 {
		a, b := l[i:i+8:i+8], r[i:i+8:i+8]
		out[i>>3] = (b2b(a[0] == b[0]) | b2b(a[1] == b[1])<<1 | b2b(a[2] == b[2])<<2 | b2b(a[3] == b[3])<<3 |
			b2b(a[4] == b[4])<<4 | b2b(a[5] == b[5])<<5 | b2b(a[6] == b[6])<<6 | b2b(a[7] == b[7])<<7) ^ inv
	}
}

// floatCmp orders floats as Spark does: NaN equals NaN and is above all.
func floatCmp[T ~float32 | ~float64](a, b T) int {
	switch {
	case a < b:
		return 0
	case a > b:
		return 2
	case a == b:
		return 1
	}
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 1
	case an:
		return 2
	}
	return 0
}

func cmpFloat[T ~float32 | ~float64](l, r []T, out []byte, mask uint8) {
	r = r[:len(l)]
	for i := range l {
		if mask>>floatCmp(l[i], r[i])&1 != 0 {
			bitutil.SetBit(out, i)
		}
	}
}

func cmpStrings(l, r arrow.Array, out []byte, mask uint8) {
	lo, lv := strParts(l)
	ro, rv := strParts(r)
	cmpStrPairs(lo, lv, ro, rv, l.Len(), out, mask)
}

// strParts returns the offsets (len = Len()+1, starting at the array offset)
// and the value bytes of a string array.
func strParts(a arrow.Array) ([]int32, []byte) {
	d := a.Data()
	if a.Len() == 0 {
		return []int32{0}, nil
	}
	return arrow.GetOffsets[int32](d, 1), bufBytes(a, 2)
}

// kleene evaluates AND/OR with SQL three-valued logic.
func kleene(mem memory.Allocator, op BinaryOp, l, r arrow.Array, n int) arrow.Array {
	nb := int(bitutil.BytesForBits(int64(n)))
	if l.DataType().ID() == arrow.BOOL && r.DataType().ID() == arrow.BOOL && l.NullN() == 0 && r.NullN() == 0 {
		// No unknowns: plain bitwise AND/OR, no validity.
		lv := realign(bufBytes(l, 1), l.Data().Offset(), n)
		rv := realign(bufBytes(r, 1), r.Data().Offset(), n)
		vals := newDataBuf(mem, nb)
		vb := vals.Bytes()
		if op == And {
			for i := range vb {
				vb[i] = lv[i] & rv[i]
			}
		} else {
			for i := range vb {
				vb[i] = lv[i] | rv[i]
			}
		}
		return makeArray(arrow.FixedWidthTypes.Boolean, n, 0, nil, vals)
	}
	lv, lval := boolBits(l, n)
	rv, rval := boolBits(r, n)
	vals := newBuf(mem, nb)
	valid := newBuf(mem, nb)
	vb, vd := vals.Bytes(), valid.Bytes()
	for i := 0; i < nb; i++ {
		lt, lf := lv[i]&lval[i], ^lv[i]&lval[i]
		rt, rf := rv[i]&rval[i], ^rv[i]&rval[i]
		var t, f byte
		if op == And {
			t, f = lt&rt, lf|rf
		} else {
			t, f = lt|rt, lf&rf
		}
		vb[i], vd[i] = t, t|f
	}
	nulls := n - bitutil.CountSetBits(vd, 0, n)
	if nulls == 0 {
		valid.Release()
		valid = nil
	}
	return makeArray(arrow.FixedWidthTypes.Boolean, n, nulls, valid, vals)
}

// boolBits returns the value and validity bitmaps of a boolean (or NULL
// type) array, realigned to offset 0.
func boolBits(a arrow.Array, n int) (vals, valid []byte) {
	nb := int(bitutil.BytesForBits(int64(n)))
	if isAllNull(a) {
		return make([]byte, nb), make([]byte, nb)
	}
	off := a.Data().Offset()
	vals = realign(bufBytes(a, 1), off, n)
	if a.NullN() == 0 {
		valid = make([]byte, nb)
		for i := range valid {
			valid[i] = 0xff
		}
		return vals, valid
	}
	return vals, realign(bufBytes(a, 0), off, n)
}

func realign(bits []byte, off, n int) []byte {
	nb := int(bitutil.BytesForBits(int64(n)))
	if off%8 == 0 {
		return bits[off/8:][:nb]
	}
	out := make([]byte, nb)
	bitutil.CopyBitmap(bits, off, n, out, 0)
	return out
}

// evalLogic evaluates AND/OR. The right side is first evaluated on the whole
// batch; if that fails, it is evaluated again only on the rows the left side
// does not decide (not false for AND, not true for OR), so that, as in Spark,
// an error in a short-circuited operand does not fail the query.
func (b *binaryExpr) evalLogic(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	l, err := EvalArg(mem, b.l, batch)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	r, err := EvalArg(mem, b.r, batch)
	if err != nil {
		r, err = b.evalRightLazily(mem, batch, l, err)
		if err != nil {
			return nil, err
		}
	}
	defer r.Release()
	if l.Len() != n || r.Len() != n {
		return nil, fmt.Errorf("%s: operands have %d and %d rows, batch %d", b, l.Len(), r.Len(), n)
	}
	return kleene(mem, b.op, l, r, n), nil
}

// evalRightLazily evaluates the right operand on the rows whose result the
// left operand leaves open; other rows get null (which the left decides).
func (b *binaryExpr) evalRightLazily(mem memory.Allocator, batch arrow.RecordBatch, l arrow.Array, firstErr error) (arrow.Array, error) {
	lb, ok := l.(*array.Boolean)
	if !ok {
		return nil, firstErr
	}
	decided := b.op == Or // AND is decided by false, OR by true
	var idx []int32
	for i := 0; i < lb.Len(); i++ {
		if lb.IsNull(i) || lb.Value(i) != decided {
			idx = append(idx, int32(i))
		}
	}
	if len(idx) == lb.Len() {
		return nil, firstErr
	}
	sub, err := takeRows(mem, batch, idx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b, err)
	}
	defer sub.Release()
	rr, err := EvalArg(mem, b.r, sub)
	if err != nil {
		return nil, err
	}
	defer rr.Release()
	perm := make([]int32, lb.Len())
	for i := range perm {
		perm[i] = -1
	}
	for k, i := range idx {
		perm[i] = int32(k)
	}
	if isAllNull(rr) {
		return nullArray(mem, arrow.FixedWidthTypes.Boolean, lb.Len()), nil
	}
	return kernels.Take(mem, rr, perm)
}
