package cases_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// TestMaskedPartyAndLoggedReveal: the case API gives a person party's identity number masked (in
// the facts and in the record's first event, and in a step's answer); the full number comes only
// from POST /cases/{id}/reveal, which logs who asked and when. Another tenant's case is 404, a
// role that may not read cases 403, a read-only scope (which cannot write the log) 403.
func TestMaskedPartyAndLoggedReveal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		e, _ := testServer(t, w)
		full := residentID(900)
		masked := elements.MaskResidentID(full)
		do := func(who caller, method, path, body string) *httptest.ResponseRecorder {
			t.Helper()
			req := httptest.NewRequest(method, "/api/v1"+path, strings.NewReader(body))
			req.Header.Set("X-Test-Tenant", who.tenant.ID)
			req.Header.Set("X-Test-Actor", who.actor)
			req.Header.Set("X-Test-Roles", string(who.role))
			req.Header.Set("X-Test-Bodies", who.body)
			if body != "" {
				req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
				req.Header.Set(cases.HeaderIdempotencyKey, key())
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			return rec
		}
		officer := caller{w.a, w.officerID, authz.Officer, w.body.ID}
		c := w.lead(t, person())
		org := w.lead(t, organisation())

		for _, s := range []struct {
			name, method, path, body string
			who                      caller
			status                   int
		}{
			{"detail", "GET", "/cases/" + c.ID, "", officer, 200},
			{"a step's answer", "POST", "/cases/" + c.ID + "/actions/verify", `{"on":"2025-09-02","findings":"属实"}`, officer, 200},
		} {
			rec := do(s.who, s.method, s.path, s.body)
			if rec.Code != s.status || strings.Contains(rec.Body.String(), full) || !strings.Contains(rec.Body.String(), masked) {
				t.Errorf("%s: %d; full number shown %v, masked shown %v", s.name, rec.Code, strings.Contains(rec.Body.String(), full), strings.Contains(rec.Body.String(), masked))
			}
		}
		d := w.find(t, c.ID)
		if d.Facts.Party.IDNumber != masked || strings.Contains(string(d.History[0].Content), full) || len(d.Reveals) != 0 {
			t.Errorf("the detail reads %q, first event %s, %d reveals", d.Facts.Party.IDNumber, d.History[0].Content, len(d.Reveals))
		}
		if rep, err := w.svc.VerifyChain(ctx, w.officer, c.ID); err != nil || !rep.Valid {
			t.Errorf("the stored record no longer verifies: %+v %v", rep, err)
		}

		rec := do(officer, "POST", "/cases/"+c.ID+"/reveal", "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"id_number":"`+full+`"`) || rec.Header().Get(echo.HeaderCacheControl) != "no-store" {
			t.Fatalf("reveal: %d %s", rec.Code, rec.Body)
		}
		d = w.find(t, c.ID)
		if len(d.Reveals) != 1 || d.Reveals[0].Actor != w.officerID || d.Reveals[0].Field != cases.RevealField || d.Reveals[0].At.IsZero() {
			t.Errorf("the reveal is logged as %+v", d.Reveals)
		}
		if d.Version != 2 || d.Facts.Party.IDNumber != masked {
			t.Errorf("a reveal changed the case (version %d) or unmasked its page (%s)", d.Version, d.Facts.Party.IDNumber)
		}

		for _, s := range []struct {
			name   string
			who    caller
			id     string
			status int
		}{
			{"another tenant's case", caller{w.b, "b-head", authz.BodyHead, ""}, c.ID, 404},
			{"a role that may not read cases", caller{w.a, "citizen", authz.Citizen, ""}, c.ID, 403},
			{"an organisation has no identity number", officer, org.ID, 422},
			{"malformed id", officer, "x", 400},
		} {
			if rec := do(s.who, "POST", "/cases/"+s.id+"/reveal", ""); rec.Code != s.status || strings.Contains(rec.Body.String(), full) {
				t.Errorf("%s: %d %s, want %d", s.name, rec.Code, rec.Body, s.status)
			}
		}
		_, err := w.svc.Reveal(ctx, tenants.SubtreeScope(w.a, "sup", []authz.Role{authz.Supervisor}), c.ID)
		wantCode(t, err, errs.Forbidden)
		if d := w.find(t, c.ID); len(d.Reveals) != 1 {
			t.Errorf("refused reveals were logged: %+v", d.Reveals)
		}
	})
}
