package app_test

import (
	"net/http"
	"strings"
	"testing"
)

// scenario is one HTTP call and what it must answer.
type scenario struct {
	name   string
	method string
	path   string
	as     string // demo account e-mail; "" for no session; "bad" for an invalid token
	tenant string // X-Zhifa-Tenant
	body   any
	ctype  string // overrides the JSON content type
	status int
	code   string   // expected error code, if any
	fields []string // fields the error must name
}

const (
	provOp    = "province.operator@demo.zhifa"
	sanmingOp = "sanming.operator@demo.zhifa"
	youxiOp   = "youxi.operator@demo.zhifa"
	provSup   = "province.supervisor@demo.zhifa"
	citizen   = "citizen@demo.zhifa"
)

func runScenarios(t *testing.T, p *platform, cases []scenario) {
	t.Helper()
	tokens := map[string]string{"bad": "dev_not-a-real-token"}
	for _, c := range cases {
		tok, ok := tokens[c.as]
		if !ok && c.as != "" {
			tok = p.login(c.as)
			tokens[c.as] = tok
		}
		var headers []string
		if c.ctype != "" {
			headers = []string{"Content-Type", c.ctype}
		}
		r := p.do(c.method, c.path, tok, c.tenant, c.body, headers...)
		if r.Status != c.status {
			t.Errorf("%s: %s %s = %d %s, want %d", c.name, c.method, c.path, r.Status, r.Raw, c.status)
			continue
		}
		if r.Status >= 400 {
			checkErrorBody(t, c, r)
		}
	}
}

// checkErrorBody asserts the one error shape: code, message in both languages, request ID, fields.
func checkErrorBody(t *testing.T, c scenario, r reply) {
	t.Helper()
	msg, _ := r.Body["message"].(map[string]any)
	if r.Body["request_id"] == "" || msg["zh"] == "" || msg["en"] == "" || msg["zh"] == nil {
		t.Errorf("%s: error body lacks message or request_id: %s", c.name, r.Raw)
	}
	if c.code != "" && r.Body["code"] != c.code {
		t.Errorf("%s: code = %v, want %s", c.name, r.Body["code"], c.code)
	}
	for _, f := range c.fields {
		if !strings.Contains(string(r.Raw), `"field":"`+f+`"`) {
			t.Errorf("%s: error does not name field %q: %s", c.name, f, r.Raw)
		}
	}
	if r.Status >= 500 {
		t.Errorf("%s: a client mistake got %d", c.name, r.Status)
	}
}

func TestTenantAndSettingsAPI(t *testing.T) {
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			p := startPlatform(t, driver)
			huge := `{"id":"350428","parent_id":"3504","tier":"county","name":"` + strings.Repeat("长", 40000) + `"}`
			runScenarios(t, p, []scenario{
				{"no session", "GET", "/api/v1/tenants", "", "", nil, "", 401, "unauthenticated", nil},
				{"invalid token", "GET", "/api/v1/tenants", "bad", "", nil, "", 401, "unauthenticated", nil},
				{"tree", "GET", "/api/v1/tenants", provOp, "", nil, "", 200, "", nil},
				{"create county", "POST", "/api/v1/tenants", provOp, "", map[string]string{"id": "350430", "parent_id": "3504", "tier": "county", "name": "新县"}, "", 201, "", nil},
				{"same code again", "POST", "/api/v1/tenants", provOp, "", map[string]string{"id": "350430", "parent_id": "3504", "tier": "county", "name": "新县"}, "", 409, "conflict", []string{"id"}},
				{"malformed JSON", "POST", "/api/v1/tenants", provOp, "", `{"id": "3505",`, "", 400, "invalid", nil},
				{"unknown field", "POST", "/api/v1/tenants", provOp, "", `{"id":"3505","parent_id":"35","tier":"city","name":"x","mayor":"y"}`, "", 400, "invalid", []string{"mayor"}},
				{"wrong type", "POST", "/api/v1/tenants", provOp, "", `{"id":3505,"parent_id":"35","tier":"city","name":"x"}`, "", 400, "invalid", []string{"id"}},
				{"not JSON", "POST", "/api/v1/tenants", provOp, "", "id=3505", "application/x-www-form-urlencoded", 400, "invalid", nil},
				{"trailing data", "POST", "/api/v1/tenants", provOp, "", `{"id":"3505","parent_id":"35","tier":"city","name":"x"} {}`, "", 400, "invalid", nil},
				{"oversized body", "POST", "/api/v1/tenants", provOp, "", huge, "", 413, "too_large", nil},
				{"bad fields", "POST", "/api/v1/tenants", provOp, "", map[string]string{"id": "x", "parent_id": "35", "tier": "state", "name": ""}, "", 400, "invalid", []string{"id", "tier", "name"}},
				{"bad tenant id in URL", "GET", "/api/v1/tenants/%27%20OR%201=1", provOp, "", nil, "", 404, "not_found", nil},
				{"county operator outside its subtree", "POST", "/api/v1/tenants", youxiOp, "", map[string]string{"id": "350105", "parent_id": "3501", "tier": "county", "name": "x"}, "", 404, "not_found", nil},
				{"county operator asks for another tenant", "GET", "/api/v1/tenants", youxiOp, "3501", nil, "", 404, "not_found", nil},
				{"county operator asks for a missing tenant", "GET", "/api/v1/tenants", youxiOp, "999999", nil, "", 404, "not_found", nil},
				{"province operator acts at a county below", "GET", "/api/v1/settings", provOp, "350426", nil, "", 200, "", nil},
				{"supervisor may not create", "POST", "/api/v1/tenants", provSup, "", map[string]string{"id": "3509", "parent_id": "35", "tier": "city", "name": "x"}, "", 403, "forbidden", nil},
				{"citizen has no tenant", "GET", "/api/v1/tenants", citizen, "", nil, "", 404, "not_found", nil},
				{"citizen cannot pick one", "GET", "/api/v1/tenants", citizen, "35", nil, "", 404, "not_found", nil},
				{"set a setting", "PUT", "/api/v1/settings/cases.backfill_working_days", sanmingOp, "", map[string]any{"value": 3, "final": true}, "", 200, "", nil},
				{"locked below", "PUT", "/api/v1/settings/cases.backfill_working_days", youxiOp, "", map[string]any{"value": 5}, "", 422, "failed_precondition", nil},
				{"setting value missing", "PUT", "/api/v1/settings/cases.backfill_working_days", youxiOp, "", map[string]any{"final": true}, "", 400, "invalid", []string{"value"}},
				{"setting out of range", "PUT", "/api/v1/settings/disclosure.min_days", youxiOp, "", map[string]any{"value": -1}, "", 400, "invalid", []string{"value"}},
				{"unknown setting", "PUT", "/api/v1/settings/no.such", youxiOp, "", map[string]any{"value": 1}, "", 400, "invalid", nil},
				{"reset a value never set", "DELETE", "/api/v1/settings/disclosure.min_days", youxiOp, "", nil, "", 404, "not_found", nil},
				{"audit", "GET", "/api/v1/settings-audit?limit=5", sanmingOp, "", nil, "", 200, "", nil},
				{"audit bad limit", "GET", "/api/v1/settings-audit?limit=abc", sanmingOp, "", nil, "", 400, "invalid", []string{"limit"}},
				{"unknown endpoint", "GET", "/api/v1/nothing-here", provOp, "", nil, "", 404, "not_found", nil},
				{"wrong method", "PATCH", "/api/v1/tenants", provOp, "", nil, "", 405, "", nil},
				{"grant as county operator", "POST", "/api/v1/grants", youxiOp, "", map[string]string{"identity_id": "nobody", "role": "officer"}, "", 404, "not_found", nil},
				{"grant an unknown role", "POST", "/api/v1/grants", youxiOp, "", map[string]string{"identity_id": "x", "role": "king"}, "", 400, "invalid", []string{"role"}},
				{"account with bad email", "POST", "/api/v1/accounts", youxiOp, "", map[string]any{"email": "nope", "name": "张三", "kind": "officer"}, "", 400, "invalid", []string{"email"}},
				{"create an account", "POST", "/api/v1/accounts", youxiOp, "", map[string]any{"email": "new.officer@demo.zhifa", "name": "张三", "kind": "officer", "roles": []string{"officer"}}, "", 201, "", nil},
				{"same e-mail again", "POST", "/api/v1/accounts", youxiOp, "", map[string]any{"email": "new.officer@demo.zhifa", "name": "张三", "kind": "officer"}, "", 409, "conflict", nil},
				{"supervisor may not grant", "POST", "/api/v1/accounts", provSup, "", map[string]any{"email": "x@demo.zhifa", "name": "x", "kind": "officer"}, "", 403, "forbidden", nil},
			})

			// Nothing the refused calls carried was written.
			tok := p.login(provOp)
			tree := p.do(http.MethodGet, "/api/v1/tenants", tok, "", nil)
			for _, id := range []string{`"3505"`, `"3509"`, `"350105"`, `"350428"`} {
				if strings.Contains(string(tree.Raw), `"id":`+id) {
					t.Errorf("a refused create left tenant %s behind", id)
				}
			}
			if !strings.Contains(string(tree.Raw), `"id":"350430"`) {
				t.Error("the accepted create is missing from the tree")
			}
			st := p.do(http.MethodGet, "/api/v1/settings", p.login(youxiOp), "", nil)
			if !strings.Contains(string(st.Raw), `"key":"cases.backfill_working_days"`) || !strings.Contains(string(st.Raw), `"locked_by":"3504"`) {
				t.Errorf("county settings do not show the city's lock: %s", st.Raw)
			}
		})
	}
}

func TestElementsAPIBadInput(t *testing.T) {
	p := startPlatform(t, "sqlite")
	const officer = "youxi.officer1@demo.zhifa"
	const admin = "youxi.admin@demo.zhifa"
	goodBody := map[string]any{"name": "尤溪县测试局", "code": validUSCC("11350426MB0000002"), "kind": "administrative_organ", "sector": "other"}
	huge := `{"name":"` + strings.Repeat("长", 40000) + `"}`
	badCSV := "code,name,kind,sector,articles\nYX-1,事项一,penalty,other,\nYX-2,事项二,penalty,nosuchsector,\nYX-3,事项三,penalty,other,\n"
	runScenarios(t, p, []scenario{
		{"no session", "GET", "/api/v1/bodies", "", "", nil, "", 401, "unauthenticated", nil},
		{"officer reads", "GET", "/api/v1/bodies?q=尤溪", officer, "", nil, "", 200, "", nil},
		{"officer may not write", "POST", "/api/v1/bodies", officer, "", goodBody, "", 403, "forbidden", nil},
		{"body admin may not create bodies", "POST", "/api/v1/bodies", admin, "", goodBody, "", 403, "forbidden", nil},
		{"malformed JSON", "POST", "/api/v1/bodies", youxiOp, "", `{"name":`, "", 400, "invalid", nil},
		{"unknown field", "POST", "/api/v1/bodies", youxiOp, "", `{"name":"x","code":"x","kind":"administrative_organ","sector":"other","boss":"y"}`, "", 400, "invalid", []string{"boss"}},
		{"oversized", "POST", "/api/v1/bodies", youxiOp, "", huge, "", 413, "too_large", nil},
		{"bad check digit", "POST", "/api/v1/bodies", youxiOp, "", map[string]any{"name": "x", "code": "11350426MB00000020", "kind": "administrative_organ", "sector": "other"}, "", 400, "invalid", []string{"code"}},
		{"bad id", "GET", "/api/v1/bodies/not-a-uuid", youxiOp, "", nil, "", 400, "invalid", nil},
		{"unknown id", "GET", "/api/v1/bodies/01a1ff72-0000-7000-8000-000000000000", youxiOp, "", nil, "", 404, "not_found", nil},
		{"absurd limit", "GET", "/api/v1/matters?limit=100000", youxiOp, "", nil, "", 400, "invalid", []string{"limit"}},
		{"impossible date", "GET", "/api/v1/laws?in_force_on=2025-02-30", youxiOp, "", nil, "", 400, "invalid", nil},
		{"wrong tenant", "GET", "/api/v1/bodies", youxiOp, "3501", nil, "", 404, "not_found", nil},
		{"import with one bad row", "POST", "/api/v1/import/matters", youxiOp, "", badCSV, "text/csv", 422, "", []string{"sector"}},
		{"import with wrong content type", "POST", "/api/v1/import/matters", youxiOp, "", badCSV, "application/pdf", 400, "invalid", nil},
		{"import of an unknown kind", "POST", "/api/v1/import/weapons", youxiOp, "", badCSV, "text/csv", 404, "not_found", nil},
		{"create", "POST", "/api/v1/bodies", youxiOp, "", goodBody, "", 201, "", nil},
		{"duplicate code", "POST", "/api/v1/bodies", youxiOp, "", goodBody, "", 409, "conflict", nil},
	})
	// The refused import wrote nothing, not even its good rows.
	r := p.do(http.MethodGet, "/api/v1/matters?q=YX-", p.login(youxiOp), "", nil)
	if strings.Contains(string(r.Raw), "YX-1") || strings.Contains(string(r.Raw), "YX-3") {
		t.Errorf("a refused import left rows behind: %s", r.Raw)
	}
}

// TestRevokedGrantAppliesAtOnce checks that the session cache never outlives a change of roles
// made through the platform.
func TestRevokedGrantAppliesAtOnce(t *testing.T) {
	p := startPlatform(t, "sqlite")
	op := p.login(youxiOp)
	r := p.do(http.MethodPost, "/api/v1/accounts", op, "", map[string]any{"email": "temp.officer@demo.zhifa", "name": "临时", "kind": "officer", "roles": []string{"officer"}})
	if r.Status != http.StatusCreated {
		t.Fatalf("account: %d %s", r.Status, r.Raw)
	}
	tok := p.login("temp.officer@demo.zhifa")
	if r := p.do(http.MethodGet, "/api/v1/bodies", tok, "", nil); r.Status != http.StatusOK {
		t.Fatalf("officer reads bodies: %d", r.Status)
	}
	grants := p.do(http.MethodGet, "/api/v1/grants", op, "", nil)
	var grantID string
	for _, g := range grants.Body["grants"].([]any) {
		g := g.(map[string]any)
		if g["identity_id"] == r.Body["identity_id"] {
			grantID = g["id"].(string)
		}
	}
	if r := p.do(http.MethodDelete, "/api/v1/grants/"+grantID, op, "", nil); r.Status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/bodies", tok, "", nil); r.Status != http.StatusNotFound {
		t.Errorf("after revocation the officer still reaches the tenant: %d", r.Status)
	}
}
