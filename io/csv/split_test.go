package csv

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
)

// TestPlanSplits cuts a file with quoted fields spanning lines, escaped and
// doubled quotes and delimiters inside quotes into ranges, and checks that
// reading the ranges one after another gives exactly the rows of reading
// the whole file, with the file's line numbers in errors.
func TestPlanSplits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.WriteString("id,s\n")
	n := 0
	for b.Len() < 5<<20 {
		var s string
		switch rng.IntN(6) {
		case 0:
			s = `"multi` + "\n" + `line, with ""quotes"" and \" escapes` + "\n\n" + `"`
		case 1:
			s = `"a,b"`
		case 2:
			s = `"\\"` // an escaped backslash right before the closing quote
		case 3:
			s = `""`
		default:
			s = fmt.Sprintf("plain%d", rng.IntN(1000))
		}
		fmt.Fprintf(&b, "%d,%s\n", n, s)
		n++
	}
	text := b.String()
	schema := schemaOf("id", arrow.PrimitiveTypes.Int64, "s", arrow.BinaryTypes.String)
	mem := exectest.Alloc(t)
	whole, err := readAll(t, mem, text, "f.csv", schema, Options{Header: true, Mode: FailFast})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != n {
		t.Fatalf("whole file: %d rows, want %d", len(whole), n)
	}
	for _, parts := range []int{2, 3, 5} {
		splits, err := PlanSplits(strings.NewReader(text), int64(len(text)), parts, Options{Header: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(splits) != parts || splits[0].Start != 0 || splits[len(splits)-1].End != int64(len(text)) {
			t.Fatalf("%d parts: splits %+v", parts, splits)
		}
		var rows [][]any
		for i, sp := range splits {
			if i > 0 && sp.Start != splits[i-1].End {
				t.Fatalf("gap between splits %+v", splits)
			}
			o := Options{Header: i == 0, Mode: FailFast, LineOffset: sp.FirstLine}
			if want := strings.Count(text[:sp.Start], "\n"); sp.FirstLine != want {
				t.Fatalf("split %d: FirstLine %d, want %d", i, sp.FirstLine, want)
			}
			r, err := readAll(t, mem, text[sp.Start:sp.End], "f.csv", schema, o)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r...)
		}
		compareRows(t, rows, whole)
	}
	// A malformed record in a later split is reported at its line in the file.
	bad := text + "notanumber,x\n"
	splits, err := PlanSplits(strings.NewReader(bad), int64(len(bad)), 2, Options{Header: true})
	if err != nil {
		t.Fatal(err)
	}
	last := splits[len(splits)-1]
	_, err = readAll(t, mem, bad[last.Start:last.End], "f.csv", schema, Options{Mode: FailFast, LineOffset: last.FirstLine})
	wantLine := strings.Count(text, "\n") + 1
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("f.csv:%d:1:", wantLine)) {
		t.Fatalf("error %v, want line %d", err, wantLine)
	}
	// Small input stays whole.
	small, err := PlanSplits(bytes.NewReader([]byte("a\n1\n")), 4, 4, Options{})
	if err != nil || len(small) != 1 {
		t.Fatalf("small: %+v %v", small, err)
	}
}
