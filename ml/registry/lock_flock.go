//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package registry

import (
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive advisory lock on dir's lock file, blocking
// until it is free; the returned function releases it. The kernel drops the
// lock when the process dies, so a crash leaves no stale lock.
func lockDir(dir string) (func() error, error) {
	f, err := os.OpenFile(lockPath(dir), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("registry lock: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("registry lock %s: %w", f.Name(), err)
	}
	return f.Close, nil // closing the file releases the lock
}
