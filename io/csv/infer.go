package csv

import (
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/io/source"
)

// Inference candidates, narrowest first.
const (
	candInt32 = iota
	candInt64
	candFloat64
	candDate
	candTimestamp
	candBool
	numCand
)

// InferSchema reads up to opts.SamplingRows rows of r (file name name, used
// in errors) and returns their schema. Column names come from the header line
// when opts.Header, else they are _c0, _c1, .... Without opts.InferSchema
// every column is a string; with it each column gets the first of int32,
// int64, float64, date32, timestamp(us, UTC), bool that parses every sampled
// non-null value, else string. All columns are nullable.
func InferSchema(r io.Reader, name string, opts Options) (*arrow.Schema, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	text, release, err := source.Decompress(r, name)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	defer release()
	sc := newScanner(text, name, cfg)
	ok, err := sc.next()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("csv: %s: empty input, cannot infer a schema", name)
	}
	ncol := len(sc.fields)
	names := make([]string, ncol)
	for i := range names {
		names[i] = fmt.Sprintf("_c%d", i)
	}
	if cfg.Header {
		header(sc, names)
	}
	// masks[i] has bit k set while candidate k parses every value of column i.
	masks := make([]uint8, ncol)
	for i := range masks {
		masks[i] = 1<<numCand - 1
	}
	seen := make([]bool, ncol)
	if cfg.InferSchema {
		rows := 0
		if !cfg.Header {
			if err := sampleRecord(sc, cfg, masks, seen); err != nil {
				return nil, err
			}
			rows++
		}
		for rows < cfg.SamplingRows {
			ok, err := sc.next()
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			if err := sampleRecord(sc, cfg, masks, seen); err != nil {
				return nil, err
			}
			rows++
		}
	}
	fields := make([]arrow.Field, ncol)
	for i := range fields {
		var t arrow.DataType = arrow.BinaryTypes.String
		if cfg.InferSchema && seen[i] {
			t = candidateType(masks[i])
		}
		fields[i] = arrow.Field{Name: names[i], Type: t, Nullable: true}
	}
	return arrow.NewSchema(fields, nil), nil
}

// header fills names from the scanner's current record: empty names become
// _c<i> and duplicates (case-insensitive) get their index appended, as Spark does.
func header(sc *scanner, names []string) {
	count := map[string]int{}
	for i := range sc.fields {
		if n := string(sc.value(&sc.fields[i])); n != "" {
			names[i] = n
			count[strings.ToLower(n)]++
		}
	}
	for i, n := range names {
		if count[strings.ToLower(n)] > 1 {
			names[i] = fmt.Sprintf("%s%d", n, i)
		}
	}
}

func sampleRecord(sc *scanner, cfg *config, masks []uint8, seen []bool) error {
	if len(sc.fields) != len(masks) {
		return &ParseError{File: sc.name, Line: sc.recLine, Msg: fmt.Sprintf("expected %d fields, found %d", len(masks), len(sc.fields))}
	}
	for i := range sc.fields {
		f := &sc.fields[i]
		v := sc.value(f)
		if !f.quoted && (len(v) == 0 || string(v) == cfg.NullValue) {
			continue
		}
		seen[i] = true
		m := masks[i]
		if m == 0 {
			continue
		}
		if m&(1<<candInt32) != 0 {
			if _, ok := parseInt(v, 32); !ok {
				m &^= 1 << candInt32
			}
		}
		if m&(1<<candInt64) != 0 {
			if _, ok := parseInt(v, 64); !ok {
				m &^= 1 << candInt64
			}
		}
		if m&(1<<candFloat64) != 0 {
			if _, ok := parseFloat(v, 64); !ok {
				m &^= 1 << candFloat64
			}
		}
		if m&(1<<candDate) != 0 {
			if _, ok := cfg.parseDate(v); !ok {
				m &^= 1 << candDate
			}
		}
		if m&(1<<candTimestamp) != 0 {
			if _, ok := cfg.parseTimestamp(v); !ok {
				m &^= 1 << candTimestamp
			}
		}
		if m&(1<<candBool) != 0 {
			if _, ok := parseBool(v); !ok {
				m &^= 1 << candBool
			}
		}
		masks[i] = m
	}
	return nil
}

func candidateType(m uint8) arrow.DataType {
	switch {
	case m&(1<<candInt32) != 0:
		return arrow.PrimitiveTypes.Int32
	case m&(1<<candInt64) != 0:
		return arrow.PrimitiveTypes.Int64
	case m&(1<<candFloat64) != 0:
		return arrow.PrimitiveTypes.Float64
	case m&(1<<candDate) != 0:
		return arrow.FixedWidthTypes.Date32
	case m&(1<<candTimestamp) != 0:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case m&(1<<candBool) != 0:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.String
}
