//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package registry

// lockDir is a no-op where the system has no flock: versions still get
// distinct numbers, but two concurrent registrations may leave latest at
// the lower one.
func lockDir(dir string) (func() error, error) { return func() error { return nil }, nil }
