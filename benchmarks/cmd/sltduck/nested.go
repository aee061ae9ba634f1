package main

import (
	"sort"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// formatNested renders a value inside a list, struct or map the way the Go
// runner does: NULL for null, scalars canonically (a time at midnight as a
// date), lists as [a, b], structs as {a, b} in field order (names omitted)
// and maps as {k -> v} in the map's entry order. dbType is DuckDB's
// name of the value's type, which gives the order of struct fields.
func formatNested(v any, dbType string) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		x = x.UTC()
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case []any:
		elem := listElem(dbType)
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatNested(e, elem)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		names, types := structFields(dbType)
		if len(names) != len(x) { // unknown layout: fall back to sorted names
			names, types = names[:0], types[:0]
			for n := range x {
				names = append(names, n)
				types = append(types, "")
			}
			sort.Strings(names)
		}
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = formatNested(x[n], types[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case duckdb.OrderedMap:
		kt, vt := mapTypes(dbType)
		keys, vals := x.Keys(), x.Values()
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = formatNested(k, kt) + " -> " + formatNested(vals[i], vt)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case duckdb.Map: // the driver's older, unordered form: entries sorted by text
		kt, vt := mapTypes(dbType)
		parts := make([]string, 0, len(x))
		for k, e := range x {
			parts = append(parts, formatNested(k, kt)+" -> "+formatNested(e, vt))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return format(v, dbType)
}

// listElem is the element type of a DuckDB list type name such as
// "INTEGER[]" or "VARCHAR[3]".
func listElem(t string) string {
	if strings.HasSuffix(t, "]") {
		if i := strings.LastIndexByte(t, '['); i >= 0 {
			return t[:i]
		}
	}
	return ""
}

// structFields splits a DuckDB struct type name such as
// STRUCT("a" INTEGER, "b" VARCHAR[]) into field names and types.
func structFields(t string) (names, types []string) {
	inner, ok := strings.CutPrefix(t, "STRUCT(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return nil, nil
	}
	for _, f := range splitTop(inner[:len(inner)-1]) {
		name, typ := f, ""
		if strings.HasPrefix(f, `"`) {
			i := 1
			for i < len(f) {
				if f[i] == '"' {
					if i+1 < len(f) && f[i+1] == '"' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			name = strings.ReplaceAll(f[1:min(i, len(f))], `""`, `"`)
			typ = strings.TrimSpace(f[min(i+1, len(f)):])
		} else if sp := strings.IndexByte(f, ' '); sp >= 0 {
			name, typ = f[:sp], f[sp+1:]
		}
		names = append(names, name)
		types = append(types, typ)
	}
	return names, types
}

// mapTypes splits a DuckDB map type name MAP(K, V) into K and V.
func mapTypes(t string) (string, string) {
	inner, ok := strings.CutPrefix(t, "MAP(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return "", ""
	}
	parts := splitTop(inner[:len(inner)-1])
	if len(parts) != 2 {
		return "", ""
	}
	return parts[0], parts[1]
}

// splitTop splits s at the commas outside parentheses and double quotes,
// trimming spaces.
func splitTop(s string) []string {
	var out []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}
