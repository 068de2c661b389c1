package server

// routesOMERO registers the routes of routes_omero.go.
func (s *Server) routesOMERO() {}
