package logical

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// OrdinalRef is the N-th (1-based) output column of the plan node it is
// evaluated over, as ORDER BY 1 after a set operation names it. The analyzer
// replaces it with that column.
type OrdinalRef struct{ N int }

func (e *OrdinalRef) String() string { return fmt.Sprintf("#position %d", e.N) }

// Children implements Expr: none.
func (e *OrdinalRef) Children() []Expr { return nil }

// WithChildren implements Expr.
func (e *OrdinalRef) WithChildren([]Expr) Expr { return e }

// DataType implements Expr: unknown until resolved.
func (e *OrdinalRef) DataType() arrow.DataType { return nil }

// Nullable implements Expr.
func (e *OrdinalRef) Nullable() bool { return true }

// LateralAlias is a name in a select item that may refer to the alias of an
// earlier item of the same select list (SELECT 1 AS x, x + 1), as Spark's
// lateral column aliases do. The analyzer resolves Name as a column of the
// input when one has it (a real column wins), else as E, the aliased
// expression.
type LateralAlias struct {
	Name string
	E    Expr
}

func (e *LateralAlias) String() string { return e.Name }

// Children implements Expr: the aliased expression.
func (e *LateralAlias) Children() []Expr { return []Expr{e.E} }

// WithChildren implements Expr.
func (e *LateralAlias) WithChildren(c []Expr) Expr { return &LateralAlias{Name: e.Name, E: c[0]} }

// DataType implements Expr: unknown until resolved.
func (e *LateralAlias) DataType() arrow.DataType { return nil }

// Nullable implements Expr.
func (e *LateralAlias) Nullable() bool { return true }

// MultiAlias names the several columns of a generator call: posexplode(a)
// AS (p, v) in a select list, or LATERAL VIEW explode(m) t AS k, v, where
// Qualifier is the view's name t. Names may be empty (the generator's
// default names).
type MultiAlias struct {
	E         Expr
	Names     []string
	Qualifier string
}

func (e *MultiAlias) String() string {
	return fmt.Sprintf("%s AS (%s)", e.E, strings.Join(e.Names, ", "))
}

// Children implements Expr.
func (e *MultiAlias) Children() []Expr { return []Expr{e.E} }

// WithChildren implements Expr.
func (e *MultiAlias) WithChildren(c []Expr) Expr {
	return &MultiAlias{E: c[0], Names: e.Names, Qualifier: e.Qualifier}
}

// DataType implements Expr: the generator call's.
func (e *MultiAlias) DataType() arrow.DataType { return e.E.DataType() }

// Nullable implements Expr.
func (e *MultiAlias) Nullable() bool { return true }
