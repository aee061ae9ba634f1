package strfn

import (
	"unicode"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	gvalues "github.com/gspark/gspark/values"
)

// sentencesType is array<array<string>>.
var sentencesType = arrow.ListOf(arrow.ListOf(arrow.BinaryTypes.String))

// sentencesExpr is sentences(str[, lang, country]).
type sentencesExpr struct {
	e expr.Expr
}

// Sentences returns sentences(str): str split into sentences, each an
// array of its words (runs of letters and digits, with apostrophes inside
// words and points or commas inside numbers), as Spark's sentences with
// the US locale's word and sentence breaks.
func Sentences(e expr.Expr) (expr.Expr, error) { return &sentencesExpr{e: e}, nil }

func (s *sentencesExpr) DataType() arrow.DataType { return sentencesType }
func (s *sentencesExpr) String() string           { return "sentences(" + s.e.String() + ")" }

func (s *sentencesExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := s.e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	b := array.NewListBuilder(mem, sentencesType.Elem())
	defer b.Release()
	inner := b.ValueBuilder().(*array.ListBuilder)
	words := inner.ValueBuilder().(*array.StringBuilder)
	for i := 0; i < a.Len(); i++ {
		v, ok := gvalues.Value(a, i).(string)
		if !ok {
			b.AppendNull()
			continue
		}
		b.Append(true)
		for _, sentence := range splitSentences([]rune(v)) {
			ws := splitWords(sentence)
			if len(ws) == 0 {
				continue
			}
			inner.Append(true)
			for _, w := range ws {
				words.Append(w)
			}
		}
	}
	return b.NewArray(), nil
}

// splitSentences breaks text after '!' or '?', and after '.' unless the
// next word starts in lower case, when white space follows.
func splitSentences(rs []rune) [][]rune {
	var out [][]rune
	start := 0
	for i := 0; i < len(rs); i++ {
		if rs[i] != '.' && rs[i] != '!' && rs[i] != '?' {
			continue
		}
		j := i + 1
		for j < len(rs) && (rs[j] == '.' || rs[j] == '!' || rs[j] == '?' || rs[j] == '"' || rs[j] == '\'' || rs[j] == ')') {
			j++
		}
		k := j
		for k < len(rs) && unicode.IsSpace(rs[k]) {
			k++
		}
		if k == j && j < len(rs) {
			continue // no white space: inside a number or an abbreviation
		}
		if rs[i] == '.' && k < len(rs) && unicode.IsLower(rs[k]) {
			continue
		}
		out = append(out, rs[start:j])
		start, i = k, k-1
	}
	if start < len(rs) {
		out = append(out, rs[start:])
	}
	return out
}

// splitWords returns the words of a sentence: runs of letters and digits,
// joined across an apostrophe between letters or a point or comma between
// digits.
func splitWords(rs []rune) []string {
	var out []string
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; i < len(rs); {
		if !isWord(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) {
			switch {
			case isWord(rs[j]):
				j++
				continue
			case j+1 < len(rs) && (rs[j] == '\'' || rs[j] == '’') && unicode.IsLetter(rs[j-1]) && unicode.IsLetter(rs[j+1]):
				j += 2
				continue
			case j+1 < len(rs) && (rs[j] == '.' || rs[j] == ',') && unicode.IsDigit(rs[j-1]) && unicode.IsDigit(rs[j+1]):
				j += 2
				continue
			}
			break
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}
