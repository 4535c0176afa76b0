package delivery_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/modules/delivery"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// testServer mounts the delivery routes with stand-in middlewares: the session's principal is a
// citizen named by X-Test-Citizen, or the staff member of the X-Test-* headers.
func testServer(t *testing.T, w *world) (*echo.Echo, *httpx.API) {
	t.Helper()
	auth := apitest.Auth(w.db)
	auth.Session = func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header
			switch {
			case h.Get("X-Test-Citizen") != "":
				httpx.SetPrincipal(c, citizen(h.Get("X-Test-Citizen")))
			case h.Get(apitest.HeaderActor) != "":
				httpx.SetPrincipal(c, &authz.Principal{IdentityID: h.Get(apitest.HeaderActor), Kind: "officer",
					Grants: []authz.Grant{{Role: authz.Role(h.Get(apitest.HeaderRoles)), TenantID: h.Get(apitest.HeaderTenant)}}})
			default:
				return errs.ErrUnauthenticated
			}
			return next(c)
		}
	}
	e, api := apitest.NewAPI(auth)
	w.svc.Routes(api)
	return e, api
}

type caller struct {
	tenant  *tenants.Tenant
	actor   string
	role    authz.Role
	body    string
	citizen string
}

// TestHTTP drives the API as scenarios: who may do what, the refusal of electronic delivery
// without consent (422 naming Art. 61), field errors, the citizen inbox, and county B's 404s; the
// OpenAPI document describes every operation.
func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		e, api := testServer(t, w)
		raw, err := json.Marshal(api.Document())
		noErr(t, err)
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		noErr(t, err)
		noErr(t, doc.Validate(ctx))
		for _, p := range []string{"/cases/{id}/delivery-consent", "/cases/{id}/deliveries", "/cases/{id}/deliveries/{delivery_id}/paper",
			"/cases/{id}/deliveries/{delivery_id}/public-notice", "/portal/inbox", "/portal/inbox/{id}/pdf"} {
			if doc.Paths.Find(p) == nil {
				t.Errorf("%s is not documented", p)
			}
		}
		if op := doc.Paths.Find("/cases/{id}/delivery-consent").Post; op == nil || op.RequestBody == nil || !strings.Contains(op.Description, "delivery.write") {
			t.Error("recordDeliveryConsent is not documented with its body and action")
		}

		officer := caller{tenant: w.a, actor: "officer-a", role: authz.Officer, body: w.bodyA}
		reviewer := caller{tenant: w.a, actor: "reviewer-a", role: authz.LegalReviewer, body: w.bodyA}
		supervisor := caller{tenant: w.a, actor: "sup-a", role: authz.Supervisor}
		bOfficer := caller{tenant: w.b, actor: "officer-b", role: authz.Officer, body: w.bodyB}
		citizenID := uuid.NewString()
		party := caller{citizen: citizenID}
		stranger := caller{citizen: uuid.NewString()}
		anon := caller{}
		do := func(who caller, method, path, ctype string, body io.Reader) *httptest.ResponseRecorder {
			t.Helper()
			req := httptest.NewRequest(method, "/api/v1"+path, body)
			if ctype != "" {
				req.Header.Set("Content-Type", ctype)
			}
			if who.citizen != "" {
				req.Header.Set("X-Test-Citizen", who.citizen)
			} else if who.tenant != nil {
				req.Header.Set("X-Test-Tenant", who.tenant.ID)
				req.Header.Set("X-Test-Actor", who.actor)
				req.Header.Set("X-Test-Roles", string(who.role))
				req.Header.Set("X-Test-Bodies", who.body)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			return rec
		}
		js := func(v any) io.Reader {
			b, _ := json.Marshal(v)
			return bytes.NewReader(b)
		}
		c := w.newCase(w.a)
		consent := map[string]any{"channels": []string{"inbox", "email"}, "email": "zhangsan@example.cn", "citizen_id": citizenID, "signed_on": "2025-09-20"}
		deliver := map[string]any{"document": "penalty_decision", "channels": []string{"email", "inbox"}}
		steps := []struct {
			name   string
			who    caller
			method string
			path   string
			body   any
			status int
			want   string // a substring of the answer
		}{
			{"no consent yet", supervisor, "GET", "/cases/" + c.ID + "/delivery-consent", nil, 200, `"active":null`},
			{"e-delivery without consent: Art. 61", officer, "POST", "/cases/" + c.ID + "/deliveries", deliver, 422, `"article":"61"`},
			{"a reviewer may not record a consent", reviewer, "POST", "/cases/" + c.ID + "/delivery-consent", consent, 403, `"forbidden"`},
			{"county B cannot see the case", bOfficer, "POST", "/cases/" + c.ID + "/delivery-consent", consent, 404, `"not_found"`},
			{"an invalid e-mail names its field", officer, "POST", "/cases/" + c.ID + "/delivery-consent",
				map[string]any{"channels": []string{"email"}, "email": "zhangsan@example", "signed_on": "2025-09-20"}, 400, `"field":"email"`},
			{"an unknown field", officer, "POST", "/cases/" + c.ID + "/delivery-consent", map[string]any{"channels": []string{"email"}, "fax": "1"}, 400, `"field":"fax"`},
			{"a malformed case ID", officer, "GET", "/cases/nope/deliveries", nil, 400, `"field":"case_id"`},
			{"record the consent", officer, "POST", "/cases/" + c.ID + "/delivery-consent", consent, 201, `"channels":["email","inbox"]`},
			{"deliver now", officer, "POST", "/cases/" + c.ID + "/deliveries", deliver, 201, `"status":"in_progress"`},
			{"a supervisor reads the deliveries", supervisor, "GET", "/cases/" + c.ID + "/deliveries", nil, 200, `"channel":"email"`},
			{"county B reads nothing", bOfficer, "GET", "/cases/" + c.ID + "/deliveries", nil, 404, ``},
			{"a citizen is no officer", party, "GET", "/cases/" + c.ID + "/deliveries", nil, 404, ``},
			{"the inbox needs a session", anon, "GET", "/portal/inbox", nil, 401, ``},
			{"an officer has no inbox", officer, "GET", "/portal/inbox", nil, 403, ``},
			{"the party's inbox is empty before the task runs", party, "GET", "/portal/inbox", nil, 200, `"total":0`},
		}
		for _, s := range steps {
			var body io.Reader
			ctype := ""
			if s.body != nil {
				body, ctype = js(s.body), "application/json"
			}
			rec := do(s.who, s.method, s.path, ctype, body)
			if rec.Code != s.status || !strings.Contains(rec.Body.String(), s.want) {
				t.Fatalf("%s: %d %s; want %d containing %s", s.name, rec.Code, rec.Body.String(), s.status, s.want)
			}
		}
		w.drain(t)
		rec := do(party, "GET", "/portal/inbox", "", nil)
		var page delivery.InboxPage
		noErr(t, json.Unmarshal(rec.Body.Bytes(), &page))
		if rec.Code != 200 || page.Total != 1 || page.Unread != 1 {
			t.Fatalf("inbox: %d %s", rec.Code, rec.Body.String())
		}
		id := page.Items[0].ID
		if rec := do(stranger, "GET", "/portal/inbox/"+id, "", nil); rec.Code != 404 {
			t.Errorf("another citizen read the item: %d", rec.Code)
		}
		rec = do(party, "GET", "/portal/inbox/"+id+"/pdf", "", nil)
		d := w.only(t, c)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), w.docs.pdfOf(d.DocumentID)) || rec.Header().Get("Content-Type") != "application/pdf" ||
			rec.Header().Get("X-Content-SHA256") != sha256Hex(rec.Body.Bytes()) {
			t.Fatalf("pdf: %d %s", rec.Code, rec.Header())
		}
		if rec := do(party, "GET", "/portal/inbox", "", nil); !strings.Contains(rec.Body.String(), `"unread":0`) {
			t.Errorf("reading did not mark the item read: %s", rec.Body.String())
		}

		// Paper with a receipt upload, then its download.
		c2 := w.newCase(w.a)
		w.deliverDocument(t, w.a, c2, "penalty_decision", "2025-10-20")
		d2 := w.only(t, c2)
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"served_on": "2025-10-09", "method": "direct", "receiver": "张三"} {
			noErr(t, mw.WriteField(k, v))
		}
		fw, _ := mw.CreateFormFile("file", "送达回证.pdf")
		scan := fakePDF("送达回证")
		_, _ = fw.Write(scan)
		noErr(t, mw.Close())
		rec = do(officer, "POST", "/cases/"+c2.ID+"/deliveries/"+d2.ID+"/paper", mw.FormDataContentType(), &buf)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"served"`) {
			t.Fatalf("paper: %d %s", rec.Code, rec.Body.String())
		}
		rec = do(supervisor, "GET", "/cases/"+c2.ID+"/deliveries/"+d2.ID+"/receipt", "", nil)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), scan) || rec.Header().Get("X-Content-SHA256") != sha256Hex(scan) {
			t.Fatalf("receipt: %d", rec.Code)
		}
		if rec := do(bOfficer, "GET", "/cases/"+c2.ID+"/deliveries/"+d2.ID+"/receipt", "", nil); rec.Code != 404 {
			t.Errorf("county B downloaded A's receipt: %d", rec.Code)
		}
		rec = do(officer, "POST", "/cases/"+c2.ID+"/deliveries/"+d2.ID+"/public-notice", "application/json",
			js(map[string]any{"published_on": "2025-10-09", "medium": "网站", "reference": "r", "reason": "下落不明"}))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"deemed_on":"2025-11-08"`) {
			t.Fatalf("public notice: %d %s", rec.Code, rec.Body.String())
		}
		rec = do(officer, "POST", "/cases/"+c.ID+"/delivery-consent/revoke", "application/json", js(map[string]any{"reason": "当事人撤回"}))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"revoked_at"`) {
			t.Fatalf("revoke: %d %s", rec.Code, rec.Body.String())
		}
	})
}
