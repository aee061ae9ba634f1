package mathfn

// SparkHashBytes is Spark's Murmur3_x86_32.hashUnsafeBytes of b with seed
// (its legacy tail: each trailing byte mixed as its own block), as
// count_min_sketch hashes strings and binaries.
func SparkHashBytes(b []byte, seed uint32) uint32 { return hashBytes(b, seed) }
