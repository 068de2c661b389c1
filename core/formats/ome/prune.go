package ome

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/ocular-lab/ocular/core/formats"
)

// encoding/xml allocates one to two kilobytes for every element it decodes
// into the model (names, attributes, reflection), so a 64 MiB document of
// tiny repeated elements (<Plane/>, <Channel/>) would cost gigabytes. Before
// decoding, prune scans the document's structure in place, without
// allocating per element: it drops the Plane elements an image cannot use
// (beyond its SizeZ×SizeC×SizeT, or beyond maxPlaneElements in the
// document) and the Channel elements beyond its SizeC, and refuses a
// document with more than maxElements elements or maxAttributes attributes
// left. Real documents are far below these bounds and parse unchanged.
const (
	// maxElements bounds the elements decoded from one document (2^17):
	// decoding that many costs at most a few hundred MiB, and real
	// documents (a 384-well plate of 9 fields, 4 channels, with a TiffData
	// and a Plane per plane, has about 40 000) stay well below it.
	maxElements = 1 << 17
	// maxPlaneElements bounds the Plane elements kept from one document
	// (2^16): each becomes a PlaneInfo stored with the image.
	maxPlaneElements = 1 << 16
	// maxAttributes bounds the attributes of the elements decoded (2^20):
	// encoding/xml allocates each one's name and value, so elements of
	// thousands of attributes cost like thousands of elements.
	maxAttributes = 1 << 20
)

// prune returns data without the Plane and Channel elements that cannot be
// used, or an error when too many elements or attributes remain. It returns data itself when nothing
// is dropped. A document it cannot follow (not well-formed) is returned
// from that point on unchanged: encoding/xml rejects it at the same place.
func prune(data []byte) ([]byte, error) {
	var (
		out      []byte // nil until something is dropped
		copied   int    // data[:copied] is accounted for in out
		depth    int
		elements int
		attrs    int
		planes   int // Plane elements kept in the document
		// The Pixels element being read: its depth, its plane and channel
		// quotas and the Plane and Channel children kept so far.
		pixDepth, pixQuota, pixPlanes = -1, 0, 0
		pixChannels, chanQuota        int
		skipDepth                     = -1 // > -1: dropping an element opened at this depth
		skipFrom                      int
		skipName                      []byte // the dropped element's name as written
	)
	i := 0
	for {
		lt := bytes.IndexByte(data[i:], '<')
		if lt < 0 {
			break
		}
		start := i + lt
		rest := data[start:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return finish(data, out, copied), nil
			}
			i = start + 4 + end + 3
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := bytes.Index(rest[9:], []byte("]]>"))
			if end < 0 {
				return finish(data, out, copied), nil
			}
			i = start + 9 + end + 3
			continue
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest[2:], []byte("?>"))
			if end < 0 {
				return finish(data, out, copied), nil
			}
			i = start + 2 + end + 2
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			// DOCTYPE (with an internal subset in brackets) or similar.
			end := declEnd(rest)
			if end < 0 {
				return finish(data, out, copied), nil
			}
			i = start + end
			continue
		}
		end, quoted := tagEnd(rest)
		if end < 0 {
			return finish(data, out, copied), nil
		}
		tag := rest[:end]
		i = start + end
		if len(tag) > 1 && tag[1] == '/' {
			if depth--; depth < 0 {
				// An end tag without a start: encoding/xml says so.
				return finish(data, out, copied), nil
			}
			if skipDepth >= 0 && depth == skipDepth {
				if !bytes.Equal(bytes.TrimRight(tag[2:len(tag)-1], " \t\r\n"), skipName) {
					// Dropping the element must not hide that it is
					// closed by another's end tag.
					return nil, fmt.Errorf("OME-XML is not well-formed: element <%.64s> is closed by %.64q", skipName, tag)
				}
				skipDepth = -1
				out = append(out, data[copied:skipFrom]...)
				copied = i
			}
			if pixDepth >= 0 && depth == pixDepth {
				pixDepth = -1
			}
			continue
		}
		selfClosing := bytes.HasSuffix(tag, []byte("/>"))
		name := localName(tag)
		if skipDepth < 0 {
			isPlane := bytes.Equal(name, []byte("Plane"))
			if depth == pixDepth+1 && pixDepth >= 0 && (isPlane || bytes.Equal(name, []byte("Channel"))) {
				drop := pixPlanes >= pixQuota || planes >= maxPlaneElements
				if !isPlane {
					drop = pixChannels >= chanQuota
				}
				if drop {
					if out == nil {
						out = make([]byte, 0, len(data))
					}
					if selfClosing {
						out = append(out, data[copied:start]...)
						copied = i
					} else {
						skipDepth, skipFrom, skipName = depth, start, tag[1:1+nameLen(tag)]
						depth++
					}
					continue
				}
				if isPlane {
					pixPlanes++
					planes++
				} else {
					pixChannels++
				}
			}
			if bytes.Equal(name, []byte("Pixels")) && !selfClosing {
				pixDepth, pixPlanes, pixQuota = depth, 0, planeQuota(tag)
				pixChannels, chanQuota = 0, sizeAttr(tag, "SizeC")
			}
			if elements++; elements > maxElements {
				return nil, formats.TooLarge("the OME-XML holds more than %d elements, more than Ocular reads; the file is damaged or was not written for import", maxElements)
			}
			if attrs += quoted / 2; attrs > maxAttributes {
				return nil, formats.TooLarge("the OME-XML holds more than %d attributes, more than Ocular reads; the file is damaged or was not written for import", maxAttributes)
			}
		}
		if !selfClosing {
			depth++
		}
	}
	return finish(data, out, copied), nil
}

// finish returns data when nothing was dropped, else out with the rest.
func finish(data, out []byte, copied int) []byte {
	if out == nil {
		return data
	}
	return append(out, data[copied:]...)
}

// tagEnd returns the length of the tag at the start of b (up to and
// including its '>', skipping quoted attribute values), or -1, and the
// number of quote characters that open or close a value (two per
// attribute).
func tagEnd(b []byte) (int, int) {
	var quote byte
	quotes := 0
	for k := 1; k < len(b); k++ {
		c := b[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
				quotes++
			}
		case c == '"' || c == '\'':
			quote = c
			quotes++
		case c == '>':
			return k + 1, quotes
		}
	}
	return -1, quotes
}

// declEnd returns the length of a <!...> declaration, whose internal
// subset in brackets may hold '>' characters, or -1.
func declEnd(b []byte) int {
	var quote byte
	brackets := 0
	for k := 2; k < len(b); k++ {
		c := b[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			brackets++
		case c == ']':
			brackets--
		case c == '>' && brackets <= 0:
			return k + 1
		}
	}
	return -1
}

// nameLen is the length of the element name of a start tag.
func nameLen(tag []byte) int {
	k := 1
	for k < len(tag) && !isNameEnd(tag[k]) {
		k++
	}
	return k - 1
}

// localName returns the element name of a start tag without its prefix.
func localName(tag []byte) []byte {
	name := tag[1 : 1+nameLen(tag)]
	if c := bytes.LastIndexByte(name, ':'); c >= 0 {
		name = name[c+1:]
	}
	return name
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' || c == '>'
}

// planeQuota is SizeZ×SizeC×SizeT of a Pixels start tag (0 when a size is
// missing or invalid: the image is refused later anyway).
func planeQuota(tag []byte) int {
	q := int64(1)
	for _, a := range []string{"SizeZ", "SizeC", "SizeT"} {
		v := int64(sizeAttr(tag, a))
		if v <= 0 {
			return 0
		}
		if q *= v; q > maxPlaneElements {
			return maxPlaneElements
		}
	}
	return int(q)
}

// sizeAttr is the value of a size attribute of a Pixels start tag, at
// most maxElements (0 when missing or invalid). Each Channel element
// stands for one channel or more, so at most SizeC of them are used.
func sizeAttr(tag []byte, name string) int {
	v, err := strconv.ParseInt(string(bytes.TrimSpace(attrValue(tag, name))), 10, 64)
	if err != nil || v <= 0 {
		return 0
	}
	return int(min(v, maxElements))
}

// attrValue returns the raw value of attribute name in a start tag.
func attrValue(tag []byte, name string) []byte {
	k := 1
	for k < len(tag) && !isNameEnd(tag[k]) {
		k++
	}
	for k < len(tag) {
		for k < len(tag) && (isNameEnd(tag[k]) && tag[k] != '>') {
			k++
		}
		ns := k
		for k < len(tag) && tag[k] != '=' && !isNameEnd(tag[k]) {
			k++
		}
		an := tag[ns:k]
		for k < len(tag) && (tag[k] == ' ' || tag[k] == '\t' || tag[k] == '\n' || tag[k] == '\r') {
			k++
		}
		if k >= len(tag) || tag[k] != '=' {
			return nil
		}
		k++
		for k < len(tag) && (tag[k] == ' ' || tag[k] == '\t' || tag[k] == '\n' || tag[k] == '\r') {
			k++
		}
		if k >= len(tag) || (tag[k] != '"' && tag[k] != '\'') {
			return nil
		}
		q := tag[k]
		vs := k + 1
		ve := bytes.IndexByte(tag[vs:], q)
		if ve < 0 {
			return nil
		}
		if string(an) == name {
			return tag[vs : vs+ve]
		}
		k = vs + ve + 1
	}
	return nil
}
