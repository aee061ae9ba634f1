// Package csv reads and writes CSV files as Arrow record batches, following
// Spark's CSV data source: optional header, schema inference, quoted fields
// that may span lines, and errors that name file:line:column.
package csv

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Options configures CSV reading, inference and writing. The zero value gives
// Spark's defaults.
type Options struct {
	// Header says the first line holds column names (read) or should be
	// written (write).
	Header bool
	// Delimiter separates fields; default ','.
	Delimiter rune
	// Quote encloses fields holding delimiters, quotes or newlines; default '"'.
	Quote rune
	// Escape escapes a quote (or itself) inside a quoted field; default '\\'.
	// A doubled quote "" inside a quoted field is also read as one quote.
	Escape rune
	// NullValue is the unquoted text that reads as null and that nulls are
	// written as; default "" (an empty unquoted field is null).
	NullValue string
	// InferSchema makes InferSchema guess column types; otherwise every
	// column is a string.
	InferSchema bool
	// SamplingRows is how many rows InferSchema reads; default 1000.
	SamplingRows int
	// DateFormat is the Go layout of dates; default "2006-01-02".
	DateFormat string
	// TimestampFormat is the Go layout of timestamps; default
	// "2006-01-02 15:04:05", which also accepts a 'T' separator, fractional
	// seconds, an optional zone (Z or ±hh:mm) and a bare date.
	TimestampFormat string
	// BatchSize is the number of rows per batch read; default 8192.
	BatchSize int
	// Mem allocates the batches read; default memory.DefaultAllocator.
	Mem memory.Allocator
}

const (
	defaultDateFormat      = "2006-01-02"
	defaultTimestampFormat = "2006-01-02 15:04:05"
)

// config is Options with defaults applied and characters as bytes.
type config struct {
	Options
	delim, quote, escape byte
	null                 []byte
	defaultDate          bool
	defaultTS            bool
	writeTSFormat        string
}

func newConfig(o Options) (*config, error) {
	if o.Delimiter == 0 {
		o.Delimiter = ','
	}
	if o.Quote == 0 {
		o.Quote = '"'
	}
	if o.Escape == 0 {
		o.Escape = '\\'
	}
	if o.SamplingRows <= 0 {
		o.SamplingRows = 1000
	}
	if o.DateFormat == "" {
		o.DateFormat = defaultDateFormat
	}
	if o.TimestampFormat == "" {
		o.TimestampFormat = defaultTimestampFormat
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 8192
	}
	if o.Mem == nil {
		o.Mem = memory.DefaultAllocator
	}
	for _, c := range []struct {
		name string
		r    rune
	}{{"delimiter", o.Delimiter}, {"quote", o.Quote}, {"escape", o.Escape}} {
		if c.r < 0 || c.r >= 0x80 || c.r == '\n' || c.r == '\r' {
			return nil, fmt.Errorf("csv: %s %q must be a single-byte ASCII character other than a newline", c.name, c.r)
		}
	}
	if o.Delimiter == o.Quote || o.Delimiter == o.Escape {
		return nil, fmt.Errorf("csv: delimiter %q must differ from quote %q and escape %q", o.Delimiter, o.Quote, o.Escape)
	}
	c := &config{
		Options:     o,
		delim:       byte(o.Delimiter),
		quote:       byte(o.Quote),
		escape:      byte(o.Escape),
		null:        []byte(o.NullValue),
		defaultDate: o.DateFormat == defaultDateFormat,
		defaultTS:   o.TimestampFormat == defaultTimestampFormat,
	}
	c.writeTSFormat = o.TimestampFormat
	if c.defaultTS {
		c.writeTSFormat = "2006-01-02 15:04:05.999999"
	}
	return c, nil
}

// ParseError is a malformed-input error located at a line (and column, when
// known) of a file. Lines are 1-based physical lines; columns are 1-based
// byte offsets in the line.
type ParseError struct {
	File   string
	Line   int
	Column int // 0 when the error concerns a whole record
	Msg    string
}

// Error formats the error as file:line:column: message.
func (e *ParseError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}
