package sql

// binaryLiteralQuote returns the index of the opening quote of a binary
// literal starting with the X at src[i]: X'hex', or Spark's typed-literal
// form X 'hex' with blanks between (the form of Spark's documented
// examples, e.g. bitmap_count(X '1010')); -1 when src[i] starts none.
func binaryLiteralQuote(src string, i int) int {
	if i >= len(src) || src[i] != 'x' && src[i] != 'X' {
		return -1
	}
	j := i + 1
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if j < len(src) && src[j] == '\'' {
		return j
	}
	return -1
}
