package analyzer

import (
	"errors"

	"github.com/gspark/gspark/planner/logical"
)

// resolveOrdinal resolves ORDER BY position n over the input columns in.
func resolveOrdinal(x *logical.OrdinalRef, in []*logical.Attribute, where string) (logical.Expr, error) {
	if x.N < 1 || x.N > len(in) {
		return nil, logical.AnalysisErr("ORDER BY position %d is not in the select list (valid: 1..%d) in %s", x.N, len(in), where)
	}
	return in[x.N-1], nil
}

// resolveLateralAlias resolves a name that may be a lateral column alias:
// an input column of that name wins, as in Spark; otherwise the name reads
// the aliased expression of the earlier select item.
func (a *Analyzer) resolveLateralAlias(x *logical.LateralAlias, in []*logical.Attribute, where string) (logical.Expr, error) {
	r, err := lookupColumn(x.Name, in, where)
	var unknown *unknownColumnError
	if err == nil || !errors.As(err, &unknown) {
		return r, err
	}
	return a.resolveExpr(x.E, in, where)
}

// VariableCatalog is a Catalog with session variables (DECLARE VARIABLE):
// a name no column has is read as a variable of that name, as in Spark.
type VariableCatalog interface {
	LookupVariable(name string) (logical.Expr, bool)
}

// variableRef returns the value of the session variable name, if any.
func (a *Analyzer) variableRef(name string) (logical.Expr, bool) {
	vc, ok := a.Catalog.(VariableCatalog)
	if !ok {
		return nil, false
	}
	return vc.LookupVariable(name)
}
