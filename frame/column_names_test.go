package frame_test

import (
	"testing"

	"github.com/gspark/gspark/frame"
)

// TestSparkColumnNames checks the names of unaliased select items against
// the names Spark gives them (Expression.sql as toPrettySQL prints it:
// BitwiseAnd/Or/Xor and IntegralDivide are infix, BitwiseNot is ~x,
// LambdaFunction and NamedLambdaVariable print as lambdafunction(body,
// namedlambdavariable()...), InSubquery's list as listquery(), and a
// session variable reference by its name).
func TestSparkColumnNames(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	if err := s.SQL("DECLARE VARIABLE cn_v INT DEFAULT 5").Err(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		names []string
	}{
		{"SELECT 3 & 5, 3 | 5, 3 ^ 5, ~3", []string{"(3 & 5)", "(3 | 5)", "(3 ^ 5)", "~3"}},
		{"SELECT 7 div 2", []string{"(7 div 2)"}},
		{"SELECT transform(array(1, 2), x -> x + 1)",
			[]string{"transform(array(1, 2), lambdafunction((namedlambdavariable() + 1), namedlambdavariable()))"}},
		{"SELECT count(DISTINCT a, b), count(DISTINCT a) FROM VALUES (1, 2.5D) AS t(a, b)",
			[]string{"count(DISTINCT a, b)", "count(DISTINCT a)"}},
		{"SELECT cn_v", []string{"cn_v"}},
		{"SELECT 1 IN (SELECT 1)", []string{"(1 IN (listquery()))"}},
	} {
		df := s.SQL(tc.query)
		if err := df.Err(); err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		sc := df.Schema()
		if sc.NumFields() != len(tc.names) {
			t.Errorf("%s: %d columns, want %d", tc.query, sc.NumFields(), len(tc.names))
			continue
		}
		for i, want := range tc.names {
			if got := sc.Field(i).Name; got != want {
				t.Errorf("%s: column %d is named %q, want %q", tc.query, i+1, got, want)
			}
		}
	}
}
