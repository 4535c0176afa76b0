package testkit

import (
	"testing"

	"zhifa/modules/kernel/errs"
)

// NoErr stops the test if err is not nil.
func NoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// WantCode stops the test unless err carries code, and returns the *errs.Error for further
// checks.
func WantCode(t testing.TB, err error, code errs.Code) *errs.Error {
	t.Helper()
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("error = %v (%q), want %q", err, got, code)
	}
	return errs.As(err)
}

// WantField stops the test unless err carries code and names field with a message in both
// languages.
func WantField(t testing.TB, err error, code errs.Code, field string) {
	t.Helper()
	var names []string
	for _, f := range WantCode(t, err, code).Fields {
		if f.Field == field {
			if f.Message.ZH == "" || f.Message.EN == "" {
				t.Fatalf("field %s has a message without both languages: %+v", field, f.Message)
			}
			return
		}
		names = append(names, f.Field)
	}
	t.Fatalf("error %v names fields %v, want %q", err, names, field)
}
