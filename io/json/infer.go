package json

import (
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/io/source"
)

// Kinds of values seen in a field during inference.
const (
	seenString uint8 = 1 << iota
	seenInt
	seenNumber
	seenBool
	seenRaw
)

// Inference infers one schema from the first SamplingRows non-blank lines of
// one or more inputs read in turn.
type Inference struct {
	opts   Options
	seen   map[string]uint8
	rows   int
	sawAny bool
}

// NewInference starts an inference with opts (SamplingRows and Mode apply).
func NewInference(opts Options) *Inference {
	return &Inference{opts: opts.withDefaults(), seen: map[string]uint8{}}
}

// Done reports whether enough lines were sampled.
func (inf *Inference) Done() bool { return inf.rows >= inf.opts.SamplingRows }

// Add samples lines of r (file name name, used in errors; a name ending in
// .gz, .zst or .bz2 means r is compressed) until the end of r or until Done.
// Malformed lines fail with FailFast and are skipped otherwise.
func (inf *Inference) Add(r io.Reader, name string) error {
	text, release, err := source.Decompress(r, name)
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}
	defer release()
	sc := newScanner(text, name, inf.opts.MaxRecordBytes)
	for !inf.Done() {
		ok, err := sc.next()
		if ok && err != nil && isParseError(err) {
			if inf.opts.Mode == FailFast {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		inf.rows++
		inf.sawAny = true
		for i := range sc.members {
			m := &sc.members[i]
			key := sc.buf[m.keyStart:m.keyEnd]
			v := sc.buf[m.start:m.end]
			var bit uint8
			switch m.kind {
			case kString:
				bit = seenString
			case kInt:
				bit = seenInt
				if _, err := strconv.ParseInt(string(v), 10, 64); err != nil {
					bit = seenNumber
				}
			case kNumber:
				bit = seenNumber
			case kTrue, kFalse:
				bit = seenBool
			case kRaw:
				bit = seenRaw
			}
			inf.seen[string(key)] |= bit
		}
	}
	return nil
}

// Schema returns the inferred schema: every field seen, sorted by name,
// nullable. It fails when no line was read.
func (inf *Inference) Schema() (*arrow.Schema, error) {
	if !inf.sawAny {
		return nil, fmt.Errorf("json: no data to infer a schema from")
	}
	if len(inf.seen) == 0 {
		return nil, fmt.Errorf("json: the sampled objects have no fields, cannot infer a schema")
	}
	names := make([]string, 0, len(inf.seen))
	for n := range inf.seen {
		names = append(names, n)
	}
	sort.Strings(names)
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: inferredType(inf.seen[n]), Nullable: true}
	}
	return arrow.NewSchema(fields, nil), nil
}

func inferredType(seen uint8) arrow.DataType {
	switch seen {
	case seenInt:
		return arrow.PrimitiveTypes.Int64
	case seenNumber, seenInt | seenNumber:
		return arrow.PrimitiveTypes.Float64
	case seenBool:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.String
}

// InferSchema infers the schema of one input; see Inference.
func InferSchema(r io.Reader, name string, opts Options) (*arrow.Schema, error) {
	inf := NewInference(opts)
	if err := inf.Add(r, name); err != nil {
		return nil, err
	}
	s, err := inf.Schema()
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, name)
	}
	return s, nil
}
