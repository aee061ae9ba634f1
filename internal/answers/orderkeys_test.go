package answers

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadOrderKeys(t *testing.T) {
	keys, err := ReadOrderKeys(strings.NewReader("# comment\n\nq01 0 1\n  q03   2\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{"q01": {0, 1}, "q03": {2}}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("got %v, want %v", keys, want)
	}
	for text, msg := range map[string]string{
		"q01\n":          "line 1: want a query name and at least one column position",
		"q01 0\nq01 1\n": "line 2: query q01 is listed twice",
		"# c\nq02 1 x\n": `line 2, field 3: column position "x" is not a non-negative integer`,
		"q02 -1\n":       `line 1, field 2: column position "-1" is not a non-negative integer`,
	} {
		if _, err := ReadOrderKeys(strings.NewReader(text)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: got %v, want %q", text, err, msg)
		}
	}
}

// TestTPCHOrderKeysFile checks the TPC-H file: every query whose text has an
// ORDER BY, and only those, is listed, with keys inside its answer's columns.
func TestTPCHOrderKeysFile(t *testing.T) {
	const dir = "../../testdata/tpch"
	keys, err := ReadOrderKeysFile(filepath.Join(dir, OrderKeysFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 18 {
		t.Errorf("%d queries listed, want the 18 with an ORDER BY", len(keys))
	}
	for q := 1; q <= 22; q++ {
		name := fmt.Sprintf("q%02d", q)
		text, err := os.ReadFile(filepath.Join(dir, name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		hasOrder := strings.Contains(strings.ToUpper(string(text)), "ORDER BY")
		if _, ok := keys[name]; ok != hasOrder {
			t.Errorf("%s: ORDER BY in its text %v, listed %v", name, hasOrder, ok)
		}
		want, err := ReadFile(filepath.Join(dir, "answers", name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys[name] {
			if k >= len(want.Columns) {
				t.Errorf("%s: order key %d, answer has %d columns", name, k, len(want.Columns))
			}
		}
	}
}
