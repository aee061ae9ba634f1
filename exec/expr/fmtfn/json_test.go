package fmtfn

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// randomJSON builds a random JSON value as Go data encoding/json writes.
func randomJSON(r *rand.Rand, depth int) any {
	k := r.Intn(7)
	if depth > 3 {
		k = r.Intn(4)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return r.Intn(2) == 0
	case 2:
		if r.Intn(2) == 0 {
			return r.Int63n(2000) - 1000
		}
		return (r.Float64() - 0.5) * 1e6
	case 3:
		runes := []rune{'a', 'é', '"', '\\', '\n', 'z', '€', '😀', '\t', '/'}
		var b strings.Builder
		for i := r.Intn(6); i > 0; i-- {
			b.WriteRune(runes[r.Intn(len(runes))])
		}
		return b.String()
	case 4, 5:
		out := []any{}
		for i := r.Intn(4); i > 0; i-- {
			out = append(out, randomJSON(r, depth+1))
		}
		return out
	}
	out := map[string]any{}
	for i := r.Intn(4); i > 0; i-- {
		out[fmt.Sprintf("k%d", r.Intn(5))] = randomJSON(r, depth+1)
	}
	return out
}

// decode reads JSON text with encoding/json, numbers as float64.
func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("encoding/json cannot read %q: %v", s, err)
	}
	return v
}

// TestParseAgainstEncodingJSON parses random documents with the parser and
// writes them back; encoding/json, the reference, must read the same value
// from both texts.
func TestParseAgainstEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		doc, err := json.Marshal(randomJSON(r, 0))
		if err != nil {
			t.Fatal(err)
		}
		v, err := parseWholeJSON(string(doc))
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		back := string(appendJSON(nil, v))
		if want, got := decode(t, string(doc)), decode(t, back); !reflect.DeepEqual(want, got) {
			t.Fatalf("%s: wrote back %s", doc, back)
		}
	}
}

// TestMalformedAgainstEncodingJSON damages random documents and checks
// that the parser rejects exactly what encoding/json rejects (leaving out
// single quotes and raw control characters, which Spark's parser accepts).
func TestMalformedAgainstEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	junk := []byte{'{', '}', '[', ']', ',', ':', '"', '1', '-', '.', 'e', ' ', 'x', '\\'}
	for i := 0; i < 5000; i++ {
		doc, _ := json.Marshal(randomJSON(r, 0))
		b := []byte(string(doc))
		switch r.Intn(3) {
		case 0:
			if len(b) > 0 {
				b = b[:r.Intn(len(b))]
			}
		case 1:
			if len(b) > 0 {
				b[r.Intn(len(b))] = junk[r.Intn(len(junk))]
			}
		default:
			p := r.Intn(len(b) + 1)
			b = append(b[:p:p], append([]byte{junk[r.Intn(len(junk))]}, b[p:]...)...)
		}
		s := string(b)
		if strings.ContainsAny(s, "'\n\t\r") {
			continue
		}
		_, err := parseWholeJSON(s)
		if valid := json.Valid(b); valid != (err == nil) {
			t.Fatalf("%q: encoding/json valid=%v, parser error %v", s, valid, err)
		}
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `'x'`, `[1e5,-0.5,"\ud83d\ude00"]`, `{"a":`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseWholeJSON(s)
		if err != nil {
			return
		}
		if !strings.ContainsAny(s, "'") && json.Valid([]byte(s)) {
			decode(t, string(appendJSON(nil, v)))
		}
		for _, p := range []string{"$", "$.a", "$[0]", "$[*].a", "$.a[*][*]"} {
			getJSONObject(s, mustPath(t, p))
		}
	})
}

func mustPath(t *testing.T, p string) []pathOp {
	ops, ok := parseJSONPath(p)
	if !ok {
		t.Fatalf("path %s", p)
	}
	return ops
}

func TestGetJSONObject(t *testing.T) {
	doc := `{"store":{"fruit":[{"weight":8,"type":"apple"},{"weight":9,"type":"pear"}],"bicycle":{"price":19.95,"color":"red"}},"email":"a@b","owner":"amy"}`
	for _, c := range []struct {
		path, want string
		ok         bool
	}{
		{"$.owner", "amy", true},
		{"$.store.bicycle", `{"price":19.95,"color":"red"}`, true},
		{"$.store.bicycle.price", "19.95", true},
		{"$.store.fruit[0]", `{"weight":8,"type":"apple"}`, true},
		{"$.store.fruit[1].type", "pear", true},
		{"$.store.fruit[*].weight", "[8,9]", true},
		{"$.store.fruit[*].type", `["apple","pear"]`, true},
		{"$['store']['bicycle']['color']", "red", true},
		{"$.store.fruit[2]", "", false},
		{"$.nope", "", false},
		{"$.*", "", false}, // object wildcards select nothing in Spark
		{"store", "", false},
		{"$.", "", false},
		{"$[-1]", "", false},
	} {
		ops, ok := parseJSONPath(c.path)
		got, found := "", false
		if ok {
			got, found = getJSONObject(doc, ops)
		}
		if got != c.want || found != c.ok {
			t.Errorf("%s: got %q %v, want %q %v", c.path, got, found, c.want, c.ok)
		}
	}
}

func TestNumbersWrittenAsJackson(t *testing.T) {
	for in, want := range map[string]string{`-0`: "0", `1e2`: "100.0", `0.1`: "0.1", `1.5E-7`: "1.5E-7", `12345678901234567890`: "12345678901234567890"} {
		v, err := parseWholeJSON(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(appendJSON(nil, v)); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

func TestSchemaOfJSON(t *testing.T) {
	for in, want := range map[string]string{
		`[{"col":0}]`:                "ARRAY<STRUCT<col: BIGINT>>",
		`{"a b":1,"1":[]}`:           "STRUCT<`1`: ARRAY<STRING>, `a b`: BIGINT>",
		`[1, 2.5]`:                   "ARRAY<DOUBLE>",
		`[1, 123456789012345678901]`: "ARRAY<DECIMAL(21,0)>",
		`{"a":{}}`:                   "STRUCT<>",
		`"x"`:                        "STRING",
		`[[1],[null]]`:               "ARRAY<ARRAY<BIGINT>>",
		`[{"a":1},{"a":{"b":true}}]`: "ARRAY<STRUCT<a: STRING>>",
	} {
		got, err := SchemaOfJSON(in)
		if err != nil || got != want {
			t.Errorf("%s: got %s %v, want %s", in, got, err, want)
		}
	}
}

func TestFromJSONValueTypes(t *testing.T) {
	typ := arrow.StructOf(
		arrow.Field{Name: "i", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		arrow.Field{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	)
	v, _ := parseWholeJSON(`{"i":300,"f":"NaN","b":true,"i":5}`)
	got, ok := fromJSONValue(v, typ, nil)
	row := got.([]any)
	if !ok || row[0] != int64(5) || row[2] != true {
		t.Fatalf("got %v", row)
	}
	if f, _ := row[1].(float64); f == f {
		t.Fatalf("NaN: got %v", row[1])
	}
	v, _ = parseWholeJSON(`{"i":300}`)
	got, _ = fromJSONValue(v, typ, nil)
	if got.([]any)[0] != nil {
		t.Fatalf("300 does not fit a tinyint, got %v", got)
	}
}
