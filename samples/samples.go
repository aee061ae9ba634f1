package samples

import (
	"embed"
	"path"
	"sort"
	"strings"
)

//go:embed data/*.parquet
var files embed.FS

// Table is one embedded sample table.
type Table struct {
	// Name is the table name: "lineitem", "orders", ..., "iris".
	Name string
	// Data holds the bytes of the table's Parquet file; each call returns a
	// fresh copy the caller may keep or modify.
	Data []byte
}

// Tables returns every embedded table sorted by name, in a fresh slice.
func Tables() []Table {
	entries, err := files.ReadDir("data")
	if err != nil {
		return nil
	}
	out := make([]Table, 0, len(entries))
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".parquet")
		if !ok || e.IsDir() {
			continue
		}
		if t, ok := Lookup(name); ok {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the names of the embedded tables, sorted, without reading
// (or copying) their data.
func Names() []string {
	entries, err := files.ReadDir("data")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".parquet"); ok && !e.IsDir() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Lookup returns the embedded table with the given name, and false if there is
// none.
func Lookup(name string) (Table, bool) {
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return Table{}, false
	}
	data, err := files.ReadFile(path.Join("data", name+".parquet"))
	if err != nil {
		return Table{}, false
	}
	return Table{Name: name, Data: data}, true
}
