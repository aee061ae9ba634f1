package logical

// SetOp is INTERSECT or EXCEPT (DISTINCT) of two inputs whose columns match
// by position; rows compare with null-safe equality. The analyzer plans it
// as the distinct left rows semi- (intersect) or anti- (except) joined with
// the right on <=> of every column, which hash-joins.
//
// With All (INTERSECT ALL, EXCEPT ALL) duplicates count: each side numbers
// the copies of every row (row_number over a partition by all columns) and
// the join also matches those numbers, so a row m times on the left and n
// times on the right is kept min(m, n) times, or max(m - n, 0) times.
type SetOp struct {
	Intersect   bool
	All         bool
	Left, Right Plan
}

// Output implements Plan.
func (p *SetOp) Output() []*Attribute { return p.Left.Output() }

// Children implements Plan.
func (p *SetOp) Children() []Plan { return []Plan{p.Left, p.Right} }

// WithChildren implements Plan.
func (p *SetOp) WithChildren(c []Plan) Plan {
	return &SetOp{Intersect: p.Intersect, All: p.All, Left: c[0], Right: c[1]}
}

// Expressions implements Plan.
func (p *SetOp) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *SetOp) WithExpressions([]Expr) Plan { return p }

func (p *SetOp) String() string {
	name := "Except"
	if p.Intersect {
		name = "Intersect"
	}
	if p.All {
		name += " All"
	}
	return name
}
