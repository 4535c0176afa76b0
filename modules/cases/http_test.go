package cases_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// testServer mounts the case routes with stand-in middlewares: the tenant, actor, roles and
// bodies come from X-Test-* headers.
func testServer(t *testing.T, w *world) (*echo.Echo, *httpx.API) {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(w.db))
	w.svc.Routes(api)
	return e, api
}

// caller is who sends a test request.
type caller struct {
	tenant *tenants.Tenant
	actor  string
	role   authz.Role
	body   string
}

// TestHTTP drives the API as scenarios: status codes, the rule in refusals, idempotency headers,
// evidence upload and download, chain verification, and county B's 404s.
func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		e, api := testServer(t, w)
		raw, err := json.Marshal(api.Document())
		noErr(t, err)
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		noErr(t, err)
		if err := doc.Validate(ctx); err != nil {
			t.Fatalf("OpenAPI document: %v", err)
		}
		if op := doc.Paths.Find("/cases/{id}/actions/decide").Post; op == nil || op.RequestBody == nil || op.Parameters.GetByInAndName("header", "Idempotency-Key") == nil {
			t.Fatalf("decide is not documented with its body and Idempotency-Key")
		}
		officer := caller{w.a, w.officerID, authz.Officer, w.body.ID}
		head := caller{w.a, "head", authz.BodyHead, w.body.ID}
		bHead := caller{w.b, "b-head", authz.BodyHead, ""}
		supervisor := caller{w.a, "sup", authz.Supervisor, ""}
		do := func(who caller, method, path, ctype string, body io.Reader, idem string) *httptest.ResponseRecorder {
			t.Helper()
			req := httptest.NewRequest(method, "/api/v1"+path, body)
			req.Header.Set("X-Test-Tenant", who.tenant.ID)
			req.Header.Set("X-Test-Actor", who.actor)
			req.Header.Set("X-Test-Roles", string(who.role))
			req.Header.Set("X-Test-Bodies", who.body)
			if ctype != "" {
				req.Header.Set(echo.HeaderContentType, ctype)
			}
			if idem != "" {
				req.Header.Set(cases.HeaderIdempotencyKey, idem)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			return rec
		}
		decode := func(rec *httptest.ResponseRecorder) map[string]any {
			t.Helper()
			var out map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			return out
		}
		const js = "application/json"
		newCase := `{"on":"2025-09-01","kind":"penalty_general","body_id":"` + w.body.ID + `","title":"无照经营","party":{"kind":"person","name":"王小明","id_number":"` + residentID(900) + `"},
			"officer_ids":["` + w.o1.ID + `","` + w.o2.ID + `"],"act_ended_on":"2025-08-20","lead":{"source":"complaint","received_on":"2025-09-01","summary":"举报"}}`
		if rec := do(officer, "POST", "/cases", js, strings.NewReader(newCase), ""); rec.Code != http.StatusBadRequest {
			t.Fatalf("create without Idempotency-Key: %d %s", rec.Code, rec.Body)
		}
		k := key()
		rec := do(officer, "POST", "/cases", js, strings.NewReader(newCase), k)
		if rec.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		id := decode(rec)["case"].(map[string]any)["id"].(string)
		rec = do(officer, "POST", "/cases", js, strings.NewReader(newCase), k)
		if rec.Code != http.StatusCreated || rec.Header().Get(cases.HeaderReplayed) != "true" || decode(rec)["case"].(map[string]any)["id"] != id {
			t.Fatalf("replayed create: %d %v %s", rec.Code, rec.Header(), rec.Body)
		}
		action := func(who caller, a, body string) *httptest.ResponseRecorder {
			return do(who, "POST", "/cases/"+id+"/actions/"+a, js, strings.NewReader(body), key())
		}
		for _, step := range []struct {
			who  caller
			a    string
			body string
		}{
			{officer, "verify", `{"on":"2025-09-02","findings":"属实"}`},
			{head, "file", `{"on":"2025-09-03"}`},
			{officer, "investigate", `{"on":"2025-09-05","officer_ids":["` + w.o1.ID + `","` + w.o2.ID + `"],"record":"笔录","location":{"lat":26.1,"lng":118.2,"accuracy_m":9.5}}`},
		} {
			if rec := action(step.who, step.a, step.body); rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", step.a, rec.Code, rec.Body)
			}
		}
		// Evidence upload (multipart), listed, downloaded with its hash.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"title": "现场照片", "kind": "audiovisual", "on": "2025-09-06", "lat": "26.1", "lng": "118.2", "accuracy_m": "10"} {
			noErr(t, mw.WriteField(k, v))
		}
		fw, err := mw.CreateFormFile("file", "../../etc/现场 照片.png")
		noErr(t, err)
		_, _ = fw.Write(pngBytes)
		noErr(t, mw.Close())
		if rec := do(officer, "POST", "/cases/"+id+"/evidence", mw.FormDataContentType(), bytes.NewReader(buf.Bytes()), ""); rec.Code != http.StatusBadRequest {
			t.Fatalf("upload without key: %d %s", rec.Code, rec.Body)
		}
		rec = do(officer, "POST", "/cases/"+id+"/evidence", mw.FormDataContentType(), bytes.NewReader(buf.Bytes()), key())
		if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), sha(pngBytes)) {
			t.Fatalf("upload: %d %s", rec.Code, rec.Body)
		}
		rec = do(officer, "GET", "/cases/"+id+"/evidence", "", nil, "")
		evs := decode(rec)["evidence"].([]any)
		if len(evs) != 1 || strings.Contains(evs[0].(map[string]any)["file_name"].(string), "/") {
			t.Fatalf("evidence list: %s", rec.Body)
		}
		evID := evs[0].(map[string]any)["id"].(string)
		rec = do(supervisor, "GET", "/cases/"+id+"/evidence/"+evID+"/file", "", nil, "")
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), pngBytes) || rec.Header().Get("X-Content-SHA256") != sha(pngBytes) ||
			rec.Header().Get(echo.HeaderContentType) != "image/png" {
			t.Fatalf("download: %d %v", rec.Code, rec.Header())
		}

		for _, s := range []struct {
			name    string
			who     caller
			method  string
			path    string
			ctype   string
			body    string
			idem    string
			status  int
			contain string
		}{
			{"detail", officer, "GET", "/cases/" + id, "", "", "", 200, `"next_actions"`},
			{"detail shows the 90-day limit", officer, "GET", "/cases/" + id, "", "", "", 200, `"rule_id":"penalty.decide"`},
			{"list mine", officer, "GET", "/cases?officer=me&state=investigating&body_id=" + w.body.ID, "", "", "", 200, `"total":1`},
			{"list by party name", supervisor, "GET", "/cases?q=" + "小明", "", "", "", 200, `"total":1`},
			{"list overdue", officer, "GET", "/cases?overdue=true", "", "", "", 200, `"total":1`},
			{"bad filter", officer, "GET", "/cases?state=flying", "", "", "", 400, `"state"`},
			{"bad officer filter", officer, "GET", "/cases?officer=you", "", "", "", 400, ""},
			{"chain", supervisor, "GET", "/cases/" + id + "/chain", "", "", "", 200, `"valid":true`},
			{"report", officer, "POST", "/cases/" + id + "/actions/report", js, `{"on":"2025-09-15","facts":"x"}`, key(), 200, ""},
			{"no action key", officer, "POST", "/cases/" + id + "/actions/propose", js, `{"on":"2025-09-16","penalty":{"types":["fine"],"fine_fen":100,"basis":"x"}}`, "", 400, "Idempotency-Key"},
			{"discretion refusal", officer, "POST", "/cases/" + id + "/actions/propose", js, `{"on":"2025-09-16","penalty":{"types":["fine"],"fine_fen":100,"basis":"x"}}`, key(), 422, `"rule":{"id":"penalty.discretion","law":"行政处罚法","article":"34"}`},
			{"out of order", head, "POST", "/cases/" + id + "/actions/decide", js, `{"on":"2025-09-16","number":"1","penalty":{"types":["warning"],"basis":"x"},"facts":"x"}`, key(), 409, `"conflict"`},
			{"role", officer, "POST", "/cases/" + id + "/actions/terminate", js, `{"reason":"x"}`, key(), 403, ""},
			{"not JSON", officer, "POST", "/cases/" + id + "/actions/statement", "text/plain", `x`, key(), 400, ""},
			{"supervisor cannot act", supervisor, "POST", "/cases/" + id + "/actions/report", js, `{"facts":"x"}`, key(), 403, ""},
			{"malformed id", officer, "GET", "/cases/x", "", "", "", 400, ""},
			{"B: detail", bHead, "GET", "/cases/" + id, "", "", "", 404, ""},
			{"B: act", bHead, "POST", "/cases/" + id + "/actions/report", js, `{"facts":"x"}`, key(), 404, ""},
			{"B: chain", bHead, "GET", "/cases/" + id + "/chain", "", "", "", 404, ""},
			{"B: evidence", bHead, "GET", "/cases/" + id + "/evidence", "", "", "", 404, ""},
			{"B: evidence file", bHead, "GET", "/cases/" + id + "/evidence/" + evID + "/file", "", "", "", 404, ""},
			{"B: list", bHead, "GET", "/cases", "", "", "", 200, `"total":0`},
		} {
			rec := do(s.who, s.method, s.path, s.ctype, strings.NewReader(s.body), s.idem)
			if rec.Code != s.status || !strings.Contains(rec.Body.String(), s.contain) {
				t.Errorf("%s: %d %s", s.name, rec.Code, rec.Body)
			}
		}
		// Upload from county B: 404.
		rec = do(bHead, "POST", "/cases/"+id+"/evidence", mw.FormDataContentType(), bytes.NewReader(buf.Bytes()), key())
		if rec.Code != http.StatusNotFound {
			t.Errorf("B uploads: %d %s", rec.Code, rec.Body)
		}
	})
}

// TestDocDescribesEveryMachine keeps doc.go's state machines in step with machine.go.
func TestDocDescribesEveryMachine(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("doc.go")
	noErr(t, err)
	doc := string(raw)
	for _, k := range cases.Kinds {
		for _, a := range cases.MachineActions(k) {
			if !strings.Contains(doc, string(a)) {
				t.Errorf("doc.go does not describe %s of %s", a, k)
			}
		}
	}
}
