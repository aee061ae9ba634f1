// Package physical turns an optimized logical plan into a tree of exec
// operators with a partitioning (PhysicalPlanner): scans, projections with
// common subexpressions hoisted, two-phase aggregation, broadcast or
// partitioned hash joins, sorts, windows, generators and exchanges. It also
// holds the file sources (Parquet, CSV) that a Scan reads.
package physical
