// Package async is the one seam through which background work reaches
// widgets. Since Fyne 2.6 every widget call must run on the UI goroutine;
// work that reads the repository runs elsewhere and hands back a function
// that applies its result, and the Runner calls that function on the UI
// goroutine (fyne.Do). Tests use Immediate, which runs both halves at once on
// the test's goroutine, so what the window shows can be asserted right after
// an action, without waiting.
package async

import "fyne.io/fyne/v2"

// Runner moves work off the UI goroutine and results back onto it.
type Runner struct{ immediate bool }

// Fyne is the production runner: work on a new goroutine, results via fyne.Do.
var Fyne = Runner{}

// Immediate runs everything on the calling goroutine (tests).
var Immediate = Runner{immediate: true}

// Go runs work away from the UI goroutine and then runs the function it
// returns (if not nil) on the UI goroutine. work must not touch widgets.
func (r Runner) Go(work func() (apply func())) {
	if r.immediate {
		if apply := work(); apply != nil {
			apply()
		}
		return
	}
	go func() {
		if apply := work(); apply != nil {
			fyne.Do(apply)
		}
	}()
}

// Do runs apply on the UI goroutine; background work uses it to report
// progress before it ends.
func (r Runner) Do(apply func()) {
	if r.immediate {
		apply()
		return
	}
	fyne.Do(apply)
}
