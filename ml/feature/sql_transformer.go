package feature

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// SQLTransformer transforms a DataFrame with a SQL statement in which the
// table __THIS__ stands for the input (Spark's SQLTransformer), e.g.
// "SELECT *, a + b AS c FROM __THIS__".
type SQLTransformer struct {
	ml.StageBase
	statement param.Param[string]
}

// NewSQLTransformer makes a SQLTransformer with a new UID.
func NewSQLTransformer() *SQLTransformer { return newSQLTransformer(param.UID("SQLTransformer")) }

func newSQLTransformer(uid string) *SQLTransformer {
	s := &SQLTransformer{StageBase: ml.NewStageBase(uid)}
	s.statement = param.Define[string](s.Params(), "statement", "SQL statement")
	return s
}

// SetStatement sets the SQL statement.
func (s *SQLTransformer) SetStatement(q string) *SQLTransformer {
	s.statement.Set(s.Params(), q)
	return s
}

// ClassName implements ml.Stage.
func (s *SQLTransformer) ClassName() string { return classPrefix + "SQLTransformer" }

// run registers df under a fresh view name, runs the statement on it and drops the view.
func (s *SQLTransformer) run(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	stmt, ok := s.statement.GetOK(s.Params())
	if !ok || strings.TrimSpace(stmt) == "" {
		return nil, fmt.Errorf("%s: statement must be set", s.UID())
	}
	view := strings.ReplaceAll(param.UID("__THIS__"+s.UID()), "-", "_")
	if err := df.CreateOrReplaceTempView(view); err != nil {
		return nil, err
	}
	sess := df.Session()
	res := sess.SQL(strings.ReplaceAll(stmt, "__THIS__", view))
	if drop := sess.SQL("DROP VIEW IF EXISTS " + view); drop.Err() != nil {
		return nil, fmt.Errorf("%s: %w", s.UID(), drop.Err())
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("%s: statement %q: %w", s.UID(), stmt, err)
	}
	return res, nil
}

// TransformSchema implements ml.Stage: it plans the statement over an empty
// table of the input schema.
func (s *SQLTransformer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	sess := frame.NewSession()
	empty, err := sess.FromBatches(in, nil)
	if err != nil {
		return nil, err
	}
	res, err := s.run(empty)
	if err != nil {
		return nil, err
	}
	return res.Schema(), nil
}

// Transform implements ml.Transformer.
func (s *SQLTransformer) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	return s.run(df)
}

// Copy implements ml.Stage.
func (s *SQLTransformer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *SQLTransformer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *SQLTransformer) Save(path string) error { return ml.Save(s, path) }
