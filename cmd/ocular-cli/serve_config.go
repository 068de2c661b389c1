package main

import (
	"path/filepath"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// serverDir is the folder inside a repository that belongs to `serve`: its
// generated certificate and the uploads in progress.
func serverDir(repoDir string) string { return filepath.Join(repoDir, "server") }

// serverConfig is the one place the served repository's server.Config is
// put together: the in-process service, and the uploads kept inside the
// repository so a restarted server resumes them. Rendering (Pictures, Raw)
// and import (Import) come from the app layer's adapters over the same
// repository folder.
func serverConfig(svc core.Service, repoDir string) server.Config {
	return server.Config{
		Service:   svc,
		UploadDir: filepath.Join(serverDir(repoDir), "uploads"),
	}
}
