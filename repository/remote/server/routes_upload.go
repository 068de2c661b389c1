package server

// routesUpload registers the routes of routes_upload.go.
func (s *Server) routesUpload() {}

// ImportRequest is what a client asks to import from its finished uploads.
type ImportRequest struct {
	Uploads []string `json:"uploads"`
}

// ImportResponse is what an import made.
type ImportResponse struct{}
