package civil_test

import (
	"testing"

	"zhifa/modules/kernel/civil"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"2024-02-29": true, "2023-02-29": false, "2024-2-1": false, "2024/02/01": false, "": false, "2024-12-31": true} {
		if _, ok := civil.ParseDate(s); ok != want {
			t.Errorf("ParseDate(%q) ok = %v, want %v", s, ok, want)
		}
	}
}
