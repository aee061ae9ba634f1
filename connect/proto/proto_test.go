package proto_test

import (
	"testing"

	gproto "google.golang.org/protobuf/proto"

	cproto "github.com/gspark/gspark/connect/proto"
)

func TestLoadFindsTheService(t *testing.T) {
	sc, err := cproto.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Spark Connect's service as its protocol documents it.
	for _, m := range []string{"ExecutePlan", "AnalyzePlan", "Config", "Interrupt", "ReattachExecute", "ReleaseExecute"} {
		if sc.Service.Methods().ByName(protoName(m)) == nil {
			t.Errorf("service has no %s", m)
		}
	}
	if _, err := sc.Message("NoSuchMessage"); err == nil {
		t.Error("an unknown message was found")
	}
}

func TestMsgBuildsAndReadsBack(t *testing.T) {
	sc, err := cproto.Load()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := sc.New("Relation")
	if err != nil {
		t.Fatal(err)
	}
	f := rel.Mut("filter")
	if err := f.Mut("input").Mut("range").Set("end", int64(10)); err != nil {
		t.Fatal(err)
	}
	lit := f.Mut("condition").Mut("literal")
	if err := lit.Set("boolean", true); err != nil {
		t.Fatal(err)
	}
	if err := rel.Set("no_such_field", 1); err == nil {
		t.Error("setting an unknown field succeeded")
	}
	// Through the wire and back.
	data, err := gproto.Marshal(rel.M.Interface())
	if err != nil {
		t.Fatal(err)
	}
	back, err := sc.New("Relation")
	if err != nil {
		t.Fatal(err)
	}
	if err := gproto.Unmarshal(data, back.M.Interface()); err != nil {
		t.Fatal(err)
	}
	if k := back.Which("rel_type"); k != "filter" {
		t.Fatalf("rel_type %q, want filter", k)
	}
	in := back.Get("filter").Get("input")
	if in.Which("rel_type") != "range" || in.Get("range").Int("end") != 10 {
		t.Errorf("input %v", in.M)
	}
	if !back.Get("filter").Get("condition").Get("literal").Bool("boolean") {
		t.Error("literal true read back false")
	}
	if back.Get("limit").Valid() {
		t.Error("an unset message field reads as set")
	}
	e, err := back.Get("filter").Get("input").Get("range").Append("no_list", nil)
	if err == nil || e.Valid() {
		t.Error("appending to a field that is not repeated succeeded")
	}
}
