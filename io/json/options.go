// Package json reads and writes JSON Lines (one JSON object per line) as
// Arrow record batches, following Spark's JSON data source.
//
// Reading: schema inference over the first SamplingRows non-blank lines of
// the input (integers as int64, numbers with a fraction or exponent as
// float64, strings as string, true/false as bool; a column holding both
// integers and fractions is float64, one with otherwise mixed kinds or only
// nulls is string). The inferred columns are sorted by name, as Spark's are.
// Nested objects and arrays are read as strings holding their raw JSON text.
// An explicit schema may be given instead (bool, int8..int64, float32/64,
// string, date32, timestamp, decimal64, decimal128). Malformed lines fail
// with an error naming file:line:column unless Options.Mode says otherwise.
//
// Writing: one object per line, null fields omitted (Spark's default
// ignoreNullFields=true), dates as "YYYY-MM-DD", timestamps as ISO-8601 in
// UTC, decimals as JSON numbers with their scale.
package json

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Mode is how the reader treats a malformed line (bad JSON, a value that does
// not fit its column's type, or a top-level value that is not an object).
type Mode int

const (
	// FailFast stops at the first malformed line with a ParseError. It is the
	// default here (Spark's default is Permissive): silent nulls hide errors.
	FailFast Mode = iota
	// Permissive reads a malformed line as a row of nulls.
	Permissive
	// DropMalformed skips malformed lines.
	DropMalformed
)

// ParseMode parses Spark's mode names, case-insensitively: "FAILFAST",
// "PERMISSIVE", "DROPMALFORMED" ("" is FailFast).
func ParseMode(s string) (Mode, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "FAILFAST":
		return FailFast, nil
	case "PERMISSIVE":
		return Permissive, nil
	case "DROPMALFORMED":
		return DropMalformed, nil
	}
	return 0, fmt.Errorf("json: unknown mode %q (want PERMISSIVE, DROPMALFORMED or FAILFAST)", s)
}

// Options configures JSON reading and inference. The zero value gives the
// defaults.
type Options struct {
	// SamplingRows is how many non-blank lines inference reads; default 1000.
	SamplingRows int
	// Mode says what to do with malformed lines; default FailFast.
	Mode Mode
	// BatchSize is the number of rows per batch read; default 8192.
	BatchSize int
	// MaxRecordBytes bounds the bytes of one line (gspark's maxRecordBytes,
	// as for CSV; Spark has no such option); 0 means DefaultMaxRecordBytes.
	// A longer line is an error in every mode, naming the file and line.
	MaxRecordBytes int
	// Mem allocates the batches read; default memory.DefaultAllocator.
	Mem memory.Allocator
}

// DefaultMaxRecordBytes is the default bound on a line's bytes (64 MiB).
const DefaultMaxRecordBytes = 64 << 20

// LimitError reports a line longer than MaxRecordBytes. It is fatal in every
// mode: the rest of such a line cannot be skipped without reading it.
type LimitError struct {
	File   string
	Line   int   // 1-based line
	Offset int64 // byte offset of the line in the text read
	Limit  int
}

// Error names the file, line, byte offset and the option that raises the
// bound.
func (e *LimitError) Error() string {
	return fmt.Sprintf("json: %s:%d (byte offset %d): line longer than %d bytes; raise the JSON option maxRecordBytes to read it",
		e.File, e.Line, e.Offset, e.Limit)
}

func (o Options) withDefaults() Options {
	if o.SamplingRows <= 0 {
		o.SamplingRows = 1000
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 8192
	}
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if o.Mem == nil {
		o.Mem = memory.DefaultAllocator
	}
	return o
}

// ParseError is a malformed-input error located at a 1-based line and byte
// column (0 when it concerns the whole line) of a file.
type ParseError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

// Error formats the error as file:line:column: message.
func (e *ParseError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}
