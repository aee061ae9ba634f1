package functions

import "github.com/gspark/gspark/frame"

// Concat joins the string forms of cols; the result is null when any is.
func Concat(cols ...frame.Column) frame.Column { return frame.Call("concat", cols...) }

// ConcatWs joins the non-null values of cols with sep in between.
func ConcatWs(sep string, cols ...frame.Column) frame.Column {
	return frame.Call("concat_ws", append([]frame.Column{frame.Lit(sep)}, cols...)...)
}

// Length is the number of characters (Unicode code points) of c.
func Length(c frame.Column) frame.Column { return frame.Call("length", c) }

// Trim removes the leading and trailing spaces (U+0020) of c.
func Trim(c frame.Column) frame.Column { return frame.Call("trim", c) }

// TrimChars removes the leading and trailing characters of c that occur in chars.
func TrimChars(c frame.Column, chars string) frame.Column {
	return frame.Call("trim", frame.Lit(chars), c)
}

// Ltrim removes the leading spaces of c.
func Ltrim(c frame.Column) frame.Column { return frame.Call("ltrim", c) }

// LtrimChars removes the leading characters of c that occur in chars.
func LtrimChars(c frame.Column, chars string) frame.Column {
	return frame.Call("ltrim", frame.Lit(chars), c)
}

// Rtrim removes the trailing spaces of c.
func Rtrim(c frame.Column) frame.Column { return frame.Call("rtrim", c) }

// RtrimChars removes the trailing characters of c that occur in chars.
func RtrimChars(c frame.Column, chars string) frame.Column {
	return frame.Call("rtrim", frame.Lit(chars), c)
}

// Lpad left-pads c with pad to length characters, or cuts it to length.
func Lpad(c frame.Column, length int, pad string) frame.Column {
	return frame.Call("lpad", c, frame.Lit(length), frame.Lit(pad))
}

// Rpad right-pads c with pad to length characters, or cuts it to length.
func Rpad(c frame.Column, length int, pad string) frame.Column {
	return frame.Call("rpad", c, frame.Lit(length), frame.Lit(pad))
}

// Instr is the 1-based character position of substring in c, 0 when absent.
func Instr(c frame.Column, substring string) frame.Column {
	return frame.Call("instr", c, frame.Lit(substring))
}

// Locate is the 1-based character position of substr in c, 0 when absent.
func Locate(substr string, c frame.Column) frame.Column {
	return frame.Call("locate", frame.Lit(substr), c)
}

// LocateFrom is the position of substr in c at or after character pos.
func LocateFrom(substr string, c frame.Column, pos int) frame.Column {
	return frame.Call("locate", frame.Lit(substr), c, frame.Lit(pos))
}

// Replace replaces every occurrence of search in c by replacement (strings or columns).
func Replace(c frame.Column, search, replacement any) frame.Column {
	return frame.Call("replace", c, frame.Lit(search), frame.Lit(replacement))
}

// Initcap lower-cases c and capitalizes the first letter of each space-separated word.
func Initcap(c frame.Column) frame.Column { return frame.Call("initcap", c) }

// Reverse reverses the characters of c.
func Reverse(c frame.Column) frame.Column { return frame.Call("reverse", c) }

// Repeat repeats c n times (an int or an integer column).
func Repeat(c frame.Column, n any) frame.Column { return frame.Call("repeat", c, frame.Lit(n)) }

// Left is the first n characters of c (n an int or an integer column).
func Left(c frame.Column, n any) frame.Column { return frame.Call("left", c, frame.Lit(n)) }

// Right is the last n characters of c (n an int or an integer column).
func Right(c frame.Column, n any) frame.Column { return frame.Call("right", c, frame.Lit(n)) }

// RegexpReplace replaces every match of pattern in c by replacement ($1 refers to a group).
func RegexpReplace(c frame.Column, pattern, replacement string) frame.Column {
	return frame.Call("regexp_replace", c, frame.Lit(pattern), frame.Lit(replacement))
}

// RegexpExtract is group idx of the first match of pattern in c, empty when none.
func RegexpExtract(c frame.Column, pattern string, idx int) frame.Column {
	return frame.Call("regexp_extract", c, frame.Lit(pattern), frame.Lit(idx))
}

// Rlike reports whether pattern matches somewhere in c.
func Rlike(c frame.Column, pattern string) frame.Column {
	return frame.Call("rlike", c, frame.Lit(pattern))
}

// Translate replaces each character of c found in matching by the character at
// the same position of replace, deleting it when replace is shorter.
func Translate(c frame.Column, matching, replace string) frame.Column {
	return frame.Call("translate", c, frame.Lit(matching), frame.Lit(replace))
}

// Ascii is the code point of the first character of c, 0 when c is empty.
func Ascii(c frame.Column) frame.Column { return frame.Call("ascii", c) }

// FormatNumber rounds c half-even to d decimal places and formats it like "#,###,###.##".
func FormatNumber(c frame.Column, d int) frame.Column {
	return frame.Call("format_number", c, frame.Lit(d))
}
