package server

// routesGateway registers the routes of routes_gateway.go.
func (s *Server) routesGateway() {}
