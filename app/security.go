package app

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/console"
	"zhifa/modules/disclosure/pages"
	"zhifa/modules/documents"
	"zhifa/modules/identity/selfservice"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/kernel/webassets"
	"zhifa/modules/payments"
	"zhifa/modules/portal"
)

// family is a kind of address the platform serves, with the security headers its answers carry
// besides the ones every answer carries (securityHeaders).
type family struct {
	name string
	// paths are the family's addresses: each one itself and everything below it ("/portal":
	// "/portal", "/portal/..."). The longest match wins.
	paths []string
	csp   string // Content-Security-Policy
	// referrer is the Referrer-Policy: no-referrer where a URL carries a case code, a document or
	// payment ID that must not travel to another site.
	referrer string
	// permissions is the Permissions-Policy: which browser features pages may use.
	permissions string
	// cache is the Cache-Control an answer gets unless its handler sets its own ("": none, the
	// handler's): no-store for anything one person sees.
	cache string
}

// apiCSP is the policy of answers no browser renders (metrics, probes, the OpenAPI document):
// nothing loads from them, nothing frames them.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Permissions-Policy values: no page uses the camera, the microphone, payment handlers or USB;
// only the console asks for the position (an inspection record's place).
const (
	noFeatures      = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
	consoleFeatures = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"
)

// families are the platform's kinds of addresses; a request outside all of them (a redirect,
// a 404 page) is otherFamily. A new kind of page is one row here, and one in the test's table
// (app/security_headers_test.go).
var families = []family{
	{name: "console pages", paths: []string{"/console", "/login", "/logout"},
		csp: httpx.PageCSP, referrer: "same-origin", permissions: consoleFeatures, cache: "no-store"},
	{name: "portal pages and the simulated payment page", paths: []string{"/portal"},
		csp: httpx.PageCSP, referrer: "no-referrer", permissions: noFeatures, cache: "no-store"},
	{name: "public verification", paths: []string{"/verify"},
		csp: httpx.PageCSP, referrer: "no-referrer", permissions: noFeatures, cache: "no-store"},
	{name: "static assets", paths: []string{webassets.SharedPrefix, console.StaticPrefix, documents.StaticPrefix, portal.WebPrefix, payments.StaticPath},
		csp: httpx.PageCSP, referrer: "no-referrer", permissions: noFeatures}, // webassets sets their Cache-Control
	// The API's raw replies include a document's HTML and PDF, viewed in the browser: the pages' policy.
	{name: "JSON API", paths: []string{"/api"},
		csp: httpx.PageCSP, referrer: "no-referrer", permissions: noFeatures, cache: "no-store"},
	{name: "OpenAPI document", paths: []string{"/api/openapi.json"},
		csp: apiCSP, referrer: "no-referrer", permissions: noFeatures, cache: "no-cache"},
	// The public disclosure pages: anyone's, cacheable for a minute (their handler says so).
	{name: "public disclosure pages", paths: []string{pages.ListPath},
		csp: httpx.PageCSP, referrer: "no-referrer", permissions: noFeatures},
	// A flow's id in the address must not travel to another site.
	{name: "sign-in pages and the Kratos tunnel", paths: []string{"/auth", selfservice.TunnelPrefix},
		csp: httpx.PageCSP, referrer: "no-referrer", permissions: noFeatures, cache: "no-store"},
	{name: "operations", paths: []string{"/metrics", "/healthz", "/readyz"},
		csp: apiCSP, referrer: "no-referrer", permissions: noFeatures, cache: "no-store"},
}

// otherFamily is every address outside families: the root's redirect, the 404 pages.
var otherFamily = family{name: "other", csp: httpx.PageCSP, referrer: "no-referrer", permissions: noFeatures, cache: "no-store"}

// familyOf is the family of a request path.
func familyOf(path string) family {
	best, n := otherFamily, 0
	for _, f := range families {
		for _, p := range f.paths {
			p = strings.TrimSuffix(p, "/")
			if (path == p || strings.HasPrefix(path, p+"/")) && len(p) > n {
				best, n = f, len(p)
			}
		}
	}
	return best
}

// hstsValue is the Strict-Transport-Security of a deployment reached over https: a year, this
// host only (the agency's other hosts are not the platform's to pin).
const hstsValue = "max-age=31536000"

// securityHeaders sets the headers of every answer, errors included: no MIME sniffing, no
// framing, and its family's policy, referrer policy, permissions and default Cache-Control. When
// the public URL is https (the platform behind a TLS-terminating proxy), Strict-Transport-Security
// too, and every cookie is marked Secure. Every cookie the platform sets is HttpOnly, SameSite=Lax
// unless it says otherwise, and for the whole site unless it names a path (hardenCookies).
func securityHeaders(publicURL string) echo.MiddlewareFunc {
	https := strings.HasPrefix(strings.ToLower(publicURL), "https://")
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			f := familyOf(c.Request().URL.Path)
			h := c.Response().Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("X-XSS-Protection", "0") // the browsers' filter is gone or harmful; the CSP protects
			h.Set("Content-Security-Policy", f.csp)
			h.Set("Referrer-Policy", f.referrer)
			h.Set("Permissions-Policy", f.permissions)
			if f.cache != "" {
				h.Set("Cache-Control", f.cache)
			}
			if https {
				h.Set("Strict-Transport-Security", hstsValue)
			}
			c.Response().Before(func() { hardenCookies(h, https) })
			return next(c)
		}
	}
}

// hardenCookies rewrites the answer's Set-Cookie lines, whoever wrote them: HttpOnly (no script
// of the platform reads a cookie), SameSite=Lax unless set, Path=/ unless set, and Secure when
// secure.
func hardenCookies(h http.Header, secure bool) {
	lines := h.Values("Set-Cookie")
	if len(lines) == 0 {
		return
	}
	h.Del("Set-Cookie")
	for _, l := range lines {
		ck, err := http.ParseSetCookie(l)
		if err != nil {
			continue // not a cookie a browser would keep either
		}
		ck.HttpOnly = true
		ck.Secure = ck.Secure || secure
		if ck.SameSite == 0 || ck.SameSite == http.SameSiteDefaultMode { // none said
			ck.SameSite = http.SameSiteLaxMode
		}
		if ck.Path == "" {
			ck.Path = "/"
		}
		h.Add("Set-Cookie", ck.String())
	}
}
