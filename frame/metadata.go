package frame

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// WithMetadata returns df with md as the field metadata of column name
// (Spark's Dataset.withMetadata): it replaces the column's metadata and
// shows in Schema() as the field's Metadata. Metadata follows a column
// through selects and renames (as in Spark); it lives on the plan and is
// not written to files.
func (df *DataFrame) WithMetadata(name string, md arrow.Metadata) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		var list []logical.Expr
		found := false
		for _, a := range df.plan.Output() {
			if !found && strings.EqualFold(a.Name, name) {
				m := md
				list = append(list, &logical.Alias{E: a, Name: a.Name, Meta: &m})
				found = true
				continue
			}
			list = append(list, a)
		}
		if !found {
			return nil, fmt.Errorf("withMetadata: column %q not found in %v", name, df.Columns())
		}
		return &logical.Project{List: list, Child: df.plan}, nil
	})
}
