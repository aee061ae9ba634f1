package frame_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// Two small tables with null and duplicate keys.
const joinLeftCSV = `k,a
1,x
2,y
2,z
,n
4,w
`

const joinRightCSV = `k,b
2,10
2,20
3,30
,40
4,5
`

type kv struct {
	k *int64
	s string
}

func readKV(t *testing.T, s *frame.Session, name, csv, col string, typ arrow.DataType) *frame.DataFrame {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: col, Type: typ, Nullable: true}}, nil)
	df := s.Read().Option("header", "true").Schema(schema).CSV(writeFile(t, name, csv))
	if df.Err() != nil {
		t.Fatal(df.Err())
	}
	return df
}

func parseKV(csv string) []kv {
	var out []kv
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n")[1:] {
		f := strings.Split(line, ",")
		r := kv{s: f[1]}
		if f[0] != "" {
			var v int64
			fmt.Sscan(f[0], &v)
			r.k = &v
		}
		out = append(out, r)
	}
	return out
}

// naiveJoin is a nested loop over the rows: match decides a pair; the
// result is rendered as sorted "k|a|k|b" strings with NULL for missing sides.
func naiveJoin(kind string, l, r []kv, match func(a, b kv) bool) []string {
	str := func(p *int64) string {
		if p == nil {
			return "NULL"
		}
		return fmt.Sprint(*p)
	}
	var out []string
	rightMatched := make([]bool, len(r))
	for _, a := range l {
		matched := false
		for j, b := range r {
			if match(a, b) {
				matched = true
				rightMatched[j] = true
				if kind != "left_semi" && kind != "left_anti" {
					out = append(out, str(a.k)+"|"+a.s+"|"+str(b.k)+"|"+b.s)
				}
			}
		}
		switch {
		case kind == "left_semi" && matched, kind == "left_anti" && !matched:
			out = append(out, str(a.k)+"|"+a.s)
		case !matched && (kind == "left" || kind == "full"):
			out = append(out, str(a.k)+"|"+a.s+"|NULL|NULL")
		}
	}
	if kind == "right" || kind == "full" {
		for j, b := range r {
			if !rightMatched[j] {
				out = append(out, "NULL|NULL|"+str(b.k)+"|"+b.s)
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestEveryJoinKindAgainstNaive(t *testing.T) {
	lrows, rrows := parseKV(joinLeftCSV), parseKV(joinRightCSV)
	eq := func(a, b kv) bool { return a.k != nil && b.k != nil && *a.k == *b.k }
	var bval = func(b kv) int64 { var v int64; fmt.Sscan(b.s, &v); return v }
	conds := []struct {
		name  string
		col   func(l, r *frame.DataFrame) frame.Column
		match func(a, b kv) bool
	}{
		{"equi", func(l, r *frame.DataFrame) frame.Column { return F.Col("l.k").Eq(F.Col("r.k")) }, eq},
		{"equi and residual", func(l, r *frame.DataFrame) frame.Column {
			return F.Col("l.k").Eq(F.Col("r.k")).And(F.Col("b").Gt(F.Lit(10)))
		}, func(a, b kv) bool { return eq(a, b) && bval(b) > 10 }},
		{"non-equi", func(l, r *frame.DataFrame) frame.Column { return F.Col("l.k").Lt(F.Col("r.k")) },
			func(a, b kv) bool { return a.k != nil && b.k != nil && *a.k < *b.k }},
	}
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			l := readKV(t, s, "l.csv", joinLeftCSV, "a", arrow.BinaryTypes.String).Alias("l")
			r := readKV(t, s, "r.csv", joinRightCSV, "b", arrow.PrimitiveTypes.Int64).Alias("r")
			for _, kind := range []string{"inner", "left", "right", "full", "left_semi", "left_anti"} {
				for _, c := range conds {
					df := l.Join(r, c.col(l, r), kind)
					var got []string
					for _, row := range strRows(collect(t, df)) {
						got = append(got, strings.Join(row, "|"))
					}
					sort.Strings(got)
					want := naiveJoin(kind, lrows, rrows, c.match)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s join on %s:\n got %v\nwant %v", kind, c.name, got, want)
					}
				}
			}
			// A cross join pairs everything: 5 × 5 rows.
			if n := len(collect(t, l.CrossJoin(r))); n != 25 {
				t.Errorf("cross join gave %d rows, want 25", n)
			}
			// Filters above outer joins must not be pushed into the side the
			// join fills with nulls: keeping the rows where the right side is
			// null finds the left rows without a match.
			unmatched := l.Join(r, F.Col("l.k").Eq(F.Col("r.k")), "left").Filter(F.Col("b").IsNull()).Select(F.Col("a"))
			var got []string
			for _, row := range strRows(collect(t, unmatched)) {
				got = append(got, row[0])
			}
			sort.Strings(got)
			if want := []string{"n", "x"}; !reflect.DeepEqual(got, want) {
				t.Errorf("left join then IS NULL: got %v, want %v", got, want)
			}
		})
	}
}

func TestJoinUsingOuterKinds(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	l := readKV(t, s, "l.csv", joinLeftCSV, "a", arrow.BinaryTypes.String)
	r := readKV(t, s, "r.csv", joinRightCSV, "b", arrow.PrimitiveTypes.Int64)
	full := l.JoinUsing(r, []string{"k"}, "full").Filter(F.Col("k").Eq(F.Lit(3)))
	if got := strRows(collect(t, full)); !reflect.DeepEqual(got, [][]string{{"3", "NULL", "30"}}) {
		t.Errorf("full USING join keeps the right key where the left has none: %v", got)
	}
	semi := l.JoinUsing(r, []string{"k"}, "left_semi")
	if cols := semi.Columns(); !reflect.DeepEqual(cols, []string{"k", "a"}) {
		t.Errorf("semi join columns %v", cols)
	}
}

func TestSelfJoinUsing(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	p := people(t, s)
	j := p.JoinUsing(p.Filter(F.Col("id").Gt(F.Lit(1))), []string{"id"}, "inner").Select(F.Col("id"))
	got := sortedStrRows(collect(t, j))
	if want := []string{"2", "3", "4"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("self join using id: %v, want %v", got, want)
	}
}

func TestNullSafeJoinKeys(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			l := readKV(t, s, "l.csv", joinLeftCSV, "a", arrow.BinaryTypes.String).Alias("l")
			r := readKV(t, s, "r.csv", joinRightCSV, "b", arrow.PrimitiveTypes.Int64).Alias("r")
			var got []string
			for _, row := range strRows(collect(t, l.Join(r, F.Col("l.k").EqNullSafe(F.Col("r.k")), "inner"))) {
				got = append(got, strings.Join(row, "|"))
			}
			sort.Strings(got)
			want := naiveJoin("inner", parseKV(joinLeftCSV), parseKV(joinRightCSV), func(a, b kv) bool {
				return (a.k == nil && b.k == nil) || (a.k != nil && b.k != nil && *a.k == *b.k)
			})
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("null-safe join:\n got %v\nwant %v", got, want)
			}
			plan, _ := l.Join(r, F.Col("l.k").EqNullSafe(F.Col("r.k")), "inner").Explain(false)
			if !strings.Contains(plan, "HashJoin") || !strings.Contains(plan, "<=>") {
				t.Fatalf("a null-safe key must hash-join:\n%s", plan)
			}
		})
	}
}
