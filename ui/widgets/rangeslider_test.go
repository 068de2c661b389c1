package widgets_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/ui/widgets"
)

func newSlider(t *testing.T) (*widgets.RangeSlider, *[][2]float64, *int) {
	t.Helper()
	test.NewTempApp(t)
	s := widgets.NewRangeSlider(0, 1000, 200, 800)
	s.Step = 1
	var changes [][2]float64
	ended := 0
	s.OnChanged = func(lo, hi float64) { changes = append(changes, [2]float64{lo, hi}) }
	s.OnChangeEnded = func(float64, float64) { ended++ }
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(300, 40))
	s.Resize(fyne.NewSize(300, 40))
	return s, &changes, &ended
}

// xAt is where value v sits on a slider 300 wide (the thumb centres span
// the width less a pad at each end).
func drag(s *widgets.RangeSlider, fromX, toX float32) {
	y := s.Size().Height / 2
	s.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(toX, y)}, Dragged: fyne.NewDelta(toX-fromX, 0)})
	s.DragEnd()
}

func TestDraggingNearTheLowThumbMovesOnlyIt(t *testing.T) {
	s, changes, ended := newSlider(t)
	high := s.High
	drag(s, 0.2*300, 0.05*300) // starts near the low thumb, ends left of it
	if s.Low >= 200 || s.High != high {
		t.Errorf("after dragging the low thumb left: %v..%v, want low below 200 and high %v", s.Low, s.High, high)
	}
	if len(*changes) != 1 || *ended != 1 {
		t.Errorf("OnChanged ran %d times and OnChangeEnded %d, want 1 and 1", len(*changes), *ended)
	}
}

func TestThumbsCannotCross(t *testing.T) {
	s, _, _ := newSlider(t)
	drag(s, 0.8*300, 0.02*300) // the high thumb dragged far below the low one
	if s.High != s.Low || s.Low != 200 {
		t.Errorf("after dragging the high thumb past the low one: %v..%v, want both at 200", s.Low, s.High)
	}
}

func TestTapMovesTheNearestThumbAndEndsTheChange(t *testing.T) {
	s, changes, ended := newSlider(t)
	s.Tapped(&fyne.PointEvent{Position: fyne.NewPos(300, 20)})
	if s.High != 1000 || s.Low != 200 {
		t.Errorf("tapping at the right end gives %v..%v, want 200..1000", s.Low, s.High)
	}
	if len(*changes) != 1 || *ended != 1 {
		t.Errorf("OnChanged ran %d times and OnChangeEnded %d, want 1 and 1", len(*changes), *ended)
	}
}

func TestSetRangeClampsAndDoesNotNotify(t *testing.T) {
	s, changes, _ := newSlider(t)
	s.SetRange(0, 100, -5, 500)
	if s.Low != 0 || s.High != 100 {
		t.Errorf("SetRange(0, 100, -5, 500) shows %v..%v, want 0..100", s.Low, s.High)
	}
	if len(*changes) != 0 {
		t.Errorf("SetRange called OnChanged %d times", len(*changes))
	}
}
