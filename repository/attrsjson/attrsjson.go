// Package attrsjson decodes the attrs column both repositories store as JSON
// text. Listing a dataset decodes one attrs value per image, and the values
// of a dataset's images are mostly the same few (an image's series number),
// so a Decoder remembers what it decoded and hands out copies: copying a
// small map is several times cheaper than decoding its JSON again.
package attrsjson

import (
	"encoding/json"
	"maps"
)

// memoLimit bounds what one Decoder remembers, so that a scan whose values
// are all different keeps no more than this many.
const memoLimit = 64

// Decoder decodes attrs values; one serves the rows of one query and is
// not safe for concurrent use.
type Decoder struct {
	memo map[string]map[string]any
}

// Decode returns the map the JSON text s holds, exactly as json.Unmarshal
// would into a nil map[string]any. Every call returns a map of its own,
// so that a caller changing one object's attributes changes no other's.
func (d *Decoder) Decode(s string) (map[string]any, error) {
	if m, ok := d.memo[s]; ok {
		return maps.Clone(m), nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	// Only maps of plain values are remembered: a copy shares its values
	// with the remembered map, which is harmless for strings, numbers and
	// booleans but not for nested maps or lists a caller might change.
	if flat(m) && len(d.memo) < memoLimit {
		if d.memo == nil {
			d.memo = make(map[string]map[string]any)
		}
		d.memo[s] = maps.Clone(m)
	}
	return m, nil
}

func flat(m map[string]any) bool {
	for _, v := range m {
		switch v.(type) {
		case string, float64, bool, nil:
		default:
			return false
		}
	}
	return true
}
