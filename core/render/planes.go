package render

import "github.com/ocular-lab/ocular/core/pixel"

// GatherPlanes reads the planes that rendering s needs, one per channel of s
// (nil for channels that are not shown): the plane at DefaultZ and DefaultT,
// or, when s has a projection, the projection of its Z range. read is called
// once per plane needed, from this goroutine.
func GatherPlanes(s *Settings, read func(z, c, t int) (*pixel.Plane, error)) ([]*pixel.Plane, error) {
	planes := make([]*pixel.Plane, len(s.Channels))
	for c := range s.Channels {
		if !s.Channels[c].Active {
			continue
		}
		var err error
		if pr := s.Projection; pr != nil && pr.Kind != ProjectNone {
			stack := make([]*pixel.Plane, 0, pr.EndZ-pr.StartZ+1)
			for z := pr.StartZ; z <= pr.EndZ; z++ {
				p, err := read(z, c, s.DefaultT)
				if err != nil {
					return nil, err
				}
				stack = append(stack, p)
			}
			planes[c], err = Project(stack, pr.Kind)
		} else {
			planes[c], err = read(s.DefaultZ, c, s.DefaultT)
		}
		if err != nil {
			return nil, err
		}
		if s.Model == Greyscale {
			break // only the first active channel is shown
		}
	}
	return planes, nil
}
