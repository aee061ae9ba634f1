package csv

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
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

// InferSchema reads r (file name name, used in errors) and returns its
// schema; see Inference.
func InferSchema(r io.Reader, name string, opts Options) (*arrow.Schema, error) {
	inf, err := NewInference(opts)
	if err != nil {
		return nil, err
	}
	if err := inf.Add(r, name); err != nil {
		return nil, err
	}
	if inf.names == nil {
		return nil, fmt.Errorf("csv: %s: empty input, cannot infer a schema", name)
	}
	return inf.Schema()
}

// Inference infers one schema from one or more files, as Spark does over
// every file of a dataset. Column names come from the first file's header
// line when opts.Header, else they are _c0, _c1, .... Without
// opts.InferSchema every column is a string; with it each column gets the
// first of int32, int64, float64, date32, timestamp(us, UTC), bool that
// parses every sampled non-null value of every file, else string. Every row
// is sampled unless opts.SamplingRatio or opts.SamplingRows say otherwise.
// Malformed records (a wrong number of fields, broken quoting) are skipped,
// or are an error under FailFast. All columns are nullable.
type Inference struct {
	cfg   *config
	names []string
	// masks[i] has bit k set while candidate k parses every value of column i.
	masks []uint8
	seen  []bool
	rows  int
	rng   *rand.Rand
}

// NewInference starts an inference with opts.
func NewInference(opts Options) (*Inference, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return &Inference{cfg: cfg, rng: rand.New(rand.NewPCG(1, 2))}, nil
}

// Add samples the rows of one more file.
func (inf *Inference) Add(r io.Reader, name string) error {
	cfg := inf.cfg
	text, release, err := source.Decompress(r, name)
	if err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	defer release()
	if text, err = decodeCharset(text, cfg.Encoding); err != nil {
		return fmt.Errorf("csv: %s: %w", name, err)
	}
	sc := newScanner(text, name, cfg)
	ok, err := sc.next()
	if err != nil {
		return err
	}
	if !ok {
		return nil
	}
	first := inf.names == nil
	if first {
		ncol := len(sc.fields)
		inf.names = make([]string, ncol)
		for i := range inf.names {
			inf.names[i] = fmt.Sprintf("_c%d", i)
		}
		if cfg.Header {
			header(sc, inf.names)
		}
		inf.masks = make([]uint8, ncol)
		for i := range inf.masks {
			inf.masks[i] = 1<<numCand - 1
		}
		inf.seen = make([]bool, ncol)
	}
	if !cfg.InferSchema {
		return nil
	}
	if !cfg.Header {
		if err := inf.sample(sc, nil); err != nil {
			return err
		}
	}
	for cfg.SamplingRows <= 0 || inf.rows < cfg.SamplingRows {
		ok, err := sc.next()
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			return err
		}
		if !ok && err == nil {
			break
		}
		if err := inf.sample(sc, err); err != nil {
			return err
		}
	}
	return nil
}

// sample adds the scanner's current record (scanErr: its structural error).
func (inf *Inference) sample(sc *scanner, scanErr error) error {
	cfg := inf.cfg
	if scanErr == nil && len(sc.fields) != len(inf.masks) {
		scanErr = &ParseError{File: sc.name, Line: sc.recLine, Msg: fmt.Sprintf("expected %d fields, found %d", len(inf.masks), len(sc.fields))}
	}
	if scanErr != nil {
		if cfg.Mode == FailFast {
			return scanErr
		}
		return nil
	}
	if r := cfg.SamplingRatio; r > 0 && r < 1 && inf.rows > 0 && inf.rng.Float64() >= r {
		return nil
	}
	inf.rows++
	sampleRecord(sc, cfg, inf.masks, inf.seen)
	return nil
}

// Started reports whether a file with a record has been added.
func (inf *Inference) Started() bool { return inf.names != nil }

// Schema returns the schema inferred from the files added.
func (inf *Inference) Schema() (*arrow.Schema, error) {
	if inf.names == nil {
		return nil, fmt.Errorf("csv: empty input, cannot infer a schema")
	}
	fields := make([]arrow.Field, len(inf.names))
	for i := range fields {
		var t arrow.DataType = arrow.BinaryTypes.String
		if inf.cfg.InferSchema && inf.seen[i] {
			t = candidateType(inf.masks[i])
		}
		fields[i] = arrow.Field{Name: inf.names[i], Type: t, Nullable: true}
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

func sampleRecord(sc *scanner, cfg *config, masks []uint8, seen []bool) {
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
			if _, ok := cfg.parseFloatValue(v, 64); !ok {
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
