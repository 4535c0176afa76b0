package testkit

import (
	"net/http"
	"strings"
	"testing"

	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
)

func TestCodesAreValid(t *testing.T) {
	t.Parallel()
	for n := range 50 {
		if !civil.ValidUSCC(USCC(n)) {
			t.Errorf("USCC(%d) = %s is invalid", n, USCC(n))
		}
		if !elements.ValidResidentID(ResidentID(n)) {
			t.Errorf("ResidentID(%d) = %s is invalid", n, ResidentID(n))
		}
	}
	if id := ResidentIDBorn(7, "20000229"); !elements.ValidResidentID(id) || id[6:14] != "20000229" {
		t.Errorf("ResidentIDBorn = %s", id)
	}
}

// answer is an error answer as the platform's error handler writes it.
func answer(status int, body string) *Response {
	r := record(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}), Scenario{Method: "GET", Path: "/"}.request())
	return r
}

func TestProblems(t *testing.T) {
	t.Parallel()
	bad := answer(400, `{"code":"invalid","message":{"zh":"参数错误","en":"invalid"},"fields":[{"field":"from"}],"list":[1,{"a":"b"}]}`)
	for _, c := range []struct {
		name string
		s    Scenario
		want string // a substring of the one problem ("": none)
	}{
		{"all met", Scenario{Status: 400, Code: errs.Invalid, Fields: []string{"from"}, Contains: []string{"参数错误"}, NotContains: []string{"secret"},
			JSON: map[string]any{"list.0": 1, "list.1.a": "b", "fields.0": map[string]any{"field": "from"}}}, ""},
		{"status", Scenario{Status: 200, Contains: []string{"absent"}}, "status 400, want 200"},
		{"code", Scenario{Status: 400, Code: errs.NotFound}, "code invalid, want not_found"},
		{"field", Scenario{Status: 400, Fields: []string{"to"}}, `does not name field "to"`},
		{"contains", Scenario{Status: 400, Contains: []string{"absent"}}, "lacks absent"},
		{"not contains", Scenario{Status: 400, NotContains: []string{"参数"}}, "has 参数"},
		{"a JSON value", Scenario{Status: 400, JSON: map[string]any{"list.0": 2}}, "list.0 = 1, want 2"},
		{"a JSON path", Scenario{Status: 400, JSON: map[string]any{"list.2": 1}}, "has no list.2"},
		{"a header", Scenario{Status: 400, Header: map[string]string{"X-Sum": "1"}}, `header X-Sum = "", want "1"`},
	} {
		got := c.s.problems(bad)
		if c.want == "" && len(got) != 0 || c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)) {
			t.Errorf("%s: problems %q, want one with %q", c.name, got, c.want)
		}
	}
	mono := answer(403, `{"code":"forbidden","message":{"zh":"无权","en":""}}`)
	if got := (Scenario{Status: 403}).problems(mono); len(got) != 1 || !strings.Contains(got[0], "both languages") {
		t.Errorf("an English-less error: %q", got)
	}
	page := answer(404, `not JSON`)
	if got := (Scenario{Status: 404, Code: errs.NotFound}).problems(page); len(got) != 1 || !strings.Contains(got[0], "no error") {
		t.Errorf("a page answer checked for a code: %q", got)
	}
}

func TestCallerHeaders(t *testing.T) {
	t.Parallel()
	r := Scenario{Method: "POST", Path: "/x", Body: map[string]int{"a": 1},
		Caller: Caller{Tenant: "3504", Actor: "a", Roles: []authz.Role{authz.Officer, authz.BodyHead}, Bodies: []string{"b1", "b2"}}}.request()
	for k, want := range map[string]string{"X-Test-Tenant": "3504", "X-Test-Actor": "a", "X-Test-Roles": "officer,body_head",
		"X-Test-Bodies": "b1,b2", "Content-Type": "application/json"} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if Reader(nil) != nil {
		t.Error("a nil body is read as one")
	}
	if r := (Scenario{Method: "GET", Path: "/x", Caller: Session("X-Session-Token", "t")}).request(); r.Header.Get("X-Session-Token") != "t" || r.Header.Get("X-Test-Tenant") != "" {
		t.Errorf("a session caller sends %v", r.Header)
	}
}
