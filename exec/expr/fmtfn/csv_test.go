package fmtfn

import (
	"bytes"
	"encoding/csv"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestSplitCSVAgainstEncodingCSV writes random records with encoding/csv
// (quotes doubled) and splits them back.
func TestSplitCSVAgainstEncodingCSV(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	alphabet := []rune(`ab ,"é1;`)
	for i := 0; i < 3000; i++ {
		rec := make([]string, 1+r.Intn(4))
		for j := range rec {
			var b strings.Builder
			for k := r.Intn(5); k > 0; k-- {
				b.WriteRune(alphabet[r.Intn(len(alphabet))])
			}
			rec[j] = b.String()
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		line := strings.TrimSuffix(buf.String(), "\n")
		got := splitCSV(line, ",")
		for j := range got {
			if got[j] == "\x00" {
				got[j] = ""
			}
		}
		if !reflect.DeepEqual(got, rec) {
			t.Fatalf("%q: got %q, want %q", line, got, rec)
		}
	}
}

func TestCSVFieldsWrittenAndRead(t *testing.T) {
	o, err := ParseOptions("to_csv", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"plain", "a,b", `say "hi"`, `back\slash`, "two\nlines", ""} {
		out := string(appendCSVField(nil, s, arrow.BinaryTypes.String, o))
		back := splitCSV(out, ",")
		if len(back) != 1 || back[0] != s {
			t.Errorf("%q written as %q read back as %q", s, out, back)
		}
	}
	if got := SchemaOfCSV(`1,"2",-3.5e2,FALSE,2020-01-02 03:04:05, 7`, o); got != "STRUCT<_c0: INT, _c1: INT, _c2: DOUBLE, _c3: BOOLEAN, _c4: TIMESTAMP, _c5: DOUBLE>" {
		t.Errorf("schema_of_csv: %s", got)
	}
}
