package main

import (
	"regexp"
	"strings"
)

// suffixed matches a Spark numeric literal with a type suffix: 1L, 2S, 3Y,
// 1.5D, 2.5F, 1.0BD.
var suffixed = regexp.MustCompile(`(?i)\b([0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)(BD|[LSYDF])\b`)

// suffixTypes maps a literal suffix to the DuckDB type it denotes.
var suffixTypes = map[string]string{"L": "BIGINT", "S": "SMALLINT", "Y": "TINYINT", "D": "DOUBLE", "F": "REAL", "BD": "DECIMAL(38, 18)"}

// translate rewrites the Spark spellings DuckDB lacks into DuckDB's, outside
// string literals only: typed numeric literals (1L, 1.5D) become casts and
// `quoted` identifiers become "quoted". Everything else is passed through.
func translate(q string) string {
	var b strings.Builder
	for len(q) > 0 {
		i := strings.IndexAny(q, "'`")
		if i < 0 {
			b.WriteString(translateCode(q))
			break
		}
		b.WriteString(translateCode(q[:i]))
		quote := q[i]
		j := i + 1
		for j < len(q) {
			if q[j] == quote {
				if j+1 < len(q) && q[j+1] == quote { // doubled quote
					j += 2
					continue
				}
				break
			}
			j++
		}
		end := min(j+1, len(q))
		if quote == '`' {
			b.WriteString(`"` + strings.ReplaceAll(q[i+1:j], `"`, `""`) + `"`)
		} else {
			b.WriteString(q[i:end])
		}
		q = q[end:]
	}
	return b.String()
}

func translateCode(s string) string {
	return suffixed.ReplaceAllStringFunc(s, func(m string) string {
		sub := suffixed.FindStringSubmatch(m)
		return "CAST(" + sub[1] + " AS " + suffixTypes[strings.ToUpper(sub[2])] + ")"
	})
}
