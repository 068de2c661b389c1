package server

// routesAuth registers the routes of routes_auth.go.
func (s *Server) routesAuth() {}
