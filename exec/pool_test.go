package exec

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
)

func TestPoolRecyclesZeroedBuffers(t *testing.T) {
	p := NewPool(1 << 20)
	b := p.Allocate(5000)
	if len(b) != 5000 || cap(b) != 8192 {
		t.Fatalf("len %d cap %d, want 5000 and 8192", len(b), cap(b))
	}
	for i := range b {
		b[i] = 0xff
	}
	p.Free(b)
	if p.Held() != 8192 {
		t.Fatalf("held %d, want 8192", p.Held())
	}
	c := p.Allocate(6000)
	if &c[0] != &b[0] {
		t.Fatal("a freed buffer of the same class was not reused")
	}
	for i, v := range c {
		if v != 0 {
			t.Fatalf("byte %d of a recycled buffer is %#x, want 0", i, v)
		}
	}
	if p.Held() != 0 {
		t.Fatalf("held %d after reuse, want 0", p.Held())
	}
	// Growing within capacity keeps the buffer and zeroes the new part.
	c = c[:10]
	c[9] = 1
	g := p.Reallocate(8000, c)
	if &g[0] != &c[0] || g[9] != 1 || g[10] != 0 || g[7999] != 0 {
		t.Fatal("reallocate within capacity must keep contents and zero the rest")
	}
	// Growing past capacity copies.
	h := p.Reallocate(20000, g)
	if len(h) != 20000 || h[9] != 1 || h[19999] != 0 {
		t.Fatal("reallocate past capacity must copy")
	}
	// Small and odd-sized buffers are not kept.
	p.Free(make([]byte, 100))
	p.Free(make([]byte, 5000))
	if p.Held() != 8192 { // only g went back, through Reallocate
		t.Fatalf("held %d, want 8192", p.Held())
	}
}

func TestPoolBoundsFreeBytes(t *testing.T) {
	p := NewPool(16 << 10)
	bufs := [][]byte{p.Allocate(8192), p.Allocate(8192), p.Allocate(8192)}
	for _, b := range bufs {
		p.Free(b)
	}
	if p.Held() != 16<<10 {
		t.Fatalf("held %d, want the bound %d", p.Held(), 16<<10)
	}
}

func TestPoolBacksArrowBuilders(t *testing.T) {
	p := NewPool(0)
	for round := 0; round < 3; round++ {
		b := array.NewInt64Builder(p)
		for i := 0; i < 10000; i++ {
			if i%3 == 0 {
				b.AppendNull()
			} else {
				b.Append(int64(i))
			}
		}
		a := b.NewInt64Array()
		b.Release()
		for i := 0; i < a.Len(); i++ {
			if (i%3 == 0) != a.IsNull(i) || (i%3 != 0 && a.Value(i) != int64(i)) {
				t.Fatalf("round %d row %d: wrong value", round, i)
			}
		}
		a.Release()
	}
	if p.Held() == 0 {
		t.Fatal("released arrays did not return their buffers")
	}
}
