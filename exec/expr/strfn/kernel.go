// Package strfn holds the physical string functions with Spark's semantics
// (concat, trim, lpad, locate, regexp_replace, …). Characters are Unicode
// code points of UTF-8 text, as Spark's UTF8String counts them; functions
// that Spark evaluates on java.lang.String (the regexp family) count UTF-16
// code units there, which only differs for supplementary characters.
package strfn

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

var (
	stringType = arrow.BinaryTypes.String
	int32Type  = arrow.PrimitiveTypes.Int32
	boolType   = arrow.FixedWidthTypes.Boolean
)

// maxLen is the largest string a result may hold.
const maxLen = math.MaxInt32

// MaxStringBytes bounds one string value built by a function that makes a
// large value from small arguments (repeat, space, lpad, rpad): such a call
// fails before allocating when its result would be longer. Spark's bound is
// the JVM's 2 GiB array limit; gspark's is lower so that one value cannot
// take the memory of a whole query.
const MaxStringBytes = 256 << 20

// checkSize fails when function name's result of size bytes in row i
// would exceed MaxStringBytes.
func checkSize(name string, size int64, i int) error {
	if size <= MaxStringBytes {
		return nil
	}
	return fmt.Errorf("%s: row %d: the result would be %d bytes, over the %d-byte bound on a string value: %w",
		name, i, size, MaxStringBytes, expr.ErrOverflow)
}

// errTooLarge is returned when a string result does not fit an Arrow string
// array (2 GiB of data per batch).
var errTooLarge = fmt.Errorf("string result exceeds 2 GiB: %w", expr.ErrOverflow)

// col is a view of one evaluated argument: a plain string or int32 array.
type col struct {
	offs    []int32
	data    []byte
	i32     []int32
	valid   []byte // nil when every row is valid
	voff    int
	allNull bool
	// konst marks a constant argument with value cstr or ci32.
	konst bool
	cstr  []byte
	ci32  int32
}

func (c *col) ok(i int) bool {
	if c.allNull {
		return false
	}
	return c.valid == nil || bitutil.BitIsSet(c.valid, c.voff+i)
}

func (c *col) str(i int) []byte {
	if c.konst {
		return c.cstr
	}
	return c.data[c.offs[i]:c.offs[i+1]]
}

func (c *col) int(i int) int32 {
	if c.konst {
		return c.ci32
	}
	return c.i32[i]
}

// constExpr is a non-null constant argument: kernels read its value
// directly instead of evaluating a column of copies.
type constExpr struct {
	e    expr.Expr // the equivalent literal
	str  []byte
	i32  int32
	kind arrow.Type
}

// StringConst returns the constant string s as an argument of the
// functions of this package, which read it once instead of per row.
func StringConst(s string) (expr.Expr, error) {
	e, err := expr.Literal(s, arrow.BinaryTypes.String)
	if err != nil {
		return nil, err
	}
	return &constExpr{e: e, str: []byte(s), kind: arrow.STRING}, nil
}

// IntConst returns the constant int v as an argument, like StringConst.
func IntConst(v int32) (expr.Expr, error) {
	e, err := expr.Literal(int64(v), arrow.PrimitiveTypes.Int32)
	if err != nil {
		return nil, err
	}
	return &constExpr{e: e, i32: v, kind: arrow.INT32}, nil
}

func (c *constExpr) DataType() arrow.DataType { return c.e.DataType() }
func (c *constExpr) String() string           { return c.e.String() }
func (c *constExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	return c.e.Eval(mem, batch)
}

// kernel is a row-wise function of string and int32 arguments evaluated a
// batch at a time: arguments are evaluated once per batch into typed views
// and the row function writes straight into the output buffers.
type kernel struct {
	name  string
	label string // the text of String when set
	args  []expr.Expr
	want  []arrow.Type // STRING or INT32 per argument
	typ   arrow.DataType
	// rowValid decides per row whether the result is non-null; nil means
	// the result is null when any argument is.
	rowValid func(c []col, i int) bool
	// str appends the row's result to dst; it returns nil when the result
	// would exceed the 2 GiB limit of a string array.
	str  func(c []col, i int, dst []byte) []byte
	i32  func(c []col, i int) int32
	bool func(c []col, i int) bool
	// bytesOK marks a kernel that reads its string arguments as bytes, so
	// that binary arguments are accepted as they are.
	bytesOK bool
	// check, when set, runs on every non-null row before the row function
	// and fails the batch with its error (ANSI errors such as an index out
	// of range).
	check func(c []col, i int) error
}

func (k *kernel) DataType() arrow.DataType { return k.typ }

func (k *kernel) String() string {
	if k.label != "" {
		return k.label
	}
	return expr.CallString(k.name, k.args...)
}

// newKernel checks the argument types and returns the kernel.
func newKernel(k *kernel) (*kernel, error) {
	for i, a := range k.args {
		t := a.DataType()
		if d, ok := t.(*arrow.DictionaryType); ok {
			t = d.ValueType
		}
		binaryAsString := t.ID() == arrow.BINARY && k.want[i] == arrow.STRING && k.bytesOK
		if t.ID() != k.want[i] && t.ID() != arrow.NULL && !binaryAsString {
			return nil, fmt.Errorf("%s: argument %d (%s) is %s, want %s", k, i+1, a, t, typeName(k.want[i]))
		}
	}
	return k, nil
}

// evalArg evaluates e, expanding dictionaries, and checks its type.
func evalArg(mem memory.Allocator, e expr.Expr, want arrow.Type, batch arrow.RecordBatch) (arrow.Array, col, error) {
	a, err := e.Eval(mem, batch)
	if err != nil {
		return nil, col{}, err
	}
	if d, ok := a.(*array.Dictionary); ok {
		plain, err := kernels.DecodeDictionary(mem, d)
		a.Release()
		if err != nil {
			return nil, col{}, err
		}
		a = plain
	}
	var c col
	matched := false
	switch x := a.(type) {
	case *array.Null:
		c.allNull = true
		return a, c, nil
	case *array.String:
		if want == arrow.STRING {
			matched = true
			c.offs = x.ValueOffsets()
			if bufs := x.Data().Buffers(); len(bufs) > 2 && bufs[2] != nil {
				c.data = bufs[2].Bytes()
			}
		}
	case *array.Binary:
		// The layout of a string array; only kernels that read bytes
		// (bytesOK) are built over binary inputs.
		if want == arrow.STRING {
			matched = true
			c.offs = x.ValueOffsets()
			if bufs := x.Data().Buffers(); len(bufs) > 2 && bufs[2] != nil {
				c.data = bufs[2].Bytes()
			}
		}
	case *array.Int32:
		if want == arrow.INT32 {
			matched = true
			c.i32 = x.Int32Values()
		}
	}
	if !matched {
		a.Release()
		return nil, col{}, fmt.Errorf("input %s is %s, want %s", e, a.DataType(), typeName(want))
	}
	if a.NullN() > 0 {
		c.valid, c.voff = a.NullBitmapBytes(), a.Data().Offset()
		if a.NullN() == a.Len() && c.valid == nil {
			c.allNull = true
		}
	}
	return a, c, nil
}

func (k *kernel) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	arrs := make([]arrow.Array, len(k.args))
	cols := make([]col, len(k.args))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, e := range k.args {
		if ce, ok := e.(*constExpr); ok && ce.kind == k.want[i] {
			cols[i] = col{konst: true, cstr: ce.str, ci32: ce.i32}
			continue
		}
		a, c, err := evalArg(mem, e, k.want[i], batch)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		if a.Len() != n {
			a.Release()
			return nil, fmt.Errorf("%s: argument %d has %d rows, batch %d", k, i+1, a.Len(), n)
		}
		arrs[i], cols[i] = a, c
	}
	valid, nulls := k.validity(mem, cols, n)
	var vb []byte
	if valid != nil {
		vb = valid.Bytes()
	}
	out, err := k.compute(mem, cols, n, vb)
	if err != nil {
		if valid != nil {
			valid.Release()
		}
		return nil, fmt.Errorf("%s: %w", k, err)
	}
	bufs := append([]*memory.Buffer{valid}, out...)
	d := array.NewData(k.typ, n, bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d), nil
}

// validity returns the result's validity bitmap (nil when all rows are
// valid) and null count.
func (k *kernel) validity(mem memory.Allocator, cols []col, n int) (*memory.Buffer, int) {
	if k.rowValid == nil {
		anyNull := false
		for i := range cols {
			if cols[i].allNull || cols[i].valid != nil {
				anyNull = true
			}
		}
		if !anyNull {
			return nil, 0
		}
	}
	buf := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	vb := buf.Bytes()
	if k.rowValid != nil {
		for i := 0; i < n; i++ {
			if k.rowValid(cols, i) {
				bitutil.SetBit(vb, i)
			}
		}
	} else {
		bitutil.SetBitsTo(vb, 0, int64(n), true)
		for _, c := range cols {
			switch {
			case c.allNull:
				clear(vb)
			case c.valid != nil:
				bitutil.BitmapAnd(vb, c.valid, 0, int64(c.voff), vb, 0, int64(n))
			}
		}
	}
	nulls := n - bitutil.CountSetBits(vb, 0, n)
	if nulls == 0 {
		buf.Release()
		return nil, 0
	}
	return buf, nulls
}

// compute runs the row function over the valid rows and returns the value
// buffers of the result.
func (k *kernel) compute(mem memory.Allocator, cols []col, n int, vb []byte) ([]*memory.Buffer, error) {
	valid := func(i int) bool { return vb == nil || bitutil.BitIsSet(vb, i) }
	if k.check != nil {
		for i := 0; i < n; i++ {
			if valid(i) {
				if err := k.check(cols, i); err != nil {
					return nil, err
				}
			}
		}
	}
	switch {
	case k.str != nil:
		ob := newBuf(mem, 4*(n+1))
		o := arrow.Int32Traits.CastFromBytes(ob.Bytes())
		hint := n
		if len(cols) > 0 && !cols[0].konst && cols[0].offs != nil {
			hint += int(cols[0].offs[n] - cols[0].offs[0])
		}
		out := make([]byte, 0, hint)
		held := newHeldOutput(mem)
		defer held.set(0)
		for i := 0; i < n; i++ {
			if valid(i) {
				out = k.str(cols, i, out)
				if out == nil || len(out) > math.MaxInt32 {
					ob.Release()
					return nil, errTooLarge
				}
				if err := held.set(cap(out)); err != nil {
					ob.Release()
					return nil, fmt.Errorf("row %d: %w", i, err)
				}
			}
			o[i+1] = int32(len(out))
		}
		db := memory.NewResizableBuffer(mem)
		db.Resize(len(out))
		copy(db.Bytes(), out)
		return []*memory.Buffer{ob, db}, nil
	case k.i32 != nil:
		ob := newBuf(mem, 4*n)
		o := arrow.Int32Traits.CastFromBytes(ob.Bytes())
		for i := 0; i < n; i++ {
			if valid(i) {
				o[i] = k.i32(cols, i)
			}
		}
		return []*memory.Buffer{ob}, nil
	case k.bool != nil:
		ob := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
		o := ob.Bytes()
		for i := 0; i < n; i++ {
			if valid(i) && k.bool(cols, i) {
				bitutil.SetBit(o, i)
			}
		}
		return []*memory.Buffer{ob}, nil
	}
	return nil, errors.New("kernel has no row function")
}

// newBuf allocates a zeroed buffer of size bytes.
func newBuf(mem memory.Allocator, size int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(size)
	clear(b.Bytes())
	return b
}

// typeName names an argument type as Spark SQL does.
func typeName(t arrow.Type) string {
	if t == arrow.INT32 {
		return "int"
	}
	return "string"
}

// quote renders s as a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }

// strs returns a want list of n STRING arguments.
func strs(n int) []arrow.Type {
	w := make([]arrow.Type, n)
	for i := range w {
		w[i] = arrow.STRING
	}
	return w
}
