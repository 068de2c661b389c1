package importer

import "testing"

// The keeper hands a returned buffer to the next unit that fits in it, and
// keeps no more than keepFreeMax bytes of buffers between units.
func TestKeeperReusesBuffersWithinItsBound(t *testing.T) {
	k := &keeper{}
	a := k.get(8 << 20)
	if len(a) != 8<<20 {
		t.Fatalf("got %d bytes", len(a))
	}
	a[0] = 1
	k.put(a)
	if b := k.get(4 << 20); len(b) != 4<<20 || &b[0] != &a[0] {
		t.Error("a returned buffer big enough was not reused")
	}
	for i := 0; i < 10; i++ {
		k.put(make([]byte, keepMax))
	}
	if k.freeBytes > keepFreeMax {
		t.Errorf("%d bytes kept between units, more than %d", k.freeBytes, keepFreeMax)
	}
	var none *keeper
	none.put(make([]byte, 10)) // a transfer that keeps nothing gives back nothing
}

// The buffers mapped outside the Go heap are all given back by the end of
// an import: those kept for next units when it closes, those still lent
// when they come back.
func TestKeeperUnmapsItsBuffersAtTheEnd(t *testing.T) {
	k := &keeper{}
	a, b := k.get(4<<20), k.get(6<<20)
	a[len(a)-1], b[len(b)-1] = 1, 2 // the whole length is usable
	k.put(a)
	k.close()
	probe, mapped := mapBuffer(4 << 20) // false where buffers are on the heap
	if mapped {
		unmapBuffer(probe)
	}
	if mapped && len(k.mapped) != 1 {
		t.Fatalf("%d buffers still mapped after close, want only the lent one", len(k.mapped))
	}
	k.put(b)
	if len(k.mapped) != 0 || len(k.free) != 0 {
		t.Errorf("%d buffers mapped, %d kept after the lent one came back", len(k.mapped), len(k.free))
	}
}
