package fmtfn

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// XPathKind is what an xpath function returns.
type XPathKind int

// The xpath functions by result: xpath (an array of node values),
// xpath_boolean, xpath_string, and the numeric ones.
const (
	XPathList XPathKind = iota
	XPathBoolean
	XPathString
	XPathShort
	XPathInt
	XPathLong
	XPathFloat
	XPathDouble
)

// Type is the result type of the kind.
func (k XPathKind) Type() arrow.DataType {
	switch k {
	case XPathList:
		return arrow.ListOf(stringType)
	case XPathBoolean:
		return arrow.FixedWidthTypes.Boolean
	case XPathString:
		return stringType
	case XPathShort:
		return arrow.PrimitiveTypes.Int16
	case XPathInt:
		return arrow.PrimitiveTypes.Int32
	case XPathLong:
		return arrow.PrimitiveTypes.Int64
	case XPathFloat:
		return arrow.PrimitiveTypes.Float32
	}
	return arrow.PrimitiveTypes.Float64
}

// CompileXPath compiles an XPath 1.0 expression; the error names it.
func CompileXPath(path string) (*xpath.Expr, error) {
	e, err := xpath.Compile(path)
	if err != nil {
		return nil, fmt.Errorf("Invalid XPath '%s': %w", path, err)
	}
	return e, nil
}

// XPath returns the xpath function of kind k over the XML text xml and the
// XPath path (a literal, as Spark requires; CompileXPath checks it first).
// NULL or empty XML is NULL; text that is not XML is an error. Numbers
// follow XPath's number(): NaN when the match is not numeric or nothing
// matches, which the integer kinds turn into 0 as Java does.
func XPath(name string, k XPathKind, xml expr.Expr, path string) expr.Expr {
	return batchFunc(name, k.Type(), []expr.Expr{xml}, func() (func(row []any) (any, error), error) {
		// A compiled expression keeps evaluation state: one per batch.
		compiled, err := CompileXPath(path)
		if err != nil {
			return nil, err
		}
		return func(row []any) (any, error) { return xpathRow(name, k, path, compiled, row) }, nil
	})
}

func xpathRow(name string, k XPathKind, path string, compiled *xpath.Expr, row []any) (any, error) {
	doc, ok := text(row[0])
	if !ok || doc == "" {
		return nil, nil
	}
	root, err := xmlquery.Parse(strings.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("%s: invalid XML document %s: %w", name, doc, err)
	}
	nav := xmlquery.CreateXPathNavigator(root)
	res := compiled.Evaluate(nav)
	switch k {
	case XPathList:
		it, ok := res.(*xpath.NodeIterator)
		if !ok {
			return nil, fmt.Errorf("%s: the XPath '%s' does not select nodes", name, path)
		}
		out := []any{}
		for it.MoveNext() {
			out = append(out, nodeValue(it.Current()))
		}
		return out, nil
	case XPathBoolean:
		return xpathBool(res), nil
	case XPathString:
		return xpathString(res), nil
	}
	f := xpathNumber(res)
	switch k {
	case XPathShort:
		return int64(int16(javaInt(f))), nil
	case XPathInt:
		return int64(javaInt(f)), nil
	case XPathLong:
		return javaLong(f), nil
	case XPathFloat:
		return float64(float32(f)), nil
	}
	return f, nil
}

// nodeValue is what the DOM's getNodeValue gives for a node: the text of a
// text, attribute, comment or processing instruction; NULL for an element
// or the document.
func nodeValue(n xpath.NodeNavigator) any {
	switch n.NodeType() {
	case xpath.ElementNode, xpath.RootNode:
		return nil
	}
	return n.Value()
}

func xpathBool(res any) bool {
	switch x := res.(type) {
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	case *xpath.NodeIterator:
		return x.MoveNext()
	}
	return false
}

func xpathString(res any) string {
	switch x := res.(type) {
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return xpathNumberText(x)
	case string:
		return x
	case *xpath.NodeIterator:
		if x.MoveNext() {
			return x.Current().Value()
		}
	}
	return ""
}

// xpathNumberText is XPath's string() of a number: integers without a
// fraction, NaN and Infinity spelled out.
func xpathNumberText(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == math.Trunc(f) && math.Abs(f) < 1e18:
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func xpathNumber(res any) float64 {
	switch x := res.(type) {
	case bool:
		if x {
			return 1
		}
		return 0
	case float64:
		return x
	case string:
		return xpathParseNumber(x)
	case *xpath.NodeIterator:
		if x.MoveNext() {
			return xpathParseNumber(x.Current().Value())
		}
	}
	return math.NaN()
}

// xpathParseNumber is XPath 1.0's number() of a string: optional blanks,
// an optional minus, digits with an optional point; anything else is NaN.
func xpathParseNumber(s string) float64 {
	s = strings.Trim(s, " \t\r\n")
	body := strings.TrimPrefix(s, "-")
	if body == "" || body == "." {
		return math.NaN()
	}
	dot := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '.' && !dot {
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			return math.NaN()
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// javaInt converts as Java's (int) cast of a double: NaN is 0, values out
// of range saturate.
func javaInt(f float64) int32 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int32(f)
}

// javaLong converts as Java's (long) cast of a double.
func javaLong(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}
