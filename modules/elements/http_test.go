package elements_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// testServer mounts the element routes with stand-in middlewares: the tenant and roles come from
// the X-Test-Tenant and X-Test-Roles headers.
func testServer(t *testing.T, db *bun.DB) (*echo.Echo, *httpx.API) {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(db))
	elements.New(elements.Config{DB: db}).Routes(api)
	return e, api
}

func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		e, api := testServer(t, db)
		raw, err := json.Marshal(api.Document())
		noErr(t, err)
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		noErr(t, err)
		if err := doc.Validate(ctx); err != nil {
			t.Fatalf("OpenAPI document: %v", err)
		}
		do := func(tenant *tenants.Tenant, role authz.Role, method, path, ctype, body string) (int, map[string]any) {
			t.Helper()
			req := httptest.NewRequest(method, "/api/v1"+path, strings.NewReader(body))
			req.Header.Set("X-Test-Tenant", tenant.ID)
			req.Header.Set("X-Test-Roles", string(role))
			if ctype != "" {
				req.Header.Set(echo.HeaderContentType, ctype)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			var out map[string]any
			if rec.Body.Len() > 0 {
				if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
					t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
				}
			}
			return rec.Code, out
		}
		const js = "application/json"
		op, off := authz.TenantOperator, authz.Officer
		code, body := do(w.a, op, http.MethodPost, "/bodies", js, `{"name":"A县市场监督管理局","code":"`+uscc(1)+`","kind":"administrative_organ","sector":"market_regulation"}`)
		if code != http.StatusCreated {
			t.Fatalf("create body: %d %v", code, body)
		}
		bodyID := body["id"].(string)
		code, body = do(w.a, op, http.MethodPost, "/officers", js, `{"body_id":"`+bodyID+`","name":"张三","id_number":"`+residentID(1)+`"}`)
		if code != http.StatusCreated {
			t.Fatalf("create officer: %d %v", code, body)
		}
		officerID := body["id"].(string)

		for _, tc := range []struct {
			name         string
			tenant       *tenants.Tenant
			role         authz.Role
			method, path string
			ctype, body  string
			status       int
			code         errs.Code
		}{
			{"list bodies", w.a, off, "GET", "/bodies?q=市场&limit=10", "", "", 200, ""},
			{"bad limit", w.a, off, "GET", "/bodies?limit=1000", "", "", 400, errs.Invalid},
			{"bad active", w.a, off, "GET", "/bodies?active=maybe", "", "", 400, errs.Invalid},
			{"bad sector", w.a, off, "GET", "/bodies?sector=police", "", "", 400, errs.Invalid},
			{"bad date", w.a, off, "GET", "/laws?in_force_on=yesterday", "", "", 400, errs.Invalid},
			{"get body", w.a, off, "GET", "/bodies/" + bodyID, "", "", 200, ""},
			{"malformed id", w.a, off, "GET", "/bodies/123", "", "", 400, errs.Invalid},
			{"other tenant's body", w.b, op, "GET", "/bodies/" + bodyID, "", "", 404, errs.NotFound},
			{"other tenant's officer", w.b, op, "DELETE", "/officers/" + officerID, "", "", 404, errs.NotFound},
			{"officer cannot write", w.a, off, "POST", "/bodies", js, `{}`, 403, errs.Forbidden},
			{"citizen cannot read", w.a, authz.Citizen, "GET", "/laws", "", "", 403, errs.Forbidden},
			{"unknown field", w.a, op, "PUT", "/bodies/" + bodyID, js, `{"nme":"x"}`, 400, errs.Invalid},
			{"not JSON", w.a, op, "POST", "/laws", "text/plain", `x`, 400, errs.Invalid},
			{"invalid fields", w.a, op, "POST", "/laws", js, `{"name":"x"}`, 400, errs.Invalid},
			{"body with officers", w.a, op, "DELETE", "/bodies/" + bodyID, "", "", 409, errs.Conflict},
			{"bad version", w.a, off, "GET", "/benchmarks/" + bodyID + "/versions/x", "", "", 400, errs.Invalid},
			{"no such benchmark", w.a, off, "GET", "/benchmarks/" + bodyID + "/versions/1", "", "", 404, errs.NotFound},
			{"import bad header", w.a, op, "POST", "/import/bodies", "text/csv", "nom,code\nx,y\n", 400, errs.Invalid},
			{"import bad row", w.a, op, "POST", "/import/bodies", "text/csv", "name,code,kind,sector\nx,y,administrative_organ,other\n", 422, errs.Invalid},
			{"import good", w.a, op, "POST", "/import/bodies", "text/csv", "name,code,kind,sector\n乙局," + uscc(2) + ",administrative_organ,other\n", 201, ""},
			{"import JSON", w.a, op, "POST", "/import/laws", js, `[{"name":"某法","level":"law","issuer":"x","promulgated_on":"2020-01-01","effective_from":"2020-01-01"}]`, 201, ""},
			{"import unknown kind", w.a, op, "POST", "/import/cases", "text/csv", "a\n", 404, errs.NotFound},
			{"officer cannot import", w.a, off, "POST", "/import/officers", "text/csv", "a\n", 403, errs.Forbidden},
		} {
			status, out := do(tc.tenant, tc.role, tc.method, tc.path, tc.ctype, tc.body)
			if status != tc.status {
				t.Errorf("%s: status %d, want %d (%v)", tc.name, status, tc.status, out)
				continue
			}
			if tc.code != "" && out["code"] != string(tc.code) {
				t.Errorf("%s: code %v, want %s", tc.name, out["code"], tc.code)
			}
		}

		_, out := do(w.a, off, "GET", "/officers", "", "")
		officers := out["officers"].([]any)
		if got := officers[0].(map[string]any)["id_number"]; got != elements.MaskResidentID(residentID(1)) {
			t.Fatalf("list shows %v", got)
		}
		_, out = do(w.a, op, "POST", "/import/bodies", "text/csv", "name,code,kind,sector\nx,y,administrative_organ,other\n")
		errsList := out["errors"].([]any)
		first := errsList[0].(map[string]any)
		if first["row"] != float64(1) || first["field"] != "code" || out["imported"] != float64(0) {
			t.Fatalf("import report = %v", out)
		}
		// Certificates are shown as they are on the day asked: expired and expiring first.
		for i, o := range []struct{ name, expires string }{{"王五", "2028-12-31"}, {"林志远", "2025-04-30"}, {"赵六", "2025-05-20"}} {
			c, out := do(w.a, op, http.MethodPost, "/officers", js, `{"body_id":"`+bodyID+`","name":"`+o.name+`","id_number":"`+residentID(20+i)+
				`","certificate":{"number":"FJ-`+o.expires+`","issued_on":"2020-05-01","expires_on":"`+o.expires+`"}}`)
			if c != http.StatusCreated {
				t.Fatalf("create %s: %d %v", o.name, c, out)
			}
		}
		_, out = do(w.a, off, "GET", "/officers?on=2025-05-06", "", "")
		var shown []string
		for _, x := range out["officers"].([]any) {
			o := x.(map[string]any)
			c, _ := o["certificate"].(map[string]any)
			if c == nil {
				shown = append(shown, o["name"].(string)+" -")
				continue
			}
			shown = append(shown, fmt.Sprintf("%s %s/%s %v %v", o["name"], c["status"], c["state"], c["days_left"], c["state_on"]))
		}
		if want := []string{"林志远 valid/expired -6 2025-05-06", "赵六 valid/expiring 14 2025-05-06", "张三 -", "王五 valid/valid 1335 2025-05-06"}; !slices.Equal(shown, want) {
			t.Fatalf("officers on 2025-05-06 = %v, want %v", shown, want)
		}
		if c, out := do(w.a, off, "GET", "/officers?on=2025-13-01", "", ""); c != http.StatusBadRequest || out["code"] != string(errs.Invalid) {
			t.Fatalf("a bad day: %d %v", c, out)
		}
		if c, out := do(w.a, off, "GET", "/certificate-notices", "", ""); c != http.StatusForbidden {
			t.Fatalf("an officer reads the notices: %d %v", c, out)
		}
		if c, out := do(w.a, op, "GET", "/certificate-notices?on=2025-05-06", "", ""); c != http.StatusOK || out["on"] != "2025-05-06" || len(out["notices"].([]any)) != 0 {
			t.Fatalf("no notices yet: %d %v", c, out)
		}
		if c, out := do(w.a, op, "GET", "/certificate-notices?on=tomorrow", "", ""); c != http.StatusBadRequest {
			t.Fatalf("a bad notice day: %d %v", c, out)
		}
		_, out = do(w.a, off, "GET", "/laws?limit=1", "", "")
		if out["total"] != float64(1) || out["limit"] != float64(1) {
			t.Fatalf("laws page = %v", out)
		}
	})
}
