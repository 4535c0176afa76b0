package delivery_test

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/app/testkit"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/tenants"
)

// testServer mounts the delivery routes with stand-in middlewares: the session's principal is a
// citizen named by X-Test-Citizen, or the staff member of the X-Test-* headers. Every success is
// checked against the OpenAPI document.
func testServer(t *testing.T, w *world) *testkit.Server {
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
	srv := testkit.NewServer(t, e, api)
	srv.CheckResponses = true
	return srv
}

// TestHTTP drives the API as scenarios: who may do what, the refusal of electronic delivery
// without consent (422 naming Art. 61), field errors, the citizen inbox, and county B's 404s; the
// OpenAPI document describes every operation.
func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		srv := testServer(t, w)
		for _, p := range []string{"/cases/{id}/delivery-consent", "/cases/{id}/deliveries", "/cases/{id}/deliveries/{delivery_id}/paper",
			"/cases/{id}/deliveries/{delivery_id}/public-notice", "/portal/inbox", "/portal/inbox/{id}/pdf"} {
			if srv.Doc.Paths.Find(p) == nil {
				t.Errorf("%s is not documented", p)
			}
		}
		if op := srv.Doc.Paths.Find("/cases/{id}/delivery-consent").Post; op == nil || op.RequestBody == nil || !strings.Contains(op.Description, "delivery.write") {
			t.Error("recordDeliveryConsent is not documented with its body and action")
		}

		staff := func(tn *tenants.Tenant, actor string, role authz.Role, bodies ...string) testkit.Caller {
			return testkit.Caller{Tenant: tn.ID, Actor: actor, Roles: []authz.Role{role}, Bodies: bodies}
		}
		officer := staff(w.a, "officer-a", authz.Officer, w.bodyA)
		reviewer := staff(w.a, "reviewer-a", authz.LegalReviewer, w.bodyA)
		supervisor := staff(w.a, "sup-a", authz.Supervisor)
		bOfficer := staff(w.b, "officer-b", authz.Officer, w.bodyB)
		citizenID := uuid.NewString()
		party := testkit.Session("X-Test-Citizen", citizenID)
		stranger := testkit.Session("X-Test-Citizen", uuid.NewString())
		anon := testkit.Caller{}
		c := w.newCase(w.a)
		casePath := "/api/v1/cases/" + c.ID
		consent := map[string]any{"channels": []string{"inbox", "email"}, "email": "zhangsan@example.cn", "citizen_id": citizenID, "signed_on": "2025-09-20"}
		deliver := map[string]any{"document": "penalty_decision", "channels": []string{"email", "inbox"}}
		srv.Run(t, []testkit.Scenario{
			{Name: "no consent yet", Caller: supervisor, Method: "GET", Path: casePath + "/delivery-consent", Status: 200, JSON: map[string]any{"active": nil}},
			{Name: "e-delivery without consent: Art. 61", Caller: officer, Method: "POST", Path: casePath + "/deliveries", Body: deliver, Status: 422,
				Code: errs.FailedPrecondition, Contains: []string{`"article":"61"`}, NotContains: []string{`"in_progress"`}},
			{Name: "a reviewer may not record a consent", Caller: reviewer, Method: "POST", Path: casePath + "/delivery-consent", Body: consent, Status: 403,
				Code: errs.Forbidden, NotContains: []string{"zhangsan@example.cn"}},
			{Name: "county B cannot see the case", Caller: bOfficer, Method: "POST", Path: casePath + "/delivery-consent", Body: consent, Status: 404,
				Code: errs.NotFound, NotContains: []string{"zhangsan@example.cn"}},
			{Name: "an invalid e-mail names its field", Caller: officer, Method: "POST", Path: casePath + "/delivery-consent",
				Body: map[string]any{"channels": []string{"email"}, "email": "zhangsan@example", "signed_on": "2025-09-20"}, Status: 400, Code: errs.Invalid, Fields: []string{"email"}},
			{Name: "an unknown field", Caller: officer, Method: "POST", Path: casePath + "/delivery-consent", Body: map[string]any{"channels": []string{"email"}, "fax": "1"},
				Status: 400, Code: errs.Invalid, Fields: []string{"fax"}},
			{Name: "a malformed case ID", Caller: officer, Method: "GET", Path: "/api/v1/cases/nope/deliveries", Status: 400, Code: errs.Invalid, Fields: []string{"case_id"}},
			{Name: "record the consent", Caller: officer, Method: "POST", Path: casePath + "/delivery-consent", Body: consent, Status: 201,
				Contains: []string{`"channels":["email","inbox"]`}},
			{Name: "deliver now", Caller: officer, Method: "POST", Path: casePath + "/deliveries", Body: deliver, Status: 201, Contains: []string{`"status":"in_progress"`}},
			{Name: "a supervisor reads the deliveries", Caller: supervisor, Method: "GET", Path: casePath + "/deliveries", Status: 200, Contains: []string{`"channel":"email"`}},
			{Name: "county B reads nothing", Caller: bOfficer, Method: "GET", Path: casePath + "/deliveries", Status: 404, Code: errs.NotFound,
				NotContains: []string{`"channel"`}},
			{Name: "a citizen is no officer", Caller: party, Method: "GET", Path: casePath + "/deliveries", Status: 404, Code: errs.NotFound, NotContains: []string{`"channel"`}},
			{Name: "the inbox needs a session", Caller: anon, Method: "GET", Path: "/api/v1/portal/inbox", Status: 401, Code: errs.Unauthenticated,
				NotContains: []string{`"items"`}},
			{Name: "an officer has no inbox", Caller: officer, Method: "GET", Path: "/api/v1/portal/inbox", Status: 403, Code: errs.Forbidden, NotContains: []string{`"items"`}},
			{Name: "the party's inbox is empty before the task runs", Caller: party, Method: "GET", Path: "/api/v1/portal/inbox", Status: 200,
				JSON: map[string]any{"total": 0}},
		})
		w.drain(t)
		inbox := srv.Do(t, testkit.Scenario{Name: "the party's inbox once delivered", Caller: party, Method: "GET", Path: "/api/v1/portal/inbox", Status: 200,
			JSON: map[string]any{"total": 1, "unread": 1}})
		id := inbox.String("items.0.id")
		pdf := w.docs.pdfOf(w.only(t, c).DocumentID)
		srv.Run(t, []testkit.Scenario{
			{Name: "another citizen reads nothing", Caller: stranger, Method: "GET", Path: "/api/v1/portal/inbox/" + id, Status: 404, Code: errs.NotFound},
			{Name: "the party downloads the PDF", Caller: party, Method: "GET", Path: "/api/v1/portal/inbox/" + id + "/pdf", Status: 200,
				Header: map[string]string{"Content-Type": "application/pdf", "X-Content-SHA256": sha256Hex(pdf)}, Check: wantBody(pdf)},
			{Name: "reading marks the item read", Caller: party, Method: "GET", Path: "/api/v1/portal/inbox", Status: 200, JSON: map[string]any{"unread": 0}},
		})

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
		deliveryPath := "/api/v1/cases/" + c2.ID + "/deliveries/" + d2.ID
		srv.Run(t, []testkit.Scenario{
			{Name: "paper with its receipt", Caller: officer, Method: "POST", Path: deliveryPath + "/paper", ContentType: mw.FormDataContentType(), Body: buf.Bytes(),
				Status: 200, Contains: []string{`"status":"served"`}},
			{Name: "the receipt", Caller: supervisor, Method: "GET", Path: deliveryPath + "/receipt", Status: 200,
				Header: map[string]string{"X-Content-SHA256": sha256Hex(scan)}, Check: wantBody(scan)},
			{Name: "county B may not download A's receipt", Caller: bOfficer, Method: "GET", Path: deliveryPath + "/receipt", Status: 404, Code: errs.NotFound,
				NotContains: []string{"%PDF"}},
			{Name: "public notice", Caller: officer, Method: "POST", Path: deliveryPath + "/public-notice",
				Body: map[string]any{"published_on": "2025-10-09", "medium": "网站", "reference": "r", "reason": "下落不明"}, Status: 200, Contains: []string{`"deemed_on":"2025-11-08"`}},
			{Name: "revoke the consent", Caller: officer, Method: "POST", Path: casePath + "/delivery-consent/revoke", Body: map[string]any{"reason": "当事人撤回"}, Status: 200,
				Contains: []string{`"revoked_at"`}},
		})
	})
}

// wantBody checks that an answer's body is want, byte for byte.
func wantBody(want []byte) func(testing.TB, *testkit.Response) {
	return func(t testing.TB, r *testkit.Response) {
		t.Helper()
		if !bytes.Equal(r.Body, want) {
			t.Errorf("the body (%d bytes) is not the file (%d bytes)", len(r.Body), len(want))
		}
	}
}
