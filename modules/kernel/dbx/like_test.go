package dbx_test

import (
	"testing"

	"zhifa/modules/kernel/dbx"
)

// TestContains escapes the wildcards and the escape character, so a search for 100% or a_b finds
// only those characters.
func TestContains(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]string{
		"":       "%%",
		"张三":     "%张三%",
		"100%":   `%100\%%`,
		"a_b":    `%a\_b%`,
		`C:\dir`: `%C:\\dir%`,
		`\%_`:    `%\\\%\_%`,
	} {
		if got := dbx.Contains(s); got != want {
			t.Errorf("Contains(%q) = %q, want %q", s, got, want)
		}
	}
}
