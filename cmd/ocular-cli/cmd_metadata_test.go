package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/internal/realdata"
)

func TestMetadataShowsAndDownloadsWhatTheFileSaid(t *testing.T) {
	real := realdata.Dir(t)
	c := newLab(t)
	ada := c.as("ada")
	out := ada.ok("import", filepath.Join(real, "ome-tiff", "aicsimageio", "s_1_t_1_c_1_z_1.ome.tiff"))
	img := regexp.MustCompile(`Image:\d+`).FindString(out)
	md := ada.ok("metadata", img)
	for _, want := range []string{"[objective]", "Plan-Apochromat 20x/0.8 M27", "Lens NA = 0.8", "[Planes]", "ExposureTime=10", "[Original metadata]"} {
		if !strings.Contains(md, want) {
			t.Errorf("metadata lacks %q", want)
		}
	}
	file := filepath.Join(t.TempDir(), "original_metadata.txt")
	ada.ok("metadata", img, "--original", "-o", file)
	b, err := os.ReadFile(file)
	if err != nil || !strings.HasPrefix(string(b), "[Original metadata]") || strings.Contains(string(b), "[objective]") {
		t.Errorf("downloaded original metadata: %v\n%.200s", err, b)
	}
	ada.failsWith(ExitUsage, "Image:ID", "metadata", "Dataset:1")
	ada.failsWith(1, "not found", "metadata", "Image:99999")
}
