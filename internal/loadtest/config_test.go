package loadtest

import (
	"path/filepath"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// serverConfig is the server as `ocular-cli serve` composes it.
func serverConfig(svc core.Service, dir string) server.Config {
	return server.Config{Service: svc, UploadDir: filepath.Join(dir, "uploads")}
}
