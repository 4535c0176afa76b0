package civil_test

import (
	"testing"
	"time"

	"zhifa/modules/kernel/civil"
)

// FuzzParseDate: a date ParseDate reads is the text given, a real day (its Time is midnight of that
// day in China and writes back the same day), and Valid.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-10-01", "2026-02-17", "2024-02-29", "2023-02-29", "2025-13-01", "2025-1-1", "2025/10/01", "0000-01-01", "9999-12-31", "+2025-10-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := civil.ParseDate(s)
		if !ok {
			if d != "" || civil.Date(s).Valid() {
				t.Fatalf("ParseDate(%q) refused, but %q, valid %v", s, d, civil.Date(s).Valid())
			}
			return
		}
		tm := d.Time()
		if string(d) != s || !d.Valid() || civil.DateOf(tm) != d || tm.Hour() != 0 || tm.Minute() != 0 || civil.DateOf(tm.Add(24*time.Hour-time.Nanosecond)) != d {
			t.Fatalf("ParseDate(%q) = %q, starting %s", s, d, tm)
		}
	})
}
