package functions

import "github.com/gspark/gspark/frame"

// Shuffle is shuffle(c): the elements of the array c in a random order
// (NULL for a NULL array).
func Shuffle(c frame.Column) frame.Column { return frame.Call("shuffle", c) }
