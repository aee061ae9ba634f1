package logical

import "strings"

// InValues returns the values an IN subquery compares with the subquery's
// columns: the fields of a row (a, b) IN (SELECT x, y …) when the subquery
// has several columns, else the value itself.
func InValues(s *Subquery, columns int) []Expr {
	if f, ok := s.Value.(*Func); ok && columns > 1 && strings.EqualFold(f.Name, "struct") && len(f.Args) == columns {
		return f.Args
	}
	return []Expr{s.Value}
}
