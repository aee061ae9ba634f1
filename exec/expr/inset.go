package expr

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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
	t := arg.DataType()
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
	return s, true
}

type inSet struct {
	arg     Expr
	n       int // literals in the list, for String
	ints    map[int64]struct{}
	strs    map[string]struct{}
	hasNull bool
}

func (s *inSet) DataType() arrow.DataType { return arrow.FixedWidthTypes.Boolean }

func (s *inSet) String() string {
	return fmt.Sprintf("(%s IN (%d values))", strings.TrimSuffix(strings.TrimPrefix(s.arg.String(), "("), ")"), s.n)
}

func (s *inSet) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := EvalArg(mem, s.arg, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	var member func(i int) bool
	switch x := a.(type) {
	case *array.Int8:
		member = func(i int) bool { _, ok := s.ints[int64(x.Value(i))]; return ok }
	case *array.Int16:
		member = func(i int) bool { _, ok := s.ints[int64(x.Value(i))]; return ok }
	case *array.Int32:
		member = func(i int) bool { _, ok := s.ints[int64(x.Value(i))]; return ok }
	case *array.Int64:
		member = func(i int) bool { _, ok := s.ints[x.Value(i)]; return ok }
	case *array.Date32:
		member = func(i int) bool { _, ok := s.ints[int64(x.Value(i))]; return ok }
	case *array.Timestamp:
		member = func(i int) bool { _, ok := s.ints[int64(x.Value(i))]; return ok }
	case *array.Decimal64:
		member = func(i int) bool { _, ok := s.ints[int64(x.Value(i))]; return ok }
	case *array.String:
		member = func(i int) bool { _, ok := s.strs[x.Value(i)]; return ok }
	case *array.LargeString:
		member = func(i int) bool { _, ok := s.strs[x.Value(i)]; return ok }
	default:
		return nil, fmt.Errorf("%s: no set kernel for %s", s, a.DataType())
	}
	n := a.Len()
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	for i := 0; i < n; i++ {
		switch {
		case a.IsNull(i):
			b.AppendNull()
		case member(i):
			b.UnsafeAppend(true)
		case s.hasNull:
			b.AppendNull()
		default:
			b.UnsafeAppend(false)
		}
	}
	return b.NewArray(), nil
}
