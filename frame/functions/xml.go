package functions

import "github.com/gspark/gspark/frame"

// XPath is the array of the values of the nodes of the XML text c that the
// XPath expression path selects (NULL for element nodes).
func XPath(c frame.Column, path string) frame.Column {
	return frame.Call("xpath", c, frame.Lit(path))
}

// XPathBoolean reports whether path evaluates to true or selects a node.
func XPathBoolean(c frame.Column, path string) frame.Column {
	return frame.Call("xpath_boolean", c, frame.Lit(path))
}

// XPathString is the text of the first node path selects ("" if none).
func XPathString(c frame.Column, path string) frame.Column {
	return frame.Call("xpath_string", c, frame.Lit(path))
}

// XPathShort is path's value as a smallint (0 when not numeric).
func XPathShort(c frame.Column, path string) frame.Column {
	return frame.Call("xpath_short", c, frame.Lit(path))
}

// XPathInt is path's value as an int (0 when not numeric).
func XPathInt(c frame.Column, path string) frame.Column {
	return frame.Call("xpath_int", c, frame.Lit(path))
}

// XPathLong is path's value as a bigint (0 when not numeric).
func XPathLong(c frame.Column, path string) frame.Column {
	return frame.Call("xpath_long", c, frame.Lit(path))
}

// XPathFloat is path's value as a float (NaN when not numeric).
func XPathFloat(c frame.Column, path string) frame.Column {
	return frame.Call("xpath_float", c, frame.Lit(path))
}

// XPathDouble is path's value as a double (NaN when not numeric); SQL
// also calls it xpath_number.
func XPathDouble(c frame.Column, path string) frame.Column {
	return frame.Call("xpath_double", c, frame.Lit(path))
}
