package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// webgateway's rendering-settings routes (saveImgRDef, get_image_rdefs_json,
// copyImgRDef, resetRDef, applyOwnersRDef) and webclient's
// edit_channel_names, over core.Rendering: every rule (who may keep
// settings where, paste compatibility) is core's.

func (s *Server) routesRenderingDefs() {
	g := wire.GatewayPrefix
	s.handle("POST "+g+"saveImgRDef/{image}/", s.saveImgRDef)
	s.handle("GET "+g+"get_image_rdefs_json/{image}/", s.getImageRDefs)
	s.handle("POST "+g+"copyImgRDef/", s.copyImgRDef)
	s.handle("POST "+g+"resetRDef/", s.resetRDef)
	s.handle("POST "+g+"applyOwnersRDef/", s.applyOwnersRDef)
	s.handle("POST /webclient/edit_channel_names/{image}/", s.editChannelNames)
}

// settingsPlan is an image's viewer settings with the request's
// rendering parameters applied.
type settingsPlan struct {
	info     core.PixelsInfo
	chs      []core.ChannelInfo
	def      core.RenderingDefView
	settings render.Settings
}

// settingsFor reads img's viewer settings for sess (NotFound when hidden)
// and applies the rendering parameters of r's query and form.
func (s *Server) settingsFor(r *http.Request, sess core.Session, img core.Ref) (*settingsPlan, error) {
	info, chs, err := sess.ImageDetails(r.Context(), img)
	if err != nil {
		return nil, err
	}
	def, err := sess.ViewerRendering(r.Context(), img)
	if err != nil {
		return nil, err
	}
	sp := &settingsPlan{info: info, chs: chs, def: def, settings: def.Settings.Clone()}
	if r.Form == nil { // a GET: the query alone
		r.Form = r.URL.Query()
	}
	if err := applyRenderParams(&sp.settings, r.Form, info); err != nil {
		return nil, err
	}
	return sp, nil
}

// parseForm reads the query and a form body of at most MaxBody bytes into
// r.Form.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.limits.MaxBody)
	if err := r.ParseForm(); err != nil {
		return core.Errorf("", core.Invalid, "the request's parameters cannot be read: %v", err)
	}
	return nil
}

// saveImgRDef saves the viewer's settings with the parameters c, m, p,
// maps and z, t (1-based, as OMERO.web sends them) as the caller's own.
func (s *Server) saveImgRDef(w http.ResponseWriter, r *http.Request, sess core.Session) {
	if err := s.parseForm(w, r); err != nil {
		writeError(w, err)
		return
	}
	img, err := imageRef(r)
	if err != nil {
		writeError(w, err)
		return
	}
	sp, err := s.settingsFor(r, sess, img)
	if err != nil {
		writeError(w, err)
		return
	}
	for _, k := range []struct {
		name string
		size int
		dst  *int
	}{{"z", sp.info.SizeZ, &sp.settings.DefaultZ}, {"t", sp.info.SizeT, &sp.settings.DefaultT}} {
		v := r.Form.Get(k.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > k.size {
			writeError(w, core.Errorf("", core.Invalid, "%s=%s must be a plane from 1 to %d (counted from 1)", k.name, v, k.size))
			return
		}
		*k.dst = n - 1
	}
	if _, err := sess.SaveRendering(r.Context(), img, sp.settings); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, true)
}

// rdefJSON is one user's settings as get_image_rdefs_json lists them.
type rdefJSON struct {
	ID         core.ID         `json:"id"`
	Owner      rdefOwner       `json:"owner"`
	Channels   []rdefChannel   `json:"c"`
	Model      string          `json:"model"`
	Z          int             `json:"z"`
	T          int             `json:"t"`
	InvertAxis bool            `json:"invertAxis"`
	Projection string          `json:"projection"`
	Settings   render.Settings `json:"ocular:settings"`
}

type rdefOwner struct {
	ID   core.ID `json:"id"`
	Name string  `json:"name"`
}

type rdefChannel struct {
	Active   bool    `json:"active"`
	Start    float64 `json:"start"`
	End      float64 `json:"end"`
	Color    string  `json:"color"`
	Inverted bool    `json:"inverted"`
}

func omeroModel(m render.Model) string {
	if m == render.Greyscale {
		return "greyscale"
	}
	return "color"
}

func omeroProjection(p *render.Projection) string {
	if p == nil || p.Kind == render.ProjectNone {
		return "normal"
	}
	return fmt.Sprintf("int%s|%d:%d", p.Kind, p.StartZ, p.EndZ)
}

func channelColor(c render.ChannelSettings) string {
	if c.LUT != "" {
		return c.LUT + ".lut"
	}
	return c.Color.Hex()
}

// getImageRDefs is get_image_rdefs_json/{image}/: every user's settings
// on the image, the owner's first.
func (s *Server) getImageRDefs(w http.ResponseWriter, r *http.Request, sess core.Session) {
	img, err := imageRef(r)
	if err != nil {
		writeError(w, err)
		return
	}
	defs, err := sess.RenderingDefs(r.Context(), img)
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]rdefJSON, 0, len(defs))
	for _, d := range defs {
		j := rdefJSON{ID: d.Def.ID, Owner: rdefOwner{ID: d.Owner, Name: d.OwnerName}, Model: omeroModel(d.Settings.Model),
			Z: d.Settings.DefaultZ, T: d.Settings.DefaultT, Projection: omeroProjection(d.Settings.Projection), Settings: d.Settings,
			Channels: make([]rdefChannel, 0, len(d.Settings.Channels))}
		for _, c := range d.Settings.Channels {
			j.Channels = append(j.Channels, rdefChannel{Active: c.Active, Start: c.Start, End: c.End, Color: channelColor(c), Inverted: c.Reverse})
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"rdefs": out})
}

// maxTargets bounds toids= of one request.
const maxTargets = 500

// targetClasses maps OMERO.web's to_type to Ocular's classes.
var targetClasses = map[string]core.Class{
	"image": core.Image, "dataset": core.Dataset, "project": core.Project,
	"plate": core.Plate, "acquisition": core.PlateAcquisition, "screen": core.Screen,
}

// targets parses to_type (default image) and toids (repeated or
// comma-separated).
func targets(r *http.Request) ([]core.Ref, error) {
	typ := r.Form.Get("to_type")
	if typ == "" {
		typ = "image"
	}
	class, ok := targetClasses[strings.ToLower(typ)]
	if !ok {
		return nil, core.Errorf("", core.Invalid, "to_type=%s is not one of image, dataset, project, plate, acquisition, screen", typ)
	}
	var out []core.Ref
	for _, v := range r.Form["toids"] {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil || id <= 0 {
				return nil, core.Errorf("", core.Invalid, "toids=%s is not a list of IDs", v)
			}
			if len(out) == maxTargets {
				return nil, core.Errorf("", core.Invalid, "give at most %d toids per request", maxTargets)
			}
			out = append(out, core.Ref{Class: class, ID: core.ID(id)})
		}
	}
	if len(out) == 0 {
		return nil, core.Errorf("", core.Invalid, "toids= must name the %ss to change", typ)
	}
	return out, nil
}

// resultJSON is OMERO.web's answer to a batch of settings: the images
// changed under "True", those left unchanged under "False", with
// Ocular's reasons.
func resultJSON(res core.RenderingResult) map[string]any {
	ok := make([]core.ID, 0, len(res.Changed))
	for _, r := range res.Changed {
		ok = append(ok, r.ID)
	}
	no := make([]core.ID, 0, len(res.Skipped))
	for _, sk := range res.Skipped {
		no = append(no, sk.Image.ID)
	}
	skipped := res.Skipped
	if skipped == nil {
		skipped = []core.SkippedImage{}
	}
	return map[string]any{"True": ok, "False": no, "ocular:skipped": skipped}
}

// copyImgRDef is copyImgRDef/?fromid=&toids=&to_type=: "Paste and Save".
func (s *Server) copyImgRDef(w http.ResponseWriter, r *http.Request, sess core.Session) {
	if err := s.parseForm(w, r); err != nil {
		writeError(w, err)
		return
	}
	from, err := strconv.ParseInt(r.Form.Get("fromid"), 10, 64)
	if err != nil || from <= 0 {
		writeError(w, core.Errorf("", core.Invalid, "fromid= must be the ID of the image whose settings to copy"))
		return
	}
	tgts, err := targets(r)
	if err != nil {
		writeError(w, err)
		return
	}
	res, err := sess.PasteRendering(r.Context(), core.Ref{Class: core.Image, ID: core.ID(from)}, tgts)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, resultJSON(res))
}

// resetRDef is resetRDef/ (to_type, toids): "Set Imported and Save".
func (s *Server) resetRDef(w http.ResponseWriter, r *http.Request, sess core.Session) {
	s.batchRDef(w, r, sess.ResetRendering)
}

// applyOwnersRDef is applyOwnersRDef/ (to_type, toids): "Set Owner's and
// Save".
func (s *Server) applyOwnersRDef(w http.ResponseWriter, r *http.Request, sess core.Session) {
	s.batchRDef(w, r, sess.SetOwnersRendering)
}

func (s *Server) batchRDef(w http.ResponseWriter, r *http.Request, op func(context.Context, []core.Ref) (core.RenderingResult, error)) {
	if err := s.parseForm(w, r); err != nil {
		writeError(w, err)
		return
	}
	tgts, err := targets(r)
	if err != nil {
		writeError(w, err)
		return
	}
	res, err := op(r.Context(), tgts)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, resultJSON(res))
}

// maxChannelName bounds one channel name sent to edit_channel_names.
const maxChannelName = 1024

// editChannelNames is webclient's edit_channel_names/{image}/: channel0 ..
// channelN name the image's channels ("" or absent keeps a name); with
// confirm_apply and parentId=dataset-ID or plate-ID every image of that
// container is renamed too ("apply to all").
func (s *Server) editChannelNames(w http.ResponseWriter, r *http.Request, sess core.Session) {
	if err := s.parseForm(w, r); err != nil {
		writeError(w, err)
		return
	}
	img, err := imageRef(r)
	if err != nil {
		writeError(w, err)
		return
	}
	info, _, err := sess.ImageDetails(r.Context(), img)
	if err != nil {
		writeError(w, err)
		return
	}
	names := make([]string, info.SizeC)
	for i := range names {
		names[i] = strings.TrimSpace(r.Form.Get(fmt.Sprintf("channel%d", i)))
		if len(names[i]) > maxChannelName {
			writeError(w, core.Errorf("", core.Invalid, "the name of channel %d is longer than %d characters", i, maxChannelName))
			return
		}
	}
	target := img
	if r.Form.Get("confirm_apply") != "" && r.Form.Get("confirm_apply") != "false" {
		p := r.Form.Get("parentId")
		typ, idText, _ := strings.Cut(p, "-")
		id, err := strconv.ParseInt(idText, 10, 64)
		class := map[string]core.Class{"dataset": core.Dataset, "plate": core.Plate}[typ]
		if err != nil || id <= 0 || class == "" {
			writeError(w, core.Errorf("", core.Invalid, "parentId=%s must name the dataset or plate to apply the names to, e.g. dataset-12", p))
			return
		}
		target = core.Ref{Class: class, ID: core.ID(id)}
	}
	res, err := sess.RenameChannels(r.Context(), target, names)
	if err != nil {
		writeError(w, err)
		return
	}
	body := resultJSON(res)
	body["channelNames"] = names
	body["imageCount"] = len(res.Changed) + len(res.Skipped)
	body["updateCount"] = len(res.Changed)
	writeJSON(w, http.StatusOK, body)
}
