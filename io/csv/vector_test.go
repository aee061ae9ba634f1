package csv

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/values/vectors"
)

func TestWriteVectorColumnFails(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "features", Type: vectors.VectorType(), Nullable: true},
	}, nil)
	var buf bytes.Buffer
	_, err := NewWriter(&buf, sc, Options{Header: true})
	if !errors.Is(err, ErrVectorColumn) || !strings.Contains(err.Error(), "features") || !strings.Contains(err.Error(), "vector_to_array") {
		t.Errorf("got %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q before failing", buf.String())
	}
}
