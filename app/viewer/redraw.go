package viewer

// Redraw coalesces redraws: at most one runs at a time, and requests made
// while one runs collapse into a single redraw of the latest state when it
// finishes. A slider dragged faster than the image can be drawn thus never
// queues stale pictures: the image follows the slider, skipping the states
// it had no time to show.
//
// Its owner calls Request on every change and, when it returns true,
// starts a redraw of the state as it is then; when that redraw ends it
// calls Done and, when that returns true, starts another one at once.
// Both run on the owner's goroutine.
type Redraw struct {
	running, again bool
}

// Request asks for a redraw; true means start one now.
func (r *Redraw) Request() bool {
	if r.running {
		r.again = true
		return false
	}
	r.running = true
	return true
}

// Done ends the running redraw; true means the state changed meanwhile:
// start one more now.
func (r *Redraw) Done() bool {
	if r.again {
		r.again = false
		return true
	}
	r.running = false
	return false
}

// Running reports whether a redraw is under way.
func (r *Redraw) Running() bool { return r.running }
