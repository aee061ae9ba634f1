package planner

// stringFunctions are the built-in string functions.
func stringFunctions() []FunctionDef { return nil }
