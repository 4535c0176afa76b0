package testenv

import (
	"sync"
	"time"
)

// china is the zone of statutory dates (UTC+8, no daylight saving).
var china = time.FixedZone("CST", 8*3600)

// Clock is a settable clock for services that take a Now function. The zero Clock reads the zero time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the time last set.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set sets the clock to 10:00 in China on a day given as YYYY-MM-DD, or to an RFC 3339 time. It
// panics on anything else: a test's own typo.
func (c *Clock) Set(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		c.t = t
		return
	}
	t, err := time.ParseInLocation("2006-01-02", s, china)
	if err != nil {
		panic(err)
	}
	c.t = t.Add(10 * time.Hour)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
