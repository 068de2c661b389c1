package ome

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/internal/realdata"
)

func TestOpenRealOMETIFF(t *testing.T) {
	dir := filepath.Join(realdata.Dir(t), "ome-tiff")
	cases := []struct {
		rel            string
		x, y, z, c, tt int
		typ            string
		files          int
	}{
		{"aicsimageio/s_1_t_1_c_1_z_1.ome.tiff", 475, 325, 1, 1, 1, "uint16", 1},
		{"ome-artificial/multi-channel-z-series.ome.tif", 439, 167, 5, 3, 1, "int8", 1},
		{"ome-artificial/multi-channel-time-series.ome.tif", 439, 167, 1, 3, 7, "int8", 1},
		{"ome-artificial/4D-series.ome.tif", 439, 167, 5, 1, 7, "int8", 1},
		{"ome-multifile/multifile.companion.ome", 18, 24, 5, 1, 1, "uint8", 6},
		{"ome-multifile/multifile-Z3.ome.tiff", 18, 24, 5, 1, 1, "uint8", 6},
		{"viv-deflate/multi-channel.ome.tif", 439, 167, 1, 3, 1, "int8", 1},
		{"ome-types/ome.tiff", 6, 6, 1, 2, 1, "uint8", 1},
	}
	for _, tc := range cases {
		r, err := Open(filepath.Join(dir, tc.rel))
		if err != nil {
			t.Errorf("%s: %v", tc.rel, err)
			continue
		}
		s := r.Series()[0]
		if s.SizeX != tc.x || s.SizeY != tc.y || s.SizeZ != tc.z || s.SizeC != tc.c || s.SizeT != tc.tt || s.PixelType.String() != tc.typ {
			t.Errorf("%s: got %dx%d z%d c%d t%d %s", tc.rel, s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT, s.PixelType)
		}
		if len(r.Files()) != tc.files {
			t.Errorf("%s: files %v", tc.rel, r.Files())
		}
		if !strings.HasSuffix(r.Files()[0], filepath.Base(tc.rel)) {
			t.Errorf("%s: first file %s", tc.rel, r.Files()[0])
		}
		for z := 0; z < s.SizeZ; z++ {
			for c := 0; c < s.SizeC; c++ {
				for tt := 0; tt < s.SizeT; tt++ {
					p, err := r.ReadPlane(0, 0, z, c, tt)
					if err != nil {
						t.Fatalf("%s z%d c%d t%d: %v", tc.rel, z, c, tt, err)
					}
					if p.Width != s.SizeX || p.Height != s.SizeY || p.Type != s.PixelType {
						t.Fatalf("%s: plane %dx%d %s", tc.rel, p.Width, p.Height, p.Type)
					}
				}
			}
		}
		r.Close()
	}
}
