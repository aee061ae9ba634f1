package planner

// mathFunctions are the built-in math functions.
func mathFunctions() []FunctionDef { return nil }
