package ome

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core/formats/tiff"
)

// maxFolderProbe bounds how many TIFFs of a folder are opened to look for a
// UUID that no FileName finds: a set lives in one folder of a sensible size,
// and a folder of thousands of unrelated files must not make Open crawl.
const maxFolderProbe = 256

// A TiffData names its file twice: by the UUID the file carries in its own
// OME root element, and by the FileName it had when it was written. Users
// rename files (QuPath and bioformats2raw exports are renamed after export
// all the time) but cannot change the UUID inside, so the UUID is looked up
// first, as Bio-Formats does: among the files of the set already open (the
// opened file itself, for a renamed single-file OME-TIFF), then the file the
// FileName names, then the other TIFFs of the folder; a FileName whose file
// carries another UUID (or none) is the last resort.

// tiffFor returns the index in r.tiffs of the file a TiffData points to.
func (r *Reader) tiffFor(dir string, td TiffData, home int) (int, error) {
	if td.UUID == "" {
		if td.FileName == "" {
			return home, nil
		}
		p, err := sibling(dir, td.FileName)
		if err != nil {
			return -1, err
		}
		return r.openIndex(p)
	}
	for i, t := range r.tiffs {
		if sameUUID(t.uuid, td.UUID) {
			return i, nil
		}
	}
	byName := ""
	if td.FileName != "" {
		if p, err := sibling(dir, td.FileName); err == nil {
			if sameUUID(probeUUID(p), td.UUID) {
				return r.openIndex(p)
			}
			byName = p
		}
	}
	if p := r.findUUID(dir, td.UUID); p != "" {
		return r.openIndex(p)
	}
	if byName != "" {
		return r.openIndex(byName)
	}
	if home >= 0 && (td.FileName == "" || r.tiffs[home].uuid == "" && namesOneFile(r.meta)) {
		// The XML sits in a TIFF holding pixels, and nothing else answers:
		// with no FileName, or when the XML names a single file and this
		// file carries no UUID to contradict it, the TiffData means this
		// file, as in Bio-Formats. (A set naming several files is not
		// guessed at: its planes would come from the wrong file.)
		return home, nil
	}
	if td.FileName == "" {
		return -1, fmt.Errorf("no file in %s carries UUID %s, and the XML gives no FileName for it", dir, td.UUID)
	}
	return -1, fmt.Errorf("file %q of the set is missing from %s, and no other file there carries its UUID %s; put the set's files back together in one folder", filepath.Base(td.FileName), dir, td.UUID)
}

// namesOneFile reports whether every TiffData of m that names a file by
// UUID names the same one.
func namesOneFile(m *Metadata) bool {
	first := ""
	for _, im := range m.Images {
		for _, td := range im.TiffData {
			if td.UUID == "" {
				continue
			}
			if first == "" {
				first = td.UUID
			} else if !sameUUID(first, td.UUID) {
				return false
			}
		}
	}
	return true
}

// openIndex opens (or finds) the TIFF at path and returns its index.
func (r *Reader) openIndex(path string) (int, error) {
	t, err := r.openTIFF(path)
	if err != nil {
		return -1, err
	}
	return r.tiffIndex(t), nil
}

// findUUID looks for the TIFF of dir that carries uuid, reading the root
// UUID of each candidate once per Open.
func (r *Reader) findUUID(dir, uuid string) string {
	if r.folderUUIDs == nil {
		r.folderUUIDs = scanFolderUUIDs(dir, r.tiffs)
	}
	for u, p := range r.folderUUIDs {
		if sameUUID(u, uuid) {
			return p
		}
	}
	return ""
}

// scanFolderUUIDs maps the OME root UUID of the TIFFs in dir (regular files
// with a TIFF name, not already open) to their paths.
func scanFolderUUIDs(dir string, open []*openTIFF) map[string]string {
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	probed := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !tiffName(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		already := false
		for _, t := range open {
			already = already || t.path == p
		}
		if already {
			continue
		}
		if probed++; probed > maxFolderProbe {
			break
		}
		if u := probeUUID(p); u != "" {
			if _, dup := out[u]; !dup {
				out[u] = p
			}
		}
	}
	return out
}

// tiffName reports whether a file name has one of the extensions OME-TIFF
// files are written with.
func tiffName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".tif", ".tiff", ".btf", ".tf2", ".tf8":
		return true
	}
	return false
}

// probeUUID returns the OME root UUID of the TIFF at path, "" when the file
// is not a readable TIFF or carries none.
func probeUUID(path string) string {
	if !isTIFFFile(path) {
		return ""
	}
	f, fh, err := tiff.OpenFile(path)
	if err != nil {
		return ""
	}
	defer fh.Close()
	return descUUID(f)
}

// descUUID reads the UUID attribute of the OME root element in the first
// ImageDescription of f; only the start of the document is decoded.
func descUUID(f *tiff.File) string {
	ifds := f.IFDs()
	if len(ifds) == 0 || !strings.Contains(ifds[0].ImageDescription, "<OME") {
		return ""
	}
	return rootUUID(strings.NewReader(ifds[0].ImageDescription))
}

// rootUUID returns the UUID attribute of the first element of an XML
// document when that element is <OME>; only the start is decoded.
func rootUUID(in io.Reader) string {
	d := xml.NewDecoder(in)
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "OME" {
				return ""
			}
			for _, a := range se.Attr {
				if a.Name.Local == "UUID" {
					return strings.TrimSpace(a.Value)
				}
			}
			return ""
		}
	}
}

// sameUUID compares two UUIDs as written in OME-XML ("urn:uuid:" and case
// are not significant).
func sameUUID(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		return strings.TrimPrefix(s, "urn:uuid:")
	}
	return a != "" && b != "" && norm(a) == norm(b)
}

// findCompanion returns the companion metadata file of dir that a renamed
// BinaryOnly stub defers to, "" when none is found. The stub names the
// companion's UUID, so the companion whose root carries it is the one; some
// writers leave the companion's root without a UUID, and then a folder's
// only companion is taken when its TiffData name the stub's own UUID.
func findCompanion(dir, uuid, own string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var candidates []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsCompanion(e.Name()) {
			continue
		}
		if len(candidates) == maxFolderProbe {
			break
		}
		p := filepath.Join(dir, e.Name())
		if sameUUID(fileRootUUID(p), uuid) {
			return p
		}
		candidates = append(candidates, p)
	}
	if len(candidates) != 1 || own == "" {
		return ""
	}
	m, err := parseFile(candidates[0])
	if err != nil {
		return ""
	}
	for _, im := range m.Images {
		for _, td := range im.TiffData {
			if sameUUID(td.UUID, own) {
				return candidates[0]
			}
		}
	}
	return ""
}

// fileRootUUID reads the UUID of the OME root element at the start of an
// XML file, reading at most its first 64 KiB.
func fileRootUUID(path string) string {
	fh, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer fh.Close()
	return rootUUID(io.LimitReader(fh, 64<<10))
}
