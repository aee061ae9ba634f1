// Package frame is gspark's Go API: a Session, lazy DataFrames built from
// Column expressions, grouped aggregation, and readers and writers of Parquet
// and CSV. It is modelled on Spark's DataFrame API. frame builds logical plans
// and hands them to the planner; it holds no execution logic of its own.
//
// Transformations (Select, Filter, GroupBy, Join, ...) are checked at once:
// an unknown column or a type mismatch makes the DataFrame carry an error,
// reported by Err and by every action. Actions (Collect, Count, Show, Write)
// take a context.Context; cancelling it stops every partition.
package frame
