package sql

import (
	"strings"
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

func findTableFunction(p logical.Plan) *TableFunction {
	if tf, ok := p.(*TableFunction); ok {
		return tf
	}
	for _, c := range p.Children() {
		if tf := findTableFunction(c); tf != nil {
			return tf
		}
	}
	return nil
}

func TestParseTableFunction(t *testing.T) {
	q, err := ParseQuery("SELECT a FROM\n  ml_transform('models/m', TABLE(db.t), TABLE(SELECT 1 AS a), 2) AS r WHERE a = 1")
	if err != nil {
		t.Fatal(err)
	}
	tf := findTableFunction(q)
	if tf == nil {
		t.Fatalf("no TableFunction in %s", logical.Format(q))
	}
	if tf.Name != "ml_transform" || len(tf.Args) != 4 || tf.Line != 2 || tf.Column != 3 {
		t.Fatalf("got %s at %d:%d, want ml_transform with 4 arguments at 2:3", tf, tf.Line, tf.Column)
	}
	if l, ok := tf.Args[0].Expr.(*logical.Literal); !ok || l.Value != "models/m" {
		t.Errorf("argument 1: got %v, want the literal 'models/m'", tf.Args[0])
	}
	if r, ok := tf.Args[1].Table.(*logical.UnresolvedRelation); !ok || r.Name != "db.t" {
		t.Errorf("argument 2: got %v, want TABLE(db.t)", tf.Args[1])
	}
	if tf.Args[2].Table == nil || tf.Args[3].Expr == nil {
		t.Errorf("arguments 3 and 4: got %v, want a query and an expression", tf.Args[2:])
	}
	if _, err := ParseQuery("SELECT * FROM f()"); err != nil {
		t.Errorf("no arguments: %v", err)
	}
	for q, want := range map[string]string{
		"SELECT * FROM f(TABLE(t)":         "expected ',' or ')' in the arguments of f",
		"SELECT * FROM f(TABLE(SELECT 1)":  "expected ','",
		"SELECT * FROM f(TABLE())":         "expected table name or query",
		"SELECT * FROM f(TABLE(t) x)":      "expected ',' or ')'",
		"DESCRIBE MODEL":                   "",
		"DESCRIBE MODEL m":                 "",
		"DESCRIBE MODEL 'p' extra":         "expected ';' or end of input",
		"SELECT * FROM f(1,, TABLE(t))":    "expected",
		"SELECT * FROM f(1 TABLE(t))":      "expected ',' or ')'",
		"SELECT * FROM f(TABLE(t), ) AS x": "expected",
	} {
		_, err := Parse(q)
		if want == "" {
			continue // MODEL is then a table name: DESCRIBE's own rules apply
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", q, err, want)
		}
	}
}

func TestParseDescribeModel(t *testing.T) {
	st, err := Parse("DESCRIBE MODEL 'models/churn'")
	if err != nil {
		t.Fatal(err)
	}
	d, ok := st[0].(*DescribeModel)
	if !ok || d.Path != "models/churn" || d.Call.Name != DescribeModelFunction || d.SQL() != "DESCRIBE MODEL 'models/churn'" {
		t.Fatalf("got %#v", st[0])
	}
	st, err = Parse("DESC model")
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := st[0].(*Describe); !ok || d.Name != "model" {
		t.Errorf("DESC model: got %#v, want DESCRIBE of the table model", st[0])
	}
}
