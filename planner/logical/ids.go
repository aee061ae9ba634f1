package logical

import (
	"sync/atomic"
)

// IDs hands out attribute IDs unique within a session.
type IDs struct{ n atomic.Int64 }

// Next returns a new ID.
func (g *IDs) Next() int64 { return g.n.Add(1) }
