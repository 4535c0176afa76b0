package sandbox

import "time"

// The writing of dates the helper functions use, for the callers that fill a
// document's data.

// DateCN writes a day (YYYY-MM-DD) the way documents do: 2026-01-05 -> 2026年1月5日. Anything
// else is returned as it is.
func DateCN(day string) string {
	s, _ := fnDateCN(day)
	return s
}

// DateTimeCN writes a moment in China's civil time the way documents do, e.g. 2026年1月5日10时15分.
func DateTimeCN(t time.Time) string {
	s, _ := fnDateTimeCN(t.UTC().Format(time.RFC3339))
	return s
}
