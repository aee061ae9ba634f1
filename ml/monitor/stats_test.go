package monitor

import (
	"context"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// NaN and ±Inf count as nulls of a numeric column.
func TestNumExprDropsNonFinite(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	df := s.SQL("SELECT CAST(v AS DOUBLE) AS x FROM VALUES ('1.5'), ('NaN'), ('Infinity'), ('-Infinity'), (NULL), ('2.5') AS t(v)")
	rows, err := df.Agg(F.Count(numExpr("x")), F.Count(F.Col("x")), F.Max(numExpr("x"))).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n, all, mx := toInt(rows[0][0]), toInt(rows[0][1]), rows[0][2]; n != 2 || all != 5 || mx != 2.5 {
		t.Errorf("count %d of %d, max %v; want 2 of 5, 2.5", n, all, mx)
	}
}
