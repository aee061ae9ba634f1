// Package delta reads Delta Lake tables: the snapshot of a table at its
// latest version (or an earlier one) rebuilt from the transaction log in
// _delta_log — the newest complete Parquet checkpoint (single or
// multi-part) and the JSON commits after it — as the table's schema,
// partition columns, configuration and live data files with their typed
// partition values. The data files themselves are Parquet and read by
// io/parquet.
//
// Supported: reader versions 1 and 2 (column mapping mode none), and reader
// version 3 with the reader features timestampNtz, vacuumProtocolCheck,
// columnMapping (mode none), deletionVectors (only while no live file has
// a deletion vector) and typeWidening (integer and float widening). Other
// features (v2Checkpoint, variantType, catalogManaged, ...), deletion
// vectors on live files and column mapping modes name and id are errors
// naming what is unsupported.
package delta
