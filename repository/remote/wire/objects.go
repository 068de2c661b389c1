package wire

// A compact encoding of object lists. Browsing a dataset of 10,000 images
// answers 10,000 ObjectViews; as JSON that is 3 MB which encoding/json
// takes longer to write and read than the repository takes to find them.
// Ocular's client asks for this encoding instead (Accept: ObjectsType) on
// the routes answering lists of objects; every other client gets the JSON.
// It carries exactly what the JSON of []Object carries, so the two decode
// to equal values (objects_test.go checks it).
//
// The format: the magic "OCO1", a count, then each object's fields in a
// fixed order as varints, strings and one flags byte. Strings that repeat
// (class, owner and group names) go through a table: a string is written
// as its index in the table, or as the table's length followed by the new
// string. Attrs are their JSON (empty for none).

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// ObjectsType is the media type of the compact encoding.
const ObjectsType = "application/x-ocular-objects"

const objectsMagic = "OCO1"

// maxObjects bounds a decoded list, so a broken answer cannot make the
// client allocate without bound.
const maxObjects = 1 << 22

type encoder struct {
	b     []byte
	table map[string]uint64
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// shared writes a string that is likely to repeat.
func (e *encoder) shared(s string) {
	if i, ok := e.table[s]; ok {
		e.uint(i)
		return
	}
	i := uint64(len(e.table))
	e.table[s] = i
	e.uint(i)
	e.str(s)
}

// time writes t as JSON would keep it: the instant and the zone offset (or
// UTC), or nothing for the zero time.
func (e *encoder) time(t time.Time) {
	switch {
	case t.IsZero():
		e.uint(0)
	case t.Location() == time.UTC:
		e.uint(1)
		e.int(t.UnixNano())
	default:
		_, off := t.Zone()
		e.uint(2)
		e.int(t.UnixNano())
		e.int(int64(off))
	}
}

const (
	fRead = 1 << iota
	fEdit
	fAnnotate
	fDelete
	fLink
	fChgrp
	fChown
)

// EncodeObjects is vs in the compact encoding.
func EncodeObjects(vs []core.ObjectView) ([]byte, error) {
	e := &encoder{b: make([]byte, 0, 64+len(vs)*48), table: map[string]uint64{}}
	e.b = append(e.b, objectsMagic...)
	if vs == nil {
		e.uint(0)
	} else {
		e.uint(uint64(len(vs)) + 1)
	}
	for i := range vs {
		v := &vs[i]
		e.shared(string(v.Class))
		e.int(int64(v.ID))
		e.int(int64(v.Owner))
		e.int(int64(v.Group))
		e.time(v.Created)
		e.time(v.Updated)
		e.str(v.Name)
		e.str(v.Description)
		e.int(int64(v.Parent))
		e.int(int64(v.Child))
		e.int(int64(v.Ref2))
		e.shared(v.Ns)
		e.str(v.TextValue)
		e.int(v.LongValue)
		if len(v.Attrs) == 0 {
			e.uint(0)
		} else {
			a, err := json.Marshal(v.Attrs)
			if err != nil {
				return nil, err
			}
			e.uint(uint64(len(a)))
			e.b = append(e.b, a...)
		}
		f := v.Flags
		var fl byte
		for _, x := range []struct {
			on  bool
			bit byte
		}{{f.Read, fRead}, {f.CanEdit, fEdit}, {f.CanAnnotate, fAnnotate}, {f.CanDelete, fDelete},
			{f.CanLink, fLink}, {f.CanChgrp, fChgrp}, {f.CanChown, fChown}} {
			if x.on {
				fl |= x.bit
			}
		}
		e.b = append(e.b, fl)
		e.shared(v.OwnerName)
		e.shared(v.GroupName)
		e.uint(uint64(v.Level))
		e.int(int64(v.ChildCount))
	}
	return e.b, nil
}

var errObjects = errors.New("the list of objects is cut or garbled")

type decoder struct {
	b     []byte
	err   error
	table []string
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errObjects
	}
	d.b = nil
}

func (d *decoder) bytes() []byte {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) str() string { return string(d.bytes()) }

func (d *decoder) shared() string {
	i := d.uint()
	switch {
	case i < uint64(len(d.table)):
		return d.table[i]
	case i == uint64(len(d.table)) && d.err == nil:
		s := d.str()
		d.table = append(d.table, s)
		return s
	}
	d.fail()
	return ""
}

func (d *decoder) time() time.Time {
	switch d.uint() {
	case 0:
		return time.Time{}
	case 1:
		return time.Unix(0, d.int()).UTC()
	case 2:
		ns, off := d.int(), d.int()
		if off < -86400 || off > 86400 {
			d.fail()
			return time.Time{}
		}
		t := time.Unix(0, ns)
		// As encoding/json reads an offset: in Local when Local has that
		// offset then, else in a fixed zone.
		if _, lo := t.Zone(); int64(lo) == off {
			return t
		}
		return t.In(time.FixedZone("", int(off)))
	}
	d.fail()
	return time.Time{}
}

// DecodeObjects reads EncodeObjects' encoding.
func DecodeObjects(b []byte) ([]core.ObjectView, error) {
	if len(b) < len(objectsMagic) || string(b[:len(objectsMagic)]) != objectsMagic {
		return nil, errObjects
	}
	d := &decoder{b: b[len(objectsMagic):]}
	n := d.uint()
	if n == 0 {
		return nil, d.err
	}
	n--
	// Each object takes more than a byte: a count beyond that is garbage.
	if n > maxObjects || n > uint64(len(d.b)) {
		return nil, errObjects
	}
	out := make([]core.ObjectView, n)
	for i := range out {
		v := &out[i]
		v.Class = core.Class(d.shared())
		v.ID = core.ID(d.int())
		v.Owner = core.ID(d.int())
		v.Group = core.ID(d.int())
		v.Created = d.time()
		v.Updated = d.time()
		v.Name = d.str()
		v.Description = d.str()
		v.Parent = core.ID(d.int())
		v.Child = core.ID(d.int())
		v.Ref2 = core.ID(d.int())
		v.Ns = d.shared()
		v.TextValue = d.str()
		v.LongValue = d.int()
		if a := d.bytes(); len(a) > 0 {
			if err := json.Unmarshal(a, &v.Attrs); err != nil {
				d.fail()
			}
		}
		if len(d.b) == 0 {
			d.fail()
			break
		}
		fl := d.b[0]
		d.b = d.b[1:]
		v.Flags = core.Flags{Read: fl&fRead != 0, CanEdit: fl&fEdit != 0, CanAnnotate: fl&fAnnotate != 0,
			CanDelete: fl&fDelete != 0, CanLink: fl&fLink != 0, CanChgrp: fl&fChgrp != 0, CanChown: fl&fChown != 0}
		v.OwnerName = d.shared()
		v.GroupName = d.shared()
		lv := d.uint()
		if lv > math.MaxUint8 {
			d.fail()
		}
		v.Level = core.Level(lv)
		v.ChildCount = int(d.int())
		if d.err != nil {
			return nil, d.err
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}
