package functions

import "github.com/gspark/gspark/frame"

// Rint is the DOUBLE integer closest to c, ties to the even one (Java's
// Math.rint).
func Rint(c frame.Column) frame.Column { return frame.Call("rint", c) }

// Log1p is ln(1 + c), accurate for small c; null when c ≤ -1.
func Log1p(c frame.Column) frame.Column { return frame.Call("log1p", c) }

// Expm1 is e^c - 1, accurate for small c.
func Expm1(c frame.Column) frame.Column { return frame.Call("expm1", c) }

// Space is a string of n spaces.
func Space(n frame.Column) frame.Column { return frame.Call("space", n) }

// Quote encloses c in single quotes, each backslash and single quote in it
// preceded by a backslash.
func Quote(c frame.Column) frame.Column { return frame.Call("quote", c) }

// CurrentDatabase is 'default', the only database.
func CurrentDatabase() frame.Column { return frame.Call("current_database") }

// CurrentSchema is current_database's other name.
func CurrentSchema() frame.Column { return frame.Call("current_schema") }

// CurrentCatalog is 'spark_catalog', the only catalog.
func CurrentCatalog() frame.Column { return frame.Call("current_catalog") }

// CurrentUser is the name of the user running the process.
func CurrentUser() frame.Column { return frame.Call("current_user") }

// User is CurrentUser.
func User() frame.Column { return frame.Call("user") }

// SessionUser is CurrentUser.
func SessionUser() frame.Column { return frame.Call("session_user") }

// LocalTimestamp is the current time as a TIMESTAMP_NTZ in the session time
// zone.
func LocalTimestamp() frame.Column { return frame.Call("localtimestamp") }

// BigInt is CAST(c AS BIGINT), Spark's bigint(c).
func BigInt(c frame.Column) frame.Column { return frame.Call("bigint", c) }

// Int is CAST(c AS INT).
func Int(c frame.Column) frame.Column { return frame.Call("int", c) }

// SmallInt is CAST(c AS SMALLINT).
func SmallInt(c frame.Column) frame.Column { return frame.Call("smallint", c) }

// TinyInt is CAST(c AS TINYINT).
func TinyInt(c frame.Column) frame.Column { return frame.Call("tinyint", c) }

// Double is CAST(c AS DOUBLE).
func Double(c frame.Column) frame.Column { return frame.Call("double", c) }

// Float is CAST(c AS FLOAT).
func Float(c frame.Column) frame.Column { return frame.Call("float", c) }

// String is CAST(c AS STRING).
func String(c frame.Column) frame.Column { return frame.Call("string", c) }

// Boolean is CAST(c AS BOOLEAN).
func Boolean(c frame.Column) frame.Column { return frame.Call("boolean", c) }

// Binary is CAST(c AS BINARY).
func Binary(c frame.Column) frame.Column { return frame.Call("binary", c) }

// Timestamp is CAST(c AS TIMESTAMP).
func Timestamp(c frame.Column) frame.Column { return frame.Call("timestamp", c) }

// UUID is a random version 4 UUID per row.
func UUID() frame.Column { return frame.Call("uuid") }

// AssertTrue is NULL when cond is true and fails the query otherwise, with
// Spark's message '<cond>' is not true!.
func AssertTrue(cond frame.Column) frame.Column { return frame.Call("assert_true", cond) }

// RaiseError fails the query with msg on any row that evaluates it.
func RaiseError(msg frame.Column) frame.Column { return frame.Call("raise_error", msg) }

// RegexpCount is how many times the Java regular expression pattern matches
// in c.
func RegexpCount(c frame.Column, pattern string) frame.Column {
	return frame.Call("regexp_count", c, frame.Lit(pattern))
}

// RegexpSubstr is the first match of pattern in c, NULL when none.
func RegexpSubstr(c frame.Column, pattern string) frame.Column {
	return frame.Call("regexp_substr", c, frame.Lit(pattern))
}

// RegexpInstr is the 1-based character position of the first match of
// pattern in c, 0 when none.
func RegexpInstr(c frame.Column, pattern string) frame.Column {
	return frame.Call("regexp_instr", c, frame.Lit(pattern))
}
