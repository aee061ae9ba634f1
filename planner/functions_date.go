package planner

// dateFunctions are the built-in date functions.
func dateFunctions() []FunctionDef { return nil }
