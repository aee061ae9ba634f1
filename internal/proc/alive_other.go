//go:build !unix

package proc

// Alive reports whether a process with the given id is running; where that
// cannot be told, every process counts as running, so that nothing of a
// live process is ever taken for debris.
func Alive(pid int) bool { return pid > 0 }
