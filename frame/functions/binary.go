package functions

import "github.com/gspark/gspark/frame"

// Unhex returns the binary the hexadecimal digits of the string c stand
// for (a leading 0 added to an odd number of digits); NULL when c holds a
// character that is not a hexadecimal digit.
func Unhex(c frame.Column) frame.Column { return frame.Call("unhex", c) }

// OctetLength returns the number of bytes of the string (UTF-8) or binary c.
func OctetLength(c frame.Column) frame.Column { return frame.Call("octet_length", c) }

// BitLength returns the number of bits of the string (UTF-8) or binary c.
func BitLength(c frame.Column) frame.Column { return frame.Call("bit_length", c) }

// Encode returns the bytes of the string c in character set charset
// (UTF-8, US-ASCII or ISO-8859-1) as a binary.
func Encode(c frame.Column, charset string) frame.Column {
	return frame.Call("encode", c, frame.Lit(charset))
}

// Decode returns the string the binary c encodes in character set
// charset (UTF-8, US-ASCII or ISO-8859-1).
func Decode(c frame.Column, charset string) frame.Column {
	return frame.Call("decode", c, frame.Lit(charset))
}
