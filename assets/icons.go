package assets

import "embed"

// Icons holds icons/<name>.svg, one icon per kind of node in the data tree
// (project, dataset, image, screen, plate, well, orphaned), and the app
// icon as icons/ocular.png (rendered from ocular.svg, whose ring Fyne's SVG
// renderer does not draw; FyneApp.toml uses the same PNG).
//
//go:embed icons/*.svg icons/ocular.png
var Icons embed.FS
