// Package mathfn holds the physical kernels of Spark's math, hash and
// conditional scalar functions (abs, round, floor, sqrt, log, greatest,
// rand, hash, md5, ...), evaluated a batch at a time over Arrow buffers.
package mathfn
