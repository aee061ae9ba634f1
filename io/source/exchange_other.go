//go:build !linux

package source

// exchange is unavailable here: the caller falls back to two renames.
func exchange(a, b string) (bool, error) { return false, nil }
