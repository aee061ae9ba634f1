package frame

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/unparse"
)

// planSQL is the Spark SQL query computing p, for a remote session
// (planner/unparse). unparse writes a table reference for the sources it
// recognises by their description; a table of the server is handed to it
// as a direct file query of a unique placeholder path, which is then
// replaced by the table's name in the text.
func planSQL(p logical.Plan) (string, error) {
	refs := map[string]string{} // placeholder reference → the table's name
	q, _, err := logical.TransformUpWithSubqueries(p, func(n logical.Plan) (logical.Plan, bool, error) {
		sc, ok := n.(*logical.Scan)
		if !ok {
			return n, false, nil
		}
		src, ok := sc.Source.(*remoteSource)
		if !ok {
			return n, false, nil
		}
		token := fmt.Sprintf("__gspark_remote_table_%d__", len(refs)+1)
		refs[placeholderFormat+"."+unparse.Quote(token)] = quoteName(src.name)
		c := *sc
		c.Source = &tablePlaceholder{token: token, schema: src.schema}
		return &c, true, nil
	})
	if err != nil {
		return "", err
	}
	text, err := unparse.SQL(q)
	if err != nil {
		return "", err
	}
	for ref, name := range refs {
		text = strings.ReplaceAll(text, ref, name)
	}
	return text, nil
}

// placeholderFormat is the format of the placeholder sources' descriptions.
const placeholderFormat = "parquet"

// tablePlaceholder stands for a table of the server while a plan is
// written as SQL; it is never scanned.
type tablePlaceholder struct {
	token  string
	schema *arrow.Schema
}

func (t *tablePlaceholder) Describe() string      { return placeholderFormat + " " + t.token }
func (t *tablePlaceholder) Schema() *arrow.Schema { return t.schema }
func (t *tablePlaceholder) EstimatedRows() int64  { return -1 }
func (t *tablePlaceholder) Operator(*exec.Env, logical.ScanRequest) (exec.Operator, error) {
	return nil, fmt.Errorf("%s: %w", t.token, ErrNotRemote)
}
