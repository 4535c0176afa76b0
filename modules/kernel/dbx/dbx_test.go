package dbx_test

import (
	"testing"
	"time"

	"zhifa/modules/kernel/dbx"
)

// TestIDTime: an ID carries the instant it was made, to the millisecond, and the IDs one process
// makes carry instants that never go back, so ordering by them keeps the order they were made in.
func TestIDTime(t *testing.T) {
	before := time.Now().Truncate(time.Millisecond)
	prev := dbx.NewID()
	after := time.Now()
	if at := dbx.IDTime(prev); at.Before(before) || at.After(after) || at.Location() != time.UTC {
		t.Fatalf("IDTime = %v, want UTC within [%v, %v]", at, before, after)
	}
	for range 5000 {
		id := dbx.NewID()
		if id <= prev || dbx.IDTime(id).Before(dbx.IDTime(prev)) {
			t.Fatalf("%s (%v) after %s (%v)", id, dbx.IDTime(id), prev, dbx.IDTime(prev))
		}
		prev = id
	}
	for _, bad := range []string{"", "x", "6ba7b810-9dad-11d1-80b4-00c04fd430c8" /* version 1 */} {
		if at := dbx.IDTime(bad); !at.IsZero() {
			t.Errorf("IDTime(%q) = %v, want the zero time", bad, at)
		}
	}
}
