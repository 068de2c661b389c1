package server

// routesZarr registers the routes of routes_zarr.go.
func (s *Server) routesZarr() {}
