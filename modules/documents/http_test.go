package documents_test

import (
	"bytes"
	"mime/multipart"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/app/testkit"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// testServer mounts the documents API and pages with stand-in middlewares: the tenant, actor,
// roles and bodies come from X-Test-* headers.
func testServer(t *testing.T, w *world) *testkit.Server {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(w.db))
	w.svc.Routes(api)
	w.svc.PublicRoutes(e)
	return testkit.NewServer(t, e, api)
}

// caller is a member of staff with role at tn, bound to body ("": none), named after the role.
func caller(tn *tenants.Tenant, role authz.Role, body string) testkit.Caller {
	c := testkit.Caller{Tenant: tn.ID, Actor: string(role) + "-1", Roles: []authz.Role{role}}
	if body != "" {
		c.Bodies = []string{body}
	}
	return c
}

// TestHTTP drives the API and the public pages as scenarios: roles, tenant B's 404s, refusals
// naming the missing item, the PDF and HTML downloads, and verification without a session.
func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		srv := testServer(t, w)
		srv.CheckResponses = true
		officer := caller(w.a, authz.Officer, w.body.ID)
		admin := caller(w.a, authz.BodyAdmin, w.body.ID)
		supervisor := caller(w.a, authz.Supervisor, "")
		bOfficer := caller(w.b, authz.Officer, w.bodyB.ID)
		bOperator := caller(w.b, authz.TenantOperator, "")
		copyTemplate := map[string]any{"type": "penalty_decision", "body_id": w.body.ID}

		// customise: copy, a refused save, preview, publish
		srv.Run(t, []testkit.Scenario{{Name: "an officer may not copy a template", Caller: officer, Method: "POST", Path: "/api/v1/document-templates",
			Body: copyTemplate, Status: 403, Code: errs.Forbidden, NotContains: []string{`"source"`}}})
		tpl := srv.Do(t, testkit.Scenario{Name: "the body's admin copies the platform's template", Caller: admin, Method: "POST", Path: "/api/v1/document-templates",
			Body: copyTemplate, Status: 201, JSON: map[string]any{"type": "penalty_decision", "body_id": w.body.ID}, Contains: []string{"{{seal}}"}})
		id, src := tpl.String("id"), tpl.String("source")
		tplPath := "/api/v1/document-templates/" + id
		good := strings.Replace(src, "<p class=\"spacer\"></p>", "<p>经HTTP定制</p><p class=\"spacer\"></p>", 1)
		srv.Run(t, []testkit.Scenario{
			{Name: "a save without the seal names it", Caller: admin, Method: "PUT", Path: tplPath, Body: map[string]any{"source": strings.Replace(src, "{{seal}}", "", 1)},
				Status: 422, Fields: []string{"seal"}, Check: wantOnlyField},
			{Name: "a syntax error", Caller: admin, Method: "PUT", Path: tplPath, Body: map[string]any{"source": "{{if}}"}, Status: 400, Code: errs.Invalid,
				Contains: []string{"syntax error"}},
			{Name: "save", Caller: admin, Method: "PUT", Path: tplPath, Body: map[string]any{"source": good}, Status: 200, Contains: []string{"经HTTP定制"}},
			{Name: "preview with a case", Caller: admin, Method: "POST", Path: tplPath + "/preview", Body: map[string]any{"case_id": w.caseA.ID}, Status: 200,
				Contains: []string{"经HTTP定制", partyName}},
			{Name: "preview as PDF", Caller: admin, Method: "POST", Path: tplPath + "/preview", Body: map[string]any{"format": "pdf"}, Status: 200,
				Header: map[string]string{"Content-Type": "application/pdf"}, Check: wantPDF},
			{Name: "publish", Caller: admin, Method: "POST", Path: tplPath + "/publish", Status: 200, JSON: map[string]any{"version": 1}},
		})

		// issue and read
		issue := map[string]any{"case_id": w.caseA.ID, "type": "penalty_decision"}
		srv.Run(t, []testkit.Scenario{
			{Name: "a supervisor may not issue", Caller: supervisor, Method: "POST", Path: "/api/v1/documents", Body: issue, Status: 403, Code: errs.Forbidden,
				NotContains: []string{"尤市监罚"}},
			{Name: "county B may not issue for A's case", Caller: bOfficer, Method: "POST", Path: "/api/v1/documents", Body: issue, Status: 404, Code: errs.NotFound,
				NotContains: []string{"尤市监罚"}},
		})
		d := srv.Do(t, testkit.Scenario{Name: "issue", Caller: officer, Method: "POST", Path: "/api/v1/documents", Body: issue, Status: 201,
			JSON: map[string]any{"number": "尤市监罚〔2026〕1号", "template_version": 1}})
		docID := d.String("id")
		docPath := "/api/v1/documents/" + docID
		pdf := srv.Do(t, testkit.Scenario{Name: "the PDF", Caller: officer, Method: "GET", Path: docPath + "/pdf", Status: 200,
			Header: map[string]string{"Content-Type": "application/pdf"}, Check: func(t testing.TB, r *testkit.Response) {
				if r.Header.Get("X-Document-SM3") == "" {
					t.Errorf("the PDF comes without its SM3 digest: %v", r.Header)
				}
				if text := pdfText(t, r.Body); !strings.Contains(text, "经HTTP定制") || !strings.Contains(text, partyName) {
					t.Errorf("the PDF lacks the customisation or the party")
				}
			}}).Body
		read := []testkit.Scenario{
			{Name: "the HTML", Caller: officer, Method: "GET", Path: docPath + "/html", Status: 200, Contains: []string{partyName, `<link rel="stylesheet" href="/documents/static/zdoc.css?v=`}},
			{Name: "a supervisor lists the case's documents", Caller: supervisor, Method: "GET", Path: "/api/v1/documents?case_id=" + w.caseA.ID, Status: 200,
				Contains: []string{docID}},
		}
		for _, path := range []string{docPath, docPath + "/pdf", docPath + "/html", tplPath} {
			for _, who := range []testkit.Caller{bOfficer, bOperator} {
				read = append(read, testkit.Scenario{Name: "county B's " + who.Actor + " reads " + path, Caller: who, Method: "GET", Path: path, Status: 404,
					Code: errs.NotFound, NotContains: []string{partyName, "尤市监罚", "经HTTP定制"}})
			}
		}
		srv.Run(t, append(read, []testkit.Scenario{
			{Name: "county B may not publish A's template", Caller: bOperator, Method: "POST", Path: tplPath + "/publish", Status: 404, Code: errs.NotFound,
				NotContains: []string{`"version"`}},
			{Name: "the types", Caller: officer, Method: "GET", Path: "/api/v1/document-types", Status: 200, Contains: []string{"行政处罚决定书"}},
			{Name: "a type", Caller: officer, Method: "GET", Path: "/api/v1/document-types/penalty_decision", Status: 200,
				Contains: []string{"remedies.reconsideration_days"}},
			{Name: "an unknown type", Caller: officer, Method: "GET", Path: "/api/v1/document-types/nonsense", Status: 404, Code: errs.NotFound,
				NotContains: []string{"remedies"}},
		}...))

		// public verification: no session, only the verdict, the body and the time
		tampered := bytes.Clone(pdf)
		tampered[len(tampered)/3] ^= 0x20
		upload := func(b []byte) ([]byte, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", "doc.pdf")
			_, _ = fw.Write(b)
			_ = mw.Close()
			return buf.Bytes(), mw.FormDataContentType()
		}
		altered, alteredType := upload(tampered)
		authentic, authenticType := upload(pdf)
		empty, emptyType := upload(nil)
		// a public page shows no party and keeps to the CSP
		page := func(s testkit.Scenario) testkit.Scenario {
			s.NotContains = append(s.NotContains, partyName)
			s.Check = wantCSPClean
			return s
		}
		srv.Run(t, []testkit.Scenario{
			{Name: "verify by ID", Method: "GET", Path: "/api/v1/verify/" + docID, Status: 200, JSON: map[string]any{"valid": true, "body": w.body.Name},
				NotContains: []string{partyName}},
			{Name: "verify an upload", Method: "POST", Path: "/api/v1/verify", ContentType: "application/pdf", Body: pdf, Status: 200,
				JSON: map[string]any{"valid": true, "document_id": docID}, NotContains: []string{partyName}},
			{Name: "verify a tampered upload", Method: "POST", Path: "/api/v1/verify", ContentType: "application/pdf", Body: tampered, Status: 200,
				JSON: map[string]any{"valid": false, "status": "altered"}, NotContains: []string{partyName}},
			page(testkit.Scenario{Name: "the verify page", Method: "GET", Path: "/verify", Status: 200,
				Contains: []string{"执法文书核验", "Verify an enforcement document", `enctype="multipart/form-data"`}}),
			page(testkit.Scenario{Name: "a document's verify page", Method: "GET", Path: "/verify/" + docID, Status: 200,
				Contains: []string{"真实有效", "Authentic", w.body.Name, "尤市监罚〔2026〕1号", `<link rel="stylesheet" href="/documents/static/verify.css?v=`}}),
			// the QR code's address carries the case code: the page links the party to the
			// portal, and echoes nothing that is not a case code
			page(testkit.Scenario{Name: "the QR code's address links to the portal", Method: "GET", Path: "/verify/" + docID + "?case=zf350426-2026-7k3m9qxa2br", Status: 200,
				Contains: []string{"真实有效", `href="/portal/c/ZF350426-2026-7K3M9QXA2BR"`}}),
			page(testkit.Scenario{Name: "a malformed case code is not linked", Method: "GET", Path: "/verify/" + docID + "?case=%3Cb%3Ex", Status: 200,
				Contains: []string{"真实有效"}, NotContains: []string{"/portal/c/", "<b>x"}}),
			page(testkit.Scenario{Name: "a tampered upload on the page", Method: "POST", Path: "/verify/" + docID, ContentType: alteredType, Body: altered, Status: 200,
				Contains: []string{"已被改动", "Altered"}, NotContains: []string{"真实有效"}}),
			page(testkit.Scenario{Name: "an authentic upload on the page", Method: "POST", Path: "/verify", ContentType: authenticType, Body: authentic, Status: 200,
				Contains: []string{"真实有效", w.body.Name}, NotContains: []string{"已被改动"}}),
			page(testkit.Scenario{Name: "an unknown document", Method: "GET", Path: "/verify/0196d3c2-8f4e-7a31-9b1c-2f3e4d5c6b7a", Status: 404,
				Contains: []string{"未找到该文书"}, NotContains: []string{"真实有效"}}),
			page(testkit.Scenario{Name: "an empty upload", Method: "POST", Path: "/verify", ContentType: emptyType, Body: empty, Status: 400,
				Contains: []string{"无法核验"}, NotContains: []string{"真实有效"}}),
		})

		// the stylesheets: at the address a page links, kept for a year; at the bare address (the
		// console's pages link it), revalidated
		html := srv.Do(t, testkit.Scenario{Name: "the HTML again", Caller: officer, Method: "GET", Path: docPath + "/html", Status: 200}).Text()
		verify := srv.Do(t, testkit.Scenario{Name: "the verify page again", Method: "GET", Path: "/verify", Status: 200}).Text()
		css := regexp.MustCompile(`href="(/documents/static/[a-z]+\.css\?v=[0-9a-f]{12})"`)
		zdoc, verifyCSS := css.FindStringSubmatch(html), css.FindStringSubmatch(verify)
		if zdoc == nil || verifyCSS == nil {
			t.Fatalf("no hashed stylesheet address on the HTML (%v) or the verify page (%v)", zdoc, verifyCSS)
		}
		immutable := map[string]string{"Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=31536000, immutable"}
		srv.Run(t, []testkit.Scenario{
			{Name: "the document stylesheet the HTML links", Method: "GET", Path: zdoc[1], Status: 200, Header: immutable, Contains: []string{".zdoc", `[data-width="30"]`}},
			{Name: "the verify page's stylesheet", Method: "GET", Path: verifyCSS[1], Status: 200, Header: immutable, Contains: []string{".verdict-ok"}},
			{Name: "the stylesheet at its bare address", Method: "GET", Path: "/documents/static/zdoc.css", Status: 200,
				Header: map[string]string{"Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache"}, Contains: []string{`[data-width="100"]{width:100%}`}},
			{Name: "an unknown file", Method: "GET", Path: "/documents/static/verify.html", Status: 404},
		})
	})
}

// wantOnlyField checks that an error names one field only.
func wantOnlyField(t testing.TB, r *testkit.Response) {
	t.Helper()
	if fs, _ := r.Get("fields"); len(fs.([]any)) != 1 {
		t.Errorf("the error names more than the missing item: %s", r.Body)
	}
}

// wantPDF checks that an answer is a PDF.
func wantPDF(t testing.TB, r *testkit.Response) {
	t.Helper()
	if !bytes.HasPrefix(r.Body, []byte("%PDF")) {
		t.Errorf("not a PDF: %.40q", r.Body)
	}
}

// csp are what a page under the platform's Content Security Policy must not have: inline style
// or script, event handlers, and off-site resources.
var csp = []*regexp.Regexp{regexp.MustCompile(`(?i)\sstyle\s*=`), regexp.MustCompile(`(?i)<style`), regexp.MustCompile(`(?i)<script`),
	regexp.MustCompile(`(?i)\son[a-z]+\s*=`), regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`)}

// wantCSPClean checks that a page keeps to the CSP.
func wantCSPClean(t testing.TB, r *testkit.Response) {
	t.Helper()
	for _, re := range csp {
		if m := re.FindString(r.Text()); m != "" {
			t.Errorf("page breaks the CSP: %q", m)
		}
	}
}
