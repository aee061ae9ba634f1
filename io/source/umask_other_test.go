//go:build !unix

package source

func umask() int { return 0 }
