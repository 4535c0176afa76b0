package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"zhifa/modules/identity"
)

// accountsPage decodes GET /api/v1/accounts.
func (p *platform) accounts(tok, query string) identity.AccountsPage {
	p.t.Helper()
	r := p.do(http.MethodGet, "/api/v1/accounts?"+query, tok, "", nil)
	var out identity.AccountsPage
	if r.Status != http.StatusOK || json.Unmarshal(r.Raw, &out) != nil {
		p.t.Fatalf("accounts %s: %d %s", query, r.Status, r.Raw)
	}
	return out
}

// audit decodes GET /api/v1/grants/audit.
func (p *platform) audit(tok string) []identity.AuditRow {
	p.t.Helper()
	r := p.do(http.MethodGet, "/api/v1/grants/audit", tok, "", nil)
	var out identity.AuditPage
	if r.Status != http.StatusOK || json.Unmarshal(r.Raw, &out) != nil {
		p.t.Fatalf("audit: %d %s", r.Status, r.Raw)
	}
	return out.Rows
}

// emails lists the e-mail addresses of a page.
func emails(pg identity.AccountsPage) []string {
	out := []string{}
	for _, a := range pg.Accounts {
		out = append(out, a.Email)
	}
	return out
}

// TestAccountsSuspendSearchAudit runs account management on the embedded default (no Kratos) on
// SQLite and PostgreSQL: the county operator lists and searches the people of its tenant, creates
// an account (no invitation without Kratos), suspends an officer (whose session is refused at
// once) and reinstates it; the suspension rule refuses suspending oneself, the body admin
// suspending the operator, and another tenant's account is not found; every change is audited,
// newest first, for the operator alone.
func TestAccountsSuspendSearchAudit(t *testing.T) {
	t.Parallel()
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			t.Parallel()
			p := startPlatform(t, driver)
			op := p.login(youxiOp)
			me := func(tok string) reply { return p.do(http.MethodGet, "/api/v1/me", tok, "", nil) }
			opID := me(op).Body["identity_id"].(string)

			// Search: case-insensitive on the e-mail, a substring of the name, a role, a page.
			if got := emails(p.accounts(op, "q=YOUXI.OFFICER")); len(got) != 2 || !slices.Contains(got, officer1) || !slices.Contains(got, "youxi.officer2@demo.zhifa") {
				t.Errorf("search YOUXI.OFFICER: %v", got)
			}
			if got := emails(p.accounts(op, "q="+url.QueryEscape("李明"))); len(got) != 1 || got[0] != officer1 {
				t.Errorf("search 李明: %v", got)
			}
			if got := emails(p.accounts(op, "q="+url.QueryEscape("%"))); len(got) != 0 {
				t.Errorf("a LIKE wildcard matches: %v", got)
			}
			if got := emails(p.accounts(op, "role=body_admin")); len(got) != 1 || got[0] != bodyAdmin {
				t.Errorf("role body_admin: %v", got)
			}
			all := p.accounts(op, "")
			first := p.accounts(op, "limit=1")
			if len(all.Accounts) < 3 || len(first.Accounts) != 1 || first.NextOffset == nil || *first.NextOffset != 1 ||
				first.Accounts[0].Email != all.Accounts[0].Email || all.NextOffset != nil {
				t.Errorf("pages: all %v, first %v next %v", emails(all), emails(first), first.NextOffset)
			}
			for _, a := range all.Accounts {
				if a.Email == "province.operator@demo.zhifa" || a.Email == "citizen@demo.zhifa" {
					t.Errorf("the county lists %s, who holds no role there", a.Email)
				}
				if a.Email == bodyAdmin && (len(a.Grants) != 1 || a.Grants[0].Role != "body_admin" || a.State != identity.StateActive) {
					t.Errorf("the body admin's row: %+v", a)
				}
			}
			for q, field := range map[string]string{"state=gone": "state", "role=citizen": "role", "limit=201": "limit",
				"q=" + url.QueryEscape(strings.Repeat("𠮷", 65)): "q"} {
				if r := p.do(http.MethodGet, "/api/v1/accounts?"+q, op, "", nil); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Raw), `"field":"`+field+`"`) {
					t.Errorf("%s: %d %s", q, r.Status, r.Raw)
				}
			}

			// A new account without Kratos: local only, no invitation; found by a supplementary-plane name.
			r := p.do(http.MethodPost, "/api/v1/accounts", op, "", map[string]any{"email": "Ji.Ye@Demo.Zhifa", "name": "𠮷野 家", "kind": "officer", "roles": []string{"officer"}})
			if r.Status != http.StatusCreated || r.Body["invite"] != identity.InviteNone || r.Body["email"] != "ji.ye@demo.zhifa" {
				t.Fatalf("create: %d %s", r.Status, r.Raw)
			}
			newID := r.Body["identity_id"].(string)
			if got := emails(p.accounts(op, "q="+url.QueryEscape(strings.Repeat("𠮷", 64)))); len(got) != 0 {
				t.Errorf("64 supplementary characters: %v", got)
			}
			if got := emails(p.accounts(op, "q="+url.QueryEscape("𠮷野"))); len(got) != 1 || got[0] != "ji.ye@demo.zhifa" {
				t.Errorf("search 𠮷野: %v", got)
			}

			// Suspension: refused at once, reinstated.
			offTok := p.login(officer1)
			offID := me(offTok).Body["identity_id"].(string)
			if r := p.do(http.MethodPost, "/api/v1/accounts/"+offID+"/suspend", op, "", nil); r.Status != http.StatusOK || r.Body["suspended_by"] != opID {
				t.Fatalf("suspend: %d %s", r.Status, r.Raw)
			}
			if r := me(offTok); r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Raw), "账号已停用") || !strings.Contains(string(r.Raw), "account suspended") {
				t.Errorf("a suspended officer's session: %d %s", r.Status, r.Raw)
			}
			if got := p.accounts(op, "state=suspended"); len(got.Accounts) != 1 || got.Accounts[0].Email != officer1 || got.Accounts[0].State != identity.StateSuspended {
				t.Errorf("suspended: %v", emails(got))
			}
			if got := emails(p.accounts(op, "state=active&q=officer")); len(got) != 1 || got[0] != "youxi.officer2@demo.zhifa" {
				t.Errorf("active officers: %v", got)
			}
			if r := p.do(http.MethodPost, "/api/v1/accounts/"+offID+"/reinstate", op, "", nil); r.Status != http.StatusOK || r.Body["suspended_at"] != nil {
				t.Fatalf("reinstate: %d %s", r.Status, r.Raw)
			}
			if r := me(offTok); r.Status != http.StatusOK {
				t.Errorf("a reinstated officer's session: %d %s", r.Status, r.Raw)
			}

			// The rule: never oneself; the body admin does not suspend the operator; another tenant's account is not found.
			refused := func(what string, r reply, status int, words ...string) {
				t.Helper()
				if r.Status != status {
					t.Errorf("%s: %d %s, want %d", what, r.Status, r.Raw, status)
				}
				for _, w := range words {
					if !strings.Contains(string(r.Raw), w) {
						t.Errorf("%s: %s does not say %q", what, r.Raw, w)
					}
				}
			}
			admin := p.login(bodyAdmin)
			adminID := me(admin).Body["identity_id"].(string)
			refused("the operator suspends itself", p.do(http.MethodPost, "/api/v1/accounts/"+opID+"/suspend", op, "", nil),
				http.StatusForbidden, "停用规则：不得停用或恢复自己的账号", "no one suspends or reinstates their own account")
			refused("the body admin suspends itself", p.do(http.MethodPost, "/api/v1/accounts/"+adminID+"/suspend", admin, "", nil),
				http.StatusForbidden, "停用规则")
			refused("the body admin suspends the operator", p.do(http.MethodPost, "/api/v1/accounts/"+opID+"/suspend", admin, "", nil),
				http.StatusForbidden, "授权规则", "a body admin gives only the officer and legal reviewer roles")
			provID := me(p.login(operator)).Body["identity_id"].(string)
			refused("the county operator suspends the province's operator", p.do(http.MethodPost, "/api/v1/accounts/"+provID+"/suspend", op, "", nil),
				http.StatusNotFound)
			refused("an unknown account", p.do(http.MethodPost, "/api/v1/accounts/nobody/reinstate", op, "", nil), http.StatusNotFound)
			if r := p.do(http.MethodPost, "/api/v1/accounts/"+offID+"/suspend", admin, "", nil); r.Status != http.StatusOK {
				t.Errorf("the body admin suspends its officer: %d %s", r.Status, r.Raw)
			}
			if r := p.do(http.MethodPost, "/api/v1/accounts/"+offID+"/reinstate", admin, "", nil); r.Status != http.StatusOK {
				t.Errorf("the body admin reinstates its officer: %d %s", r.Status, r.Raw)
			}

			// The audit: newest first, the operator's alone.
			rows := p.audit(op)
			var got []string
			for _, a := range rows {
				got = append(got, a.Action+":"+a.Name+":"+string(a.Role)+":"+a.ActorName)
			}
			want := []string{"reinstated:执法人员 李明辉::主体管理员 许婷", "suspended:执法人员 李明辉::主体管理员 许婷",
				"reinstated:执法人员 李明辉::尤溪县平台运维 郑晓燕", "suspended:执法人员 李明辉::尤溪县平台运维 郑晓燕",
				"granted:𠮷野 家:officer:尤溪县平台运维 郑晓燕", "account_created:𠮷野 家::尤溪县平台运维 郑晓燕"}
			if len(got) < len(want) || strings.Join(got[:len(want)], "\n") != strings.Join(want, "\n") {
				t.Errorf("audit:\n%s\nwant first:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if rows[5].IdentityID != newID || rows[0].TenantID != "350426" || rows[0].Actor != adminID {
				t.Errorf("audit rows: %+v", rows[:6])
			}
			refused("the body admin reads the audit", p.do(http.MethodGet, "/api/v1/grants/audit", admin, "", nil), http.StatusForbidden, "平台运维")
		})
	}
}
