package fmtfn

import (
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// inferred is a type found by schema inference, printed in Spark's SQL
// form (DataType.sql): BIGINT, ARRAY<STRING>, STRUCT<a: BIGINT>.
type inferred struct {
	name   string // BOOLEAN, BIGINT, DOUBLE, STRING, DECIMAL, ARRAY, STRUCT, NULL
	p, s   int    // decimal precision and scale
	elem   *inferred
	fields []inferredField
}

type inferredField struct {
	name string
	t    *inferred
}

var (
	inferNull   = &inferred{name: "NULL"}
	inferString = &inferred{name: "STRING"}
	inferDouble = &inferred{name: "DOUBLE"}
	inferBigint = &inferred{name: "BIGINT"}
)

// inferJSON infers the type of a JSON value as Spark's JsonInferSchema does
// with default options: integers BIGINT (DECIMAL(p,0) past 64 bits, DOUBLE
// past 38 digits), other numbers DOUBLE, strings STRING, object fields
// sorted by name.
func inferJSON(v *jsonValue) *inferred {
	switch v.kind {
	case jsonNull:
		return inferNull
	case jsonBool:
		return &inferred{name: "BOOLEAN"}
	case jsonString:
		return inferString
	case jsonNumber:
		if v.float {
			return inferDouble
		}
		if _, err := strconv.ParseInt(v.s, 10, 64); err == nil {
			return inferBigint
		}
		n, _ := new(big.Int).SetString(v.s, 10)
		if n != nil {
			if d := len(new(big.Int).Abs(n).String()); d <= 38 {
				return &inferred{name: "DECIMAL", p: d, s: 0}
			}
		}
		return inferDouble
	case jsonArray:
		elem := inferNull
		for _, e := range v.elems {
			elem = mergeInferred(elem, inferJSON(e))
		}
		return &inferred{name: "ARRAY", elem: elem}
	}
	byName := map[string]*inferred{}
	for i, k := range v.keys {
		byName[k] = mergeInferred(orNull(byName[k]), inferJSON(v.vals[i]))
	}
	st := &inferred{name: "STRUCT"}
	for k, t := range byName {
		st.fields = append(st.fields, inferredField{name: k, t: t})
	}
	sort.Slice(st.fields, func(i, j int) bool { return st.fields[i].name < st.fields[j].name })
	return st
}

func orNull(t *inferred) *inferred {
	if t == nil {
		return inferNull
	}
	return t
}

// mergeInferred is the type two inferred types widen to (Spark's
// compatibleType): numbers widen to DOUBLE or DECIMAL, structs merge their
// fields, arrays their elements, anything else conflicting is STRING.
func mergeInferred(a, b *inferred) *inferred {
	switch {
	case a.name == "NULL":
		return b
	case b.name == "NULL":
		return a
	case a.name == b.name && a.name != "ARRAY" && a.name != "STRUCT" && a.name != "DECIMAL":
		return a
	}
	num := func(t *inferred) bool { return t.name == "BIGINT" || t.name == "DOUBLE" || t.name == "DECIMAL" }
	if num(a) && num(b) {
		if a.name == "DOUBLE" || b.name == "DOUBLE" {
			return inferDouble
		}
		dec := func(t *inferred) (int, int) {
			if t.name == "BIGINT" {
				return 20, 0
			}
			return t.p, t.s
		}
		p1, s1 := dec(a)
		p2, s2 := dec(b)
		s := max(s1, s2)
		p := max(p1-s1, p2-s2) + s
		if p > 38 {
			return inferDouble
		}
		return &inferred{name: "DECIMAL", p: p, s: s}
	}
	if a.name == "ARRAY" && b.name == "ARRAY" {
		return &inferred{name: "ARRAY", elem: mergeInferred(a.elem, b.elem)}
	}
	if a.name == "STRUCT" && b.name == "STRUCT" {
		byName := map[string]*inferred{}
		for _, f := range a.fields {
			byName[f.name] = f.t
		}
		for _, f := range b.fields {
			byName[f.name] = mergeInferred(orNull(byName[f.name]), f.t)
		}
		st := &inferred{name: "STRUCT"}
		for k, t := range byName {
			st.fields = append(st.fields, inferredField{name: k, t: t})
		}
		sort.Slice(st.fields, func(i, j int) bool { return st.fields[i].name < st.fields[j].name })
		return st
	}
	return inferString
}

// canonical replaces NULL types by STRING and drops empty structs inside
// structs, as Spark's canonicalizeType does; nil means "drop".
func canonical(t *inferred) *inferred {
	switch t.name {
	case "NULL":
		return inferString
	case "ARRAY":
		e := canonical(t.elem)
		if e == nil {
			return nil
		}
		return &inferred{name: "ARRAY", elem: e}
	case "STRUCT":
		st := &inferred{name: "STRUCT"}
		for _, f := range t.fields {
			if c := canonical(f.t); c != nil {
				st.fields = append(st.fields, inferredField{name: f.name, t: c})
			}
		}
		if len(st.fields) == 0 {
			return nil
		}
		return st
	}
	return t
}

// canonicalTop canonicalizes the inferred type of a whole document: an
// empty struct stays (STRUCT<>), as in Spark's schema_of_json.
func canonicalTop(t *inferred) *inferred {
	switch {
	case t.name == "STRUCT":
		if c := canonical(t); c != nil {
			return c
		}
		return &inferred{name: "STRUCT"}
	case t.name == "ARRAY" && t.elem.name == "STRUCT":
		if c := canonical(t.elem); c != nil {
			return &inferred{name: "ARRAY", elem: c}
		}
		return &inferred{name: "ARRAY", elem: &inferred{name: "STRUCT"}}
	}
	if c := canonical(t); c != nil {
		return c
	}
	return inferString
}

var plainName = regexp.MustCompile(`^[a-zA-Z0-9_]+$`)

// quoteIfNeeded quotes a field name with backticks unless it is a plain
// word that is not all digits.
func quoteIfNeeded(n string) string {
	if plainName.MatchString(n) && strings.Trim(n, "0123456789") != "" {
		return n
	}
	return "`" + strings.ReplaceAll(n, "`", "``") + "`"
}

// sql prints the type as Spark's DataType.sql does.
func (t *inferred) sql() string {
	switch t.name {
	case "DECIMAL":
		return "DECIMAL(" + strconv.Itoa(t.p) + "," + strconv.Itoa(t.s) + ")"
	case "ARRAY":
		return "ARRAY<" + t.elem.sql() + ">"
	case "STRUCT", "OBJECT":
		parts := make([]string, len(t.fields))
		for i, f := range t.fields {
			parts[i] = quoteIfNeeded(f.name) + ": " + f.t.sql()
		}
		return t.name + "<" + strings.Join(parts, ", ") + ">"
	}
	return t.name
}

// SchemaOfJSON returns the schema Spark infers for the JSON text doc, in
// SQL form (schema_of_json); the error reports malformed text.
func SchemaOfJSON(doc string) (string, error) {
	v, err := parseWholeJSON(doc)
	if err != nil {
		return "", err
	}
	return canonicalTop(inferJSON(v)).sql(), nil
}
