package assets

import "embed"

// Icons holds icons/<name>.svg: the app icon (ocular.svg) and one icon per
// kind of node in the data tree (project, dataset, image, screen, plate,
// well, orphaned).
//
//go:embed icons/*.svg
var Icons embed.FS
