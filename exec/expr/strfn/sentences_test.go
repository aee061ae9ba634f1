package strfn

import (
	"reflect"
	"testing"
)

// TestSentenceBreaks checks the sentence and word breaks on cases whose
// answers follow the rules of Java's BreakIterator for the US locale.
func TestSentenceBreaks(t *testing.T) {
	for in, want := range map[string][][]string{
		"Hi there! Good morning.":       {{"Hi", "there"}, {"Good", "morning"}},
		"Pi is 3.14. Really? Yes!":      {{"Pi", "is", "3.14"}, {"Really"}, {"Yes"}},
		"e.g. this stays one sentence.": {{"e", "g", "this", "stays", "one", "sentence"}},
		"We don't know... Maybe 1,000.": {{"We", "don't", "know"}, {"Maybe", "1,000"}},
		"  ":                            nil,
		"No end":                        {{"No", "end"}},
		"Wörter über Straßen. Ja.":      {{"Wörter", "über", "Straßen"}, {"Ja"}},
		"(Quoted.) \"Done!\" Next":      {{"Quoted"}, {"Done"}, {"Next"}},
	} {
		var got [][]string
		for _, s := range splitSentences([]rune(in)) {
			if ws := splitWords(s); len(ws) > 0 {
				got = append(got, ws)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
