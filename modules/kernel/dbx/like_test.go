package dbx_test

import (
	"testing"

	"zhifa/modules/kernel/dbx"
)

// TestContains escapes the wildcards and the escape character, so a search for 100% or a_b finds
// only those characters.
func TestContains(t *testing.T) {
	t.Parallel()
	patterns := [][2]string{{"", "%%"}, {"张三", "%张三%"}, {"100%", `%100\%%`}, {"a_b", `%a\_b%`}, {`C:\dir`, `%C:\\dir%`}, {`\%_`, `%\\\%\_%`}}
	for _, p := range patterns {
		if got := dbx.Contains(p[0]); got != p[1] {
			t.Errorf("Contains(%q) = %q, want %q", p[0], got, p[1])
		}
	}
}
