package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedTablesAreUpToDate regenerates every table and compares it with
// the file in assets/luts, so a change here without `go generate` fails.
func TestCommittedTablesAreUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "assets", "luts")
	files, err := filepath.Glob(filepath.Join(dir, "*.lut"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tables) {
		t.Errorf("%d .lut files in %s but %d generators", len(files), dir, len(tables))
	}
	for name, gen := range tables {
		got, err := os.ReadFile(filepath.Join(dir, name+".lut"))
		if err != nil {
			t.Errorf("%s: %v (run go generate ./core/render)", name, err)
			continue
		}
		if want := encode(gen()); !bytes.Equal(got, want) {
			t.Errorf("%s.lut is stale: run go generate ./core/render", name)
		}
	}
}

func TestInterpolationMatchesImageJ(t *testing.T) {
	// ImageJ stretches fire's 32 entries so that entry 8*i is control point i.
	f := imagejInterpolate(fireR, fireG, fireB)
	for i := 0; i < 32; i++ {
		if int(f[8*i][0]) != fireR[i] || int(f[8*i][2]) != fireB[i] {
			t.Fatalf("fire[%d] = %v, want control point %d", 8*i, f[8*i], i)
		}
	}
	s := spectrum()
	if s[0] != [3]uint8{255, 0, 0} || s[85] != [3]uint8{0, 255, 0} || s[170] != [3]uint8{0, 0, 255} {
		t.Fatalf("spectrum at 0, 85, 170: %v %v %v", s[0], s[85], s[170])
	}
}
