package server

import (
	"fmt"
	"testing"
	"time"
)

// TestLoginLimiterTableIsBounded: a flood of failed logins from ever new
// addresses and names never grows the table past its cap, and the keys
// that failed last are still limited.
func TestLoginLimiterTableIsBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for i := range 3 * loginTableMax {
		k := fmt.Sprintf("user:u%d", i)
		for range userBurst {
			l.failed(k)
		}
		if len(l.buckets) > loginTableMax {
			t.Fatalf("after %d keys the table holds %d, over its cap %d", i+1, len(l.buckets), loginTableMax)
		}
	}
	if d := l.wait(fmt.Sprintf("user:u%d", 3*loginTableMax-1)); d <= 0 {
		t.Errorf("the last key that failed 5 times waits %v, want a wait", d)
	}
}
