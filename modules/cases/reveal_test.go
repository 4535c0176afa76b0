package cases_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testkit"
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
		srv := testServer(t, w)
		full := residentID(900)
		masked := elements.MaskResidentID(full)
		officer := staff(w.a, w.officerID, authz.Officer, w.body.ID)
		c := w.lead(t, person())
		org := w.lead(t, organisation())
		path := "/api/v1/cases/" + c.ID

		srv.Run(t, []testkit.Scenario{
			{Name: "detail", Caller: officer, Method: "GET", Path: path, Status: 200, Contains: []string{masked}, NotContains: []string{full}},
			{Name: "a step's answer", Caller: officer, Method: "POST", Path: path + "/actions/verify", Body: `{"on":"2025-09-02","findings":"属实"}`,
				Headers: idem(), Status: 200, Contains: []string{masked}, NotContains: []string{full}},
		})
		d := w.find(t, c.ID)
		if d.Facts.Party.IDNumber != masked || strings.Contains(string(d.History[0].Content), full) || len(d.Reveals) != 0 {
			t.Errorf("the detail reads %q, first event %s, %d reveals", d.Facts.Party.IDNumber, d.History[0].Content, len(d.Reveals))
		}
		if rep, err := w.svc.VerifyChain(ctx, w.officer, c.ID); err != nil || !rep.Valid {
			t.Errorf("the stored record no longer verifies: %+v %v", rep, err)
		}

		srv.Do(t, testkit.Scenario{Name: "reveal", Caller: officer, Method: "POST", Path: path + "/reveal", Status: 200,
			Contains: []string{`"id_number":"` + full + `"`}, Header: map[string]string{"Cache-Control": "no-store"}})
		d = w.find(t, c.ID)
		if len(d.Reveals) != 1 || d.Reveals[0].Actor != w.officerID || d.Reveals[0].Field != cases.RevealField || d.Reveals[0].At.IsZero() {
			t.Errorf("the reveal is logged as %+v", d.Reveals)
		}
		if d.Version != 2 || d.Facts.Party.IDNumber != masked {
			t.Errorf("a reveal changed the case (version %d) or unmasked its page (%s)", d.Version, d.Facts.Party.IDNumber)
		}

		refused := func(name string, who testkit.Caller, id string, status int, code errs.Code) testkit.Scenario {
			return testkit.Scenario{Name: name, Caller: who, Method: "POST", Path: "/api/v1/cases/" + id + "/reveal", Status: status, Code: code,
				NotContains: []string{full, masked}}
		}
		srv.Run(t, []testkit.Scenario{
			refused("another tenant's case", staff(w.b, "b-head", authz.BodyHead), c.ID, 404, errs.NotFound),
			refused("a role that may not read cases", staff(w.a, "citizen", authz.Citizen), c.ID, 403, errs.Forbidden),
			refused("an organisation has no identity number", officer, org.ID, 422, errs.FailedPrecondition),
			refused("malformed id", officer, "x", 400, errs.Invalid),
		})
		_, err := w.svc.Reveal(ctx, tenants.SubtreeScope(w.a, "sup", []authz.Role{authz.Supervisor}), c.ID)
		wantCode(t, err, errs.Forbidden)
		if d := w.find(t, c.ID); len(d.Reveals) != 1 {
			t.Errorf("refused reveals were logged: %+v", d.Reveals)
		}
	})
}
