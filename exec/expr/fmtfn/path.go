package fmtfn

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/gspark/gspark/values"
)

// pathOp is one instruction of a parsed JSON path, as Spark's
// get_json_object reads a path: $ followed by .name, ['name'], [n], [*],
// .* or ['*'].
type pathOp struct {
	kind  pathKind
	name  string
	index int64
}

type pathKind uint8

const (
	opSubscript pathKind = iota // [ ]
	opWildcard                  // * inside [ ], or .* / ['*']
	opKey                       // a field step
	opIndex                     // n inside [ ]
	opNamed                     // the field's name
)

// parseJSONPath parses a path; ok is false for a path Spark does not
// accept (get_json_object is then NULL).
func parseJSONPath(s string) ([]pathOp, bool) {
	if !strings.HasPrefix(s, "$") {
		return nil, false
	}
	s = s[1:]
	var ops []pathOp
	for s != "" {
		switch {
		case strings.HasPrefix(s, ".*"):
			ops = append(ops, pathOp{kind: opWildcard})
			s = s[2:]
		case strings.HasPrefix(s, "['*']"):
			ops = append(ops, pathOp{kind: opWildcard})
			s = s[5:]
		case s[0] == '.':
			n := strings.IndexAny(s[1:], ".[")
			if n < 0 {
				n = len(s) - 1
			}
			if n == 0 {
				return nil, false
			}
			ops = append(ops, pathOp{kind: opKey}, pathOp{kind: opNamed, name: s[1 : 1+n]})
			s = s[1+n:]
		case strings.HasPrefix(s, "['"):
			end := strings.Index(s[2:], "']")
			if end <= 0 || strings.ContainsAny(s[2:2+end], "'?") {
				return nil, false
			}
			ops = append(ops, pathOp{kind: opKey}, pathOp{kind: opNamed, name: s[2 : 2+end]})
			s = s[2+end+2:]
		case strings.HasPrefix(s, "[*]"):
			ops = append(ops, pathOp{kind: opSubscript}, pathOp{kind: opWildcard})
			s = s[3:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 2 {
				return nil, false
			}
			n, err := strconv.ParseInt(s[1:end], 10, 64)
			if err != nil || n < 0 || s[1] == '+' || s[1] == '-' {
				return nil, false
			}
			ops = append(ops, pathOp{kind: opSubscript}, pathOp{kind: opIndex, index: n})
			s = s[end+1:]
		default:
			return nil, false
		}
	}
	return ops, true
}

// writeStyle is how a matched string is written: raw (no quotes, at the
// top), quoted (inside a wildcard's array) or flattened (nested wildcards).
type writeStyle uint8

const (
	rawStyle writeStyle = iota
	quotedStyle
	flattenStyle
)

// jsonGen writes compact JSON the way Jackson's generator does: a comma
// between the values of an array, a space between values at the top.
type jsonGen struct {
	buf []byte
	// counts holds the number of values written at each open array level;
	// counts[0] is the top level.
	counts []int
}

func newJSONGen() *jsonGen { return &jsonGen{counts: []int{0}} }

func (g *jsonGen) sep() {
	top := len(g.counts) - 1
	if g.counts[top] > 0 {
		if top == 0 {
			g.buf = append(g.buf, ' ')
		} else {
			g.buf = append(g.buf, ',')
		}
	}
	g.counts[top]++
}

func (g *jsonGen) startArray() {
	g.sep()
	g.buf = append(g.buf, '[')
	g.counts = append(g.counts, 0)
}

func (g *jsonGen) endArray() {
	g.counts = g.counts[:len(g.counts)-1]
	g.buf = append(g.buf, ']')
}

// rawValue writes s, already JSON text, as one value.
func (g *jsonGen) rawValue(s []byte) {
	g.sep()
	g.buf = append(g.buf, s...)
}

// value writes v compactly as one value.
func (g *jsonGen) value(v *jsonValue) {
	g.sep()
	g.buf = appendJSON(g.buf, v)
}

// appendJSON appends v as compact JSON text, numbers normalized as Jackson
// copies them (integers without leading signs or zeros, other numbers as a
// Java double prints).
func appendJSON(dst []byte, v *jsonValue) []byte {
	switch v.kind {
	case jsonNull:
		return append(dst, "null"...)
	case jsonBool:
		return strconv.AppendBool(dst, v.b)
	case jsonNumber:
		return appendNumber(dst, v)
	case jsonString:
		return appendQuoted(dst, v.s)
	}
	return appendComposite(dst, v, appendJSON)
}

// appendComposite appends array or (any other kind) object v as compact
// JSON, each element or field value written by elem.
func appendComposite(dst []byte, v *jsonValue, elem func([]byte, *jsonValue) []byte) []byte {
	if v.kind == jsonArray {
		dst = append(dst, '[')
		for i, e := range v.elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = elem(dst, e)
		}
		return append(dst, ']')
	}
	dst = append(dst, '{')
	for i, k := range v.keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendQuoted(dst, k)
		dst = append(dst, ':')
		dst = elem(dst, v.vals[i])
	}
	return append(dst, '}')
}

func appendNumber(dst []byte, v *jsonValue) []byte {
	if !v.float {
		if n, err := strconv.ParseInt(v.s, 10, 64); err == nil {
			return strconv.AppendInt(dst, n, 10)
		}
		if n, ok := new(big.Int).SetString(v.s, 10); ok {
			return n.Append(dst, 10)
		}
		return append(dst, v.s...)
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil && f == 0 {
		return append(dst, v.s...)
	}
	if math.IsInf(f, 0) {
		// Past the range of a double: Jackson quotes the infinity.
		return appendQuoted(dst, values.FormatDouble(f))
	}
	return append(dst, values.FormatDouble(f)...)
}

// evalPath writes what path selects in v to g and reports whether anything
// was written. It follows the cases of Spark's GetJsonObject.evaluatePath:
// a string at the end of the path is written without quotes in raw style;
// a [*] over an array collects its matches in a buffer and writes them as
// an array when there are several, as the single value when there is one.
func evalPath(g *jsonGen, v *jsonValue, style writeStyle, path []pathOp) bool {
	if len(path) == 0 {
		switch {
		case v.kind == jsonString && style == rawStyle:
			g.sep()
			g.buf = append(g.buf, v.s...)
			return true
		case v.kind == jsonArray && style == flattenStyle:
			dirty := false
			for _, e := range v.elems {
				if evalPath(g, e, style, nil) {
					dirty = true
				}
			}
			return dirty
		}
		g.value(v)
		return true
	}
	switch v.kind {
	case jsonObject:
		if path[0].kind != opKey || len(path) < 2 || path[1].kind != opNamed {
			return false
		}
		name, rest := path[1].name, path[2:]
		for i, k := range v.keys {
			if k == name && v.vals[i].kind != jsonNull && evalPath(g, v.vals[i], style, rest) {
				return true
			}
		}
		return false
	case jsonArray:
		if path[0].kind != opSubscript || len(path) < 2 {
			return false
		}
		isWild := func(p []pathOp) bool {
			return len(p) >= 2 && p[0].kind == opSubscript && p[1].kind == opWildcard
		}
		switch {
		case isWild(path) && isWild(path[2:]):
			rest := path[4:]
			dirty := false
			g.startArray()
			for _, e := range v.elems {
				if evalPath(g, e, flattenStyle, rest) {
					dirty = true
				}
			}
			g.endArray()
			return dirty
		case isWild(path) && style != quotedStyle:
			next := quotedStyle
			if style == flattenStyle {
				next = flattenStyle
			}
			sub := newJSONGen()
			sub.startArray()
			n := 0
			for _, e := range v.elems {
				if evalPath(sub, e, next, path[2:]) {
					n++
				}
			}
			sub.endArray()
			switch {
			case n > 1:
				g.rawValue(sub.buf)
			case n == 1:
				g.rawValue(sub.buf[1 : len(sub.buf)-1])
			}
			return n > 0
		case isWild(path):
			dirty := false
			g.startArray()
			for _, e := range v.elems {
				if evalPath(g, e, quotedStyle, path[2:]) {
					dirty = true
				}
			}
			g.endArray()
			return dirty
		case path[1].kind == opIndex:
			idx, rest := path[1].index, path[2:]
			if idx >= int64(len(v.elems)) {
				return false
			}
			if isWild(rest) {
				style = quotedStyle
			}
			return evalPath(g, v.elems[idx], style, rest)
		}
	}
	return false
}

func getJSONObject(doc string, ops []pathOp) (string, bool) {
	v, ok, err := parseJSON(doc)
	if err != nil || !ok {
		return "", false
	}
	g := newJSONGen()
	if !evalPath(g, v, rawStyle, ops) {
		return "", false
	}
	return string(g.buf), true
}

// jsonTupleField returns the value of the field called name of the object
// v, as json_tuple returns it: a string without quotes, anything else as
// compact JSON, and false when it is missing or null. Of repeated fields
// the last non-null one counts, as in Spark.
func jsonTupleField(v *jsonValue, name string) (string, bool) {
	var found *jsonValue
	for i, k := range v.keys {
		if k == name && v.vals[i].kind != jsonNull {
			found = v.vals[i]
		}
	}
	switch {
	case found == nil:
		return "", false
	case found.kind == jsonString:
		return found.s, true
	}
	return string(appendJSON(nil, found)), true
}
