package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"zhifa/modules/kernel/authz"
)

// TestGrantsFollowTheGrantTable replays the probe through the real middleware: the body admin
// grants itself body head (refused by the grant table, authz.Reach.MayGrant), so it cannot approve
// a case's filing nor refund a payment; it still gives and takes back the roles it may give, only
// to others; the county operator cannot grant to itself, while the province operator, above it,
// may make it head of a body.
func TestGrantsFollowTheGrantTable(t *testing.T) {
	p := startPlatform(t, "sqlite")
	var body string // the body the demo's body admin administers
	whoami := func(tok string) authz.Me {
		t.Helper()
		var me authz.Me
		if r := p.do(http.MethodGet, "/api/v1/me", tok, "", nil); r.Status != http.StatusOK || json.Unmarshal(r.Raw, &me) != nil {
			t.Fatalf("me: %d %s", r.Status, r.Raw)
		}
		return me
	}
	refused := func(what string, r reply, rule string) {
		t.Helper()
		if r.Status != http.StatusForbidden || !strings.Contains(string(r.Raw), "授权规则") || !strings.Contains(string(r.Raw), rule) {
			t.Errorf("%s: %d %s, want 403 naming %q", what, r.Status, r.Raw, rule)
		}
	}
	grant := func(tok, tenant, identity string, role authz.Role) reply {
		return p.do(http.MethodPost, "/api/v1/grants", tok, tenant, map[string]any{"identity_id": identity, "role": role, "body_id": body})
	}

	admin := p.login(bodyAdmin)
	adminMe := whoami(admin)
	for _, g := range adminMe.Grants {
		if g.Role == authz.BodyAdmin {
			body = g.BodyID
		}
	}
	if body == "" {
		t.Fatalf("the body admin administers no body: %+v", adminMe.Grants)
	}
	refused("the body admin makes itself head", grant(admin, "", adminMe.IdentityID, authz.BodyHead), "themselves")
	refused("the body admin makes itself an officer", grant(admin, "", adminMe.IdentityID, authz.Officer), "themselves")
	officer := whoami(p.login(officer1))
	for _, role := range []authz.Role{authz.BodyHead, authz.BodyAdmin, authz.TenantOperator, authz.Supervisor} {
		refused("the body admin gives "+string(role), grant(admin, "", officer.IdentityID, role), "a body admin gives only the officer and legal reviewer roles")
	}
	refused("the body admin grants at the tenant itself", p.do(http.MethodPost, "/api/v1/grants", admin, "",
		map[string]any{"identity_id": officer.IdentityID, "role": authz.Officer}), "own reach")

	// What it may give, it gives and takes back.
	r := grant(admin, "", officer.IdentityID, authz.LegalReviewer)
	if r.Status != http.StatusCreated || r.Body["role"] != string(authz.LegalReviewer) {
		t.Fatalf("the body admin gives legal_reviewer: %d %s", r.Status, r.Raw)
	}
	if d := p.do(http.MethodDelete, "/api/v1/grants/"+r.Body["id"].(string), admin, "", nil); d.Status != http.StatusNoContent {
		t.Errorf("the body admin takes back legal_reviewer: %d %s", d.Status, d.Raw)
	}
	// It takes back only what it may give: not the head's grant.
	head := whoami(p.login(bodyHead))
	for _, g := range p.do(http.MethodGet, "/api/v1/grants", p.login(youxiOp), "", nil).Body["grants"].([]any) {
		if g := g.(map[string]any); g["identity_id"] == head.IdentityID && g["role"] == string(authz.BodyHead) {
			refused("the body admin revokes the head", p.do(http.MethodDelete, "/api/v1/grants/"+g["id"].(string), admin, "", nil), "body admin gives only")
		}
	}

	// Still no approval and no refund.
	adminMe = whoami(admin)
	for _, a := range adminMe.Actions {
		if a.Action == authz.CasesApprove || a.Action == authz.PaymentsRefund {
			t.Errorf("the body admin may %s: %+v", a.Action, a)
		}
	}
	var caseID string // the demo's lead, verified by its officer: next comes the head's filing
	for _, c := range list(p.do(http.MethodGet, "/api/v1/cases", admin, "", nil), "cases") {
		if c["state"] == "lead" {
			caseID = c["id"].(string)
		}
	}
	if caseID == "" {
		t.Fatal("the body admin sees no lead")
	}
	takeStep(t, p, p.login(officer1), caseID, "verify", map[string]any{"findings": "举报属实，需立案调查。"})
	if r := p.do(http.MethodPost, "/api/v1/cases/"+caseID+"/actions/file", admin, "", map[string]any{"opinion": "同意立案。"}, key()...); r.Status != http.StatusForbidden {
		t.Errorf("the body admin files a case: %d %s", r.Status, r.Raw)
	}
	if st := caseDetail(t, p, admin, caseID).Body["state"]; st != "verified" {
		t.Errorf("after the refused filing the case is %v", st)
	}
	if r := p.do(http.MethodPost, "/api/v1/payments/any/refunds", admin, "", map[string]any{"amount_fen": 100, "reason": "reduced"}, key()...); r.Status != http.StatusForbidden {
		t.Errorf("the body admin reaches refunds: %d %s", r.Status, r.Raw)
	}

	// The operator grants to others, never to itself; the operator above it may.
	op := p.login(youxiOp)
	opMe := whoami(op)
	refused("the operator makes itself head", grant(op, "", opMe.IdentityID, authz.BodyHead), "themselves")
	if r := grant(p.login(provOp), "350426", opMe.IdentityID, authz.BodyHead); r.Status != http.StatusCreated {
		t.Errorf("the province operator makes the county operator head: %d %s", r.Status, r.Raw)
	}
}

// TestOnlyTheOperatorCreatesOperators: a body admin may create an officer account at its body,
// but not an account of kind operator, even with only the roles it may give (403 naming the
// rule, and no account made); the tenant operator may.
func TestOnlyTheOperatorCreatesOperators(t *testing.T) {
	p := startPlatform(t, "sqlite")
	admin := p.login(bodyAdmin)
	var body string
	var me authz.Me
	if r := p.do(http.MethodGet, "/api/v1/me", admin, "", nil); json.Unmarshal(r.Raw, &me) != nil {
		t.Fatalf("me: %d %s", r.Status, r.Raw)
	}
	for _, g := range me.Grants {
		if g.Role == authz.BodyAdmin {
			body = g.BodyID
		}
	}
	account := func(tok, email, kind string) reply {
		return p.do(http.MethodPost, "/api/v1/accounts", tok, "", map[string]any{"email": email, "name": "新账号", "kind": kind,
			"roles": []authz.Role{authz.Officer}, "body_id": body})
	}
	r := account(admin, "admin.made.operator@demo.zhifa", "operator")
	if r.Status != http.StatusForbidden || !strings.Contains(string(r.Raw), "授权规则：只有本级平台运维可以创建平台运维类账号") ||
		!strings.Contains(string(r.Raw), "only a tenant-wide tenant operator creates an account of kind operator") {
		t.Errorf("the body admin creates an operator: %d %s, want 403 naming the rule", r.Status, r.Raw)
	}
	if r := p.do(http.MethodPost, "/api/v1/dev/login", "", "", map[string]string{"email": "admin.made.operator@demo.zhifa"}); r.Status == http.StatusOK {
		t.Error("the refused operator account signs in")
	}
	if r := account(admin, "admin.made.officer@demo.zhifa", "officer"); r.Status != http.StatusCreated {
		t.Errorf("the body admin creates an officer: %d %s", r.Status, r.Raw)
	}
	if r := account(p.login(youxiOp), "op.made.operator@demo.zhifa", "operator"); r.Status != http.StatusCreated {
		t.Errorf("the tenant operator creates an operator: %d %s", r.Status, r.Raw)
	}
}
