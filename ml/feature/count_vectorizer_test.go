package feature

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

func TestCountVectorizer(t *testing.T) {
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		// pyspark.ml.feature.CountVectorizer docstring.
		df := makeDF(t, s, mem, []string{"label", "raw"}, []arrow.DataType{tInt, tTokens},
			[][]any{{int64(0), []string{"a", "b", "c"}}, {int64(1), []string{"a", "b", "b", "c", "a"}}}, parts)
		cv := NewCountVectorizer().SetInputCol("raw").SetOutputCol("vectors")
		m := fit(t, cv, df).(*CountVectorizerModel)
		if !slices.Equal(m.Vocabulary(), []string{"a", "b", "c"}) {
			t.Fatalf("vocabulary %v", m.Vocabulary())
		}
		rows := transformRows(t, m, df)
		if rows[0][2].(linalg.Vector).String() != "(3,[0,1,2],[1.0,1.0,1.0])" || rows[1][2].(linalg.Vector).String() != "(3,[0,1,2],[2.0,2.0,1.0])" {
			t.Fatalf("vectors %v", rows)
		}
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		m = fit(t, NewCountVectorizer().SetInputCol("raw").SetOutputCol("vectors").SetVocabSize(2), df).(*CountVectorizerModel)
		if !slices.Equal(m.Vocabulary(), []string{"a", "b"}) {
			t.Fatalf("vocabSize 2: %v", m.Vocabulary())
		}
		m.SetMinTF(2).SetBinary(true)
		if got := transformRows(t, m, df)[1][2].(linalg.Vector).String(); got != "(2,[0,1],[1.0,1.0])" {
			t.Fatalf("minTF/binary %s", got)
		}
	}
}
