package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/pixel"
)

// imgData/{image}/[{key}/]: the image as OMERO.web's viewers open it
// (webgateway marshal.imageMarshal): sizes, pixel sizes, channels with the
// caller's viewer settings, and for images with several resolution levels
// the tiles, levels, resolutions and zoom scaling a tiled viewer needs.
// imgData/{image}/{key}/ answers one key of it; the key
// "original_metadata" (not in the whole answer, it can be long) answers
// the key/value pairs import kept from the file's own metadata.

// imgData serves the route.
func (s *Server) imgData(w http.ResponseWriter, r *http.Request, sess core.Session) {
	img, err := imageRef(r)
	if err != nil {
		writeError(w, err)
		return
	}
	ctx := r.Context()
	obj, err := sess.Get(ctx, img)
	if err != nil {
		writeError(w, err)
		return
	}
	key := r.PathValue("key")
	if key == "original_metadata" {
		writeJSON(w, http.StatusOK, originalMetadata(obj))
		return
	}
	sp, err := s.settingsFor(r, sess, img)
	if err != nil {
		writeError(w, err)
		return
	}
	var levels []levelSize
	if s.cfg.Pictures != nil {
		ls, err := s.cfg.Pictures(sess).Levels(ctx, img)
		if err == nil {
			for _, l := range ls {
				levels = append(levels, levelSize{l.X, l.Y})
			}
		}
	}
	out := imageMarshal(obj, sp, levels)
	if key == "" {
		writeJSON(w, http.StatusOK, out)
		return
	}
	v, ok := out[key]
	if !ok {
		writeError(w, core.Errorf("", core.NotFound, "imgData has no key %q", key))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

type levelSize struct{ x, y int }

// originalMetadata is OMERO.web's original metadata shape: global
// key/value pairs as [key, value] lists (Ocular keeps one list per image).
func originalMetadata(obj core.ObjectView) map[string]any {
	pairs := [][2]string{}
	list, _ := obj.Attrs["originalMetadata"].([]any)
	for _, e := range list {
		p, ok := e.([]any)
		if !ok || len(p) != 2 {
			continue
		}
		k, _ := p[0].(string)
		pairs = append(pairs, [2]string{k, fmt.Sprint(p[1])})
	}
	return map[string]any{"global_metadata": pairs, "series_metadata": [][2]string{}}
}

// imageMarshal builds imgData's JSON.
func imageMarshal(obj core.ObjectView, sp *settingsPlan, levels []levelSize) map[string]any {
	info, st := sp.info, sp.settings
	lo, hi := 0.0, 0.0
	if t, err := pixel.ParseType(info.PixelType); err == nil {
		lo, hi = t.Range()
	}
	names := map[int]core.ChannelInfo{}
	for _, c := range sp.chs {
		names[c.Index] = c
	}
	channels := make([]map[string]any, 0, len(st.Channels))
	for i, c := range st.Channels {
		ci := names[i]
		label := c.Label
		if label == "" {
			label = ci.Name
		}
		if label == "" {
			label = strconv.Itoa(i)
		}
		min, max := lo, hi
		if ci.HasStats {
			min, max = ci.StatsMin, ci.StatsMax
		}
		ch := map[string]any{"label": label, "color": c.Color.Hex(), "inverted": c.Reverse, "reverseIntensity": c.Reverse,
			"family": string(c.Family), "coefficient": c.Coefficient, "active": c.Active,
			"window": map[string]float64{"min": min, "max": max, "start": c.Start, "end": c.End}}
		if ci.EmissionWavelength > 0 {
			ch["emissionWave"] = ci.EmissionWavelength
		} else {
			ch["emissionWave"] = nil
		}
		if c.LUT != "" {
			ch["lut"] = c.LUT
		}
		channels = append(channels, ch)
	}
	physical := func(v float64) any {
		if v > 0 {
			return v
		}
		return nil
	}
	owner := obj.OwnerName
	out := map[string]any{
		"id": obj.ID,
		"meta": map[string]any{"imageName": obj.Name, "imageDescription": obj.Description, "imageAuthor": owner, "imageArchived": false,
			"projectName": nil, "projectId": nil, "datasetName": nil, "datasetId": nil, "wellId": nil, "wellSampleId": nil,
			"imageTimestamp": obj.Created.Unix(), "imageId": obj.ID, "pixelsType": info.PixelType},
		"perms":       map[string]bool{"canAnnotate": obj.Flags.CanAnnotate, "canEdit": obj.Flags.CanEdit, "canDelete": obj.Flags.CanDelete, "canLink": obj.Flags.CanLink},
		"tiles":       len(levels) > 1,
		"interpolate": true,
		"size":        map[string]int{"width": info.SizeX, "height": info.SizeY, "z": info.SizeZ, "t": info.SizeT, "c": info.SizeC},
		"pixel_size":  map[string]any{"x": physical(info.PhysicalSizeX), "y": physical(info.PhysicalSizeY), "z": physical(info.PhysicalSizeZ)},
		"pixel_range": []float64{lo, hi},
		"channels":    channels,
		"rdefs": map[string]any{"model": omeroModel(st.Model), "projection": omeroProjection(st.Projection),
			"defaultZ": st.DefaultZ, "defaultT": st.DefaultT, "invertAxis": false},
	}
	if len(levels) > 1 {
		res := map[string]map[string]int{}
		scale := map[string]float64{}
		for i, l := range levels {
			k := strconv.Itoa(i)
			res[k] = map[string]int{"sizeX": l.x, "sizeY": l.y}
			scale[k] = float64(l.x) / float64(max(1, levels[0].x))
		}
		out["tile_size"] = map[string]int{"width": defaultTile, "height": defaultTile}
		out["levels"] = len(levels)
		out["resolutions"] = res
		out["zoomLevelScaling"] = scale
		out["init_zoom"] = 0
	}
	return out
}
