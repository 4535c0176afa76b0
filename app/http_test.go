package app_test

import (
	"net/http"
	"strings"
	"testing"

	"zhifa/app/testkit"
	"zhifa/modules/kernel/errs"
)

const (
	provOp    = "province.operator@demo.zhifa"
	sanmingOp = "sanming.operator@demo.zhifa"
	youxiOp   = "youxi.operator@demo.zhifa"
	provSup   = "province.supervisor@demo.zhifa"
	citizen   = "citizen@demo.zhifa"
)

func TestTenantAndSettingsAPI(t *testing.T) {
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			p := startPlatform(t, driver)
			huge := `{"id":"350428","parent_id":"3504","tier":"county","name":"` + strings.Repeat("长", 40000) + `"}`
			p.server(t).Run(t, []testkit.Scenario{
				{Name: "no session", Method: "GET", Path: "/api/v1/tenants", Status: 401, Code: errs.Unauthenticated},
				{Name: "invalid token", Caller: p.as("bad", ""), Method: "GET", Path: "/api/v1/tenants", Status: 401, Code: errs.Unauthenticated},
				{Name: "tree", Caller: p.as(provOp, ""), Method: "GET", Path: "/api/v1/tenants", Status: 200},
				{Name: "create county", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: map[string]string{"id": "350430", "parent_id": "3504", "tier": "county", "name": "新县"}, Status: 201},
				{Name: "same code again", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: map[string]string{"id": "350430", "parent_id": "3504", "tier": "county", "name": "新县"}, Status: 409, Code: errs.Conflict, Fields: []string{"id"}},
				{Name: "malformed JSON", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: `{"id": "3505",`, Status: 400, Code: errs.Invalid},
				{Name: "unknown field", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: `{"id":"3505","parent_id":"35","tier":"city","name":"x","mayor":"y"}`, Status: 400, Code: errs.Invalid, Fields: []string{"mayor"}},
				{Name: "wrong type", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: `{"id":3505,"parent_id":"35","tier":"city","name":"x"}`, Status: 400, Code: errs.Invalid, Fields: []string{"id"}},
				{Name: "not JSON", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: "id=3505", ContentType: "application/x-www-form-urlencoded", Status: 400, Code: errs.Invalid},
				{Name: "trailing data", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: `{"id":"3505","parent_id":"35","tier":"city","name":"x"} {}`, Status: 400, Code: errs.Invalid},
				{Name: "oversized body", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: huge, Status: 413, Code: errs.TooLarge},
				{Name: "bad fields", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: map[string]string{"id": "x", "parent_id": "35", "tier": "state", "name": ""}, Status: 400, Code: errs.Invalid, Fields: []string{"id", "tier", "name"}},
				{Name: "bad tenant id in URL", Caller: p.as(provOp, ""), Method: "GET", Path: "/api/v1/tenants/%27%20OR%201=1", Status: 404, Code: errs.NotFound},
				{Name: "county operator outside its subtree", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/tenants", Body: map[string]string{"id": "350105", "parent_id": "3501", "tier": "county", "name": "x"}, Status: 404, Code: errs.NotFound},
				{Name: "county operator asks for another tenant", Caller: p.as(youxiOp, "3501"), Method: "GET", Path: "/api/v1/tenants", Status: 404, Code: errs.NotFound, NotContains: []string{`"path"`}},
				{Name: "county operator asks for a missing tenant", Caller: p.as(youxiOp, "999999"), Method: "GET", Path: "/api/v1/tenants", Status: 404, Code: errs.NotFound},
				{Name: "province operator acts at a county below", Caller: p.as(provOp, "350426"), Method: "GET", Path: "/api/v1/settings", Status: 200},
				{Name: "supervisor may not create", Caller: p.as(provSup, ""), Method: "POST", Path: "/api/v1/tenants", Body: map[string]string{"id": "3509", "parent_id": "35", "tier": "city", "name": "x"}, Status: 403, Code: errs.Forbidden},
				{Name: "citizen has no tenant", Caller: p.as(citizen, ""), Method: "GET", Path: "/api/v1/tenants", Status: 404, Code: errs.NotFound, NotContains: []string{`"path"`}},
				{Name: "citizen cannot pick one", Caller: p.as(citizen, "35"), Method: "GET", Path: "/api/v1/tenants", Status: 404, Code: errs.NotFound, NotContains: []string{`"path"`}},
				{Name: "set a setting", Caller: p.as(sanmingOp, ""), Method: "PUT", Path: "/api/v1/settings/cases.backfill_working_days", Body: map[string]any{"value": 3, "final": true}, Status: 200},
				{Name: "locked below", Caller: p.as(youxiOp, ""), Method: "PUT", Path: "/api/v1/settings/cases.backfill_working_days", Body: map[string]any{"value": 5}, Status: 422, Code: errs.FailedPrecondition},
				{Name: "setting value missing", Caller: p.as(youxiOp, ""), Method: "PUT", Path: "/api/v1/settings/cases.backfill_working_days", Body: map[string]any{"final": true}, Status: 400, Code: errs.Invalid, Fields: []string{"value"}},
				{Name: "setting out of range", Caller: p.as(youxiOp, ""), Method: "PUT", Path: "/api/v1/settings/disclosure.min_days", Body: map[string]any{"value": -1}, Status: 400, Code: errs.Invalid, Fields: []string{"value"}},
				{Name: "unknown setting", Caller: p.as(youxiOp, ""), Method: "PUT", Path: "/api/v1/settings/no.such", Body: map[string]any{"value": 1}, Status: 400, Code: errs.Invalid},
				{Name: "reset a value never set", Caller: p.as(youxiOp, ""), Method: "DELETE", Path: "/api/v1/settings/disclosure.min_days", Status: 404, Code: errs.NotFound},
				{Name: "audit", Caller: p.as(sanmingOp, ""), Method: "GET", Path: "/api/v1/settings-audit?limit=5", Status: 200},
				{Name: "audit bad limit", Caller: p.as(sanmingOp, ""), Method: "GET", Path: "/api/v1/settings-audit?limit=abc", Status: 400, Code: errs.Invalid, Fields: []string{"limit"}},
				{Name: "unknown endpoint", Caller: p.as(provOp, ""), Method: "GET", Path: "/api/v1/nothing-here", Status: 404, Code: errs.NotFound},
				{Name: "wrong method", Caller: p.as(provOp, ""), Method: "PATCH", Path: "/api/v1/tenants", Status: 405, Code: errs.MethodNotAllowed},
				{Name: "grant as county operator", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/grants", Body: map[string]string{"identity_id": "nobody", "role": "officer"}, Status: 404, Code: errs.NotFound},
				{Name: "grant an unknown role", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/grants", Body: map[string]string{"identity_id": "x", "role": "king"}, Status: 400, Code: errs.Invalid, Fields: []string{"role"}},
				{Name: "account with bad email", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/accounts", Body: map[string]any{"email": "nope", "name": "张三", "kind": "officer"}, Status: 400, Code: errs.Invalid, Fields: []string{"email"}},
				{Name: "create an account", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/accounts", Body: map[string]any{"email": "new.officer@demo.zhifa", "name": "张三", "kind": "officer", "roles": []string{"officer"}}, Status: 201},
				{Name: "same e-mail again", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/accounts", Body: map[string]any{"email": "new.officer@demo.zhifa", "name": "张三", "kind": "officer"}, Status: 409, Code: errs.Conflict},
				{Name: "supervisor may not grant", Caller: p.as(provSup, ""), Method: "POST", Path: "/api/v1/accounts", Body: map[string]any{"email": "x@demo.zhifa", "name": "x", "kind": "officer"}, Status: 403, Code: errs.Forbidden},
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
	p.server(t).Run(t, []testkit.Scenario{
		{Name: "no session", Method: "GET", Path: "/api/v1/bodies", Status: 401, Code: errs.Unauthenticated},
		{Name: "officer reads", Caller: p.as(officer, ""), Method: "GET", Path: "/api/v1/bodies?q=尤溪", Status: 200},
		{Name: "officer may not write", Caller: p.as(officer, ""), Method: "POST", Path: "/api/v1/bodies", Body: goodBody, Status: 403, Code: errs.Forbidden},
		{Name: "body admin may not create bodies", Caller: p.as(admin, ""), Method: "POST", Path: "/api/v1/bodies", Body: goodBody, Status: 403, Code: errs.Forbidden},
		{Name: "malformed JSON", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/bodies", Body: `{"name":`, Status: 400, Code: errs.Invalid},
		{Name: "unknown field", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/bodies", Body: `{"name":"x","code":"x","kind":"administrative_organ","sector":"other","boss":"y"}`, Status: 400, Code: errs.Invalid, Fields: []string{"boss"}},
		{Name: "oversized", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/bodies", Body: huge, Status: 413, Code: errs.TooLarge},
		{Name: "bad check digit", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/bodies", Body: map[string]any{"name": "x", "code": "11350426MB00000020", "kind": "administrative_organ", "sector": "other"}, Status: 400, Code: errs.Invalid, Fields: []string{"code"}},
		{Name: "bad id", Caller: p.as(youxiOp, ""), Method: "GET", Path: "/api/v1/bodies/not-a-uuid", Status: 400, Code: errs.Invalid},
		{Name: "unknown id", Caller: p.as(youxiOp, ""), Method: "GET", Path: "/api/v1/bodies/01a1ff72-0000-7000-8000-000000000000", Status: 404, Code: errs.NotFound},
		{Name: "absurd limit", Caller: p.as(youxiOp, ""), Method: "GET", Path: "/api/v1/matters?limit=100000", Status: 400, Code: errs.Invalid, Fields: []string{"limit"}},
		{Name: "impossible date", Caller: p.as(youxiOp, ""), Method: "GET", Path: "/api/v1/laws?in_force_on=2025-02-30", Status: 400, Code: errs.Invalid},
		{Name: "wrong tenant", Caller: p.as(youxiOp, "3501"), Method: "GET", Path: "/api/v1/bodies", Status: 404, Code: errs.NotFound, NotContains: []string{`"bodies"`}},
		{Name: "import with wrong content type", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/import/matters", Body: badCSV, ContentType: "application/pdf", Status: 400, Code: errs.Invalid},
		{Name: "import of an unknown kind", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/import/weapons", Body: badCSV, ContentType: "text/csv", Status: 404, Code: errs.NotFound},
		{Name: "create", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/bodies", Body: goodBody, Status: 201},
		{Name: "duplicate code", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/bodies", Body: goodBody, Status: 409, Code: errs.Conflict},
	})
	// The import's report names the bad row's field in its own list, and carries no request ID.
	report := *p.server(t)
	report.RequestIDs = false
	report.Run(t, []testkit.Scenario{{Name: "import with one bad row", Caller: p.as(youxiOp, ""), Method: "POST", Path: "/api/v1/import/matters",
		Body: badCSV, ContentType: "text/csv", Status: 422, Code: errs.Invalid, Contains: []string{`"field":"sector"`}, NotContains: []string{`"imported":1`}}})
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
