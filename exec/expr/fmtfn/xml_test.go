package fmtfn

import (
	"math"
	"strconv"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// TestXPathNumberText checks XPath's number() of text against a reference
// built from strconv: only digits, one optional point and a leading minus
// are numbers.
func TestXPathNumberText(t *testing.T) {
	for _, s := range []string{"1", " 2.5 ", "-3", ".5", "5.", "1e3", "+1", "", "-", ".", "1.2.3", "0x10", "Infinity", "NaN", "--1", " 12 "} {
		want := math.NaN()
		if f, err := strconv.ParseFloat(s, 64); err == nil && validXPathNumber(s) {
			want = f
		} else if f, err := strconv.ParseFloat(trimBlanks(s), 64); err == nil && validXPathNumber(trimBlanks(s)) {
			want = f
		}
		got := xpathParseNumber(s)
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("number(%q) = %v, want %v", s, got, want)
		}
	}
}

func trimBlanks(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// validXPathNumber is the XPath 1.0 Number production, written as a plain
// scan: '-'? (Digits ('.' Digits?)? | '.' Digits).
func validXPathNumber(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	digits, points := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// TestXPathConcurrent evaluates one xpath expression from several
// goroutines at once: compiled XPath keeps state, so each batch must have
// its own (run with -race).
func TestXPathConcurrent(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewStringBuilder(mem)
	for i := 0; i < 200; i++ {
		b.Append("<a><b>" + strconv.Itoa(i) + "</b><b>1</b></a>")
	}
	col := b.NewArray()
	defer col.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.BinaryTypes.String}}, nil)
	rec := array.NewRecordBatch(schema, []arrow.Array{col}, int64(col.Len()))
	defer rec.Release()
	e := XPath("xpath_string", XPathString, expr.Column(0, "x", arrow.BinaryTypes.String), "a/b[1]")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for g := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := 0; rep < 5; rep++ {
				out, err := e.Eval(mem, rec)
				if err != nil {
					errs[g] = err
					return
				}
				vals := out.(*array.String)
				for i := 0; i < vals.Len(); i++ {
					if vals.Value(i) != strconv.Itoa(i) {
						errs[g] = &mismatch{i, vals.Value(i)}
					}
				}
				out.Release()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

type mismatch struct {
	row int
	got string
}

func (m *mismatch) Error() string { return "row " + strconv.Itoa(m.row) + ": got " + m.got }
