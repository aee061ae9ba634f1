package exectest

import (
	"context"
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
)

// FailAtEnd returns op with streams that return err where op's streams end:
// an input that fails after its last batch.
func FailAtEnd(op exec.Operator, err error) exec.Operator { return failAtEnd{op, err} }

type failAtEnd struct {
	exec.Operator
	err error
}

func (f failAtEnd) Execute(ctx context.Context, p int) (exec.Stream, error) {
	s, err := f.Operator.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	return &failAtEndStream{s, f.err}, nil
}

type failAtEndStream struct {
	exec.Stream
	err error
}

func (f *failAtEndStream) Next() (arrow.RecordBatch, error) {
	b, err := f.Stream.Next()
	if errors.Is(err, io.EOF) {
		return nil, f.err
	}
	return b, err
}
