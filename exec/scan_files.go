package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// BatchReader reads the record batches of one file.
type BatchReader interface {
	Next() (arrow.RecordBatch, error) // io.EOF at the end
	Close() error
}

// FileScanSpec describes a scan of whole files of a row format (CSV, JSON lines).
type FileScanSpec struct {
	Format string
	Files  []string
	// Open opens one file for reading all the columns of Schema.
	Open   func(ctx context.Context, path string) (BatchReader, error)
	Schema *arrow.Schema
	// ReadColumns are the columns of Schema the scan uses.
	ReadColumns []int
	// Predicate, if not nil, is evaluated over the read columns.
	Predicate expr.Expr
	// Output lists the positions within ReadColumns the scan produces.
	Output     []int
	Limit      int64
	Partitions int
	// FilePaths marks Files as paths of files on disk: each batch then
	// carries its file for input_file_name() (see InputFileMetadata).
	FilePaths bool
	// PathOf, when set with FilePaths, maps a name in Files to its file's
	// path (a name may stand for a byte range of a file).
	PathOf func(name string) string
}

// FileScan reads whole files, dealt round-robin to partitions.
type FileScan struct {
	env   *Env
	spec  FileScanSpec
	parts [][]string
	read  *arrow.Schema
	out   *arrow.Schema
}

// NewFileScan plans a scan of whole files.
func NewFileScan(env *Env, spec FileScanSpec) *FileScan {
	n := min(max(spec.Partitions, 1), max(len(spec.Files), 1))
	parts := make([][]string, n)
	for i, f := range spec.Files {
		parts[i%n] = append(parts[i%n], f)
	}
	env.Progress.Plan(len(spec.Files))
	readFields := make([]arrow.Field, len(spec.ReadColumns))
	for i, c := range spec.ReadColumns {
		readFields[i] = spec.Schema.Field(c)
	}
	fields := make([]arrow.Field, len(spec.Output))
	for i, c := range spec.Output {
		fields[i] = readFields[c]
	}
	return &FileScan{env: env, spec: spec, parts: parts, read: arrow.NewSchema(readFields, nil), out: arrow.NewSchema(fields, nil)}
}

// Schema implements Operator.
func (s *FileScan) Schema() *arrow.Schema { return s.out }

// Partitions implements Operator.
func (s *FileScan) Partitions() int { return len(s.parts) }

// Children implements Operator.
func (s *FileScan) Children() []Operator { return nil }

// String implements Operator.
func (s *FileScan) String() string {
	str := fmt.Sprintf("%sScan [%s] columns=%s", s.spec.Format, strings.Join(s.spec.Files, ", "), schemaNames(s.out))
	if s.spec.Predicate != nil {
		str += " Predicate=" + s.spec.Predicate.String()
	}
	return str
}

// Execute implements Operator.
func (s *FileScan) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(s, p); err != nil {
		return nil, err
	}
	return &fileStream{s: s, ctx: ctx, files: s.parts[p], out: NewScanOutput(s.env, s.spec.Predicate, s.out, s.spec.Output, s.spec.Limit)}, nil
}

type fileStream struct {
	s     *FileScan
	ctx   context.Context
	files []string
	next  int
	cur   BatchReader
	md    *arrow.Metadata // the current file's, when FilePaths
	out   *ScanOutput
}

func (st *fileStream) Next() (arrow.RecordBatch, error) {
	spec := &st.s.spec
	for {
		if err := st.ctx.Err(); err != nil {
			return nil, err
		}
		if st.out.Done() {
			return nil, io.EOF
		}
		if st.cur == nil {
			if st.next >= len(st.files) {
				return nil, io.EOF
			}
			r, err := spec.Open(st.ctx, st.files[st.next])
			if spec.FilePaths {
				path := st.files[st.next]
				if spec.PathOf != nil {
					path = spec.PathOf(path)
				}
				st.md = InputFileMetadata(path)
			}
			st.next++
			if err != nil {
				return nil, err
			}
			st.cur = r
		}
		b, err := st.cur.Next()
		if errors.Is(err, io.EOF) {
			cerr := st.cur.Close()
			st.cur = nil
			st.s.env.Progress.Finish(1)
			if cerr != nil {
				return nil, cerr
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		rb := WithMetadata(selectColumns(b, st.s.read, spec.ReadColumns), st.md)
		b.Release()
		out, err := st.out.Shape(rb)
		if err != nil || out != nil {
			return out, err
		}
	}
}

func (st *fileStream) Close() error {
	if st.cur != nil {
		err := st.cur.Close()
		st.cur = nil
		return err
	}
	return nil
}
