package frame

// sparkListedNames are the names Spark 4.0's SHOW FUNCTIONS lists that are
// neither scalar functions of the registry nor aggregates: the window
// functions, and the operators and syntax Spark registers as functions
// (its sql-expression-schema.md names them), so that SHOW FUNCTIONS LIKE
// 'rank' finds rank as Spark's does.
func sparkListedNames() []string {
	return []string{
		// window functions
		"cume_dist", "dense_rank", "lag", "lead", "nth_value", "ntile", "percent_rank", "rank", "row_number",
		// operators and syntax
		"!", "%", "&", "*", "+", "-", "/", "<", "<<", "<=", "<=>", "=", "==", ">", ">=", ">>", ">>>", "^", "|", "~",
		"and", "between", "cast", "div", "extract", "in", "mod", "not", "or", "when",
	}
}
