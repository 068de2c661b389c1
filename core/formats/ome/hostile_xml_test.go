package ome

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/internal/hostile"
)

// inChild runs fn in a child test process, so that a regression which
// allocates without bound kills the child and fails this test, not the
// test binary (or the machine running it).
func inChild(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	if os.Getenv("OME_TEST_CHILD") == t.Name() {
		fn(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), "OME_TEST_CHILD="+t.Name(), "GOMEMLIMIT=1GiB")
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS")) {
		if len(out) > 4000 {
			out = out[:4000]
		}
		t.Fatalf("child test failed (%v):\n%s", err, out)
	}
}

// omeDoc is one image of sizeZ×1×sizeT planes of 4×4 pixels whose Pixels
// element holds body repeated until the document has n bytes.
func omeDoc(sizeZ, sizeT int, body string, n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="4" SizeY="4" SizeZ="%d" SizeC="1" SizeT="%d"><Channel ID="Channel:0:0" Name="DAPI"/>`, sizeZ, sizeT)
	for b.Len() < n {
		b.WriteString(body)
	}
	b.WriteString(`</Pixels></Image></OME>`)
	return b.Bytes()
}

// maxAllocPerByte is what parsing may allocate for each byte of OME-XML:
// a 64 MiB document (MaxXMLBytes) stays under 512 MiB.
const maxAllocPerByte = 8

// 40 MiB of Plane elements for an image of one plane allocated 1.4 GiB
// while encoding/xml decoded them all (4 GB for 60 MiB); the planes (and
// channels) an image cannot use are dropped before decoding, and the one it
// can use is kept.
func TestManyPlaneElementsParseInBoundedMemory(t *testing.T) {
	inChild(t, func(t *testing.T) {
		doc := omeDoc(1, 1, `<Plane TheZ="0" TheC="0" TheT="0" DeltaT="2" DeltaTUnit="s"/>`, 40<<20)
		var m *Metadata
		var err error
		alloc := hostile.Allocated(func() { m, err = ParseXML(doc) })
		if err != nil {
			t.Fatalf("a document of one image with repeated Plane elements was refused: %v", err)
		}
		if p := m.Images[0].Series.Planes; len(p) != 1 || !p[0].HasDeltaT || p[0].DeltaT != 2 {
			t.Errorf("planes = %+v, want the one plane the image has, with its DeltaT", p)
		}
		t.Logf("parsing %d MiB allocated %d MiB", len(doc)>>20, alloc>>20)
		if alloc > maxAllocPerByte*uint64(len(doc)) {
			t.Fatalf("parsing %d MiB of OME-XML allocated %d MiB, more than %d× the document", len(doc)>>20, alloc>>20, maxAllocPerByte)
		}

		// The same for Channel elements beyond SizeC (24 MiB of them
		// allocated 4.4 GiB).
		doc = omeDoc(1, 1, `<Channel Name="extra"/>`, 24<<20)
		alloc = hostile.Allocated(func() { m, err = ParseXML(doc) })
		if err != nil {
			t.Fatalf("a document of one image with repeated Channel elements was refused: %v", err)
		}
		if c := m.Images[0].Series.Channels; len(c) != 1 || c[0].Name != "DAPI" {
			t.Errorf("channels = %+v, want the one channel the image has", c)
		}
		t.Logf("parsing %d MiB of channels allocated %d MiB", len(doc)>>20, alloc>>20)
		if alloc > maxAllocPerByte*uint64(len(doc)) {
			t.Fatalf("parsing %d MiB of OME-XML allocated %d MiB, more than %d× the document", len(doc)>>20, alloc>>20, maxAllocPerByte)
		}
	})
}

// Elements that repeat without bound and cannot be dropped (detectors,
// annotations, TiffData), and elements of countless attributes, make the document refused as too large, in
// bounded memory, instead of being decoded one kilobyte each.
func TestDocumentsOfCountlessElementsAreRefusedInBoundedMemory(t *testing.T) {
	inChild(t, func(t *testing.T) {
		annotations := `<?xml version="1.0"?><OME><Image ID="Image:0"><Pixels DimensionOrder="XYZCT" Type="uint8" SizeX="4" SizeY="4" SizeZ="1" SizeC="1" SizeT="1"/></Image><StructuredAnnotations><MapAnnotation ID="Annotation:0"><Value>`
		for _, tc := range []struct {
			name string
			doc  []byte
		}{
			{"detectors", []byte(`<OME><Instrument ID="Instrument:0">` + strings.Repeat(`<Detector ID="Detector:0"/>`, (24<<20)/26) + `</Instrument></OME>`)},
			{"tiffdata", omeDoc(1, 1, `<TiffData IFD="0"><UUID FileName="a.ome.tif">urn:uuid:1</UUID></TiffData>`, 24<<20)},
			{"attributes", []byte(`<OME><Instrument ID="Instrument:0">` + strings.Repeat(`<Detector `+strings.Repeat(`a="1" `, 1000)+`/>`, (24<<20)/6000) + `</Instrument></OME>`)},
			{"annotations", []byte(annotations + strings.Repeat(`<M K="k">v</M>`, (24<<20)/14) + `</Value></MapAnnotation></StructuredAnnotations></OME>`)},
		} {
			var err error
			alloc := hostile.Allocated(func() { _, err = ParseXML(tc.doc) })
			if !errors.Is(err, formats.ErrTooLarge) || !strings.Contains(err.Error(), "more than") {
				t.Errorf("%s: error = %v, want a refusal of the element count", tc.name, err)
			}
			t.Logf("%s: refusing %d MiB allocated %d MiB", tc.name, len(tc.doc)>>20, alloc>>20)
			if alloc > maxAllocPerByte*uint64(len(tc.doc)) {
				t.Errorf("%s: refusing %d MiB of OME-XML allocated %d MiB", tc.name, len(tc.doc)>>20, alloc>>20)
			}
		}
	})
}

// The largest document accepted, 2^17 Plane elements that an image of as
// many planes uses (each with the attributes Bio-Formats writes) and as
// many TiffData elements, is parsed whole within the budget, and so is a
// document near the 64 MiB cap made of as many elements as are accepted.
func TestLargestAcceptedDocumentParsesInBoundedMemory(t *testing.T) {
	inChild(t, func(t *testing.T) {
		var b bytes.Buffer
		n := maxPlaneElements
		fmt.Fprintf(&b, `<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="4" SizeY="4" SizeZ="1" SizeC="1" SizeT="%d"><Channel ID="Channel:0:0"/>`, n)
		for i := 0; i < n-8; i++ {
			fmt.Fprintf(&b, `<TiffData FirstT="%d" IFD="%d" PlaneCount="1"/>`, i, i)
		}
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, `<Plane TheZ="0" TheC="0" TheT="%d" DeltaT="%d.25" DeltaTUnit="s" ExposureTime="10" ExposureTimeUnit="ms" PositionX="1.5" PositionXUnit="µm" PositionY="2.5" PositionYUnit="µm" PositionZ="3" PositionZUnit="µm"/>`, i, i)
		}
		b.WriteString(`</Pixels></Image></OME>`)
		doc := b.Bytes()
		var m *Metadata
		var err error
		alloc := hostile.Allocated(func() { m, err = ParseXML(doc) })
		if err != nil {
			t.Fatal(err)
		}
		if got := len(m.Images[0].Series.Planes); got != n {
			t.Errorf("%d planes kept, want %d", got, n)
		}
		t.Logf("parsing %d MiB allocated %d MiB", len(doc)>>20, alloc>>20)
		if alloc > 512<<20 {
			t.Fatalf("parsing the largest accepted document (%d MiB) allocated %d MiB", len(doc)>>20, alloc>>20)
		}

		// Nearly 64 MiB in as many elements as are accepted, each with
		// seven long attributes that encoding/xml copies several times.
		b.Reset()
		b.WriteString(`<OME><Instrument ID="Instrument:0">`)
		v := strings.Repeat("x", (63<<20)/(maxElements-8)/7-14)
		el := `<Detector ID="` + v + `" Manufacturer="` + v + `" Model="` + v + `" SerialNumber="` + v + `" LotNumber="` + v + `" Type="` + v + `" Gain="` + v + `"/>`
		for i := 0; i < maxElements-8; i++ {
			b.WriteString(el)
		}
		b.WriteString(`</Instrument></OME>`)
		doc = b.Bytes()
		alloc = hostile.Allocated(func() { _, err = ParseXML(doc) })
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("parsing %d MiB of long attributes allocated %d MiB", len(doc)>>20, alloc>>20)
		if alloc > 512<<20 {
			t.Fatalf("parsing %d MiB of OME-XML allocated %d MiB", len(doc)>>20, alloc>>20)
		}
	})
}
