// Package csv reads and writes CSV files as Arrow record batches, following
// Spark's CSV data source: optional header, schema inference, quoted fields
// that may span lines, and errors that name file:line:column.
package csv

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr/datefn"
)

// Mode says what reading does with a malformed record (a wrong number of
// fields, or a field that is not a value of its column's type), as Spark's
// CSV option "mode".
type Mode uint8

const (
	// Permissive (Spark's default) keeps the record: a field that does not
	// parse is null, missing fields are null and extra fields are dropped;
	// the raw record goes to the corrupt-record column when the schema has one.
	Permissive Mode = iota
	// DropMalformed drops malformed records.
	DropMalformed
	// FailFast stops with an error naming the file, line and column.
	FailFast
)

// ParseMode reads Spark's mode names (case-insensitive); "" is Permissive.
func ParseMode(s string) (Mode, error) {
	switch strings.ToUpper(s) {
	case "", "PERMISSIVE":
		return Permissive, nil
	case "DROPMALFORMED":
		return DropMalformed, nil
	case "FAILFAST":
		return FailFast, nil
	}
	return 0, fmt.Errorf("csv: mode %q: want PERMISSIVE, DROPMALFORMED or FAILFAST", s)
}

// String returns Spark's name of the mode.
func (m Mode) String() string {
	switch m {
	case DropMalformed:
		return "DROPMALFORMED"
	case FailFast:
		return "FAILFAST"
	}
	return "PERMISSIVE"
}

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
	// SamplingRows caps how many rows InferSchema reads; 0 (the default)
	// reads every row, as Spark does.
	SamplingRows int
	// SamplingRatio is the fraction of rows InferSchema looks at, chosen by a
	// fixed-seed Bernoulli sample (Spark's samplingRatio); 0 means 1.
	SamplingRatio float64
	// DateFormat is a Spark datetime pattern for dates (e.g. "MM/dd/yyyy");
	// default yyyy-MM-dd.
	DateFormat string
	// TimestampFormat is a Spark datetime pattern for timestamps; by default
	// ISO 8601 text: yyyy-MM-dd[ |T]HH:mm[:ss[.fraction]] with an optional
	// zone (Z or ±hh:mm), or a bare date.
	TimestampFormat string
	// Mode is what to do with malformed records; default Permissive.
	Mode Mode
	// CorruptColumn names a string column of the schema that receives the
	// raw text of malformed records under Permissive (Spark's
	// columnNameOfCorruptRecord); it is not read from the file.
	CorruptColumn string
	// EmptyValue is what a quoted empty field ("") of a string column reads
	// as and how an empty string is written; default "" (written as "").
	EmptyValue *string
	// NanValue, PositiveInf and NegativeInf are the texts of NaN and the
	// infinities in floating-point columns; defaults NaN, Inf and -Inf (Java's
	// NaN, Infinity and -Infinity are read too).
	NanValue, PositiveInf, NegativeInf string
	// Comment, when not 0, starts lines that are skipped.
	Comment rune
	// LineSep, when not 0, is the one-character record separator; by default
	// \n, \r\n and \r all end a line.
	LineSep rune
	// Encoding is the character set of the file (any IANA name: UTF-8,
	// ISO-8859-1, windows-1252, UTF-16, UTF-16LE, …); default UTF-8.
	Encoding string
	// IgnoreLeadingWhiteSpace and IgnoreTrailingWhiteSpace trim spaces and
	// tabs around values.
	IgnoreLeadingWhiteSpace, IgnoreTrailingWhiteSpace bool
	// LineOffset is the number of lines before the text read (a split of a
	// file, see PlanSplits), so that errors give the file's line numbers.
	LineOffset int
	// ByteOffset is the offset in the file of the text read (a split's
	// Start), so that errors give the file's byte offsets.
	ByteOffset int64
	// BatchSize is the number of rows per batch read; default 8192.
	BatchSize int
	// MaxCharsPerColumn bounds the characters of one field (Spark's
	// maxCharsPerColumn). 0 means the default, DefaultMaxCharsPerColumn;
	// -1 means no bound on a field beyond MaxRecordBytes. Spark's default
	// is -1 (unlimited); gspark bounds fields by default to bound memory.
	MaxCharsPerColumn int
	// MaxRecordBytes bounds the bytes of one record, quoted line breaks
	// included (gspark's maxRecordBytes; Spark has no such option). 0 means
	// the default, DefaultMaxRecordBytes. A longer record is an error in
	// every mode, naming the file, line and byte offset.
	MaxRecordBytes int
	// Mem allocates the batches read; default memory.DefaultAllocator.
	Mem memory.Allocator
}

const (
	// DefaultMaxCharsPerColumn is the default bound on a field's characters.
	DefaultMaxCharsPerColumn = 1_000_000
	// DefaultMaxRecordBytes is the default bound on a record's bytes (64 MiB).
	DefaultMaxRecordBytes = 64 << 20
)

const (
	defaultDateFormat      = "yyyy-MM-dd"
	defaultTimestampFormat = "yyyy-MM-dd HH:mm:ss"
)

// config is Options with defaults applied and characters as bytes.
type config struct {
	Options
	delim, quote, escape byte
	null                 []byte
	defaultDate          bool
	defaultTS            bool
	datePat, tsPat       *datefn.Pattern
	nan, posInf, negInf  []byte
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
	if o.SamplingRatio < 0 || o.SamplingRatio > 1 {
		return nil, fmt.Errorf("csv: samplingRatio %g must be in (0, 1]", o.SamplingRatio)
	}
	if o.NanValue == "" {
		o.NanValue = "NaN"
	}
	if o.PositiveInf == "" {
		o.PositiveInf = "Inf"
	}
	if o.NegativeInf == "" {
		o.NegativeInf = "-Inf"
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
	switch {
	case o.MaxCharsPerColumn == 0:
		o.MaxCharsPerColumn = DefaultMaxCharsPerColumn
	case o.MaxCharsPerColumn < -1:
		return nil, fmt.Errorf("csv: maxCharsPerColumn %d must be positive or -1 (no bound but maxRecordBytes)", o.MaxCharsPerColumn)
	}
	switch {
	case o.MaxRecordBytes == 0:
		o.MaxRecordBytes = DefaultMaxRecordBytes
	case o.MaxRecordBytes < 0:
		return nil, fmt.Errorf("csv: maxRecordBytes %d must be positive", o.MaxRecordBytes)
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
	for _, c := range []struct {
		name string
		r    rune
	}{{"comment", o.Comment}, {"lineSep", o.LineSep}} {
		if c.r < 0 || c.r >= 0x80 {
			return nil, fmt.Errorf("csv: %s %q must be a single-byte ASCII character", c.name, c.r)
		}
	}
	c := &config{
		Options:     o,
		delim:       byte(o.Delimiter),
		quote:       byte(o.Quote),
		escape:      byte(o.Escape),
		null:        []byte(o.NullValue),
		defaultDate: o.DateFormat == defaultDateFormat,
		defaultTS:   o.TimestampFormat == defaultTimestampFormat,
		nan:         []byte(o.NanValue),
		posInf:      []byte(o.PositiveInf),
		negInf:      []byte(o.NegativeInf),
	}
	var err error
	if !c.defaultDate {
		if c.datePat, err = datefn.CompilePattern(o.DateFormat); err != nil {
			return nil, fmt.Errorf("csv: dateFormat: %w", err)
		}
	}
	if !c.defaultTS {
		if c.tsPat, err = datefn.CompilePattern(o.TimestampFormat); err != nil {
			return nil, fmt.Errorf("csv: timestampFormat: %w", err)
		}
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

// LimitError reports a record or field past a size bound of the reader. It
// is fatal in every mode: the rest of such a record cannot be skipped
// without reading it.
type LimitError struct {
	File   string
	Line   int   // 1-based line where the record or field starts
	Column int   // 1-based byte column of the field, 0 for a whole record
	Offset int64 // byte offset of the record in the text read, -1 when unknown
	Option string
	Limit  int
	Msg    string
}

// Error names the file, line (and column or byte offset), the bound and the
// option that raises it.
func (e *LimitError) Error() string {
	at := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Column > 0 {
		at += fmt.Sprintf(":%d", e.Column)
	}
	if e.Offset >= 0 {
		at += fmt.Sprintf(" (byte offset %d)", e.Offset)
	}
	return fmt.Sprintf("%s: %s; raise the CSV option %s (now %d) to read it", at, e.Msg, e.Option, e.Limit)
}
