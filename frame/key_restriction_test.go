package frame_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// TestCorrelatedAggregateRestrictedByTheSmallerSide: as in TPC-H Q20, the
// aggregate correlated on (pk, sk) to partsupp rows semi-joined with the
// parts named 'f%' reads only the line items of those parts, the keys taken
// from the part table rather than from a second read of partsupp. Null keys,
// keys without line items (sum null, count 0) and line items of other
// suppliers of a kept part must answer as the plain correlated subquery.
func TestCorrelatedAggregateRestrictedByTheSmallerSide(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := frame.NewSession(frame.WithPartitions(2))
	script := ""
	for name, rows := range map[string]string{
		"part": `SELECT * FROM (VALUES (1, 'fa'), (2, 'fb'), (3, 'x'), (NULL, 'fz'), (4, 'fc'), (5, 'y'), (6, 'z'), (7, 'w')) AS x(pk, name)`,
		"ps": `SELECT * FROM (VALUES (1, 10, 5), (1, 11, 50), (2, 10, 1), (3, 10, 100), (NULL, 10, 1), (4, 12, 3), (2, NULL, 0),
		  (5, 10, 9), (6, 10, 9), (7, 10, 9)) AS x(pk, sk, avail)`,
		"li": `SELECT * FROM (VALUES (1, 10, 4), (1, 10, 4), (1, 11, 200), (2, 10, 1), (3, 10, 1), (NULL, 10, 1), (2, NULL, 5), (4, 13, 2)) AS x(pk, sk, q)`,
	} {
		path := filepath.Join(dir, name)
		script += fmt.Sprintf("INSERT OVERWRITE DIRECTORY '%s' USING parquet %s;\nCREATE TEMP VIEW %s USING parquet OPTIONS (path '%s');\n", path, rows, name, path)
	}
	if err := s.ExecSQL(ctx, script, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		agg  string
		want []string
	}{
		{"0.5 * sum(q)", []string{"1,10", "2,10"}},
		{"count(*)", []string{"1,10", "1,11", "4,12"}},
	} {
		sql := `SELECT pk, sk FROM ps WHERE pk IN (SELECT pk FROM part WHERE name LIKE 'f%')
		  AND avail > (SELECT ` + c.agg + ` FROM li WHERE li.pk = ps.pk AND li.sk = ps.sk)`
		plan, err := s.SQL(sql).Explain(false)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(plan, "ParquetScan ["+filepath.Join(dir, "ps")+"/"); n != 1 {
			t.Errorf("%s: partsupp is read %d times, want once:\n%s", c.agg, n, plan)
		}
		rows, err := s.SQL(sql).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := sortedRows(rows); strings.Join(got, ";") != strings.Join(c.want, ";") {
			t.Errorf("%s: got %v, want %v", c.agg, got, c.want)
		}
	}
}
