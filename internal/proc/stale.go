package proc

import (
	"os"
	"strconv"
	"strings"
)

// Stale reports whether name is a file named for a process that no longer
// runs: prefix, the process id, a dash and anything else
// ("gspark-spill-4242-123"). Names of this process, of live processes and
// of any other shape are not stale.
func Stale(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return false
	}
	pidText, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(pidText)
	return ok && err == nil && pid > 0 && pid != os.Getpid() && !Alive(pid)
}
