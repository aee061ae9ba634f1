package functions

import "github.com/gspark/gspark/frame"

// ParseURL is the part of the URL c named by part (HOST, PATH, QUERY, REF,
// PROTOCOL, FILE, AUTHORITY, USERINFO); an invalid URL is an error.
func ParseURL(c frame.Column, part string) frame.Column {
	return frame.Call("parse_url", c, frame.Lit(part))
}

// ParseURLQuery is the value of key in the query of the URL c.
func ParseURLQuery(c frame.Column, key string) frame.Column {
	return frame.Call("parse_url", c, frame.Lit("QUERY"), frame.Lit(key))
}

// TryParseURL is ParseURL with NULL for an invalid URL.
func TryParseURL(c frame.Column, part string) frame.Column {
	return frame.Call("try_parse_url", c, frame.Lit(part))
}

// URLEncode is c in application/x-www-form-urlencoded form (UTF-8).
func URLEncode(c frame.Column) frame.Column { return frame.Call("url_encode", c) }

// URLDecode decodes application/x-www-form-urlencoded text; a broken
// %-escape is an error.
func URLDecode(c frame.Column) frame.Column { return frame.Call("url_decode", c) }

// TryURLDecode is URLDecode with NULL for a broken %-escape.
func TryURLDecode(c frame.Column) frame.Column { return frame.Call("try_url_decode", c) }
