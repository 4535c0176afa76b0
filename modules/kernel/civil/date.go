package civil

import (
	"time"
)

// Date is a calendar day in the form "2006-01-02": the day a law comes into force, a document is
// served, a deadline falls. As text in that form dates compare the same way in Go, in SQLite and
// in PostgreSQL. The zero Date ("") means "not set".
type Date string

const dateLayout = "2006-01-02"

// china is the platform's civil time zone (UTC+8, no daylight saving).
var china = time.FixedZone("CST", 8*60*60)

// ParseDate parses s ("2006-01-02") into a Date. It reports false for anything else, including
// impossible days such as 2023-02-30.
func ParseDate(s string) (Date, bool) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Format(dateLayout) != s {
		return "", false
	}
	return Date(s), true
}

// DateOf returns the day of t in China's civil time.
func DateOf(t time.Time) Date { return Date(t.In(china).Format(dateLayout)) }

// Valid reports whether d is a real day in the form "2006-01-02".
func (d Date) Valid() bool {
	_, ok := ParseDate(string(d))
	return ok
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == "" }

// Time returns the start of d in China's civil time (the zero time for an invalid date).
func (d Date) Time() time.Time {
	t, err := time.ParseInLocation(dateLayout, string(d), china)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d < e }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d > e }

// InChina returns t in China's civil time (UTC+8), for a time shown to people ("Beijing time").
func InChina(t time.Time) time.Time { return t.In(china) }
