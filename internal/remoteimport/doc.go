// Package remoteimport holds the end-to-end tests of importing through a
// server: app/importer on the client, a remote session over HTTPS, and the
// server importing the upload with app/importer.ServeImport into its
// repository. It lives apart because only a test may join the app layer and
// both ends of the wire in one program (cmd/ocular-cli does it for real).
package remoteimport
