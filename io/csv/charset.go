package csv

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// decodeCharset returns r decoded from the named character set to UTF-8;
// "" and UTF-8 return r as it is. UTF-16 without an endianness reads a byte
// order mark and is big-endian without one, as Java's decoder.
func decodeCharset(r io.Reader, name string) (io.Reader, error) {
	var enc encoding.Encoding
	switch strings.ToUpper(strings.ReplaceAll(name, "_", "-")) {
	case "", "UTF-8", "UTF8":
		return r, nil
	case "UTF-16", "UTF16":
		enc = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	default:
		e, err := ianaindex.IANA.Encoding(name)
		if err != nil || e == nil {
			return nil, fmt.Errorf("encoding %q is not a known character set (try UTF-8, ISO-8859-1, windows-1252, UTF-16, UTF-16LE or UTF-16BE)", name)
		}
		enc = e
	}
	return enc.NewDecoder().Reader(r), nil
}
