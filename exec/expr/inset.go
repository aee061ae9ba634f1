package expr

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// InSet returns arg IN (lits…) evaluated through a hash set: true where
// arg equals one of the literals; otherwise null where arg is null or a
// literal is null, false elsewhere — SQL's semantics of the equivalent
// chain arg = l₁ OR arg = l₂ OR …, in time independent of the list's
// length. ok is false (and the chain should be used) when arg's type has
// no set kernel (integers, dates, timestamps, decimal(p ≤ 18) and strings
// do) or a literal is of another type.
func InSet(arg Expr, lits []Expr) (e Expr, ok bool) {
	t := valueType(arg.DataType())
	s := &inSet{arg: arg, n: len(lits)}
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL64:
		s.ints = make(map[int64]struct{}, len(lits))
	case arrow.STRING, arrow.LARGE_STRING:
		s.strs = make(map[string]struct{}, len(lits))
	default:
		return nil, false
	}
	for _, e := range lits {
		l, isLit := e.(*literalExpr)
		if !isLit || !arrow.TypeEqual(l.t, t) && !l.null {
			return nil, false
		}
		switch {
		case l.null:
			s.hasNull = true
		case s.ints != nil:
			s.ints[l.i64] = struct{}{}
		default:
			s.strs[string(l.str)] = struct{}{}
		}
	}
	for lit := range s.strs {
		s.lens |= 1 << min(len(lit), 63)
	}
	if s.strs != nil && len(s.strs) <= 8 {
		s.lits = make([]string, 0, len(s.strs))
		for lit := range s.strs {
			s.lits = append(s.lits, lit)
		}
	}
	return s, true
}

type inSet struct {
	arg     Expr
	n       int // literals in the list, for String
	ints    map[int64]struct{}
	strs    map[string]struct{}
	hasNull bool
	lens    uint64   // bit l: a string literal has length l (bit 63: 63 or more)
	lits    []string // the string literals of a short list, searched in turn
}

func (s *inSet) DataType() arrow.DataType { return arrow.FixedWidthTypes.Boolean }

func (s *inSet) String() string {
	return fmt.Sprintf("(%s IN (%d values))", strings.TrimSuffix(strings.TrimPrefix(s.arg.String(), "("), ")"), s.n)
}

func (s *inSet) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := s.arg.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	if _, isDict := in.(*array.Dictionary); isDict && s.strs != nil {
		// Once per dictionary entry, gathered through the indices.
		return evalDictBool(mem, in, func(a arrow.Array) (arrow.Array, error) { return s.eval(mem, a) })
	}
	a, err := decode(mem, in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	defer a.Release()
	return s.eval(mem, a)
}

// eval tests each value of the plain array a for membership.
func (s *inSet) eval(mem memory.Allocator, a arrow.Array) (arrow.Array, error) {
	n := a.Len()
	if isAllNull(a) {
		return nullArray(mem, arrow.FixedWidthTypes.Boolean, n), nil
	}
	out := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	bits := out.Bytes()
	d := a.Data()
	switch a.DataType().ID() {
	case arrow.INT8:
		memberInts(arrow.GetValues[int8](d, 1), s.ints, bits)
	case arrow.INT16:
		memberInts(arrow.GetValues[int16](d, 1), s.ints, bits)
	case arrow.INT32, arrow.DATE32:
		memberInts(arrow.GetValues[int32](d, 1), s.ints, bits)
	case arrow.INT64, arrow.TIMESTAMP, arrow.DECIMAL64:
		memberInts(arrow.GetValues[int64](d, 1), s.ints, bits)
	case arrow.STRING:
		offs, data := strParts(a)
		s.memberStrings(offs[:n+1], data, bits)
	case arrow.LARGE_STRING:
		x := a.(*array.LargeString)
		for i := 0; i < n; i++ {
			if _, ok := s.strs[x.Value(i)]; ok {
				bitutil.SetBit(bits, i)
			}
		}
	default:
		out.Release()
		return nil, fmt.Errorf("%s: no set kernel for %s", s, sqlType(a.DataType()))
	}
	valid, nulls := andValidity(mem, n, a)
	if s.hasNull {
		// A value not in the list compares with the null literal: unknown.
		if valid == nil {
			valid = newBuf(mem, len(bits))
			copy(valid.Bytes(), bits)
		} else {
			vb := valid.Bytes()
			for i := range vb {
				vb[i] &= bits[i]
			}
		}
		nulls = n - bitutil.CountSetBits(valid.Bytes(), 0, n)
		if nulls == 0 {
			valid.Release()
			valid = nil
		}
	}
	return makeArray(arrow.FixedWidthTypes.Boolean, n, nulls, valid, out), nil
}

// memberInts sets bit i of out (zeroed) when vs[i] is in set.
func memberInts[T int8 | int16 | int32 | int64](vs []T, set map[int64]struct{}, out []byte) {
	for i, v := range vs {
		if _, ok := set[int64(v)]; ok {
			bitutil.SetBit(out, i)
		}
	}
}

// memberStrings sets bit i of out (zeroed) when string i is in the set. A
// short list is searched by length first and then bytes; a longer one
// hashes only the values whose length some literal has.
func (s *inSet) memberStrings(offs []int32, data []byte, out []byte) {
	lens, lits := s.lens, s.lits
	n := len(offs) - 1
	if lits != nil {
		for i := 0; i < n; i++ {
			b, e := offs[i], offs[i+1]
			l := int(e - b)
			if lens>>min(l, 63)&1 == 0 {
				continue
			}
			v := data[b:e]
			for _, lit := range lits {
				if len(lit) == l && string(v) == lit {
					bitutil.SetBit(out, i)
					break
				}
			}
		}
		return
	}
	for i := 0; i < n; i++ {
		b, e := offs[i], offs[i+1]
		if lens>>min(int(e-b), 63)&1 == 0 {
			continue
		}
		if _, ok := s.strs[string(data[b:e])]; ok {
			bitutil.SetBit(out, i)
		}
	}
}
