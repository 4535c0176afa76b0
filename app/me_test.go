package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"zhifa/modules/kernel/authz"
)

// TestMeSaysWhatTheUserMayDo: GET /api/v1/me answers, at the tenant asked (its home tenant
// otherwise), the actions the user may take with the bodies each applies to, and what it
// administers; the console shows its menus and buttons from it. A tenant operator who is granted
// the head of one body approves only that body's cases and keeps the tenant-wide reach of the
// operator (authz.Reach).
func TestMeSaysWhatTheUserMayDo(t *testing.T) {
	p := startPlatform(t, "sqlite")
	me := func(tok, tenant string) authz.Me {
		t.Helper()
		r := p.do(http.MethodGet, "/api/v1/me", tok, tenant, nil)
		var out authz.Me
		if err := json.Unmarshal(r.Raw, &out); r.Status != http.StatusOK || err != nil {
			t.Fatalf("me: %d %s", r.Status, r.Raw)
		}
		return out
	}
	permit := func(m authz.Me, a authz.Action) *authz.Permit {
		for i := range m.Actions {
			if m.Actions[i].Action == a {
				return &m.Actions[i]
			}
		}
		return nil
	}
	op := p.login(youxiOp)
	opMe := me(op, "")
	if opMe.Tenant != "350426" || !opMe.Administers.Tenant || !opMe.Administers.AllBodies {
		t.Fatalf("operator: tenant %q, administers %+v", opMe.Tenant, opMe.Administers)
	}
	if w := permit(opMe, authz.ElementsWrite); w == nil || !w.AllBodies {
		t.Errorf("operator elements.write: %+v", w)
	}
	if w := permit(opMe, authz.CasesWrite); w != nil {
		t.Errorf("operator may write cases: %+v", w)
	}

	offTok := p.login(officer1)
	officer := me(offTok, "")
	var body string
	for _, g := range officer.Grants {
		if g.TenantID == "350426" && g.Role == authz.Officer {
			body = g.BodyID
		}
	}
	if w := permit(officer, authz.CasesWrite); body == "" || w == nil || w.AllBodies || !slices.Equal(w.Bodies, []string{body}) {
		t.Errorf("officer cases.write: %+v, want body %q only", w, body)
	}
	if w := permit(officer, authz.ElementsWrite); w != nil || officer.Administers.Tenant || len(officer.Administers.Bodies) > 0 {
		t.Errorf("officer: elements.write %+v, administers %+v", w, officer.Administers)
	}
	if other := me(offTok, "35"); other.Tenant != "" || len(other.Actions) != 0 {
		t.Errorf("the officer at the province, where it holds nothing: %+v", other)
	}

	// Nobody grants to itself (authz.Reach.MayGrant): the province operator, above, makes the
	// county operator head of the officer's body.
	if r := p.do(http.MethodPost, "/api/v1/grants", p.login(provOp), "350426", map[string]any{"identity_id": opMe.IdentityID, "role": "body_head", "body_id": body}); r.Status != http.StatusCreated {
		t.Fatalf("grant body_head: %d %s", r.Status, r.Raw)
	}
	dual := me(op, "")
	if w := permit(dual, authz.CasesApprove); w == nil || w.AllBodies || !slices.Equal(w.Bodies, []string{body}) {
		t.Errorf("operator heading one body: cases.approve %+v, want body %q only", w, body)
	}
	if w := permit(dual, authz.ElementsWrite); w == nil || !w.AllBodies || !dual.Administers.Tenant {
		t.Errorf("operator heading one body: elements.write %+v, administers %+v", w, dual.Administers)
	}
	if slices.Sort(dual.Roles); !slices.Equal(dual.Roles, []authz.Role{authz.BodyHead, authz.TenantOperator}) {
		t.Errorf("roles %v", dual.Roles)
	}
}
