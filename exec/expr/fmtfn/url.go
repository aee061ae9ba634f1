package fmtfn

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gspark/gspark/exec/expr"
)

// ErrInvalidURL is wrapped by parse_url's error on text that is not a URL
// (Spark's INVALID_URL under ANSI mode).
var ErrInvalidURL = fmt.Errorf("invalid URL")

// ErrCannotDecodeURL is wrapped by url_decode's error on text with a broken
// %-escape (Spark's CANNOT_DECODE_URL).
var ErrCannotDecodeURL = fmt.Errorf("cannot decode URL")

// urlPart returns the part of u that parse_url names (HOST, PATH, QUERY,
// REF, PROTOCOL, FILE, AUTHORITY, USERINFO; upper case only, as Spark
// matches them); ok is false for an absent part or an unknown name.
func urlPart(u *uri, part string) (string, bool) {
	get := func(p *string) (string, bool) {
		if p == nil {
			return "", false
		}
		return *p, true
	}
	switch part {
	case "HOST":
		return get(u.host)
	case "PATH":
		return get(u.path)
	case "QUERY":
		return get(u.query)
	case "REF":
		return get(u.fragment)
	case "PROTOCOL":
		return get(u.scheme)
	case "FILE":
		if u.path == nil {
			return "", false
		}
		if u.query != nil {
			return *u.path + "?" + *u.query, true
		}
		return *u.path, true
	case "AUTHORITY":
		return get(u.authority)
	case "USERINFO":
		return get(u.userInfo)
	}
	return "", false
}

// ParseURL returns parse_url(url, part[, key]): the named part of the URL,
// or with a key the value of key=value in its query (the key read as a
// regular expression, as Spark does). A URL that does not parse is an
// error (ANSI mode), or NULL when try is set (try_parse_url).
func ParseURL(args []expr.Expr, try bool) expr.Expr {
	name := "parse_url"
	if try {
		name = "try_parse_url"
	}
	return rowFunc(name, stringType, args, func(row []any) (any, error) {
		strs := make([]string, len(row))
		for i, v := range row {
			s, ok := text(v)
			if !ok {
				return nil, nil
			}
			strs[i] = s
		}
		u, err := parseURI(strs[0])
		if err != nil {
			if try {
				return nil, nil
			}
			return nil, fmt.Errorf("[INVALID_URL] The url is invalid: %s. Use try_parse_url to tolerate invalid URL and return NULL instead: %w (%v)", strs[0], ErrInvalidURL, err)
		}
		if len(strs) == 3 && strs[1] != "QUERY" {
			return nil, nil
		}
		part, ok := urlPart(u, strs[1])
		if !ok {
			return nil, nil
		}
		if len(strs) < 3 {
			return part, nil
		}
		re, err := regexp.Compile("(&|^)" + strs[2] + "=([^&]*)")
		if err != nil {
			return nil, fmt.Errorf("%s: the key %q is not a valid regular expression: %w", name, strs[2], err)
		}
		m := re.FindStringSubmatch(part)
		if m == nil {
			return nil, nil
		}
		return m[2], nil
	})
}

// appendURLEncoded appends s in application/x-www-form-urlencoded form as
// Java's URLEncoder writes it with UTF-8: letters, digits and .-*_ as they
// are, space as +, every other byte as %XX.
func appendURLEncoded(dst []byte, s string) []byte {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlphanum(c) || c == '.' || c == '-' || c == '*' || c == '_':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return dst
}

// urlDecode decodes application/x-www-form-urlencoded text as Java's
// URLDecoder does with UTF-8: + is a space, %XX a byte; bytes that are not
// UTF-8 become U+FFFD. A broken escape is an error.
func urlDecode(s string) (string, error) {
	if !strings.ContainsAny(s, "+%") {
		return s, nil
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", ErrCannotDecodeURL
			}
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// URLEncode returns url_encode(s).
func URLEncode(s expr.Expr) expr.Expr {
	return rowFunc("url_encode", stringType, []expr.Expr{s}, func(row []any) (any, error) {
		x, ok := text(row[0])
		if !ok {
			return nil, nil
		}
		return string(appendURLEncoded(nil, x)), nil
	})
}

// URLDecode returns url_decode(s): a broken %-escape is an error, or NULL
// when try is set (try_url_decode).
func URLDecode(s expr.Expr, try bool) expr.Expr {
	name := "url_decode"
	if try {
		name = "try_url_decode"
	}
	return rowFunc(name, stringType, []expr.Expr{s}, func(row []any) (any, error) {
		x, ok := text(row[0])
		if !ok {
			return nil, nil
		}
		out, err := urlDecode(x)
		if err != nil {
			if try {
				return nil, nil
			}
			return nil, fmt.Errorf("[CANNOT_DECODE_URL] The provided URL cannot be decoded: %s. Please ensure that the URL is properly formatted and try again: %w", x, err)
		}
		return out, nil
	})
}
