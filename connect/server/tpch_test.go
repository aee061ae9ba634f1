package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/internal/answers"
)

// tpchDir holds q01.sql ... q22.sql and DuckDB's answers over the embedded
// SF 0.01 sample tables (testdata/tpch/README.md).
const tpchDir = "../../testdata/tpch"

// TestTPCHThroughClient runs the 22 TPC-H queries through the official
// client's sql package against the server and compares each answer with
// DuckDB's.
func TestTPCHThroughClient(t *testing.T) {
	if testing.Short() {
		t.Skip("22 queries")
	}
	ctx := context.Background()
	spark := connect(t, startServer(t))
	orderKeys, err := answers.ReadOrderKeysFile(filepath.Join(tpchDir, answers.OrderKeysFile))
	if err != nil {
		t.Fatal(err)
	}
	for q := 1; q <= 22; q++ {
		name := fmt.Sprintf("q%02d", q)
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(tpchDir, name+".sql"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := answers.ReadFile(filepath.Join(tpchDir, "answers", name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			df, err := spark.Sql(ctx, string(text))
			if err != nil {
				t.Fatal(err)
			}
			tbl, err := df.ToArrow(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, err := arrowAnswer(*tbl)
			(*tbl).Release()
			if err != nil {
				t.Fatal(err)
			}
			if err := answers.Compare(got, want, orderKeys[name]); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// arrowAnswer converts an Arrow table the client received into an answer,
// decimals with their scale and dates as dates.
func arrowAnswer(tbl arrow.Table) (answers.Table, error) {
	out := answers.Table{Rows: make([][]answers.Value, tbl.NumRows())}
	for i := range out.Rows {
		out.Rows[i] = make([]answers.Value, tbl.NumCols())
	}
	for c := 0; c < int(tbl.NumCols()); c++ {
		col := tbl.Column(c)
		out.Columns = append(out.Columns, answers.Column{Name: col.Name()})
		row := 0
		for _, chunk := range col.Data().Chunks() {
			for i := 0; i < chunk.Len(); i++ {
				v, err := arrowValue(chunk, i)
				if err != nil {
					return out, fmt.Errorf("column %s row %d: %w", col.Name(), row, err)
				}
				out.Rows[row][c] = v
				row++
			}
		}
	}
	return out, nil
}

func arrowValue(a arrow.Array, i int) (answers.Value, error) {
	if a.IsNull(i) {
		return answers.Null(), nil
	}
	switch x := a.(type) {
	case *array.Decimal128:
		return answers.Decimal(x.Value(i).BigInt(), x.DataType().(*arrow.Decimal128Type).Scale), nil
	case *array.Date32:
		return answers.Date(x.Value(i).ToTime()), nil
	case *array.String:
		return answers.Str(x.Value(i)), nil
	case *array.Int64:
		return answers.FromGo(x.Value(i))
	case *array.Int32:
		return answers.FromGo(x.Value(i))
	case *array.Float64:
		return answers.FromGo(x.Value(i))
	}
	return answers.Value{}, fmt.Errorf("unexpected Arrow type %s", a.DataType())
}
