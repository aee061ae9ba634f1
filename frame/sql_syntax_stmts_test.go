package frame_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// runScript runs a script and returns each result's rows, formatted.
func runScript(t *testing.T, s *frame.Session, script string) ([]string, error) {
	t.Helper()
	var out []string
	err := s.ExecSQL(context.Background(), script, func(_ string, df *frame.DataFrame) error {
		rows, err := df.Collect(context.Background())
		if err != nil {
			return err
		}
		out = append(out, strings.TrimSpace(formatRows(rows)))
		return nil
	})
	return out, err
}

func TestSQLSessionStatements(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	setup := `CREATE TEMP VIEW dealer AS SELECT * FROM VALUES (100, 'Fremont', 10), (200, 'Dublin', 3) AS dealer(id, city, quantity);`
	cases := []struct {
		script string
		want   []string // one entry per result
		err    string
	}{
		{script: `SHOW COLUMNS IN dealer; SHOW COLUMNS FROM dealer IN default`, want: []string{"id\ncity\nquantity", "id\ncity\nquantity"}},
		{script: `DESCRIBE EXTENDED dealer`, want: []string{"id int\ncity string\nquantity int\n \n# Detailed Table Information \nTable dealer\nType VIEW"}},
		{script: `SHOW FUNCTIONS LIKE 'to_ch*|TRIM'; SHOW FUNCTIONS 'stddev_*'`, want: []string{"to_char\ntrim", "stddev_pop\nstddev_samp"}},
		// CACHE TABLE serves the cached rows; UNCACHE puts the view back.
		{script: `CACHE TABLE dealer; SELECT count(*) FROM dealer; UNCACHE TABLE dealer; UNCACHE TABLE IF EXISTS nosuch; SELECT sum(id) FROM dealer`, want: []string{"2", "300"}},
		{script: `CACHE TABLE twice AS SELECT id * 2 AS x FROM dealer; SELECT sum(x) FROM twice; UNCACHE TABLE twice; SELECT sum(x) FROM twice`, want: []string{"600", "600"}},
		{script: `UNCACHE TABLE nosuch`, err: "table nosuch does not exist"},
		// Session variables: DECLARE, reference by name, SET VAR, DROP.
		{script: `DECLARE VARIABLE v INT DEFAULT 5; SELECT v + 1, session.v, system.session.v; SET VAR v = v * 10; SELECT v; DROP TEMPORARY VARIABLE v`, want: []string{"6 5 5", "50"}},
		{script: `DECLARE v2 STRING; SELECT v2 IS NULL; DECLARE OR REPLACE v2 = 'b'; SELECT v2; DROP TEMPORARY VARIABLE IF EXISTS v2`, want: []string{"true", "b"}},
		{script: `DECLARE VARIABLE k INT DEFAULT 150; SELECT id FROM dealer WHERE id > k; DROP TEMPORARY VARIABLE k`, want: []string{"200"}},
		// A column wins over a variable of the same name.
		{script: `DECLARE id INT DEFAULT 7; SELECT sum(id) FROM dealer; DROP TEMPORARY VARIABLE id`, want: []string{"300"}},
		{script: `DECLARE x = 'a'; DECLARE x = 'b'`, err: "variable x already exists"},
		{script: `SET VAR nosuch = 1`, err: "variable nosuch does not exist"},
		{script: `DECLARE w INT; SET VAR w = 'abc'`, err: "invalid value"},
		{script: `DROP TEMPORARY VARIABLE nosuch`, err: "variable nosuch does not exist"},
		{script: `DECLARE u`, err: "needs a type or a DEFAULT"},
	}
	if _, err := runScript(t, s, setup); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		got, err := runScript(t, s, c.script)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: got %v, want an error containing %q", c.script, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.script, err)
			continue
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s:\ngot  %q\nwant %q", c.script, got, c.want)
		}
	}
}
