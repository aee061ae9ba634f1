package main

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gspark/gspark/frame"
)

// binaryStyle returns the session's spark.sql.binaryOutputStyle. Unset, it
// is UTF-8: Spark 4.0's spark-sql shell (HiveResult) keeps showing binaries
// as their bytes read as UTF-8 text when the setting is not given.
func binaryStyle(s *frame.Session) string {
	if s == nil {
		return "UTF-8"
	}
	if v, err := s.Conf("spark.sql.binaryOutputStyle"); err == nil && v != "<undefined>" {
		return v
	}
	return "UTF-8"
}

// binaryText shows b in a spark.sql.binaryOutputStyle as Spark 4.0 does:
// UTF-8 (the bytes as text, each malformed byte U+FFFD as Java decodes),
// BASIC (the signed byte values, "[83, 112]"), BASE64 (unpadded), HEX
// (upper-case digits) or HEX_DISCRETE ("[53 70]").
func binaryText(style string, b []byte) string {
	switch style {
	case "BASIC":
		parts := make([]string, len(b))
		for i, v := range b {
			parts[i] = strconv.Itoa(int(int8(v)))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case "BASE64":
		return base64.RawStdEncoding.EncodeToString(b)
	case "HEX":
		return fmt.Sprintf("%X", b)
	case "HEX_DISCRETE":
		parts := make([]string, len(b))
		for i, v := range b {
			parts[i] = fmt.Sprintf("%02X", v)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		sb.WriteRune(r) // utf8.RuneError for a malformed byte
		b = b[n:]
	}
	return sb.String()
}

// showBinaries replaces the BINARY values of rows, top level and inside
// arrays, by their text in style.
func showBinaries(rows [][]any, style string) {
	var conv func(v any) any
	conv = func(v any) any {
		switch x := v.(type) {
		case []byte:
			return binaryText(style, x)
		case []any:
			for i, e := range x {
				x[i] = conv(e)
			}
		}
		return v
	}
	for _, r := range rows {
		for i, v := range r {
			r[i] = conv(v)
		}
	}
}
