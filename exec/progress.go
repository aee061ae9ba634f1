package exec

import "sync/atomic"

// Progress counts a query's units of source work (row groups, files, in-memory
// partitions): how many were planned and how many are finished. It is safe for
// concurrent use, and its methods do nothing on a nil *Progress.
type Progress struct {
	total atomic.Int64
	done  atomic.Int64
}

// Plan adds n units to the work planned.
func (p *Progress) Plan(n int) {
	if p != nil {
		p.total.Add(int64(n))
	}
}

// Finish records n more units as finished.
func (p *Progress) Finish(n int) {
	if p != nil {
		p.done.Add(int64(n))
	}
}

// Counts returns the finished and planned units.
func (p *Progress) Counts() (done, total int64) {
	if p == nil {
		return 0, 0
	}
	return p.done.Load(), p.total.Load()
}
