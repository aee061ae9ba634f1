package logical

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestEqualAndHash(t *testing.T) {
	i64 := arrow.PrimitiveTypes.Int64
	a := &Attribute{ID: 1, Name: "a", Type: i64}
	aNull := &Attribute{ID: 1, Name: "a", Type: i64, Null: true, Qualifier: "t"}
	b := &Attribute{ID: 2, Name: "b", Type: i64}
	one := &Literal{Value: int64(1), Type: i64}
	sum := func(l, r Expr) Expr { return &Binary{Op: OpAdd, L: l, R: r, Type: i64} }
	nan := &Literal{Value: math.NaN(), Type: arrow.PrimitiveTypes.Float64}
	for _, c := range []struct {
		x, y Expr
		want bool
	}{
		{a, aNull, true},
		{a, b, false},
		{sum(a, one), sum(aNull, &Literal{Value: int64(1), Type: i64}), true},
		{sum(a, one), sum(one, a), false},
		{sum(a, one), &Binary{Op: OpSub, L: a, R: one, Type: i64}, false},
		{one, &Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}, false},
		{nan, &Literal{Value: math.NaN(), Type: arrow.PrimitiveTypes.Float64}, true},
		{&Func{Name: "abs", Args: []Expr{a}, Type: i64}, &Func{Name: "abs", Args: []Expr{a}, Type: i64}, true},
		{&Func{Name: "abs", Args: []Expr{a}, Type: i64}, &Func{Name: "abs", Args: []Expr{b}, Type: i64}, false},
		{&AggregateCall{Func: AggSum, Arg: a, Type: i64}, &AggregateCall{Func: AggSum, Arg: a, Type: i64, Distinct: true}, false},
		{&CaseWhen{Whens: []Expr{a}, Thens: []Expr{one}}, &CaseWhen{Whens: []Expr{a}, Thens: []Expr{one}, Else: one}, false},
		{&Alias{E: a, Name: "x", ID: 3}, &Alias{E: a, Name: "x", ID: 4}, false},
		{&UDF{Name: "f", ID: 1, Args: []Expr{a}}, &UDF{Name: "f", ID: 2, Args: []Expr{a}}, false},
		{nil, nil, true},
		{a, nil, false},
	} {
		if got := Equal(c.x, c.y); got != c.want {
			t.Errorf("Equal(%v, %v) = %v, want %v", c.x, c.y, got, c.want)
		}
		if c.want && c.x != nil && Hash(c.x) != Hash(c.y) {
			t.Errorf("%v and %v are equal but hash differently", c.x, c.y)
		}
	}
}

func TestExprMap(t *testing.T) {
	i64 := arrow.PrimitiveTypes.Int64
	a := &Attribute{ID: 1, Name: "a", Type: i64}
	k1 := &Binary{Op: OpAdd, L: a, R: &Literal{Value: int64(1), Type: i64}, Type: i64}
	k2 := &Binary{Op: OpAdd, L: &Attribute{ID: 1, Name: "a", Type: i64, Null: true}, R: &Literal{Value: int64(1), Type: i64}, Type: i64}
	var m ExprMap[int]
	if _, ok := m.Get(k1); ok || m.Len() != 0 {
		t.Fatal("the zero map must be empty")
	}
	m.Set(k1, 1)
	m.Set(k2, 2) // equal key: replaces
	m.Set(a, 3)
	if v, ok := m.Get(k1); !ok || v != 2 || m.Len() != 2 {
		t.Fatalf("got %v %v, len %d; want 2 true, len 2", v, ok, m.Len())
	}
	if i := IndexOf([]Expr{a, k1}, k2); i != 1 {
		t.Fatalf("IndexOf = %d, want 1", i)
	}
}
