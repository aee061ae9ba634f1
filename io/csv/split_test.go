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

// TestPlanSplits cuts a file without quotes into ranges and checks that
// reading the ranges one after another gives exactly the rows of reading the
// whole file, with the file's line numbers in errors; a file with a quote or
// escape character anywhere stays whole.
func TestPlanSplits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.WriteString("id,s\n")
	n := 0
	for b.Len() < 5<<20 {
		fmt.Fprintf(&b, "%d,plain %d text;%d\n", n, rng.IntN(1000), rng.IntN(10))
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
			if i > 0 && (sp.Start != splits[i-1].End || text[sp.Start-1] != '\n') {
				t.Fatalf("split %d does not start a line: %+v", i, splits)
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
	// One quote anywhere (a quoted field spanning lines, or a literal quote
	// inside an unquoted field), or one escape character, keeps the file
	// whole: a cut could fall inside a quoted field.
	for _, extra := range []string{"9,\"two\nlines\"\n", "9,5'11\" tall\n", "9,a\\b\n"} {
		q := text[:len(text)/2] + extra + text[len(text)/2:]
		q = q[:strings.LastIndexByte(q[:len(text)/2], '\n')+1] + extra + text[strings.LastIndexByte(text[:len(text)/2], '\n')+1:]
		splits, err := PlanSplits(strings.NewReader(q), int64(len(q)), 4, Options{Header: true})
		if err != nil || len(splits) != 1 || splits[0].End != int64(len(q)) {
			t.Fatalf("%q in the file: splits %+v, %v; want the whole file", extra, splits, err)
		}
	}
	// Small input stays whole.
	small, err := PlanSplits(bytes.NewReader([]byte("a\n1\n")), 4, 4, Options{})
	if err != nil || len(small) != 1 {
		t.Fatalf("small: %+v %v", small, err)
	}
}
