package server

import (
	"net/http"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// maxAnnotationsBatch bounds one batch read (the grid's filters read 500
// images at a time).
const maxAnnotationsBatch = 500

// routesAnnotationsBatch registers the batch read of annotations
// (core.AnnotationsBatch) the grid's filters use: one request per 500
// images instead of one per image.
func (s *Server) routesAnnotationsBatch() {
	s.handle("POST /ocular/v1/annotations", s.annotationsBatch)
}

func (s *Server) annotationsBatch(w http.ResponseWriter, r *http.Request, sess core.Session) {
	refs, err := s.refs(r)
	if err != nil {
		writeError(w, err)
		return
	}
	if len(refs) > maxAnnotationsBatch {
		writeError(w, core.Errorf("annotations", core.Invalid, "ask for the annotations of at most %d objects at a time", maxAnnotationsBatch))
		return
	}
	var lists [][]core.AnnotationOn
	if b, ok := sess.(core.AnnotationsBatch); ok {
		lists, err = b.AnnotationsOf(r.Context(), refs)
	} else {
		lists = make([][]core.AnnotationOn, len(refs))
		for i, ref := range refs {
			as, aerr := sess.Annotations(r.Context(), ref)
			if aerr != nil && !core.Is(core.NotFound, aerr) {
				err = aerr
				break
			}
			lists[i] = as
		}
	}
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([][]wire.AnnotationOn, len(lists))
	for i, as := range lists {
		out[i] = wire.FromAnnotations(as)
	}
	writeJSON(w, http.StatusOK, out)
}
