// Package detect picks the reader for a file or folder by its content (magic
// bytes, then the OME-XML or ImageJ description of a TIFF) and its name
// (.zarr folders, .companion.ome files). It lives apart from core/formats
// because the readers import core/formats for its types.
package detect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/imagej"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/formats/stdimage"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/formats/zarr"
)

// SupportedFormats is the sentence used in errors about other formats.
const SupportedFormats = "Ocular reads OME-TIFF, TIFF/BigTIFF, ImageJ TIFF, OME-Zarr, PNG and JPEG"

// ErrUnsupported is wrapped by the error Open returns for a file in a
// format Ocular does not read.
var ErrUnsupported = errors.New("unsupported format")

// Open opens path (a file, or an OME-Zarr folder) with the right reader.
func Open(path string) (formats.Reader, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		if zarr.IsZarr(path) {
			return zarr.Open(path)
		}
		return nil, unsupported("%s: the folder is not an OME-Zarr (it has no .zattrs, .zgroup or zarr.json); %s", path, SupportedFormats)
	}
	if ome.IsCompanion(path) {
		return ome.Open(path)
	}
	base := filepath.Base(path)
	if base == ".zattrs" || base == ".zgroup" || base == "zarr.json" || base == ".zarray" {
		return zarr.Open(filepath.Dir(path))
	}
	head, err := readHead(path, 512)
	if err != nil {
		return nil, err
	}
	switch {
	case isTIFF(head):
		return openTIFF(path)
	case stdimage.Sniff(head) != "":
		return stdimage.Open(path)
	case isOMEXML(head):
		// A companion file under another name, or bare OME-XML: the OME
		// reader opens the former and explains the latter.
		return ome.Open(path)
	}
	if name := identify(path, head); name != "" {
		return nil, unsupported("%s: %s files are not supported; %s", base, name, SupportedFormats)
	}
	return nil, unsupported("%s: the file is not in a format Ocular recognises; %s", base, SupportedFormats)
}

// unsupportedError reads as a plain sentence but matches ErrUnsupported.
type unsupportedError struct{ msg string }

func (e *unsupportedError) Error() string        { return e.msg }
func (e *unsupportedError) Is(target error) bool { return target == ErrUnsupported }

func unsupported(format string, args ...any) error {
	return &unsupportedError{msg: fmt.Sprintf(format, args...)}
}

// openTIFF chooses between the OME-TIFF, ImageJ and plain TIFF readers by
// the first IFD's ImageDescription.
func openTIFF(path string) (formats.Reader, error) {
	f, fh, err := tiff.OpenFile(path)
	if err != nil {
		return nil, err
	}
	desc := f.IFDs()[0].ImageDescription
	fh.Close()
	switch {
	case strings.Contains(desc, "<OME") || strings.Contains(desc, ":OME "):
		return ome.Open(path)
	case imagej.IsImageJ(desc):
		return imagej.Open(path)
	}
	return tiff.NewReader(path)
}

// Supported reports cheaply whether Open would try to read path: a
// TIFF/PNG/JPEG by its magic bytes, a .companion.ome file, or an OME-Zarr
// folder. The watch folder uses it to ignore other files.
func Supported(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	if st.IsDir() {
		return zarr.IsZarr(path)
	}
	if ome.IsCompanion(path) {
		return true
	}
	head, err := readHead(path, 8)
	if err != nil {
		return false
	}
	return isTIFF(head) || stdimage.Sniff(head) != ""
}

func readHead(path string, n int) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b := make([]byte, n)
	m, err := io.ReadFull(fh, b)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return b[:m], nil
}

func isOMEXML(h []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(h, []byte("\xef\xbb\xbf")))
	return bytes.HasPrefix(t, []byte("<")) && bytes.Contains(h, []byte("OME"))
}

func isTIFF(h []byte) bool {
	return bytes.HasPrefix(h, []byte("II*\x00")) || bytes.HasPrefix(h, []byte("MM\x00*")) ||
		bytes.HasPrefix(h, []byte("II+\x00")) || bytes.HasPrefix(h, []byte("MM\x00+"))
}

// identify names well-known microscopy and image formats Ocular does not
// read, so the error can say what the file is.
func identify(path string, h []byte) string {
	magic := []struct {
		prefix []byte
		name   string
	}{
		{[]byte("ZISRAWFILE"), "Zeiss CZI"},
		{[]byte{0xda, 0xce, 0xbe, 0x0a}, "Nikon ND2"},
		{[]byte("\x89HDF\r\n\x1a\n"), "HDF5"},
		{[]byte("GIF8"), "GIF"},
		{[]byte("BM"), "BMP"},
		{[]byte{0x00, 0x00, 0x00, 0x0c, 'j', 'P', ' ', ' '}, "JPEG 2000"},
		{[]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, "OLE2 (Olympus OIB or Zeiss ZVI)"},
		{[]byte("PK\x03\x04"), "ZIP archive"},
		{[]byte{0x70, 0x00, 0x00, 0x00}, "Leica LIF"},
	}
	for _, m := range magic {
		if bytes.HasPrefix(h, m.prefix) {
			if m.name == "HDF5" && strings.EqualFold(filepath.Ext(path), ".ims") {
				return "Imaris IMS"
			}
			return m.name
		}
	}
	if len(h) >= 132 && string(h[128:132]) == "DICM" {
		return "DICOM"
	}
	if len(h) >= 12 && string(h[0:4]) == "RIFF" && string(h[8:12]) == "WEBP" {
		return "WebP"
	}
	byExt := map[string]string{
		".czi": "Zeiss CZI", ".nd2": "Nikon ND2", ".lif": "Leica LIF", ".lof": "Leica LOF", ".oib": "Olympus OIB",
		".oir": "Olympus OIR", ".vsi": "Olympus VSI", ".ims": "Imaris IMS", ".dv": "DeltaVision", ".r3d": "DeltaVision",
		".ics": "ICS", ".ids": "ICS", ".mrc": "MRC", ".nii": "NIfTI", ".h5": "HDF5", ".mrxs": "3DHISTECH MRXS",
		".ndpi": "Hamamatsu NDPI", ".scn": "Leica SCN", ".lsm": "Zeiss LSM", ".zvi": "Zeiss ZVI", ".sld": "SlideBook",
	}
	return byExt[strings.ToLower(filepath.Ext(path))]
}
