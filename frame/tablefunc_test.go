package frame_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/sql"
)

// Rows are compared as printed: values and order, not Go types.

// scaled is a table function scaled(TABLE(t), k) adding a column x*k to t.
func scaled(ctx context.Context, s *frame.Session, args []frame.TableArg) (*frame.DataFrame, error) {
	if len(args) != 2 || args[0].Table == nil {
		return nil, fmt.Errorf("scaled takes TABLE(t) and a factor")
	}
	return args[0].Table.WithColumn("y", frame.Col("x").Mul(frame.Lit(args[1].Value))), nil
}

func tvfSession(t *testing.T) *frame.Session {
	s := stmtSession(t, 2)
	s.RegisterTableFunction("scaled", scaled)
	execSQL(t, s, "CREATE TEMP VIEW t AS SELECT * FROM VALUES (1, 'a'), (2, 'b'), (3, 'c') AS v(x, name)")
	return s
}

func TestTableFunctionCalls(t *testing.T) {
	s := tvfSession(t)
	for _, tc := range []struct {
		query string
		want  []frame.Row
	}{
		{"SELECT name, y FROM scaled(TABLE(t), 10) WHERE y > 10 ORDER BY name",
			[]frame.Row{{"b", int64(20)}, {"c", int64(30)}}},
		{"SELECT s.y FROM SCALED(TABLE(SELECT x FROM t WHERE x < 3), -1) AS s ORDER BY s.y",
			[]frame.Row{{int64(-2)}, {int64(-1)}}},
		{"SELECT t.name, s.y FROM t JOIN scaled(TABLE(t), 2) s ON t.x = s.x WHERE t.x = 3",
			[]frame.Row{{"c", int64(6)}}},
		{"WITH c AS (SELECT x FROM t WHERE x = 2) SELECT y FROM scaled(TABLE(c), 5)",
			[]frame.Row{{int64(10)}}},
		{"SELECT count(*) FROM t WHERE x IN (SELECT x FROM scaled(TABLE(t), 1) WHERE y >= 2)",
			[]frame.Row{{int64(2)}}},
	} {
		got := collect(t, s.SQL(tc.query))
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.query, got, tc.want)
		}
	}
}

func TestTableFunctionWrites(t *testing.T) {
	s := tvfSession(t)
	dir := t.TempDir()
	execSQL(t, s, fmt.Sprintf(`INSERT OVERWRITE DIRECTORY '%s/o' USING parquet SELECT x, y FROM scaled(TABLE(t), 3);
CREATE TABLE c USING parquet LOCATION '%s/c' AS SELECT x, y FROM scaled(TABLE(t), 4) WHERE x > 1`, dir, dir))
	got := collect(t, s.SQL(fmt.Sprintf("SELECT x, y FROM parquet.`%s/o` ORDER BY x", dir)))
	want := []frame.Row{{int32(1), int64(3)}, {int32(2), int64(6)}, {int32(3), int64(9)}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("INSERT OVERWRITE DIRECTORY: got %v, want %v", got, want)
	}
	got = collect(t, s.SQL("SELECT x, y FROM c ORDER BY x"))
	want = []frame.Row{{int32(2), int64(8)}, {int32(3), int64(12)}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("CREATE TABLE AS: got %v, want %v", got, want)
	}
}

func TestTableFunctionErrors(t *testing.T) {
	s := tvfSession(t)
	err := s.SQL("SELECT *\nFROM  scaleed(TABLE(t), 2)").Err()
	var se *sql.CallError
	if !errors.As(err, &se) || se.Line != 2 || se.Column != 7 || !errors.Is(err, logical.ErrAnalysis) {
		t.Fatalf("unknown function: got %v (%#v), want an analysis error at line 2, column 7", err, se)
	}
	if !strings.HasPrefix(err.Error(), "analysis error: line 2, column 7: unknown table function scaleed") || !strings.HasSuffix(err.Error(), "\n      ^") {
		t.Errorf("unknown function: %q should start with the position and end with a caret", err)
	}
	if !strings.Contains(err.Error(), "unknown table function scaleed") || !strings.Contains(err.Error(), "scaled") {
		t.Errorf("unknown function: %v should name it and suggest scaled", err)
	}
	for q, want := range map[string]string{
		"SELECT * FROM scaled(TABLE(nosuch), 2)": "unknown table nosuch",
		"SELECT * FROM scaled(2)":                "scaled takes TABLE(t) and a factor",
		"SELECT * FROM scaled(TABLE(t), x)":      "argument 2",
		"SELECT * FROM scaled(TABLE(t) 2)":       "expected ',' or ')'",
		"DESCRIBE MODEL '/no/model'":             "DESCRIBE MODEL needs the ML table functions",
	} {
		if err := s.SQL(q).Err(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", q, err, want)
		}
	}
}
