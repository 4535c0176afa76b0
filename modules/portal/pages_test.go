package portal_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/webassets"
	"zhifa/modules/portal"
	"zhifa/modules/rules"
)

// TestPages renders every page server-side: signed out, a page (the inbox too, whose address
// the delivery e-mails and SMS give) sends the browser to sign in and back; signed in, each page
// carries the strict CSP (no inline script, handler or style, nothing from another host), its
// stable element IDs, and links the inbox; every script and stylesheet is the portal's or the
// shared one, at its hashed address; the QR's address fills the code in; a case page needs the
// account's claim.
func TestPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	pc, acc := w.claimedCase(t)

	a := w.call("GET", "/portal/c/"+pc.Code, "", "", nil)
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/portal/login?next="+url.QueryEscape("/portal/c/"+pc.Code) {
		t.Fatalf("signed out: %d %v", a.status, a.header)
	}
	if a := w.call("GET", portal.InboxPath, "", "", nil); a.status != http.StatusSeeOther || a.header.Get("Location") != "/portal/login?next=%2Fportal%2Finbox" {
		t.Fatalf("the inbox signed out: %d %v", a.status, a.header)
	}
	ownFile := regexp.MustCompile(`(?:src|href)="((?:` + portal.WebPrefix + `|` + webassets.SharedPrefix + `)[^"]+)"`)

	scriptTag := regexp.MustCompile(`(?i)<script[^>]*>([^<]*)</script>`)
	inline := []*regexp.Regexp{regexp.MustCompile(`(?i)\sstyle\s*=`), regexp.MustCompile(`(?i)<style`), regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)(src|href|action)\s*=\s*"(https?:)?//`)}
	for _, p := range []struct {
		path string
		ids  []string
	}{
		{"/portal/", []string{"lookup-form", "lookup-code", "lookup-proof", "lookup-submit", "lookup-status", "my-cases", "inbox-link", "nav-inbox"}},
		{"/portal/c/" + strings.ToLower(pc.Code), []string{"lookup-form", `value="` + pc.Code + `"`}},
		{"/portal/?code=" + url.QueryEscape(pc.Code), []string{`value="` + pc.Code + `"`}},
		{"/portal/inbox", []string{"电子送达收件箱", "My served documents", "inbox-list", "inbox-count", "page-status", "portal-link", "portal-user",
			`id="nav-inbox" href="/portal/inbox" aria-current="page"`, `data-page="inbox"`, portal.WebPrefix + "inbox.js?v=", "文书存入本收件箱即视为送达（" + rules.EDelivery.Screen() + "）"}},
		{"/portal/cases/" + pc.ID, []string{`data-case="` + pc.ID + `"`, "case-title", "case-status", "case-code", "case-state", "deadlines", "documents",
			"consent-form", "consent-ch-inbox", "consent-ch-email", "consent-ch-sms", "consent-email", "consent-mobile", "consent-submit", "consent-status",
			"pay-submit", "quote-total", "quote-surcharge", "quote-basis", "pay-status", "payments", "evaluate-form", "rating-5", "evaluate-comment",
			"evaluate-submit", "evaluate-status", "reconsider-form", "rc-applicant", "rc-request", "rc-reasons", "rc-authority", "reconsider-submit",
			"reconsider-status", "reconsider-track", "track-sent", "reconsider-pdf", "inbox-link", "文书到达即视为送达（" + rules.EDelivery.Screen() + "）"}},
		{"/portal/cases/" + pc.ID + "/payment?result=success", []string{"payment-result", "payment-status", "payment-list", "back-to-case"}},
		{"/portal/login?next=/portal/c/" + pc.Code, []string{"dev-login", "dev-login-form", "dev-email", "dev-login-submit", "开发登录", "DEV"}},
	} {
		a := w.call("GET", p.path, acc, "", nil)
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d %s", p.path, a.status, a.body)
		}
		body := string(a.body)
		if a.header.Get("Content-Security-Policy") != portal.CSP || !strings.Contains(portal.CSP, "script-src 'self'") ||
			!strings.Contains(portal.CSP, "style-src 'self'") || a.header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: CSP %q, Referrer-Policy %q", p.path, a.header.Get("Content-Security-Policy"), a.header.Get("Referrer-Policy"))
		}
		for _, m := range scriptTag.FindAllStringSubmatch(body, -1) {
			if !ownFile.MatchString(m[0]) || strings.TrimSpace(m[1]) != "" {
				t.Errorf("%s: inline or foreign script %q", p.path, m[0])
			}
		}
		for _, re := range inline {
			if m := re.FindString(body); m != "" {
				t.Errorf("%s: %q breaks the CSP", p.path, m)
			}
		}
		for _, id := range p.ids {
			if !strings.Contains(body, `id="`+id+`"`) && !strings.Contains(body, id) {
				t.Errorf("%s lacks %s", p.path, id)
			}
		}
		for _, want := range []string{webassets.SharedPrefix + "app.css?v=", webassets.SharedPrefix + "dom.js?v=", portal.WebPrefix + "portal.css?v=", portal.WebPrefix + "core.js?v="} {
			if !strings.Contains(body, want) {
				t.Errorf("%s does not link %s", p.path, want)
			}
		}
		for _, m := range ownFile.FindAllStringSubmatch(body, -1) {
			s := w.call("GET", strings.ReplaceAll(m[1], "&amp;", "&"), "", "", nil)
			if s.status != http.StatusOK || !strings.Contains(s.header.Get("Cache-Control"), "immutable") {
				t.Errorf("%s links %s: %d %q", p.path, m[1], s.status, s.header.Get("Cache-Control"))
			}
			if strings.Contains(m[1], ".svg?") { // an image: its XML namespace is a URL, loaded from nowhere
				continue
			}
			for _, bad := range []string{"http://", "https://", "@import", "innerHTML", ".style.", "eval(", "new Function"} {
				if strings.Contains(string(s.body), bad) {
					t.Errorf("%s contains %q", m[1], bad)
				}
			}
		}
	}
	// a case page of a case the account has no claim on (here: another account's) is the lookup
	// page with a notice and a 404, and nothing of the case
	other := uuid.NewString()
	if a := w.call("GET", "/portal/cases/"+pc.ID, other, "", nil, "Accept", "text/html"); a.status != http.StatusNotFound ||
		!strings.Contains(string(a.body), `id="lookup-notice"`) || !strings.Contains(string(a.body), `id="lookup-form"`) ||
		strings.Contains(string(a.body), pc.ID) || strings.Contains(string(a.body), pc.Code) || a.header.Get("Content-Security-Policy") != portal.CSP {
		t.Errorf("an unclaimed case page: %d %s", a.status, a.body)
	}
	if a := w.call("GET", "/portal/login?next=https://evil.example/", "", "", nil); !strings.Contains(string(a.body), `data-next="/portal/"`) {
		t.Errorf("login keeps a foreign next")
	}
}

// TestKratosLogin: without the dev login, signing in goes to the self-service sign-in page, returning to
// the page asked for; the dev login is nowhere.
func TestKratosLogin(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t), func(c *portal.Config) { c.DevLogin, c.SignIn = false, "/auth/login" })
	a := w.call("GET", "/portal/login?next="+url.QueryEscape("/portal/c/ZF350426-2025-7K3M9QXA2BR"), "", "", nil)
	want := "/auth/login?return_to=" + url.QueryEscape("https://zhifa.example/portal/c/ZF350426-2025-7K3M9QXA2BR")
	if a.status != http.StatusSeeOther || a.header.Get("Location") != want {
		t.Fatalf("login: %d %q, want %q", a.status, a.header.Get("Location"), want)
	}
	if b := w.call("GET", "/portal/", "someone", "", nil); strings.Contains(string(b.body), "开发登录") {
		t.Error("the dev login shows while it is off")
	}
}

// TestOpenAPI: the portal's operations are in the API document, beside (not over) the inbox.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	doc := w.api.Document()
	for _, p := range []string{"/portal/lookup", "/portal/cases", "/portal/cases/{id}", "/portal/cases/{id}/consent", "/portal/cases/{id}/evaluation",
		"/portal/cases/{id}/reconsideration", "/portal/cases/{id}/reconsideration/draft", "/portal/cases/{id}/quote", "/portal/cases/{id}/checkout",
		"/portal/cases/{id}/payments", "/portal/cases/{id}/documents/{document_id}/pdf"} {
		if doc.Paths.Find(p) == nil {
			t.Errorf("no %s in the OpenAPI document", p)
		}
	}
	if doc.Paths.Find("/portal/inbox") != nil {
		t.Error("the portal mounts /portal/inbox, which the delivery module serves")
	}
}
