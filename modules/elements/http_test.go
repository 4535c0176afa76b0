package elements_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/app/testkit"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

// testServer mounts the element routes with stand-in middlewares (the tenant and roles come from
// the X-Test-Tenant and X-Test-Roles headers); every success is checked against the OpenAPI
// document.
func testServer(t *testing.T, db *bun.DB) *testkit.Server {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(db))
	elements.New(elements.Config{DB: db}).Routes(api)
	srv := testkit.NewServer(t, e, api)
	srv.CheckResponses = true
	return srv
}

// TestHTTP is the elements API as scenarios: query and field errors, another tenant's 404s,
// refusals by role, imports and their reports, and certificates as they stand on a day.
func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		srv := testServer(t, db)
		const csv = "text/csv"
		aOp, aOff := testkit.Role(w.a, authz.TenantOperator), testkit.Role(w.a, authz.Officer)
		bOp := testkit.Role(w.b, authz.TenantOperator)
		bodyID := srv.Do(t, testkit.Scenario{Name: "create a body", Caller: aOp, Method: "POST", Path: "/api/v1/bodies",
			Body: `{"name":"A县市场监督管理局","code":"` + uscc(1) + `","kind":"administrative_organ","sector":"market_regulation"}`, Status: 201,
			JSON: map[string]any{"name": "A县市场监督管理局", "code": uscc(1)}}).String("id")
		officerID := srv.Do(t, testkit.Scenario{Name: "create an officer", Caller: aOp, Method: "POST", Path: "/api/v1/officers",
			Body: `{"body_id":"` + bodyID + `","name":"张三","id_number":"` + residentID(1) + `"}`, Status: 201,
			JSON: map[string]any{"name": "张三", "body_id": bodyID}}).String("id")
		badRow := "name,code,kind,sector\nx,y,administrative_organ,other\n"

		srv.Run(t, []testkit.Scenario{
			{Name: "list bodies", Caller: aOff, Method: "GET", Path: "/api/v1/bodies?q=市场&limit=10", Status: 200, Contains: []string{"A县市场监督管理局"}},
			{Name: "bad limit", Caller: aOff, Method: "GET", Path: "/api/v1/bodies?limit=1000", Status: 400, Code: errs.Invalid},
			{Name: "bad active", Caller: aOff, Method: "GET", Path: "/api/v1/bodies?active=maybe", Status: 400, Code: errs.Invalid},
			{Name: "bad sector", Caller: aOff, Method: "GET", Path: "/api/v1/bodies?sector=police", Status: 400, Code: errs.Invalid},
			{Name: "bad date", Caller: aOff, Method: "GET", Path: "/api/v1/laws?in_force_on=yesterday", Status: 400, Code: errs.Invalid},
			{Name: "get body", Caller: aOff, Method: "GET", Path: "/api/v1/bodies/" + bodyID, Status: 200, JSON: map[string]any{"id": bodyID}},
			{Name: "malformed id", Caller: aOff, Method: "GET", Path: "/api/v1/bodies/123", Status: 400, Code: errs.Invalid},
			{Name: "other tenant's body", Caller: bOp, Method: "GET", Path: "/api/v1/bodies/" + bodyID, Status: 404, Code: errs.NotFound,
				NotContains: []string{"A县市场监督管理局"}},
			{Name: "other tenant's officer", Caller: bOp, Method: "DELETE", Path: "/api/v1/officers/" + officerID, Status: 404, Code: errs.NotFound},
			{Name: "officer cannot write", Caller: aOff, Method: "POST", Path: "/api/v1/bodies", Body: `{}`, Status: 403, Code: errs.Forbidden, NotContains: []string{`"id"`}},
			{Name: "citizen cannot read", Caller: testkit.Role(w.a, authz.Citizen), Method: "GET", Path: "/api/v1/laws", Status: 403, Code: errs.Forbidden,
				NotContains: []string{`"laws"`}},
			{Name: "unknown field", Caller: aOp, Method: "PUT", Path: "/api/v1/bodies/" + bodyID, Body: `{"nme":"x"}`, Status: 400, Code: errs.Invalid},
			{Name: "not JSON", Caller: aOp, Method: "POST", Path: "/api/v1/laws", ContentType: "text/plain", Body: `x`, Status: 400, Code: errs.Invalid},
			{Name: "invalid fields", Caller: aOp, Method: "POST", Path: "/api/v1/laws", Body: `{"name":"x"}`, Status: 400, Code: errs.Invalid},
			{Name: "body with officers", Caller: aOp, Method: "DELETE", Path: "/api/v1/bodies/" + bodyID, Status: 409, Code: errs.Conflict},
			{Name: "bad version", Caller: aOff, Method: "GET", Path: "/api/v1/benchmarks/" + bodyID + "/versions/x", Status: 400, Code: errs.Invalid},
			{Name: "no such benchmark", Caller: aOff, Method: "GET", Path: "/api/v1/benchmarks/" + bodyID + "/versions/1", Status: 404, Code: errs.NotFound},
			{Name: "import bad header", Caller: aOp, Method: "POST", Path: "/api/v1/import/bodies", ContentType: csv, Body: "nom,code\nx,y\n", Status: 400, Code: errs.Invalid},
			{Name: "import bad row", Caller: aOp, Method: "POST", Path: "/api/v1/import/bodies", ContentType: csv, Body: badRow, Status: 422, Code: errs.Invalid,
				JSON: map[string]any{"errors.0.row": 1, "errors.0.field": "code", "imported": 0}},
			{Name: "import good", Caller: aOp, Method: "POST", Path: "/api/v1/import/bodies", ContentType: csv,
				Body: "name,code,kind,sector\n乙局," + uscc(2) + ",administrative_organ,other\n", Status: 201, JSON: map[string]any{"imported": 1}},
			{Name: "import JSON", Caller: aOp, Method: "POST", Path: "/api/v1/import/laws",
				Body: `[{"name":"某法","level":"law","issuer":"x","promulgated_on":"2020-01-01","effective_from":"2020-01-01"}]`, Status: 201, JSON: map[string]any{"imported": 1}},
			{Name: "import unknown kind", Caller: aOp, Method: "POST", Path: "/api/v1/import/cases", ContentType: csv, Body: "a\n", Status: 404, Code: errs.NotFound},
			{Name: "officer cannot import", Caller: aOff, Method: "POST", Path: "/api/v1/import/officers", ContentType: csv, Body: "a\n", Status: 403, Code: errs.Forbidden},
			{Name: "the list masks identity numbers", Caller: aOff, Method: "GET", Path: "/api/v1/officers", Status: 200,
				JSON: map[string]any{"officers.0.id_number": elements.MaskResidentID(residentID(1))}, NotContains: []string{residentID(1)}},
		})

		// Certificates are shown as they are on the day asked: expired and expiring first.
		for i, o := range []struct{ name, expires string }{{"王五", "2028-12-31"}, {"林志远", "2025-04-30"}, {"赵六", "2025-05-20"}} {
			srv.Do(t, testkit.Scenario{Name: "create " + o.name, Caller: aOp, Method: "POST", Path: "/api/v1/officers", Status: 201,
				Body: `{"body_id":"` + bodyID + `","name":"` + o.name + `","id_number":"` + residentID(20+i) +
					`","certificate":{"number":"FJ-` + o.expires + `","issued_on":"2020-05-01","expires_on":"` + o.expires + `"}}`})
		}
		srv.Run(t, []testkit.Scenario{
			{Name: "officers on a day", Caller: aOff, Method: "GET", Path: "/api/v1/officers?on=2025-05-06", Status: 200, Check: func(t testing.TB, r *testkit.Response) {
				var shown []string
				list, _ := r.Get("officers")
				for _, x := range list.([]any) {
					o := x.(map[string]any)
					c, _ := o["certificate"].(map[string]any)
					if c == nil {
						shown = append(shown, o["name"].(string)+" -")
						continue
					}
					shown = append(shown, fmt.Sprintf("%s %s/%s %v %v", o["name"], c["status"], c["state"], c["days_left"], c["state_on"]))
				}
				if want := []string{"林志远 valid/expired -6 2025-05-06", "赵六 valid/expiring 14 2025-05-06", "张三 -", "王五 valid/valid 1335 2025-05-06"}; !slices.Equal(shown, want) {
					t.Errorf("officers on 2025-05-06 = %v, want %v", shown, want)
				}
			}},
			{Name: "a bad day", Caller: aOff, Method: "GET", Path: "/api/v1/officers?on=2025-13-01", Status: 400, Code: errs.Invalid, NotContains: []string{"林志远"}},
			{Name: "an officer reads no notices", Caller: aOff, Method: "GET", Path: "/api/v1/certificate-notices", Status: 403, Code: errs.Forbidden,
				NotContains: []string{`"notices"`}},
			{Name: "no notices yet", Caller: aOp, Method: "GET", Path: "/api/v1/certificate-notices?on=2025-05-06", Status: 200,
				JSON: map[string]any{"on": "2025-05-06", "notices": []any{}}},
			{Name: "a bad notice day", Caller: aOp, Method: "GET", Path: "/api/v1/certificate-notices?on=tomorrow", Status: 400, Code: errs.Invalid},
			{Name: "laws page", Caller: aOff, Method: "GET", Path: "/api/v1/laws?limit=1", Status: 200, JSON: map[string]any{"total": 1, "limit": 1}},
		})
	})
}
