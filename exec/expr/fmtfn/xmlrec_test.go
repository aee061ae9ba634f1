package fmtfn

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestXMLRecords checks the conversions against Spark's XML rules written
// out by hand.
func TestXMLRecords(t *testing.T) {
	o, err := ParseXMLOptions("t", nil)
	if err != nil {
		t.Fatal(err)
	}
	st := arrow.StructOf(
		arrow.Field{Name: "_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "a", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
		arrow.Field{Name: "_VALUE", Type: arrow.BinaryTypes.String, Nullable: true},
	)
	e, err := parseXML(`<r id="5"> hi <a>1</a><a>x</a><a>3</a></r>`)
	if err != nil {
		t.Fatal(err)
	}
	got := o.structFromXML(e, st)
	if got[0] != int64(5) || len(got[1].([]any)) != 3 || got[1].([]any)[1] != nil || got[2] != "hi" {
		t.Fatalf("got %#v", got)
	}
	var b strings.Builder
	o.writeElem(&b, "ROW", []any{int64(5), []any{int64(1), nil}, "t<"}, st, 0)
	if want := "<ROW id=\"5\">t&lt;\n    <a>1</a>\n</ROW>"; b.String() != want {
		t.Fatalf("to_xml %q, want %q", b.String(), want)
	}
	for _, doc := range []string{"", "<a>", "<a></b>", "<a/><b/>", "text", strings.Repeat("<a>", maxDepth+1)} {
		if _, err := parseXML(doc); !errors.Is(err, errMalformedXML) {
			t.Errorf("%q: error %v", doc, err)
		}
	}
	if _, err := ParseXMLOptions("from_xml", map[string]string{"rowTag": ""}); err == nil {
		t.Error("empty rowTag accepted")
	}
}

// FuzzXML: any document parses or fails with errMalformedXML, never panics;
// its inferred schema is printable.
func FuzzXML(f *testing.F) {
	for _, s := range []string{`<p><a>1</a></p>`, `<p a="1"><b>x</b><b>y</b>t</p>`, `<p><![CDATA[x]]></p>`} {
		f.Add(s)
	}
	o, _ := ParseXMLOptions("fuzz", nil)
	f.Fuzz(func(t *testing.T, doc string) {
		if _, err := SchemaOfXML(doc, o); err != nil && !errors.Is(err, errMalformedXML) {
			t.Fatal(err)
		}
	})
}
