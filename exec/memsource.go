package exec

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
)

// MemorySource is an operator over record batches held in memory, one slice of
// batches per partition. It retains the batches it is given; Release drops them.
type MemorySource struct {
	schema *arrow.Schema
	parts  [][]arrow.RecordBatch
	label  string
}

// NewMemorySource returns a source with the given partitions of batches. Every
// batch must have schema s. The source retains the batches.
func NewMemorySource(s *arrow.Schema, parts [][]arrow.RecordBatch) *MemorySource {
	if len(parts) == 0 {
		parts = [][]arrow.RecordBatch{nil}
	}
	for _, p := range parts {
		for _, b := range p {
			b.Retain()
		}
	}
	return &MemorySource{schema: s, parts: parts, label: "MemoryScan"}
}

// WithLabel sets the name the source shows in EXPLAIN.
func (m *MemorySource) WithLabel(l string) *MemorySource { m.label = l; return m }

// Release drops the source's references to its batches.
func (m *MemorySource) Release() {
	for _, p := range m.parts {
		ReleaseAll(p)
	}
	m.parts = make([][]arrow.RecordBatch, len(m.parts))
}

// Schema implements Operator.
func (m *MemorySource) Schema() *arrow.Schema { return m.schema }

// Partitions implements Operator.
func (m *MemorySource) Partitions() int { return len(m.parts) }

// Children implements Operator.
func (m *MemorySource) Children() []Operator { return nil }

// String implements Operator.
func (m *MemorySource) String() string {
	return fmt.Sprintf("%s %s", m.label, schemaNames(m.schema))
}

// Execute implements Operator.
func (m *MemorySource) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(m, p); err != nil {
		return nil, err
	}
	return &sliceStream{ctx: ctx, batches: m.parts[p]}, nil
}

type sliceStream struct {
	ctx     context.Context
	batches []arrow.RecordBatch
	i       int
}

func (s *sliceStream) Next() (arrow.RecordBatch, error) {
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	if s.i >= len(s.batches) {
		return nil, io.EOF
	}
	b := s.batches[s.i]
	s.i++
	b.Retain()
	return b, nil
}

func (s *sliceStream) Close() error { s.i = len(s.batches); return nil }

func schemaNames(s *arrow.Schema) []string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return names
}
