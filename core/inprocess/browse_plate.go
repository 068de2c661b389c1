package inprocess

import (
	"github.com/ocular-lab/ocular/core"
)

// plateFields lists a plate's runs, wells, well samples and their images
// (BrowseRequest.Fields), so that the plate grid is drawn from one read
// instead of one Browse per well.
func (d *ctxData) plateFields(plate core.ID) ([]core.ObjectView, error) {
	q := core.NewQuery(core.PlateAcquisition, core.Well)
	q.Parent = plate
	out, err := d.visible(q)
	if err == nil {
		err = d.countChildren(out) // a well's fields, shown in its details
	}
	if err != nil {
		return nil, err
	}
	var imageIDs []core.ID
	for _, w := range out {
		if w.Class != core.Well {
			continue
		}
		sq := core.NewQuery(core.WellSample)
		sq.Parent = w.ID
		samples, err := d.visible(sq)
		if err != nil {
			return nil, err
		}
		for _, s := range samples {
			imageIDs = append(imageIDs, s.Child)
		}
		out = append(out, samples...)
	}
	// In batches, below SQLite's limit on bound parameters.
	for start := 0; start < len(imageIDs); start += 500 {
		iq := core.NewQuery(core.Image)
		iq.IDs = imageIDs[start:min(start+500, len(imageIDs))]
		imgs, err := d.visible(iq)
		if err != nil {
			return nil, err
		}
		out = append(out, imgs...)
	}
	return out, nil
}
