// Package kernels holds the selection kernels every operator shares: gathering
// rows of Arrow arrays by index (take) and keeping the rows of a boolean mask
// (filter), for every fixed-width type (decimal64 included), booleans,
// strings and binaries, with and without nulls, and for the nested types:
// lists, maps, fixed-size lists and structs (gathered recursively, to any
// depth), dictionaries, extension arrays and the null type.
package kernels
