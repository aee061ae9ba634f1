package feature

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// The fits that count strings keep copies of them: an Arrow string aliases
// its batch's buffer, which the query's pool hands out again once the batch
// is released. Each row of a VALUES table is a batch of its own, so the
// buffers of the first rows are recycled for the later ones.
func TestStringCountsSurviveRecycledBuffers(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	var rows []string
	// red ×5, green ×3, blue ×2, each with a sentence of its own words.
	for i, c := range []string{"red", "green", "red", "blue", "red", "green", "red", "blue", "green", "red"} {
		rows = append(rows, fmt.Sprintf("('%s', 'w%d shared %s')", c, i, c))
	}
	df := s.SQL("SELECT * FROM VALUES " + strings.Join(rows, ", ") + " AS t(color, text)")
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	m, err := NewStringIndexer().SetInputCol("color").SetOutputCol("idx").Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.(*StringIndexerModel).Labels(); !slices.Equal(got, []string{"red", "green", "blue"}) {
		t.Errorf("StringIndexer labels %q, want red, green, blue", got)
	}
	words, err := NewTokenizer().SetInputCol("text").SetOutputCol("words").Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	cv, err := NewCountVectorizer().SetInputCol("words").SetOutputCol("tf").SetVocabSize(4).Fit(ctx, words)
	if err != nil {
		t.Fatal(err)
	}
	// shared ×10, red ×5, green ×3, blue ×2; each wN once.
	if got := cv.(*CountVectorizerModel).Vocabulary(); !slices.Equal(got, []string{"shared", "red", "green", "blue"}) {
		t.Errorf("CountVectorizer vocabulary %q, want shared, red, green, blue", got)
	}
}
