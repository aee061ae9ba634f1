//go:build unix

package source

import "syscall"

// umask returns the process's file mode creation mask.
func umask() int {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return m
}
