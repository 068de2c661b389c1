package ome

import (
	"errors"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/internal/hostile"
)

// An OME-TIFF of a few hundred bytes whose XML claims a million channels,
// or 4 million planes, is refused without sizing anything from the claim.
// (The file claims 2^28 channels; smaller claims keep a regression
// of this test from taking gigabytes.)
func TestOMETIFFClaimingMoreThanItStoresIsRefusedInBoundedMemory(t *testing.T) {
	for _, tc := range []struct {
		name         string
		sizeZ, sizeC int
		want         string
	}{
		{"2^20 channels", 1, 1 << 20, "channels"},
		{"2^22 planes", 1 << 22, 1, "planes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := hostile.Write(t, "claims.ome.tif", hostile.OMEChannelsTIFF(tc.sizeZ, tc.sizeC))
			var err error
			alloc := hostile.Allocated(func() {
				var r *Reader
				if r, err = Open(path); err == nil {
					r.Close()
				}
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want a refusal about its %s", err, tc.want)
			}
			if alloc > 32<<20 {
				t.Fatalf("refusing the file allocated %d MiB", alloc>>20)
			}
		})
	}
}

// A TiffData that maps one plane of an image claiming many more is refused
// by the count of images the files store.
func TestOMEPlaneCountIsCheckedAgainstTheFilesImages(t *testing.T) {
	xml := `<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="4" SizeY="4" SizeZ="1048576" SizeC="1" SizeT="1"><TiffData IFD="0" PlaneCount="1"/></Pixels></Image></OME>`
	data := hostile.TIFF{Width: 4, Height: 4, RowsPerStrip: 4, Description: xml, Strips: [][]byte{make([]byte, 16)}}.Bytes()
	path := hostile.Write(t, "one-of-many.ome.tif", data)
	_, err := Open(path)
	if !errors.Is(err, formats.ErrTooLarge) || !strings.Contains(err.Error(), "stores only 1 images") {
		t.Fatalf("error = %v, want a refusal saying the set stores only 1 image", err)
	}
}

// Images declaring 65536 channels each without Channel elements cost no
// XML but memory per channel: over a document, the made-up channels are
// bounded, so a small document cannot ask for gigabytes.
func TestChannelsMadeUpForSizeCAreBoundedOverTheDocument(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">`)
	for i := 0; i < 20; i++ {
		b.WriteString(`<Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="4" SizeY="4" SizeZ="1" SizeC="65536" SizeT="1"/></Image>`)
	}
	b.WriteString(`</OME>`)
	var err error
	alloc := hostile.Allocated(func() { _, err = ParseXML([]byte(b.String())) })
	if !errors.Is(err, formats.ErrTooLarge) && (err == nil || !strings.Contains(err.Error(), "more channels than their Channel elements")) {
		t.Fatalf("error = %v, want a refusal of the made-up channels", err)
	}
	if alloc > 64<<20 {
		t.Fatalf("parsing %d bytes of OME-XML allocated %d MiB", b.Len(), alloc>>20)
	}
}
