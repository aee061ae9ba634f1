package logical

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
)

// rowsSource is a source of a known number of rows, for estimates.
type rowsSource struct{ rows int64 }

func (s rowsSource) Describe() string      { return "rows" }
func (s rowsSource) Schema() *arrow.Schema { return arrow.NewSchema(nil, nil) }
func (s rowsSource) EstimatedRows() int64  { return s.rows }
func (s rowsSource) Operator(*exec.Env, ScanRequest) (exec.Operator, error) {
	return nil, nil
}

// The estimates of joins, by hand: a filter keeps a half, a tenth when it
// is an equality with a constant or a LIKE; an equi-join keeps its larger input's
// rows times what the filters of both inputs keep; semi and anti joins keep
// left rows; joins without an equality and outer joins keep at least their
// inputs' rows.
func TestEstimateRowsJoins(t *testing.T) {
	i64 := arrow.PrimitiveTypes.Int64
	scan := func(id int64, rows int64, filters int) (*Scan, *Attribute) {
		a := &Attribute{ID: id, Name: "k", Type: i64}
		s := &Scan{Source: rowsSource{rows}, Attrs: []*Attribute{a}, Limit: -1}
		for range filters {
			s.Filters = append(s.Filters, &Binary{Op: OpGt, L: a, R: &Literal{Value: int64(0), Type: i64}})
		}
		return s, a
	}
	// lineitem (6M rows, one filter) and the suppliers of one nation (10k
	// rows, one filter) and orders (1.5M rows, two filters).
	li, lk := scan(1, 6_000_000, 1)
	su, sk := scan(2, 10_000, 1)
	or, ok := scan(3, 1_500_000, 2)
	eq := func(a, b Expr) Expr { return &Binary{Op: OpEq, L: a, R: b} }
	lisu := &Join{Left: li, Right: su, Kind: InnerJoin, Cond: eq(lk, sk)}
	for _, tc := range []struct {
		name string
		p    Plan
		want float64
	}{
		{"scan", li, 3_000_000},
		{"filter", &Filter{Cond: eq(lk, lk), Child: li}, 1_500_000},
		{"equal to a constant", &Filter{Cond: eq(lk, &Literal{Value: int64(1), Type: i64}), Child: li}, 300_000},
		{"constant equal to", &Filter{Cond: eq(&Literal{Value: int64(1), Type: i64}, lk), Child: li}, 300_000},
		{"like", &Filter{Cond: &Like{E: lk, Pattern: "%green%"}, Child: li}, 300_000},
		{"inner", lisu, 1_500_000},
		{"inner of inner", &Join{Left: lisu, Right: or, Kind: InnerJoin, Cond: eq(lk, ok)}, 375_000},
		{"semi", &Join{Left: or, Right: lisu, Kind: LeftSemiJoin, Cond: eq(ok, lk)}, 93_750},
		{"anti", &Join{Left: or, Right: lisu, Kind: LeftAntiJoin, Cond: eq(ok, lk)}, 375_000},
		{"left outer keeps the left rows", &Join{Left: or, Right: lisu, Kind: LeftJoin, Cond: eq(ok, lk)}, 375_000},
		{"right outer keeps the right rows", &Join{Left: or, Right: lisu, Kind: RightJoin, Cond: eq(ok, lk)}, 1_500_000},
		{"no equality", &Join{Left: li, Right: su, Kind: InnerJoin, Cond: &Binary{Op: OpGt, L: lk, R: sk}}, 3_000_000},
		{"cross", &Join{Left: su, Right: or, Kind: InnerJoin}, 375_000},
	} {
		if got := EstimateRows(tc.p); got != tc.want {
			t.Errorf("%s: EstimateRows = %g, want %g", tc.name, got, tc.want)
		}
	}
}
