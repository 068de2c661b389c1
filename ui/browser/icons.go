package browser

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ocular-lab/ocular/assets"
	"github.com/ocular-lab/ocular/core"
)

var (
	iconsOnce sync.Once
	icons     map[core.Class]fyne.Resource
)

// classIcon is the tree icon of a class, from assets/icons.
func classIcon(c core.Class) fyne.Resource {
	iconsOnce.Do(func() {
		icons = map[core.Class]fyne.Resource{}
		for class, name := range map[core.Class]string{
			core.Project: "project", core.Dataset: "dataset", core.Image: "image",
			core.Screen: "screen", core.Plate: "plate", core.Well: "well",
			core.OrphanedImages: "orphaned",
		} {
			b, err := assets.Icons.ReadFile("icons/" + name + ".svg")
			if err == nil {
				icons[class] = fyne.NewStaticResource(name+".svg", b)
			}
		}
	})
	if r, ok := icons[c]; ok {
		return r
	}
	if c == core.ClassExperimenter {
		return theme.AccountIcon() // an owner's node in "All members"
	}
	return theme.FileIcon()
}

// AppIcon is Ocular's window icon.
func AppIcon() fyne.Resource {
	b, err := assets.Icons.ReadFile("icons/ocular.png")
	if err != nil {
		return theme.FyneLogo()
	}
	return fyne.NewStaticResource("ocular.png", b)
}
