package render

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/ocular-lab/ocular/assets"
)

// LUT is a lookup table: the colour shown for each output level 0..255.
type LUT struct {
	Name    string // canonical name, e.g. "fire", "16_colors"
	R, G, B [256]uint8
}

var (
	lutOnce  sync.Once
	lutByKey map[string]*LUT
	lutNames []string
	lutErr   error
)

// aliases maps other spellings users bring from ImageJ, Fiji and OMERO to the
// canonical file names (after normalisation by lutKey).
var aliases = map[string]string{
	"grays": "greys", "gray": "greys", "grey": "greys",
	"hot": "red_hot", "hi_lo": "hilo",
}

// lutKey normalises a user-given name: case-insensitive, spaces and dashes
// as underscores, an optional ".lut" suffix (OMERO stores "fire.lut").
func lutKey(name string) string {
	k := strings.ToLower(strings.TrimSpace(name))
	k = strings.TrimSuffix(k, ".lut")
	k = strings.NewReplacer(" ", "_", "-", "_").Replace(k)
	if a, ok := aliases[k]; ok {
		return a
	}
	return k
}

func loadLUTs() {
	lutByKey = map[string]*LUT{}
	entries, err := fs.ReadDir(assets.LUTs, "luts")
	if err != nil {
		lutErr = fmt.Errorf("reading embedded lookup tables: %w", err)
		return
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lut") {
			continue
		}
		b, err := fs.ReadFile(assets.LUTs, path.Join("luts", e.Name()))
		if err != nil || len(b) != 768 {
			lutErr = fmt.Errorf("embedded lookup table %s is damaged (want 768 bytes)", e.Name())
			return
		}
		l := &LUT{Name: strings.TrimSuffix(e.Name(), ".lut")}
		copy(l.R[:], b[0:256])
		copy(l.G[:], b[256:512])
		copy(l.B[:], b[512:768])
		lutByKey[l.Name] = l
		lutNames = append(lutNames, l.Name)
	}
	sort.Strings(lutNames)
}

// LUTNames lists the canonical names of the lookup tables, sorted.
func LUTNames() []string {
	lutOnce.Do(loadLUTs)
	return append([]string(nil), lutNames...)
}

// LookupLUT finds a lookup table by name, case-insensitively, accepting
// ImageJ-style names ("Fire", "16 colors", "Red Hot") and OMERO's file names
// ("fire.lut"). The returned table is shared: do not modify it.
func LookupLUT(name string) (*LUT, error) {
	lutOnce.Do(loadLUTs)
	if lutErr != nil {
		return nil, lutErr
	}
	if l, ok := lutByKey[lutKey(name)]; ok {
		return l, nil
	}
	return nil, fmt.Errorf("unknown lookup table %q; known: %s", name, strings.Join(lutNames, ", "))
}
