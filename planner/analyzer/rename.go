package analyzer

import (
	"strings"

	"github.com/gspark/gspark/planner/logical"
)

// resolveRenameColumns turns the renaming into a projection of aliases.
func (a *Analyzer) resolveRenameColumns(n *logical.RenameColumns) (logical.Plan, error) {
	in := n.Child.Output()
	if len(in) != len(n.Names) {
		return nil, logical.AnalysisErr("the column list (%s) names %d columns, but the relation has %d", strings.Join(n.Names, ", "), len(n.Names), len(in))
	}
	list := make([]logical.Expr, len(in))
	for i, at := range in {
		list[i] = &logical.Alias{E: at, Name: n.Names[i], ID: a.IDs.Next()}
	}
	return &logical.Project{List: list, Child: n.Child}, nil
}
