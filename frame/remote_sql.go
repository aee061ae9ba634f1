package frame

import (
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/unparse"
)

// planSQL is the Spark SQL query computing p, for a remote session
// (planner/unparse; tables of the server are written by their names
// through unparse.TableRef).
func planSQL(p logical.Plan) (string, error) {
	return unparse.SQL(p)
}
