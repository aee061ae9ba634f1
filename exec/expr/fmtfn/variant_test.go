package fmtfn

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestVariantRoundTripAgainstEncodingJSON parses random documents as
// variants and writes them as Spark does; encoding/json must read the same
// value from both texts.
func TestVariantRoundTripAgainstEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for i := 0; i < 2000; i++ {
		doc, err := json.Marshal(randomJSON(r, 0))
		if err != nil {
			t.Fatal(err)
		}
		canon, err := ParseVariant(string(doc))
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		out := Variant{canon}.String()
		if want, got := decode(t, string(doc)), decode(t, out); !reflect.DeepEqual(want, got) {
			t.Fatalf("%s: wrote %s", doc, out)
		}
	}
}

func TestVariantNumbers(t *testing.T) {
	for in, want := range map[string]string{
		`1.50`: "1.5", `10.0`: "10", `-0.0`: "0", `1e2`: "100.0", `12345678901234567890`: "12345678901234567890",
		`0.000001`: "0.000001", `{"b":1,"a":2}`: `{"a":2,"b":1}`, `[1,2.10]`: "[1,2.1]",
	} {
		canon, err := ParseVariant(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := (Variant{canon}).String(); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{`1.50`: "DECIMAL(2,1)", `7`: "BIGINT", `12345678901234567890`: "DECIMAL(20,0)", `2.5e0`: "DOUBLE", `[1,null]`: "ARRAY<BIGINT>", `[1,"a"]`: "ARRAY<VARIANT>"} {
		canon, _ := ParseVariant(in)
		v, _ := variantArg(Variant{canon})
		if got := variantSchema(v).sql(); got != want {
			t.Errorf("schema of %s: got %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{`{"a":1,"a":2}`, `'x'`, `[1,]`, "\"a\nb\"", `1 2`} {
		if _, err := ParseVariant(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestVariantCast(t *testing.T) {
	cast := func(doc string, typ arrow.DataType, try bool) (any, error) {
		canon, err := ParseVariant(doc)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := variantArg(Variant{canon})
		return castVariant(v, typ, try)
	}
	if got, err := cast(`"12.7"`, arrow.PrimitiveTypes.Int32, false); err != nil || got != int64(12) {
		t.Errorf(`"12.7" as int: %v %v`, got, err)
	}
	if _, err := cast(`128`, arrow.PrimitiveTypes.Int8, false); err == nil || !strings.Contains(err.Error(), "INVALID_VARIANT_CAST") {
		t.Errorf("128 as tinyint: %v", err)
	}
	if got, err := cast(`128`, arrow.PrimitiveTypes.Int8, true); err != nil || got != nil {
		t.Errorf("128 as tinyint (try): %v %v", got, err)
	}
	if got, _ := cast(`[1,"x"]`, arrow.ListOf(arrow.PrimitiveTypes.Int64), true); !reflect.DeepEqual(got, []any{int64(1), nil}) {
		t.Errorf("array: %v", got)
	}
}
