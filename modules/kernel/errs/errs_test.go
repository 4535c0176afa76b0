package errs

import (
	"fmt"
	"testing"
)

func TestNextPage(t *testing.T) {
	back := "https://zhifa.example/console/cases?q=惠民"
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"a page without a query", E(Unauthenticated, "x", "x").WithNext("/auth/settings"),
			"/auth/settings?return_to=https%3A%2F%2Fzhifa.example%2Fconsole%2Fcases%3Fq%3D%E6%83%A0%E6%B0%91"},
		{"a page with a query", fmt.Errorf("wrapped: %w", E(Unauthenticated, "x", "x").WithNext("/auth/login?aal=aal2")),
			"/auth/login?aal=aal2&return_to=https%3A%2F%2Fzhifa.example%2Fconsole%2Fcases%3Fq%3D%E6%83%A0%E6%B0%91"},
		{"no next", ErrUnauthenticated, ""},
		{"not a platform error", fmt.Errorf("boom"), ""},
	} {
		if got := NextPage(c.err, back); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if ErrUnauthenticated.Next != "" {
		t.Error("WithNext changed the shared error")
	}
}
