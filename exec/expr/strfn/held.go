package strfn

import "fmt"

// budget is the part of a query's memory budget (exec.Budget, the
// allocator of a query's Env) that counts memory held outside Arrow
// buffers.
type budget interface {
	Hold(n int64)
	Used() int64
	Limit() int64
}

// heldOutput counts the Go buffer a string kernel builds its output bytes
// in, which can grow to gigabytes for one batch (repeat, lpad, concat of
// long values), in the query's budget while it grows, and stops the kernel
// once the query holds more than its limit. Without a budget it counts
// nothing.
type heldOutput struct {
	b budget
	n int64
}

func newHeldOutput(mem any) *heldOutput {
	b, _ := mem.(budget)
	return &heldOutput{b: b}
}

// set makes the count n bytes; it fails when the query's memory is over its
// limit.
func (h *heldOutput) set(n int) error {
	if h.b == nil || int64(n) == h.n {
		return nil
	}
	h.b.Hold(int64(n) - h.n)
	h.n = int64(n)
	if l := h.b.Limit(); l > 0 && h.b.Used() > l {
		return fmt.Errorf("the output of %d bytes takes the query past its memory limit of %d bytes", n, l)
	}
	return nil
}
