package server

// routesOcular registers the routes of routes_ocular.go.
func (s *Server) routesOcular() {}
