package logical

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/fnv"
	"math"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow"
)

// Equal reports whether two expressions are structurally the same: nodes of
// the same kind with the same properties over equal children. An attribute
// is identified by its ID and name (its nullability and qualifier do not
// change which column it is); a subquery and a UDF call by their IDs; a
// literal by its type and value.
func Equal(a, b Expr) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if a == b {
		return true
	}
	if reflect.TypeOf(a) != reflect.TypeOf(b) || !sameProperties(a, b) {
		return false
	}
	return EqualLists(a.Children(), b.Children())
}

// EqualLists reports whether two lists hold equal expressions in the same order.
func EqualLists(a, b []Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// IndexOf returns the position of the first expression in list equal to e,
// or -1.
func IndexOf(list []Expr, e Expr) int {
	for i, x := range list {
		if Equal(x, e) {
			return i
		}
	}
	return -1
}

// sameProperties compares what a node holds besides its children; a and b
// have the same concrete type.
func sameProperties(a, b Expr) bool {
	switch x := a.(type) {
	case *UnresolvedColumn:
		return x.Name == b.(*UnresolvedColumn).Name
	case *Star:
		return x.Qualifier == b.(*Star).Qualifier
	case *Attribute:
		y := b.(*Attribute)
		return x.ID == y.ID && x.Name == y.Name
	case *Literal:
		y := b.(*Literal)
		return sameType(x.Type, y.Type) && sameValue(x.Value, y.Value)
	case *Binary:
		y := b.(*Binary)
		return x.Op == y.Op && sameType(x.Type, y.Type)
	case *Unary:
		return x.Op == b.(*Unary).Op
	case *Cast:
		y := b.(*Cast)
		return x.Try == y.Try && sameType(x.To, y.To)
	case *Alias:
		y := b.(*Alias)
		return x.ID == y.ID && x.Name == y.Name
	case *CaseWhen:
		y := b.(*CaseWhen)
		return len(x.Whens) == len(y.Whens) && (x.Else == nil) == (y.Else == nil)
	case *Like:
		return x.Pattern == b.(*Like).Pattern
	case *Func:
		y := b.(*Func)
		return x.Name == y.Name && x.MayBeNull == y.MayBeNull && sameType(x.Type, y.Type)
	case *AggregateCall:
		y := b.(*AggregateCall)
		return x.Func == y.Func && x.Distinct == y.Distinct && x.IgnoreNulls == y.IgnoreNulls &&
			(x.Arg == nil) == (y.Arg == nil) && (x.Arg2 == nil) == (y.Arg2 == nil) &&
			x.ArrayResult == y.ArrayResult && x.Accuracy == y.Accuracy &&
			x.Desc == y.Desc && x.NullsFirst == y.NullsFirst && x.Delimiter == y.Delimiter && x.Bins == y.Bins &&
			reflect.DeepEqual(x.KeyDesc, y.KeyDesc) && reflect.DeepEqual(x.KeyNullsFirst, y.KeyNullsFirst) &&
			reflect.DeepEqual(x.Percentages, y.Percentages) && sameType(x.Type, y.Type)
	case *SortOrder:
		y := b.(*SortOrder)
		return x.Desc == y.Desc && x.NullsFirst == y.NullsFirst
	case *Subquery:
		y := b.(*Subquery)
		return x.Kind == y.Kind && x.ID == y.ID
	case *OuterRef:
		return Equal(x.Attr, b.(*OuterRef).Attr)
	case *UDF:
		y := b.(*UDF)
		return x.Name == y.Name && x.ID == y.ID
	case *WindowFunction:
		y := b.(*WindowFunction)
		return x.Func == y.Func && x.N == y.N && x.IgnoreNulls == y.IgnoreNulls &&
			(x.Arg == nil) == (y.Arg == nil) && (x.Default == nil) == (y.Default == nil)
	case *WindowExpr:
		y := b.(*WindowExpr)
		return len(x.PartitionBy) == len(y.PartitionBy) && reflect.DeepEqual(x.Frame, y.Frame)
	case *LambdaVar:
		return x.ID == b.(*LambdaVar).ID
	case *Lambda:
		return sameLambdaVars(x.Vars, b.(*Lambda).Vars)
	}
	// An expression type defined elsewhere is only equal to itself.
	return false
}

func sameType(a, b arrow.DataType) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return arrow.TypeEqual(a, b)
}

func sameValue(a, b any) bool {
	if fa, ok := a.(float64); ok {
		if fb, ok := b.(float64); ok && math.IsNaN(fa) && math.IsNaN(fb) {
			return true
		}
	}
	if fa, ok := a.(float32); ok {
		if fb, ok := b.(float32); ok && fa != fa && fb != fb {
			return true
		}
	}
	return reflect.DeepEqual(a, b)
}

// Hash returns a hash of e consistent with Equal: equal expressions hash
// alike.
func Hash(e Expr) uint64 {
	h := fnv.New64a()
	hashInto(h, e)
	return h.Sum64()
}

func hashInto(h hash.Hash64, e Expr) {
	if e == nil {
		h.Write([]byte{0})
		return
	}
	fmt.Fprintf(h, "%T|", e)
	var n [8]byte
	num := func(v int64) {
		binary.LittleEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	switch x := e.(type) {
	case *UnresolvedColumn:
		h.Write([]byte(x.Name))
	case *Attribute:
		num(x.ID)
		h.Write([]byte(x.Name))
	case *Literal:
		fmt.Fprintf(h, "%v", x.Value)
	case *Binary:
		num(int64(x.Op))
	case *Unary:
		num(int64(x.Op))
	case *Alias:
		num(x.ID)
	case *Like:
		h.Write([]byte(x.Pattern))
	case *Func:
		h.Write([]byte(x.Name))
	case *AggregateCall:
		num(int64(x.Func))
	case *Subquery:
		num(x.ID)
	case *OuterRef:
		num(x.Attr.ID)
	case *UDF:
		num(x.ID)
	case *WindowFunction:
		num(int64(x.Func))
	case *LambdaVar:
		num(x.ID)
	}
	for _, c := range e.Children() {
		hashInto(h, c)
	}
}

// ExprMap maps expressions to values, comparing keys with Equal. The zero
// value is an empty map ready to use.
type ExprMap[V any] struct {
	buckets map[uint64][]exprEntry[V]
	n       int
}

type exprEntry[V any] struct {
	key Expr
	val V
}

// Get returns the value stored for an expression equal to e.
func (m *ExprMap[V]) Get(e Expr) (V, bool) {
	for _, en := range m.buckets[Hash(e)] {
		if Equal(en.key, e) {
			return en.val, true
		}
	}
	var zero V
	return zero, false
}

// Set stores v for e, replacing the value of an equal key.
func (m *ExprMap[V]) Set(e Expr, v V) {
	if m.buckets == nil {
		m.buckets = map[uint64][]exprEntry[V]{}
	}
	h := Hash(e)
	b := m.buckets[h]
	for i := range b {
		if Equal(b[i].key, e) {
			b[i].val = v
			return
		}
	}
	m.buckets[h] = append(b, exprEntry[V]{e, v})
	m.n++
}

// Len is the number of keys.
func (m *ExprMap[V]) Len() int { return m.n }

func sameLambdaVars(a, b []*LambdaVar) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}
