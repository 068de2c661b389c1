package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progressBar draws "label [=====>    ] 12/40 3.1 MB/s" on a terminal,
// redrawn in place at most every 100 ms. It is a no-op when stderr is not a
// terminal (scripts get --json or plain lines instead).
type progressBar struct {
	mu        sync.Mutex
	w         io.Writer
	on        bool
	label     string
	done      int
	total     int
	bytes     int64
	start     time.Time
	lastDraw  time.Time
	drawnWide int
}

func newProgressBar(w io.Writer, label string) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, on: ok && term.IsTerminal(int(f.Fd())), label: label, start: time.Now()}
}

func (p *progressBar) setTotal(n int) { p.mu.Lock(); p.total = n; p.mu.Unlock(); p.draw(true) }

func (p *progressBar) step() { p.mu.Lock(); p.done++; p.mu.Unlock(); p.draw(true) }

func (p *progressBar) addBytes(n int64) { p.mu.Lock(); p.bytes += n; p.mu.Unlock(); p.draw(false) }

// clear erases the bar so that a normal line can be printed.
func (p *progressBar) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on && p.drawnWide > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.drawnWide))
		p.drawnWide = 0
	}
}

func (p *progressBar) draw(force bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.on || p.total == 0 || (!force && time.Since(p.lastDraw) < 100*time.Millisecond) {
		return
	}
	p.lastDraw = time.Now()
	const width = 30
	filled := width * p.done / p.total
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	if filled < width && filled > 0 {
		bar = strings.Repeat("=", filled-1) + ">" + strings.Repeat(" ", width-filled)
	}
	rate := float64(p.bytes) / 1e6 / max(time.Since(p.start).Seconds(), 0.001)
	line := fmt.Sprintf("%s [%s] %d/%d %.1f MB/s", p.label, bar, p.done, p.total, rate)
	fmt.Fprintf(p.w, "\r%s", line)
	p.drawnWide = len(line)
}
