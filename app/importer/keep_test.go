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
