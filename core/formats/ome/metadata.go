// Package ome reads OME metadata and OME-TIFF file sets, and writes OME-TIFF.
//
// ParseXML turns an OME-XML document (schema 2016-06 and its neighbours; the
// namespace is ignored) into formats.Series, a formats.Plate and the
// TiffData blocks that say where each plane lives. Open reads an OME-TIFF,
// a multi-file OME-TIFF set or a .companion.ome file; WriteTIFF writes one.
//
// OME-XML comes from files users receive from anywhere, so the parser bounds
// the input size and the elements it decodes (prune.go), relies on
// encoding/xml never expanding external or custom entities, and rejects
// dimensions that are negative or absurd.
package ome

import (
	"github.com/ocular-lab/ocular/core/formats"
)

// MaxXMLBytes bounds the OME-XML the parser accepts (64 MiB). Real
// documents with large original-metadata annotations stay well below it.
const MaxXMLBytes = 64 << 20

// maxPlanes bounds SizeZ*SizeC*SizeT of one image.
const maxPlanes = 1 << 28

// Metadata is a parsed OME-XML document.
type Metadata struct {
	UUID    string
	Creator string
	Images  []Image
	// Plate is the first plate of the document, nil when there is none.
	// Images placed in it have Series.Well set.
	Plate *formats.Plate
	// BinaryOnly is set in the partial XML of a multi-file set's TIFFs that
	// defers to a separate metadata file (usually a .companion.ome).
	BinaryOnly *BinaryOnly
}

// BinaryOnly points from a TIFF's stub XML to the file holding the metadata.
type BinaryOnly struct {
	MetadataFile string
	UUID         string
}

// Image is one OME Image: its series description and its TiffData blocks.
type Image struct {
	ID     string
	Series formats.Series
	// SamplesPerPixel is the Channel SamplesPerPixel (3 for interleaved RGB);
	// Series.SizeC counts samples, so SizeC/SamplesPerPixel channels are
	// stored as separate planes.
	SamplesPerPixel int
	// BigEndian is the Pixels BigEndian attribute (informative: for TIFF the
	// file header's byte order wins).
	BigEndian bool
	TiffData  []TiffData
}

// TiffData says which IFDs of which file hold planes of an image.
type TiffData struct {
	IFD, PlaneCount        int
	FirstZ, FirstC, FirstT int
	HasPlaneCount, HasIFD  bool
	// UUID and FileName identify the file (empty: the file holding the XML).
	UUID, FileName string
}

// PlaneCount is SizeZ*SizeC*SizeT in storage planes (channels whose samples
// are interleaved count once).
func (im *Image) PlaneCount() int {
	s := im.Series
	return s.SizeZ * im.StoredChannels() * s.SizeT
}

// StoredChannels is the number of channel planes per (z, t).
func (im *Image) StoredChannels() int {
	spp := im.SamplesPerPixel
	if spp < 1 {
		spp = 1
	}
	return max(1, im.Series.SizeC/spp)
}

// PlaneIndex maps (z, c, t) with c a stored channel to the plane index in
// DimensionOrder, the numbering TiffData uses.
func PlaneIndex(order string, sizeZ, sizeC, sizeT, z, c, t int) int {
	dims := map[byte]int{'Z': z, 'C': c, 'T': t}
	sizes := map[byte]int{'Z': sizeZ, 'C': sizeC, 'T': sizeT}
	o := normOrder(order)
	// o is "XY" + three letters, fastest varying first.
	i, stride := 0, 1
	for k := 2; k < 5; k++ {
		d := o[k]
		i += dims[d] * stride
		stride *= sizes[d]
	}
	return i
}

// PlaneZCT is the inverse of PlaneIndex.
func PlaneZCT(order string, sizeZ, sizeC, sizeT, index int) (z, c, t int) {
	sizes := map[byte]int{'Z': sizeZ, 'C': sizeC, 'T': sizeT}
	out := map[byte]int{}
	o := normOrder(order)
	for k := 2; k < 5; k++ {
		d := o[k]
		n := max(1, sizes[d])
		out[d] = index % n
		index /= n
	}
	return out['Z'], out['C'], out['T']
}

func normOrder(order string) string {
	switch order {
	case "XYZCT", "XYZTC", "XYCZT", "XYCTZ", "XYTZC", "XYTCZ":
		return order
	}
	return "XYCZT"
}
