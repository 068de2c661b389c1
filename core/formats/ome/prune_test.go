package ome

import (
	"strings"
	"testing"
)

// Plane elements beyond SizeZ×SizeC×SizeT are dropped whatever their
// spelling (a prefix, children of their own, '>' in a value), while a
// Plane in a comment or CDATA section is not an element and counts for
// nothing.
func TestPlanesAnImageCannotUseAreDropped(t *testing.T) {
	doc := `<?xml version="1.0"?><!-- <Plane TheT="0"/> --><ome:OME xmlns:ome="http://www.openmicroscopy.org/Schemas/OME/2016-06">` +
		`<ome:Image ID="Image:0"><ome:Pixels DimensionOrder='XYZCT' Type="uint8" SizeX="4" SizeY="4" SizeZ='1' SizeC="1" SizeT=" 2 ">` +
		`<ome:Channel Name="a>b"/><!-- <ome:Plane TheT="1"/> -->` +
		`<ome:Plane TheZ="0" TheC="0" TheT="1" DeltaT="5"><ome:AnnotationRef ID="Annotation:0"/></ome:Plane>` +
		`<ome:Plane TheZ="0" TheC="0" TheT="0" DeltaT="3" Note="x>y"/>` +
		`<ome:Plane TheZ="0" TheC="0" TheT="0" DeltaT="7"><ome:AnnotationRef ID="Annotation:0"/></ome:Plane>` +
		`<ome:Plane TheZ="0" TheC="0" TheT="1" DeltaT="8"/>` +
		`<ome:TiffData IFD="0" PlaneCount="2"/></ome:Pixels></ome:Image></ome:OME>`
	m, err := ParseXML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	im := m.Images[0]
	p := im.Series.Planes
	if len(p) != 2 || p[0].T != 1 || p[0].DeltaT != 5 || p[1].T != 0 || p[1].DeltaT != 3 {
		t.Fatalf("planes = %+v, want the first two (T=1 at 5 s, T=0 at 3 s)", p)
	}
	if im.Series.Channels[0].Name != "a>b" || len(im.TiffData) != 1 || im.TiffData[0].PlaneCount != 2 {
		t.Fatalf("the elements after the dropped planes were lost: %+v", im)
	}
}

// A document that is not well-formed is still refused as such: pruning
// leaves what it cannot follow to encoding/xml.
func TestPruningLeavesMalformedDocumentsToTheParser(t *testing.T) {
	for _, doc := range []string{
		`<OME><Image><Pixels SizeZ="1" SizeC="1" SizeT="1"><Plane/><Plane/><Plane TheZ="0`,
		`<OME><Image><Pixels SizeZ="1" SizeC="1" SizeT="1"><Plane/><Plane></Pixels></Image></OME>`,
		`<OME><!-- unterminated`,
		`<OME><Image><Pixels SizeZ="1" SizeC="1" SizeT="1"><Plane/><Plane></Pixels></Pixels></Image></OME>`,
	} {
		if _, err := ParseXML([]byte(doc)); err == nil || !strings.Contains(err.Error(), "not well-formed") {
			t.Errorf("%s: error = %v, want not well-formed", doc, err)
		}
	}
}
