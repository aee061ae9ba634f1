// Package answers holds query answers in a form two engines can be compared
// in, the answer files that store them, and the rule by which two answers
// agree. The TPC-H tests of package frame and the benchmark tools (module
// benchmarks, which checks gspark against DuckDB) use it.
//
// A Value has a kind: string, boolean, date, timestamp, integer, decimal or
// floating point. Integers and decimals are exact (big.Rat) and two exact
// values agree only when they are equal; strings, booleans, dates and
// timestamps agree when their text is equal. Only where one side is floating
// point is a tolerance allowed (RelTol, AbsTol, plus half a unit in the last
// place of a decimal side, which may have been rounded to its scale).
//
// An answer file is CSV (RFC 4180): a header of name:TYPE fields, where TYPE is
// the SQL type of the column as the engine that wrote the file named it (e.g.
// DECIMAL(38,2), DOUBLE, VARCHAR, BIGINT, DATE), then one line per row with
// each value's canonical text and SQL NULL as the bare word NULL.
package answers
