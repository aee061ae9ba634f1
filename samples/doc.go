// Package samples embeds gspark's sample catalog: the eight TPC-H tables at
// scale factor 0.01 (customer, lineitem, nation, orders, part, partsupp,
// region, supplier) and Fisher's iris data set (iris), each as one Parquet
// file.
//
// # How the files were generated
//
// The files in data/ are written by the generator command:
//
//	go run ./samples/gen -out samples/data
//
// with the defaults -sf 0.01 and -rowgroup 16384. It reproduces them byte for
// byte: the TPC-H tables come from package samples/tpchgen, which draws every
// value from fixed-seed generators and follows the data rules of the TPC-H
// specification (v3.0.1, clause 4.2; not bit-compatible with dbgen), and
// iris.parquet is converted from samples/gen/iris.csv, scikit-learn's
// (BSD-3-Clause) copy of the data published by R.A. Fisher in 1936.
//
// Layout of the files: zstd-compressed; monetary TPC-H columns are
// DECIMAL(15,2) on INT64, dates INT32 DATE, strings dictionary-encoded
// BYTE_ARRAY STRING; min/max statistics on every column; row groups of 16384
// rows (lineitem, about 60,000 rows, has 4; the other tables have one).
// iris has the columns sepal_length, sepal_width, petal_length, petal_width
// (DOUBLE) and species (STRING: setosa, versicolor, virginica).
package samples
