package omejson

import "github.com/ocular-lab/ocular/core"

// Field is one field of a well (OMERO's WellSample): the sample, its image
// and the run it belongs to. Image and Run are nil when the caller may not
// see them or there is none.
type Field struct {
	Sample core.ObjectView
	Image  *core.ObjectView
	// Pixels, when set, is written inside the image (a single well's images
	// carry their Pixels in OMERO's API).
	Pixels *core.PixelsInfo
	Run    *core.ObjectView
}

// Well encodes a well with its fields as WellSamples, in the order given.
func (e *Encoder) Well(v core.ObjectView, fields []Field) M {
	m := e.Object(v)
	samples := make([]M, 0, len(fields))
	for _, f := range fields {
		s := M{"@id": int64(f.Sample.ID), "@type": Type("WellSample")}
		for attr, key := range map[string]string{"positionX": "PositionX", "positionY": "PositionY"} {
			if x, ok := f.Sample.Attrs[attr].(float64); ok && finite(x) {
				s[key] = Length(x, "REFERENCEFRAME")
			}
		}
		if f.Image != nil {
			if f.Pixels != nil {
				s["Image"] = e.Image(*f.Image, *f.Pixels, nil)
			} else {
				s["Image"] = e.Object(*f.Image)
			}
		}
		if f.Run != nil {
			s["PlateAcquisition"] = e.Object(*f.Run)
		}
		s["omero:details"] = e.Details(f.Sample)
		samples = append(samples, s)
	}
	m["WellSamples"] = samples
	return m
}
