package frame_test

import (
	"context"
	"strings"
	"testing"
)

func TestSQLUsingAndNaturalJoins(t *testing.T) {
	cases := []struct {
		name, sql string
		want      []string // sorted, by hand over the views of subquerySession
	}{
		{"using inner", `SELECT * FROM t JOIN u USING (k)`,
			[]string{"1,10,100", "1,20,100", "2,5,200", "2,5,201"}},
		{"using left", `SELECT * FROM t LEFT JOIN u USING (k)`,
			[]string{"1,10,100", "1,20,100", "2,5,200", "2,5,201", "3,NULL,NULL", "NULL,7,NULL"}},
		{"using right", `SELECT k, v, w FROM t RIGHT JOIN u USING (k)`,
			[]string{"1,10,100", "1,20,100", "2,5,200", "2,5,201", "4,NULL,400", "NULL,NULL,300"}},
		// A full join's key is the coalesce of both sides.
		{"using full", `SELECT * FROM t FULL JOIN u USING (k)`,
			[]string{"1,10,100", "1,20,100", "2,5,200", "2,5,201", "3,NULL,NULL", "4,NULL,400", "NULL,7,NULL", "NULL,NULL,300"}},
		{"using semi", `SELECT * FROM t LEFT SEMI JOIN u USING (k)`, []string{"1,10", "1,20", "2,5"}},
		{"natural", `SELECT * FROM t NATURAL JOIN u`, []string{"1,10,100", "1,20,100", "2,5,200", "2,5,201"}},
		{"natural left", `SELECT count(*) FROM t NATURAL LEFT JOIN u`, []string{"6"}},
		{"qualified after using", `SELECT t.v, u.w FROM t JOIN u USING (k) WHERE u.w > 150`, []string{"5,200", "5,201"}},
	}
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		for _, opt := range []bool{true, false} {
			s := subquerySession(t, parts, opt)
			for _, c := range cases {
				rows, err := s.SQL(c.sql).Collect(ctx)
				if err != nil {
					t.Errorf("%s (partitions=%d optimizer=%v): %v", c.name, parts, opt, err)
					continue
				}
				if got := sortedRows(rows); strings.Join(got, ";") != strings.Join(c.want, ";") {
					t.Errorf("%s (partitions=%d optimizer=%v): got %v, want %v", c.name, parts, opt, got, c.want)
				}
			}
			cols := s.SQL(`SELECT * FROM t FULL JOIN u USING (k)`).Columns()
			if strings.Join(cols, ",") != "k,v,w" {
				t.Errorf("USING join columns: %v", cols)
			}
		}
	}
	s := subquerySession(t, 1, true)
	if err := s.SQL(`SELECT * FROM t JOIN u USING (nosuch)`).Err(); err == nil || !strings.Contains(err.Error(), "USING column nosuch") {
		t.Errorf("unknown USING column: %v", err)
	}
}
