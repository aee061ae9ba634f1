package frame

import (
	"fmt"
	"sort"
	"strings"
)

// WithSQLParams makes the session's SQL text substitute ${name} with the
// value of parameter name before parsing, as Spark's variable substitution
// does (gspark sql --param name=value). A ${name} without a value is an
// error; $${name} stands for the text ${name}. Without this option SQL
// text is read as it is.
func WithSQLParams(params map[string]string) Option {
	return func(s *Session) {
		s.sqlParams = make(map[string]string, len(params))
		for k, v := range params {
			s.sqlParams[k] = v
		}
	}
}

// substituteParams replaces the ${name} references of text when the session
// has SQL parameters.
func (s *Session) substituteParams(text string) (string, error) {
	if s.sqlParams == nil {
		return text, nil
	}
	return SubstituteParams(text, s.sqlParams)
}

// SubstituteParams replaces each ${name} in text with params[name]; $${name}
// becomes ${name}. An unknown name or an unclosed ${ is an error naming its
// line and column.
func SubstituteParams(text string, params map[string]string) (string, error) {
	var b strings.Builder
	line, col := 1, 1
	for i := 0; i < len(text); {
		if strings.HasPrefix(text[i:], "$${") {
			b.WriteString("${")
			i += 3
			col += 3
			continue
		}
		if strings.HasPrefix(text[i:], "${") {
			end := strings.IndexByte(text[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("line %d, column %d: unclosed ${ in the SQL text", line, col)
			}
			name := text[i+2 : i+end]
			v, ok := params[name]
			if !ok {
				known := make([]string, 0, len(params))
				for k := range params {
					known = append(known, k)
				}
				sort.Strings(known)
				hint := "no parameters are set"
				if len(known) > 0 {
					hint = "known: " + strings.Join(known, ", ")
				}
				return "", fmt.Errorf("line %d, column %d: unknown parameter ${%s}: give it with --param %s=value (%s)", line, col, name, name, hint)
			}
			b.WriteString(v)
			i += end + 1
			col += end + 1
			continue
		}
		if text[i] == '\n' {
			line, col = line+1, 0
		}
		b.WriteByte(text[i])
		i++
		col++
	}
	return b.String(), nil
}
