package fmtfn

import (
	"testing"
	"unsafe"
)

// TestVariantSchemaState: the partial state survives its round trip, the
// merge follows Spark's rules, and a damaged state is an error.
func TestVariantSchemaState(t *testing.T) {
	var a, b VariantSchema
	if a.String() != "VOID" {
		t.Fatalf("empty: %s", a.String())
	}
	for _, j := range []string{`{"a":1}`, `{"b":[true]}`} {
		if err := a.AddCanonical(j); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.AddCanonical(`{"a":1.5}`); err != nil {
		t.Fatal(err)
	}
	bin, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var c VariantSchema
	if err := c.UnmarshalBinary(bin); err != nil {
		t.Fatal(err)
	}
	a.Merge(&c)
	if got, want := a.String(), "OBJECT<a: DECIMAL(21,1), b: ARRAY<BOOLEAN>>"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	for _, bad := range []string{"{", `{"n":"ARRAY"}`, `{"n":"OBJECT","f":[{"n":"x"}]}`} {
		if err := c.UnmarshalBinary([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// The state keeps nothing of the text it was given: an Arrow string value
// shares its batch's buffer, which is reused once the batch is released.
func TestVariantSchemaOwnsItsNames(t *testing.T) {
	buf := []byte(`{"alpha":1,"beta":true}`)
	var s VariantSchema
	if err := s.AddCanonical(unsafe.String(&buf[0], len(buf))); err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = ' '
	}
	if got, want := s.String(), "OBJECT<alpha: BIGINT, beta: BOOLEAN>"; got != want {
		t.Fatalf("after the input's bytes changed: %s, want %s", got, want)
	}
}
