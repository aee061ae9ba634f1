package frame_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values"
)

const peopleCSV = `id,name,qty,price,day
1,alice,3,1.50,2024-01-05
2,,5,2.25,2023-12-31
3,bob,,0.10,
4,Carol,7,3.00,2024-02-29
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func people(t *testing.T, s *frame.Session) *frame.DataFrame {
	t.Helper()
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(writeFile(t, "people.csv", peopleCSV))
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	return df
}

// strRows renders rows with the Show formatting so expectations read as text.
func strRows(rows []frame.Row) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		for _, v := range r {
			out[i] = append(out[i], values.FormatValue(v))
		}
	}
	return out
}

func TestExpressionsHandComputed(t *testing.T) {
	cases := []struct {
		name string
		df   func(*frame.DataFrame) *frame.DataFrame
		want [][]string
	}{
		{"inferred schema", func(df *frame.DataFrame) *frame.DataFrame { return df.Select(F.Col("*")) },
			[][]string{{"1", "alice", "3", "1.5", "2024-01-05"}, {"2", "NULL", "5", "2.25", "2023-12-31"}, {"3", "bob", "NULL", "0.1", "NULL"}, {"4", "Carol", "7", "3.0", "2024-02-29"}}},
		{"when/otherwise", func(df *frame.DataFrame) *frame.DataFrame {
			return df.Select(F.Col("id"), F.When(F.Col("qty").Gt(4), "big").When(F.Col("qty").IsNull(), "none").Otherwise("small").Alias("size"))
		}, [][]string{{"1", "small"}, {"2", "big"}, {"3", "none"}, {"4", "big"}}},
		{"or with null is true when one side is", func(df *frame.DataFrame) *frame.DataFrame {
			return df.Filter(F.Col("qty").Gt(4).Or(F.Col("name").IsNull())).Select(F.Col("id"))
		}, [][]string{{"2"}, {"4"}}},
		{"not of null drops the row", func(df *frame.DataFrame) *frame.DataFrame {
			return df.Filter(F.Not(F.Col("qty").Gt(4))).Select(F.Col("id"))
		}, [][]string{{"1"}}},
		{"and truth table", func(df *frame.DataFrame) *frame.DataFrame {
			return df.Select(F.Col("id"), F.Col("qty").Gt(4).And(F.Col("price").Lt(3)).Alias("a"), F.Col("qty").Gt(4).Or(F.Col("price").Lt(1)).Alias("o"))
		}, [][]string{{"1", "false", "false"}, {"2", "true", "true"}, {"3", "NULL", "true"}, {"4", "false", "true"}}},
		{"like, upper, lower, substring", func(df *frame.DataFrame) *frame.DataFrame {
			return df.Select(F.Col("id"), F.Col("name").Like("%o%").Alias("has_o"), F.Upper(F.Col("name")), F.Lower(F.Col("name")).Alias("l"), F.Substring(F.Col("name"), 2, 3).Alias("sub"))
		}, [][]string{{"1", "false", "ALICE", "alice", "lic"}, {"2", "NULL", "NULL", "NULL", "NULL"}, {"3", "true", "BOB", "bob", "ob"}, {"4", "true", "CAROL", "carol", "aro"}}},
		{"year and date comparison", func(df *frame.DataFrame) *frame.DataFrame {
			return df.Filter(F.Col("day").Geq(F.Date("2024-01-01"))).Select(F.Col("id"), F.Year(F.Col("day")).Alias("y"))
		}, [][]string{{"1", "2024"}, {"4", "2024"}}},
		{"arithmetic and casts", func(df *frame.DataFrame) *frame.DataFrame {
			return df.Select(F.Col("id"), F.Col("qty").Mul(F.Col("price")).Alias("total"), F.Col("qty").Div(2).Alias("half"),
				F.Col("price").Cast("decimal(5,1)").Alias("d"), F.Col("id").Cast("string").Alias("s"), F.Col("qty").Mod(4).Alias("m"))
		}, [][]string{{"1", "4.5", "1.5", "1.5", "1", "3"}, {"2", "11.25", "2.5", "2.3", "2", "1"}, {"3", "NULL", "NULL", "0.1", "3", "NULL"}, {"4", "21.0", "3.5", "3.0", "4", "3"}}},
		{"withColumn, rename, drop", func(df *frame.DataFrame) *frame.DataFrame {
			return df.WithColumn("qty", F.Col("qty").Add(1)).WithColumnRenamed("name", "who").Drop("price", "day").Filter(F.Col("who").IsNotNull())
		}, [][]string{{"1", "alice", "4"}, {"3", "bob", "NULL"}, {"4", "Carol", "8"}}},
		{"order by nulls first and last", func(df *frame.DataFrame) *frame.DataFrame {
			return df.OrderBy(F.Col("qty").Desc()).Select(F.Col("id"))
		}, [][]string{{"4"}, {"2"}, {"1"}, {"3"}}},
		{"order by asc puts nulls first", func(df *frame.DataFrame) *frame.DataFrame {
			return df.OrderBy(F.Col("name")).Select(F.Col("id"))
		}, [][]string{{"2"}, {"4"}, {"1"}, {"3"}}},
		{"aggregates skip nulls", func(df *frame.DataFrame) *frame.DataFrame {
			return df.Agg(F.Count(F.Col("qty")), F.CountStar(), F.Sum(F.Col("qty")), F.Avg(F.Col("qty")), F.Min(F.Col("name")), F.Max(F.Col("day")))
		}, [][]string{{"3", "4", "15", "5.0", "Carol", "2024-02-29"}}},
		{"group by a null key", func(df *frame.DataFrame) *frame.DataFrame {
			return df.GroupBy(F.Col("qty").IsNull().Alias("missing")).Agg(F.Sum(F.Col("price")).Alias("p")).OrderBy(F.Col("missing"))
		}, [][]string{{"false", "6.75"}, {"true", "0.1"}}},
		{"limit", func(df *frame.DataFrame) *frame.DataFrame { return df.Select(F.Col("id")).Limit(2) },
			[][]string{{"1"}, {"2"}}},
	}
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			df := people(t, s)
			for _, c := range cases {
				rows, err := c.df(df).Collect(context.Background())
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				got := strRows(rows)
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
				}
			}
		})
	}
}

func TestShowFormatsLikeSpark(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	out, err := people(t, s).Select(F.Col("id"), F.Col("name"), F.Col("price")).ShowString(context.Background(), 3, 20)
	if err != nil {
		t.Fatal(err)
	}
	want := `+---+-----+-----+
| id| name|price|
+---+-----+-----+
|  1|alice|  1.5|
|  2| NULL| 2.25|
|  3|  bob|  0.1|
+---+-----+-----+
only showing top 3 rows
`
	if out != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
}

func TestCountAndSchema(t *testing.T) {
	s := frame.NewSession()
	df := s.Table("samples.nation")
	n, err := df.Count(context.Background())
	if err != nil || n != 25 {
		t.Fatalf("nation has %d rows (%v), want 25", n, err)
	}
	if got := strings.Join(df.Columns(), ","); got != "n_nationkey,n_name,n_regionkey,n_comment" {
		t.Fatalf("columns %s", got)
	}
	iris, err := s.Table("samples.iris").Count(context.Background())
	if err != nil || iris != 150 {
		t.Fatalf("iris has %d rows (%v), want 150", iris, err)
	}
}
