package feature

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestSQLTransformer(t *testing.T) {
	s, mem := newSession(t)
	// pyspark.ml.feature.SQLTransformer docstring.
	df := makeDF(t, s, mem, []string{"id", "v1", "v2"}, []arrow.DataType{tInt, tFloat, tFloat}, [][]any{{int64(0), 1.0, 3.0}, {int64(2), 2.0, 5.0}}, 2)
	st := NewSQLTransformer().SetStatement("SELECT *, (v1 + v2) AS v3, (v1 * v2) AS v4 FROM __THIS__")
	out, err := st.TransformSchema(df.Schema())
	if err != nil {
		t.Fatal(err)
	}
	if out.NumFields() != 5 || out.Field(4).Name != "v4" {
		t.Fatalf("schema %v", out)
	}
	rows := transformRows(t, st, df)
	if rows[0][3] != 4.0 || rows[0][4] != 3.0 || rows[1][3] != 7.0 || rows[1][4] != 10.0 {
		t.Fatalf("rows %v", rows)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, st), df))
	for _, name := range s.Tables() {
		if strings.Contains(name, "__THIS__") {
			t.Fatalf("temporary view left behind: %v", name)
		}
	}
	_, err = NewSQLTransformer().SetStatement("SELECT nope FROM __THIS__").TransformSchema(df.Schema())
	wantErr(t, err, "nope")
}
