//go:build !race

package main

// raceBuild adds -race to the build of the binary the tests drive.
const raceBuild = false
