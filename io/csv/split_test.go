package csv

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

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
	n, size := 0, 5<<20
	if testing.Short() {
		size = 1 << 20 // still 16 times the smallest split
	}
	for b.Len() < size {
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
	// A quote anywhere (a quoted field spanning lines, or a literal quote
	// inside an unquoted field) or an escape character no longer keeps the
	// file whole: the cuts move to record starts, and the ranges read as
	// the whole file does.
	for _, extra := range []string{"9,\"two\nlines\"\n", "9,5'11\" tall\n", "9,a\\b\n", "9,\"x\n\"\"\n,\"\n"} {
		q := text[:strings.LastIndexByte(text[:len(text)/2], '\n')+1] + extra + text[strings.LastIndexByte(text[:len(text)/2], '\n')+1:]
		splits, err := PlanSplits(strings.NewReader(q), int64(len(q)), 4, Options{Header: true})
		if err != nil || len(splits) != 4 {
			t.Fatalf("%q in the file: splits %+v, %v; want 4", extra, splits, err)
		}
		for _, mode := range []Mode{Permissive, DropMalformed, FailFast} {
			want, werr := readAll(t, mem, q, "f.csv", schema, Options{Header: true, Mode: mode})
			got, gerr := readSplits(t, mem, q, splits, schema, Options{Header: true, Mode: mode})
			compareRows(t, got, want)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Fatalf("%q, %s: split error %v, whole %v", extra, mode, gerr, werr)
			}
		}
	}
	// Small input stays whole.
	small, err := PlanSplits(bytes.NewReader([]byte("a\n1\n")), 4, 4, Options{})
	if err != nil || len(small) != 1 {
		t.Fatalf("small: %+v %v", small, err)
	}
}

// readSplits reads the ranges of text one after another as the CSV source
// does (the header in the first only, each with its line and byte offset)
// and returns the rows up to the first error.
func readSplits(t *testing.T, mem memory.Allocator, text string, splits []Split, schema *arrow.Schema, opts Options) ([][]any, error) {
	t.Helper()
	var rows [][]any
	for i, sp := range splits {
		o := opts
		if i > 0 {
			o.Header, o.LineOffset, o.ByteOffset = false, sp.FirstLine, sp.Start
		}
		r, err := readAll(t, mem, text[sp.Start:sp.End], "f.csv", schema, o)
		rows = append(rows, r...)
		if err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// recordStarts returns the offsets at which reading text whole begins a
// line that does not continue a quoted field: the places a range may start.
// Reading stops at a record past maxRecordBytes; upto is where that record
// starts (the text's size when there is none), the starts after it are not
// known.
func recordStarts(t *testing.T, text string, opts Options) (starts map[int64]bool, upto int64) {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		t.Fatal(err)
	}
	sep := newLexer(cfg).sep
	starts = map[int64]bool{0: true}
	for i := range len(text) {
		if text[i] == sep {
			starts[int64(i+1)] = true
		}
	}
	sc := newScanner(strings.NewReader(text), "f.csv", cfg)
	for {
		upto = sc.off
		ok, err := sc.next()
		var pe *ParseError
		var le *LimitError
		if errors.As(err, &le) {
			return starts, upto
		}
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("scanning %q: %v", text, err)
		}
		if !ok {
			return starts, int64(len(text))
		}
		for o := range starts {
			if o > sc.recOff && o < sc.off {
				delete(starts, o)
			}
		}
	}
}

// splitCase is a text with the options it is read with.
type splitCase struct {
	name string
	text string
	opts Options
}

// checkEveryCut cuts c's text once at every byte and checks that the range
// found starts a record with the right line count; then it reads the text
// cut in two at every byte and in n pieces, in every mode, and compares
// rows and errors (file:line:column, byte offsets) with reading it whole.
func checkEveryCut(t *testing.T, mem memory.Allocator, c splitCase, full bool) {
	t.Helper()
	cfg, err := newConfig(c.opts)
	if err != nil {
		t.Fatal(err)
	}
	lx := newLexer(cfg)
	starts, upto := recordStarts(t, c.text, c.opts)
	size := int64(len(c.text))
	r := strings.NewReader(c.text)
	schema := schemaOf("a", arrow.BinaryTypes.String, "b", arrow.BinaryTypes.String, "c", arrow.BinaryTypes.String,
		"_corrupt", arrow.BinaryTypes.String)
	compare := func(splits []Split) {
		for _, mode := range []Mode{Permissive, DropMalformed, FailFast} {
			o := c.opts
			o.Mode = mode
			if mode == Permissive {
				o.CorruptColumn = "_corrupt"
			}
			want, werr := readAll(t, mem, c.text, "f.csv", schema, o)
			got, gerr := readSplits(t, mem, c.text, splits, schema, o)
			// Before a fatal error, how many rows came out depends on the
			// batches: only the error is compared then.
			if fmt.Sprint(gerr) != fmt.Sprint(werr) || (werr == nil && fmt.Sprint(got) != fmt.Sprint(want)) {
				t.Fatalf("%s, %s, splits %+v of %q:\nsplit rows %v, error %v\nwhole rows %v, error %v",
					c.name, mode, splits, c.text, got, gerr, want, werr)
			}
		}
	}
	for cut := int64(1); cut < size; cut++ {
		splits, err := splitAt(r, size, []int64{0, cut, size}, lx)
		if err != nil {
			t.Fatal(err)
		}
		if len(splits) == 2 && splits[1].Start <= upto {
			sp := splits[1]
			if sp.Start <= cut || !starts[sp.Start] || splits[0].End != sp.Start || sp.End != size {
				t.Fatalf("%s: cut at %d of %q: range %+v does not start a record (starts %v)", c.name, cut, c.text, splits, starts)
			}
			if want := strings.Count(c.text[:sp.Start], string(lx.sep)); sp.FirstLine != want {
				t.Fatalf("%s: cut at %d of %q: FirstLine %d, want %d", c.name, cut, c.text, sp.FirstLine, want)
			}
		}
		if full {
			compare(splits)
		}
	}
	for _, n := range []int{3, 5} {
		splits, err := planSplits(r, size, n, lx, 1)
		if err != nil {
			t.Fatal(err)
		}
		compare(splits)
	}
}

// TestSplitQuotedByHand cuts a file holding every kind of field at every
// byte: quoted fields with line breaks (LF and CRLF), delimiters, doubled and
// escaped quotes, literal quotes inside unquoted fields (5'11"), a quote
// that opens a field right after a line break inside another quoted field,
// blank and comment lines, malformed records and an unterminated quote.
func TestSplitQuotedByHand(t *testing.T) {
	mem := exectest.Alloc(t)
	text := "a,b,c\n" +
		"1,\"two\nlines\",x\n" +
		"2,\"crlf\r\nhere\",y\r\n" +
		"3,\"a, b, c\",\"\"\"\"\n" +
		"4,5'11\" tall,6'2\"\n" +
		"5,\"esc \\\" quote\",\"\n\"\"\n,\"\n" +
		"\n" +
		"#,\"not a quote\n" +
		"6,\"bad\"x,z\n" +
		"7,\"\n8,\"\",\n9\",w\n" +
		"10,  \"trim\" ,v\n" +
		"11,\"open\nto the end"
	for i, c := range []splitCase{
		{"defaults", text, Options{Header: true}},
		{"comment, trimmed", text, Options{Header: true, Comment: '#', IgnoreLeadingWhiteSpace: true, IgnoreTrailingWhiteSpace: true}},
		{"escape is the quote", text, Options{Escape: '"'}},
		{"lineSep ;", strings.ReplaceAll(text, "\n", ";"), Options{Header: true, LineSep: ';'}},
		{"record bound", text, Options{Header: true, MaxRecordBytes: 20}},
	} {
		checkEveryCut(t, mem, c, i < 2)
	}
}

// TestSplitQuotedRandom is a property test: random texts of CSV pieces (and
// of bare quotes, escapes, delimiters and line breaks) with random options,
// cut at every byte, must start each range at a record start, and read in
// ranges as they read whole.
func TestSplitQuotedRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	rng := rand.New(rand.NewPCG(14, 2))
	pieces := []string{"a", "bc", "5'11\"", ",", ",", "\"", "\"", "\"\"", "\\", "\\\"", "\n", "\n", "\r\n", "\r", " ", "#",
		"\"x,\ny\"", "\"\"\"", "\t"}
	field := func() string {
		switch rng.IntN(4) {
		case 0:
			return "\"" + pieceString(rng, pieces, 4) + "\""
		case 1:
			return "plain"
		}
		return pieceString(rng, pieces[:3], 2)
	}
	// 60 files (15 with -short, which the race run uses), each cut at every byte.
	files := 60
	if testing.Short() {
		files = 15
	}
	for i := range files {
		var b strings.Builder
		if i%2 == 0 {
			b.WriteString(pieceString(rng, pieces, 20+rng.IntN(60)))
		} else {
			for range 2 + rng.IntN(8) {
				for f := range 1 + rng.IntN(4) {
					if f > 0 {
						b.WriteByte(',')
					}
					b.WriteString(field())
				}
				b.WriteString([]string{"\n", "\r\n", "\n"}[rng.IntN(3)])
			}
		}
		o := Options{Header: rng.IntN(2) == 0}
		if rng.IntN(3) == 0 {
			o.Escape = '"'
		}
		if rng.IntN(3) == 0 {
			o.Comment = '#'
		}
		if rng.IntN(3) == 0 {
			o.IgnoreLeadingWhiteSpace, o.IgnoreTrailingWhiteSpace = true, rng.IntN(2) == 0
		}
		if rng.IntN(5) == 0 {
			o.MaxRecordBytes = 16
		}
		text := b.String()
		if rng.IntN(5) == 0 {
			o.LineSep = ';'
			text = strings.ReplaceAll(text, "\n", ";")
		}
		checkEveryCut(t, mem, splitCase{fmt.Sprintf("random %d (%+v)", i, o), text, o}, i%20 == 0)
	}
}

// pieceString joins n random pieces.
func pieceString(rng *rand.Rand, pieces []string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// TestSplitFallback: where the states do not agree within the chunk (a
// quote opens a field that is never closed, so "inside a quoted field" never
// meets "outside"), the range start is found from the previous range's
// start, and is still exact.
func TestSplitFallback(t *testing.T) {
	mem := exectest.Alloc(t)
	var b strings.Builder
	b.WriteString("a,b\n1,\"x\n")
	for b.Len() < 4000 {
		b.WriteString("2,plain\n")
	}
	text := b.String()
	cfg, _ := newConfig(Options{})
	lx := newLexer(cfg)
	if _, _, ok, err := lx.converge(strings.NewReader(text), 2000, 3000, int64(len(text)), allStates, make([]byte, 64)); ok || err != nil {
		t.Fatalf("the states agreed (%v) in text with no quote after the cut", err)
	}
	checkEveryCut(t, mem, splitCase{"unterminated", text[:200], Options{Header: true}}, true)
	splits, err := planSplits(strings.NewReader(text), int64(len(text)), 4, lx, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Reading the whole text, the quoted field runs to the end: one record.
	if len(splits) != 1 {
		t.Fatalf("splits %+v, want one range", splits)
	}
}
