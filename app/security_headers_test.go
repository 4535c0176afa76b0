package app_test

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"zhifa/config"
	"zhifa/modules/identity"
)

// The policies the families' answers must carry, written out: a change to app/security.go that
// drops or loosens one fails TestSecurityHeaders.
const (
	wantPageCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
		"object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
	wantNoneCSP         = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
	wantNoFeatures      = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
	wantConsoleFeatures = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"
	wantHSTS            = "max-age=31536000"
)

// probe is one request of a family's, and the status it must get (so that the headers checked
// are those of the real page, not of a redirect or an error by mistake).
type probe struct {
	method, path string
	as           string // demo account signed in through the dev login ("": none)
	html         bool   // sent as a browser asks for a page (Accept: text/html)
	status       int
}

// headerFamily is a family of addresses and the headers each of its answers must carry besides
// the common ones (nosniff, no framing, HSTS when the public URL is https).
type headerFamily struct {
	name                              string
	covers                            []string // the routes it stands for: each one and everything below it
	probes                            []probe
	csp, referrer, permissions, cache string
}

// TestSecurityHeaders is the platform's security headers and cookie flags as one table: every
// family of addresses (a new one is one row), over http and behind a proxy whose public URL is
// https; every route the platform serves belongs to a family of the table.
func TestSecurityHeaders(t *testing.T) {
	for _, scheme := range []string{"http", "https"} {
		t.Run(scheme, func(t *testing.T) {
			var tweaks []func(*config.Config)
			if scheme == "https" {
				tweaks = append(tweaks, func(c *config.Config) { c.HTTP.PublicURL = "https://zhifa.example.gov.cn" })
			}
			p := startPlatform(t, "sqlite", tweaks...)
			_, simulated := simulatedCheckout(t, p)
			table := []headerFamily{
				{name: "console pages", covers: []string{"/console", "/login", "/logout"},
					probes: []probe{{"GET", "/login", "", true, 200}, {"GET", "/console/cases", officer1, true, 200}, {"GET", "/console/cases", "", true, 303}},
					csp:    wantPageCSP, referrer: "same-origin", permissions: wantConsoleFeatures, cache: "no-store"},
				{name: "portal pages", covers: []string{"/portal"},
					probes: []probe{{"GET", "/portal/login", "", true, 200}, {"GET", "/portal/inbox", citizenDemo, true, 200}},
					csp:    wantPageCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "no-store"},
				{name: "simulated payment page", covers: []string{"/portal/pay/simulate"},
					probes: []probe{{"GET", simulated.Path, "", true, 200}},
					csp:    wantPageCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "no-store"},
				{name: "public verification", covers: []string{"/verify"},
					probes: []probe{{"GET", "/verify", "", true, 200}, {"GET", "/verify/01a1ff72-0000-7000-8000-000000000000", "", true, 404}},
					csp:    wantPageCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "no-store"},
				{name: "static assets", covers: []string{"/static", "/console/static", "/documents/static", "/portal/web", "/portal/pay/static"},
					probes: []probe{{"GET", "/static/app.css", "", false, 200}, {"GET", "/console/static/core.js", "", false, 200},
						{"GET", "/documents/static/zdoc.css", "", false, 200}, {"GET", "/portal/web/core.js", "", false, 200},
						{"GET", "/portal/pay/static/simulate.js", "", false, 200}},
					csp: wantPageCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "no-cache"},
				{name: "JSON API", covers: []string{"/api/v1"},
					probes: []probe{{"GET", "/api/v1/me", officer1, false, 200}, {"GET", "/api/v1/portal/inbox", citizenDemo, false, 200},
						{"GET", "/api/v1/cases", "", false, 401}, {"GET", "/api/v1/no-such-thing", officer1, false, 404}},
					csp: wantPageCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "no-store"},
				{name: "OpenAPI document", covers: []string{"/api/openapi.json"},
					probes: []probe{{"GET", "/api/openapi.json", "", false, 200}},
					csp:    wantNoneCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "no-cache"},
				{name: "metrics and probes", covers: []string{"/metrics", "/healthz", "/readyz"},
					probes: []probe{{"GET", "/metrics", "", false, 200}, {"GET", "/healthz", "", false, 200}, {"GET", "/readyz", "", false, 200}},
					csp:    wantNoneCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "no-store"},
				{name: "public disclosure pages", covers: []string{"/public/disclosures"},
					probes: []probe{{"GET", "/public/disclosures", "", true, 200}, {"GET", "/public/disclosures/01a1ff72-0000-7000-8000-000000000000", "", true, 404}},
					csp:    wantPageCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "public, max-age=60"},
				{name: "error pages and the root", covers: []string{"/"},
					probes: []probe{{"GET", "/no-such-page", "", true, 404}, {"GET", "/", "", true, 303}},
					csp:    wantPageCSP, referrer: "no-referrer", permissions: wantNoFeatures, cache: "no-store"},
			}
			for _, f := range table {
				for _, pr := range f.probes {
					resp := p.raw(t, pr, "")
					what := f.name + ": " + pr.method + " " + pr.path
					if resp.StatusCode != pr.status {
						t.Errorf("%s: status %d, want %d", what, resp.StatusCode, pr.status)
					}
					f.check(t, what, scheme, resp)
				}
			}

			// Every route belongs to a family of the table.
			for _, r := range p.App.Echo.Routes() {
				in := false
				for _, f := range table {
					for _, c := range f.covers {
						in = in || r.Path == c || strings.HasPrefix(r.Path, strings.TrimSuffix(c, "/")+"/")
					}
				}
				if !in {
					t.Errorf("route %s %s belongs to no family of the table: add its row", r.Method, r.Path)
				}
			}

			// Every cookie the platform sets (the dev session's, set and cleared; the console's
			// sign-out) is HttpOnly, SameSite=Lax, for the whole site, and Secure behind https.
			for _, c := range []struct {
				name string
				req  probe
				body string
			}{
				{"dev login", probe{"POST", "/api/v1/dev/login", "", false, 200}, `{"email":"` + officer1 + `"}`},
				{"dev logout", probe{"POST", "/api/v1/dev/logout", officer1, false, 204}, ""},
				{"console sign-out", probe{"GET", "/logout", officer1, true, 303}, ""},
			} {
				resp := p.raw(t, c.req, c.body)
				if resp.StatusCode != c.req.status || len(resp.Cookies()) == 0 {
					t.Errorf("%s: %d with cookies %v, want %d setting one", c.name, resp.StatusCode, resp.Header.Values("Set-Cookie"), c.req.status)
				}
				checkCookies(t, c.name, scheme, resp)
			}
		})
	}
}

// check fails the test unless resp carries the headers of every answer and those of family f.
func (f headerFamily) check(t *testing.T, what, scheme string, resp *http.Response) {
	t.Helper()
	h := resp.Header
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Content-Security-Policy": f.csp,
		"Referrer-Policy": f.referrer, "Permissions-Policy": f.permissions, "Cache-Control": f.cache,
	} {
		if got := h.Values(name); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %s %q, want %q", what, name, got, want)
		}
	}
	if got := h.Get("Strict-Transport-Security"); (scheme == "https") != (got == wantHSTS) || (scheme == "http" && got != "") {
		t.Errorf("%s behind %s: Strict-Transport-Security %q", what, scheme, got)
	}
}

// checkCookies fails the test unless every cookie resp sets is HttpOnly, SameSite=Lax, for the
// whole site, and Secure behind https.
func checkCookies(t *testing.T, what, scheme string, resp *http.Response) {
	t.Helper()
	for _, ck := range resp.Cookies() {
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure != (scheme == "https") {
			t.Errorf("%s behind %s: cookie %q, want HttpOnly; SameSite=Lax; Path=/, Secure only behind https", what, scheme, ck.String())
		}
	}
}

// TestSignInSecurityHeaders is the sign-in pages' row of the table, on a platform signing in
// through a real Kratos: a browser's walk to the recovery page (the page, its start, the
// tunnel's redirect that sets Kratos' CSRF cookie, the page of the flow) carries the family's
// headers, and Kratos' cookies through the tunnel get the platform's cookie flags.
func TestSignInSecurityHeaders(t *testing.T) {
	s := startSigninPlatform(t)
	auth := headerFamily{name: "sign-in pages and the Kratos tunnel", csp: wantPageCSP, referrer: "no-referrer",
		permissions: wantNoFeatures, cache: "no-store"}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	path, cookies := "/auth/recovery", 0
	for hop := 0; hop < 5 && path != ""; hop++ {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("Accept", "text/html")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		auth.check(t, auth.name+": GET "+path, "http", resp)
		checkCookies(t, "GET "+path, "http", resp)
		cookies += len(resp.Cookies())
		if resp.StatusCode == http.StatusOK {
			if !strings.HasPrefix(path, "/auth/recovery?flow=") {
				t.Errorf("the walk ended at %s", path)
			}
			path = ""
			break
		}
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		path = strings.TrimPrefix(resp.Header.Get("Location"), s.URL)
	}
	if path != "" || cookies == 0 {
		t.Errorf("the walk did not reach the recovery page with Kratos' cookie (at %q, %d cookies)", path, cookies)
	}
}

// raw sends pr's request with body (JSON, when not "") and answers the response, its body read
// and closed, redirects not followed. A signed-in probe carries a fresh session (a sign-out
// ends it): its token, or for a page the dev cookie.
func (p *platform) raw(t *testing.T, pr probe, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(pr.method, p.URL+pr.path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if pr.html {
		req.Header.Set("Accept", "text/html")
	}
	if pr.as != "" {
		tok := p.login(pr.as)
		if pr.html {
			req.AddCookie(&http.Cookie{Name: identity.DevCookie, Value: tok})
		} else {
			req.Header.Set("X-Session-Token", tok)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
