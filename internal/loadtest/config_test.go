package loadtest

import (
	"path/filepath"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// serverConfig is the server as `ocular-cli serve` composes it
// (cmd/ocular-cli/serve_config.go).
func serverConfig(svc core.Service, dir string) server.Config {
	return server.Config{
		Service:   svc,
		UploadDir: filepath.Join(dir, "server", "uploads"),
		Pictures:  rendering.ServerPictures(dir),
		Raw:       rendering.ServerRaw(dir),
		Import: importer.ServeImport(importer.Config{Open: detect.Open, Supported: detect.Supported,
			Thumbs: thumbcache.ForRepository(dir), Pyramids: pyramid.ForRepository(dir)}),
	}
}
