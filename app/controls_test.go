package app_test

import (
	"net/http"
	"testing"

	"zhifa/app/testkit"
	"zhifa/modules/kernel/errs"
)

// TestControlCharacters: a NUL byte (or another control character) in a query's search text or
// in a body's text is refused at the edge, 400 naming the field, on both databases, where it
// used to reach the database and answer 500: every list that searches by q, and the free text of
// a citizen's evaluation, a body's name and a tenant's name.
func TestControlCharacters(t *testing.T) {
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			p := startPlatform(t, driver)
			ensureCalendarAhead(t, p)
			citTok := p.login(citizenDemo)
			served, code := walkServed(t, p, "评议含控制字符的摊贩案", [8]string{chinaDay(-20), chinaDay(-19), chinaDay(-18), chinaDay(-16),
				chinaDay(-15), chinaDay(-14), chinaDay(-11), chinaDay(-10)})
			if r := p.do(http.MethodPost, "/api/v1/portal/lookup", citTok, "", map[string]any{"code": code, "proof": partyID[12:]}); r.Status != http.StatusOK {
				t.Fatalf("lookup: %d %s", r.Status, r.Raw)
			}
			laws := list(p.do(http.MethodGet, "/api/v1/laws?limit=1", p.login(officer1), "", nil), "laws")
			if len(laws) != 1 {
				t.Fatalf("the laws: %v", laws)
			}
			law := laws[0]["id"].(string)

			officer, op := p.as(officer1, ""), p.as(youxiOp, "")
			var scenarios []testkit.Scenario
			for _, path := range []string{"/cases", "/laws", "/laws/" + law + "/articles", "/bodies", "/matters", "/officers", "/benchmarks"} {
				for name, q := range map[string]string{"NUL": "%00", "NUL inside": "%E5%B0%A4%00%E6%BA%AA", "escape": "%1B", "not UTF-8": "%FF"} {
					scenarios = append(scenarios, testkit.Scenario{Name: path + " q " + name, Caller: officer, Method: "GET", Path: "/api/v1" + path + "?q=" + q,
						Status: 400, Code: errs.Invalid, Fields: []string{"q"}})
				}
				scenarios = append(scenarios, testkit.Scenario{Name: path + " q with a tab", Caller: officer, Method: "GET", Path: "/api/v1" + path + "?q=%09", Status: 200})
			}
			scenarios = append(scenarios,
				testkit.Scenario{Name: "evaluation comment", Caller: p.as(citizenDemo, ""), Method: "POST", Path: "/api/v1/portal/cases/" + served + "/evaluation",
					Body: map[string]any{"rating": 4, "comment": "办理\x00及时"}, Status: 400, Code: errs.Invalid, Fields: []string{"comment"}},
				testkit.Scenario{Name: "body name", Caller: op, Method: "POST", Path: "/api/v1/bodies",
					Body:   map[string]any{"name": "尤溪县\x00测试局", "code": validUSCC("11350426MB0000003"), "kind": "administrative_organ", "sector": "other"},
					Status: 400, Code: errs.Invalid, Fields: []string{"name"}},
				testkit.Scenario{Name: "tenant name", Caller: p.as(provOp, ""), Method: "POST", Path: "/api/v1/tenants",
					Body: map[string]string{"id": "350431", "parent_id": "3504", "tier": "county", "name": "新\x00县"}, Status: 400, Code: errs.Invalid, Fields: []string{"name"}},
				testkit.Scenario{Name: "evaluation with a line break", Caller: p.as(citizenDemo, ""), Method: "POST", Path: "/api/v1/portal/cases/" + served + "/evaluation",
					Body: map[string]any{"rating": 4, "comment": "办理及时\r\n态度好"}, Status: 201},
			)
			p.server(t).Run(t, scenarios)
		})
	}
}
