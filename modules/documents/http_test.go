package documents_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// testServer mounts the documents API and pages with stand-in middlewares: the tenant, actor,
// roles and bodies come from X-Test-* headers.
func testServer(t *testing.T, w *world) (*echo.Echo, *httpx.API) {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(w.db))
	w.svc.Routes(api)
	w.svc.PublicRoutes(e)
	return e, api
}

type caller struct {
	tenant *tenants.Tenant
	role   authz.Role
	body   string
}

// TestHTTP drives the API and the public pages as scenarios: roles, tenant B's 404s, refusals
// naming the missing item, the PDF and HTML downloads, and verification without a session.
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
		officer := &caller{w.a, authz.Officer, w.body.ID}
		admin := &caller{w.a, authz.BodyAdmin, w.body.ID}
		supervisor := &caller{w.a, authz.Supervisor, ""}
		bOfficer := &caller{w.b, authz.Officer, w.bodyB.ID}
		bOperator := &caller{w.b, authz.TenantOperator, ""}
		do := func(who *caller, method, path, ctype string, body []byte) *httptest.ResponseRecorder {
			t.Helper()
			req := httptest.NewRequest(method, path, bytes.NewReader(body))
			if who != nil {
				req.Header.Set("X-Test-Tenant", who.tenant.ID)
				req.Header.Set("X-Test-Actor", string(who.role)+"-1")
				req.Header.Set("X-Test-Roles", string(who.role))
				req.Header.Set("X-Test-Bodies", who.body)
			}
			if ctype != "" {
				req.Header.Set(echo.HeaderContentType, ctype)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			return rec
		}
		js := func(v any) []byte { b, _ := json.Marshal(v); return b }
		decode := func(rec *httptest.ResponseRecorder) map[string]any {
			t.Helper()
			var out map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			return out
		}
		const JSON = "application/json"

		// customise: copy, a refused save, preview, publish
		rec := do(officer, "POST", "/api/v1/document-templates", JSON, js(map[string]any{"type": "penalty_decision", "body_id": w.body.ID}))
		if rec.Code != http.StatusForbidden {
			t.Fatalf("officer copies: %d", rec.Code)
		}
		rec = do(admin, "POST", "/api/v1/document-templates", JSON, js(map[string]any{"type": "penalty_decision", "body_id": w.body.ID}))
		if rec.Code != http.StatusCreated {
			t.Fatalf("admin copies: %d %s", rec.Code, rec.Body)
		}
		tpl := decode(rec)
		id := tpl["id"].(string)
		src := tpl["source"].(string)
		bad := strings.Replace(src, "{{seal}}", "", 1)
		rec = do(admin, "PUT", "/api/v1/document-templates/"+id, JSON, js(map[string]any{"source": bad}))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("save without the seal: %d %s", rec.Code, rec.Body)
		}
		body := decode(rec)
		if fs, _ := body["fields"].([]any); len(fs) != 1 || fs[0].(map[string]any)["field"] != "seal" {
			t.Errorf("the missing item is not named: %s", rec.Body)
		}
		rec = do(admin, "PUT", "/api/v1/document-templates/"+id, JSON, js(map[string]any{"source": "{{if}}"}))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "syntax error") {
			t.Errorf("syntax error: %d %s", rec.Code, rec.Body)
		}
		good := strings.Replace(src, "<p class=\"spacer\"></p>", "<p>经HTTP定制</p><p class=\"spacer\"></p>", 1)
		rec = do(admin, "PUT", "/api/v1/document-templates/"+id, JSON, js(map[string]any{"source": good}))
		if rec.Code != http.StatusOK {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		rec = do(admin, "POST", "/api/v1/document-templates/"+id+"/preview", JSON, js(map[string]any{"case_id": w.caseA.ID}))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "经HTTP定制") || !strings.Contains(rec.Body.String(), partyName) {
			t.Errorf("preview: %d %.300s", rec.Code, rec.Body)
		}
		rec = do(admin, "POST", "/api/v1/document-templates/"+id+"/preview", JSON, js(map[string]any{"format": "pdf"}))
		if rec.Code != http.StatusOK || rec.Header().Get(echo.HeaderContentType) != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF")) {
			t.Errorf("preview PDF: %d %s", rec.Code, rec.Header())
		}
		rec = do(admin, "POST", "/api/v1/document-templates/"+id+"/publish", "", nil)
		if rec.Code != http.StatusOK || decode(rec)["version"] != float64(1) {
			t.Fatalf("publish: %d %s", rec.Code, rec.Body)
		}

		// issue and read
		issue := js(map[string]any{"case_id": w.caseA.ID, "type": "penalty_decision"})
		if rec = do(supervisor, "POST", "/api/v1/documents", JSON, issue); rec.Code != http.StatusForbidden {
			t.Errorf("supervisor issues: %d", rec.Code)
		}
		if rec = do(bOfficer, "POST", "/api/v1/documents", JSON, issue); rec.Code != http.StatusNotFound {
			t.Errorf("county B issues for A's case: %d", rec.Code)
		}
		rec = do(officer, "POST", "/api/v1/documents", JSON, issue)
		if rec.Code != http.StatusCreated {
			t.Fatalf("issue: %d %s", rec.Code, rec.Body)
		}
		d := decode(rec)
		docID := d["id"].(string)
		if d["number"] != "尤市监罚〔2026〕1号" || d["template_version"] != float64(1) {
			t.Errorf("issued %v", d)
		}
		rec = do(officer, "GET", "/api/v1/documents/"+docID+"/pdf", "", nil)
		if rec.Code != http.StatusOK || rec.Header().Get(echo.HeaderContentType) != "application/pdf" || rec.Header().Get("X-Document-SM3") == "" {
			t.Fatalf("PDF: %d %v", rec.Code, rec.Header())
		}
		pdf := rec.Body.Bytes()
		if text := pdfText(t, pdf); !strings.Contains(text, "经HTTP定制") || !strings.Contains(text, partyName) {
			t.Errorf("the PDF lacks the customisation or the party")
		}
		rec = do(officer, "GET", "/api/v1/documents/"+docID+"/html", "", nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), partyName) || !strings.Contains(rec.Body.String(), "/documents/static/zdoc.css") {
			t.Errorf("HTML: %d", rec.Code)
		}
		if rec = do(supervisor, "GET", "/api/v1/documents?case_id="+w.caseA.ID, "", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), docID) {
			t.Errorf("list: %d %s", rec.Code, rec.Body)
		}
		for _, path := range []string{"/api/v1/documents/" + docID, "/api/v1/documents/" + docID + "/pdf", "/api/v1/documents/" + docID + "/html",
			"/api/v1/document-templates/" + id} {
			for _, who := range []*caller{bOfficer, bOperator} {
				if rec = do(who, "GET", path, "", nil); rec.Code != http.StatusNotFound {
					t.Errorf("county B GET %s: %d", path, rec.Code)
				}
			}
		}
		if rec = do(bOperator, "POST", "/api/v1/document-templates/"+id+"/publish", "", nil); rec.Code != http.StatusNotFound {
			t.Errorf("county B publishes A's template: %d", rec.Code)
		}
		if rec = do(officer, "GET", "/api/v1/document-types", "", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "行政处罚决定书") {
			t.Errorf("types: %d", rec.Code)
		}
		if rec = do(officer, "GET", "/api/v1/document-types/penalty_decision", "", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "remedies.reconsideration_days") {
			t.Errorf("type: %d", rec.Code)
		}
		if rec = do(officer, "GET", "/api/v1/document-types/nonsense", "", nil); rec.Code != http.StatusNotFound {
			t.Errorf("unknown type: %d", rec.Code)
		}

		// public verification: no session, only the verdict, the body and the time
		rec = do(nil, "GET", "/api/v1/verify/"+docID, "", nil)
		if v := decode(rec); rec.Code != http.StatusOK || v["valid"] != true || v["body"] != w.body.Name {
			t.Errorf("verify by ID: %d %s", rec.Code, rec.Body)
		}
		if strings.Contains(rec.Body.String(), partyName) {
			t.Errorf("the verdict shows the party")
		}
		rec = do(nil, "POST", "/api/v1/verify", "application/pdf", pdf)
		if v := decode(rec); rec.Code != http.StatusOK || v["valid"] != true || v["document_id"] != docID {
			t.Errorf("verify upload: %d %s", rec.Code, rec.Body)
		}
		tampered := bytes.Clone(pdf)
		tampered[len(tampered)/3] ^= 0x20
		rec = do(nil, "POST", "/api/v1/verify", "application/pdf", tampered)
		if v := decode(rec); v["valid"] != false || v["status"] != "altered" {
			t.Errorf("verify a tampered upload: %s", rec.Body)
		}
		multipartBody := func(b []byte) ([]byte, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", "doc.pdf")
			_, _ = fw.Write(b)
			_ = mw.Close()
			return buf.Bytes(), mw.FormDataContentType()
		}
		page := func(rec *httptest.ResponseRecorder, status int, want ...string) {
			t.Helper()
			if rec.Code != status {
				t.Errorf("page: %d, want %d", rec.Code, status)
			}
			b := rec.Body.String()
			for _, s := range want {
				if !strings.Contains(b, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			if strings.Contains(b, partyName) {
				t.Error("a public page shows the party")
			}
			for _, re := range []string{`(?i)\sstyle\s*=`, `(?i)<style`, `(?i)<script`, `(?i)\son[a-z]+\s*=`, `(?i)(src|href)\s*=\s*"(https?:)?//`} {
				if m := regexp.MustCompile(re).FindString(b); m != "" {
					t.Errorf("page breaks the CSP: %q", m)
				}
			}
		}
		page(do(nil, "GET", "/verify", "", nil), http.StatusOK, "执法文书核验", "Verify an enforcement document", `enctype="multipart/form-data"`)
		page(do(nil, "GET", "/verify/"+docID, "", nil), http.StatusOK, "真实有效", "Authentic", w.body.Name, "尤市监罚〔2026〕1号", "/documents/static/verify.css")
		// the QR code's address carries the case code: the page links the party to the portal, and
		// echoes nothing that is not a case code
		page(do(nil, "GET", "/verify/"+docID+"?case=zf350426-2026-7k3m9qxa2br", "", nil), http.StatusOK, "真实有效", `href="/portal/c/ZF350426-2026-7K3M9QXA2BR"`)
		if b := do(nil, "GET", "/verify/"+docID+"?case=%3Cb%3Ex", "", nil).Body.String(); strings.Contains(b, "/portal/c/") {
			t.Error("the verify page links a malformed case code to the portal")
		}
		mb, ct := multipartBody(tampered)
		page(do(nil, "POST", "/verify/"+docID, ct, mb), http.StatusOK, "已被改动", "Altered")
		mb, ct = multipartBody(pdf)
		page(do(nil, "POST", "/verify", ct, mb), http.StatusOK, "真实有效", w.body.Name)
		page(do(nil, "GET", "/verify/0196d3c2-8f4e-7a31-9b1c-2f3e4d5c6b7a", "", nil), http.StatusNotFound, "未找到该文书")
		mb, ct = multipartBody(nil)
		page(do(nil, "POST", "/verify", ct, mb), http.StatusBadRequest, "无法核验")
		if rec = do(nil, "GET", "/documents/static/zdoc.css", "", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `[data-width="30"]`) {
			t.Errorf("stylesheet: %d", rec.Code)
		}
	})
}
