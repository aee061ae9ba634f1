package logical

import "github.com/gspark/gspark/internal/suggest"

// Suggest returns "; did you mean X?" for the candidate nearest to name, or "".
func Suggest(name string, candidates []string) string {
	if best := suggest.Closest(name, candidates); best != "" {
		return "; did you mean " + best + "?"
	}
	return ""
}
