package functions

import "github.com/gspark/gspark/frame"

// SplitPart is field part (1-based, negative from the end) of c split by
// delim; empty when there are fewer fields, an error for part 0.
func SplitPart(c frame.Column, delim, part any) frame.Column {
	return frame.Call("split_part", c, frame.Lit(delim), frame.Lit(part))
}

// SubstringIndex is c before the count-th occurrence of delim, or after the
// count-th from the end when count is negative.
func SubstringIndex(c frame.Column, delim string, count int) frame.Column {
	return frame.Call("substring_index", c, frame.Lit(delim), frame.Lit(count))
}

// FindInSet is the 1-based position of str among the comma-separated
// fields of list, 0 when absent.
func FindInSet(str, list frame.Column) frame.Column { return frame.Call("find_in_set", str, list) }

// Elt is the n-th (1-based) of cols; an index out of range is an error.
func Elt(n any, cols ...frame.Column) frame.Column {
	return frame.Call("elt", append([]frame.Column{frame.Lit(n)}, cols...)...)
}

// Overlay replaces length characters of c from pos (1-based) by rep; a
// negative length stands for the length of rep.
func Overlay(c, rep frame.Column, pos, length any) frame.Column {
	return frame.Call("overlay", c, rep, frame.Lit(pos), frame.Lit(length))
}

// Soundex is the Soundex code of c.
func Soundex(c frame.Column) frame.Column { return frame.Call("soundex", c) }

// Levenshtein is the edit distance between a and b in characters.
func Levenshtein(a, b frame.Column) frame.Column { return frame.Call("levenshtein", a, b) }

// LevenshteinThreshold is the edit distance between a and b, or -1 when it
// exceeds threshold.
func LevenshteinThreshold(a, b frame.Column, threshold int) frame.Column {
	return frame.Call("levenshtein", a, b, frame.Lit(threshold))
}

// LuhnCheck reports whether c is a string of digits passing the Luhn check.
func LuhnCheck(c frame.Column) frame.Column { return frame.Call("luhn_check", c) }

// StartsWith reports whether c starts with prefix (a string or a column).
func StartsWith(c frame.Column, prefix any) frame.Column {
	return frame.Call("startswith", c, frame.Lit(prefix))
}

// EndsWith reports whether c ends with suffix (a string or a column).
func EndsWith(c frame.Column, suffix any) frame.Column {
	return frame.Call("endswith", c, frame.Lit(suffix))
}

// Contains reports whether c contains sub (a string or a column).
func Contains(c frame.Column, sub any) frame.Column {
	return frame.Call("contains", c, frame.Lit(sub))
}

// Chr is the character of code n mod 256, empty for a negative n.
func Chr(n frame.Column) frame.Column { return frame.Call("chr", n) }

// Base64 is the Base64 encoding of the UTF-8 bytes of c.
func Base64(c frame.Column) frame.Column { return frame.Call("base64", c) }

// Unbase64 decodes the Base64 text c into a binary.
func Unbase64(c frame.Column) frame.Column { return frame.Call("unbase64", c) }

// Mask replaces upper-case letters by X, lower-case letters by x and
// digits by n.
func Mask(c frame.Column) frame.Column { return frame.Call("mask", c) }

// MaskWith replaces upper-case letters, lower-case letters, digits and
// other characters by the given one-character strings; nil leaves that
// class unmasked.
func MaskWith(c frame.Column, upper, lower, digit, other any) frame.Column {
	return frame.Call("mask", c, frame.Lit(upper), frame.Lit(lower), frame.Lit(digit), frame.Lit(other))
}

// Like reports whether c matches the LIKE pattern (a string or a column):
// _ matches one character, % any run, and a backslash escapes either.
func Like(c frame.Column, pattern any) frame.Column {
	return frame.Call("like", c, frame.Lit(pattern))
}

// LikeEscape is Like with escape as the escape character.
func LikeEscape(c frame.Column, pattern any, escape string) frame.Column {
	return frame.Call("like", c, frame.Lit(pattern), frame.Lit(escape))
}

// ILike is Like ignoring case (both sides lower-cased).
func ILike(c frame.Column, pattern any) frame.Column {
	return frame.Call("ilike", c, frame.Lit(pattern))
}

// FormatString formats cols with the Java-style printf format (%s, %d, %x,
// %f, %e with flags, width and precision).
func FormatString(format string, cols ...frame.Column) frame.Column {
	return frame.Call("format_string", append([]frame.Column{frame.Lit(format)}, cols...)...)
}

// ToNumber reads the string c by a Spark number format ('999.99',
// '$99,999D00S', ...) as a DECIMAL with the format's digits; a mismatch is
// an error.
func ToNumber(c frame.Column, format string) frame.Column {
	return frame.Call("to_number", c, frame.Lit(format))
}

// TryToNumber is ToNumber with NULL instead of an error for a mismatch.
func TryToNumber(c frame.Column, format string) frame.Column {
	return frame.Call("try_to_number", c, frame.Lit(format))
}

// ToChar formats the number c by a Spark number format, or a date or
// timestamp c by a datetime pattern.
func ToChar(c frame.Column, format string) frame.Column {
	return frame.Call("to_char", c, frame.Lit(format))
}

// FormatNumberPattern rounds c half-even and writes it by a
// java.text.DecimalFormat pattern such as "#,##0.00".
func FormatNumberPattern(c frame.Column, pattern string) frame.Column {
	return frame.Call("format_number", c, frame.Lit(pattern))
}

// Sentences splits c into sentences, each an array of its words.
func Sentences(c frame.Column) frame.Column { return frame.Call("sentences", c) }
