// Package kernels holds the selection kernels every operator shares: gathering
// rows of Arrow arrays by index (take) and keeping the rows of a boolean mask
// (filter), for every fixed-width type (decimal64 included), booleans,
// strings and binaries, with and without nulls, and for the nested types:
// lists, maps, fixed-size lists and structs (gathered recursively, to any
// depth), dictionaries, extension arrays and the null type. It also holds the
// small value helpers operators share: typed views of fixed-width buffers and
// arrays built from them, scratch slices, key hashing, and decimal
// parameters, arrays and HALF_UP division.
package kernels
