//go:build race

package main

// raceBuild adds -race to the build of the binary the tests drive, so the
// race detector also watches the shell's goroutines.
const raceBuild = true
