package server

// Rendering settings over the wire (core.Rendering) under Ocular's prefix,
// with the whole render.Settings as JSON: what Ocular's own client needs.
// OMERO clients get the same use cases in webgateway's words
// (saveImgRDef, copyImgRDef...) from routes_gateway.go.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// routesRenderingSettings registers the rendering-settings routes (called
// from routesJobs).
func (s *Server) routesRenderingSettings() {
	const p = "/ocular/v1/images/{image}/rendering"
	s.handle("GET "+p+"/viewer", s.rsImageGet(core.Session.ViewerRendering))
	s.handle("GET "+p+"/thumbnail", s.rsImageGet(core.Session.ThumbnailRendering))
	s.handle("GET "+p+"/defs", s.rsDefs)
	s.handle("PUT "+p, s.rsSave(core.Session.SaveRendering))
	s.handle("PUT "+p+"/owner", s.rsSave(core.Session.SaveRenderingAsOwner))
	s.handle("POST "+p+"/paste", s.rsPaste)
	s.handle("POST "+p+"/save-to-all", s.rsSaveToAll)
	s.handle("POST /ocular/v1/rendering/reset", s.rsBatch(core.Session.ResetRendering))
	s.handle("POST /ocular/v1/rendering/owners", s.rsBatch(core.Session.SetOwnersRendering))
	s.handle("POST /ocular/v1/rendering/windows", s.rsWindows)
	s.handle("POST /ocular/v1/rendering/channel-names", s.rsChannelNames)
	s.handle("GET /ocular/v1/images/{image}/pixel-source", s.rsPixelSource)
}

// rsImage is the {image} of the path.
func rsImage(r *http.Request) (core.Ref, error) {
	id, err := strconv.ParseInt(r.PathValue("image"), 10, 64)
	if err != nil || id <= 0 {
		return core.Ref{}, core.Errorf("render", core.Invalid, "%q is not an image ID: write a number, as in /ocular/v1/images/42/rendering", r.PathValue("image"))
	}
	return core.Ref{Class: core.Image, ID: core.ID(id)}, nil
}

type rsGetFunc func(core.Session, context.Context, core.Ref) (core.RenderingDefView, error)

func (s *Server) rsImageGet(fn rsGetFunc) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		im, err := rsImage(r)
		if err == nil {
			var v core.RenderingDefView
			if v, err = fn(sess, r.Context(), im); err == nil {
				writeJSON(w, http.StatusOK, v)
				return
			}
		}
		writeError(w, err)
	}
}

func (s *Server) rsDefs(w http.ResponseWriter, r *http.Request, sess core.Session) {
	im, err := rsImage(r)
	if err == nil {
		var vs []core.RenderingDefView
		if vs, err = sess.RenderingDefs(r.Context(), im); err == nil {
			if vs == nil {
				vs = []core.RenderingDefView{}
			}
			writeJSON(w, http.StatusOK, vs)
			return
		}
	}
	writeError(w, err)
}

type rsSaveFunc func(core.Session, context.Context, core.Ref, render.Settings) (core.RenderingDefView, error)

func (s *Server) rsSave(fn rsSaveFunc) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		im, err := rsImage(r)
		if err == nil {
			var set render.Settings
			if err = s.decodeJSON(r, &set); err == nil {
				var v core.RenderingDefView
				if v, err = fn(sess, r.Context(), im, set); err == nil {
					writeJSON(w, http.StatusOK, v)
					return
				}
			}
		}
		writeError(w, err)
	}
}

// writeRenderingResult answers a batch's outcome (empty lists, not null).
func writeRenderingResult(w http.ResponseWriter, res core.RenderingResult, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	if res.Changed == nil {
		res.Changed = []core.Ref{}
	}
	if res.Skipped == nil {
		res.Skipped = []core.SkippedImage{}
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) rsPaste(w http.ResponseWriter, r *http.Request, sess core.Session) {
	im, err := rsImage(r)
	var req wire.RenderingTargets
	if err == nil {
		err = s.decodeJSON(r, &req)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	res, err := sess.PasteRendering(r.Context(), im, req.Targets)
	writeRenderingResult(w, res, err)
}

func (s *Server) rsSaveToAll(w http.ResponseWriter, r *http.Request, sess core.Session) {
	im, err := rsImage(r)
	var req wire.SaveToAllRequest
	if err == nil {
		err = s.decodeJSON(r, &req)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	res, err := sess.SaveRenderingToAll(r.Context(), im, req.Settings, req.Container)
	writeRenderingResult(w, res, err)
}

type rsBatchFunc func(core.Session, context.Context, []core.Ref) (core.RenderingResult, error)

func (s *Server) rsBatch(fn rsBatchFunc) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		var req wire.RenderingTargets
		if err := s.decodeJSON(r, &req); err != nil {
			writeError(w, err)
			return
		}
		res, err := fn(sess, r.Context(), req.Targets)
		writeRenderingResult(w, res, err)
	}
}

func (s *Server) rsWindows(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var req wire.WindowsRequest
	if err := s.decodeJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	res, err := sess.SetRenderingWindows(r.Context(), req.Targets, req.Mode)
	writeRenderingResult(w, res, err)
}

func (s *Server) rsChannelNames(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var req wire.ChannelNamesRequest
	if err := s.decodeJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	res, err := sess.RenameChannels(r.Context(), req.Target, req.Names)
	writeRenderingResult(w, res, err)
}

// rsPixelSource answers where an image's pixels are, without the server's
// paths: a client never learns them (and reads pixels through the
// rendering and OME-Zarr routes).
func (s *Server) rsPixelSource(w http.ResponseWriter, r *http.Request, sess core.Session) {
	im, err := rsImage(r)
	if err == nil {
		var ps core.PixelSource
		if ps, err = sess.PixelSource(r.Context(), im); err == nil {
			ps.Files, ps.Root = []string{}, ""
			writeJSON(w, http.StatusOK, ps)
			return
		}
	}
	writeError(w, err)
}
