package console_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"zhifa/modules/console"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/kernel/webassets"
)

// fakeIdentity accepts the session cookie "good" and records dev logouts.
type fakeIdentity struct {
	loggedOut []string
}

func (f *fakeIdentity) Authenticate(_ context.Context, r *http.Request) (*authz.Principal, error) {
	if c, err := r.Cookie("zhifa_dev_session"); err == nil && c.Value == "good" {
		return &authz.Principal{IdentityID: "id-1", Name: "省平台运维 林建华", Kind: "operator", HomeTenant: "35", Dev: true,
			Grants: []authz.Grant{{Role: authz.TenantOperator, TenantID: "35"}}}, nil
	}
	if c, err := r.Cookie("zhifa_dev_session"); err == nil && c.Value == "officer" {
		return &authz.Principal{IdentityID: "id-3", Name: "执法人员 陈志强", Kind: "officer", HomeTenant: "35", Dev: true,
			Grants: []authz.Grant{{Role: authz.Officer, TenantID: "35"}}}, nil
	}
	if c, err := r.Cookie("zhifa_dev_session"); err == nil && c.Value == "citizen" {
		return &authz.Principal{IdentityID: "id-2", Name: "当事人 王小明", Kind: "citizen", Dev: true,
			Grants: []authz.Grant{{Role: authz.Citizen}}}, nil
	}
	if c, err := r.Cookie("zhifa_dev_session"); err == nil && c.Value == "down" {
		return nil, errs.E(errs.Unavailable, "身份服务暂不可用", "identity service unavailable")
	}
	return nil, errs.ErrUnauthenticated
}

func (f *fakeIdentity) DevLogout(_ context.Context, token string) error {
	f.loggedOut = append(f.loggedOut, token)
	return nil
}

// citizenHome is where the console sends a party (the application gives the portal's inbox).
const citizenHome = "/portal/inbox"

// ownScript is a script tag of the console's own or the shared static files; staticLink a link
// to either.
var (
	ownScript  = regexp.MustCompile(` src="(` + console.StaticPrefix + `|` + webassets.SharedPrefix + `)`)
	staticLink = regexp.MustCompile(`(?:src|href)="((?:` + console.StaticPrefix + `|` + webassets.SharedPrefix + `)[^"]+)"`)
)

// newServer serves the console with the fake identity, and the shared static files its pages
// link, as the application does.
func newServer(t *testing.T, cfg console.Config) (*echo.Echo, *fakeIdentity) {
	t.Helper()
	id := &fakeIdentity{}
	cfg.Identity, cfg.CitizenHome = id, citizenHome
	e := echo.New()
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	webassets.Shared().Mount(e)
	console.New(cfg).Routes(e)
	return e, id
}

type answer struct {
	status int
	header http.Header
	body   string
}

func get(e *echo.Echo, method, path, cookie string) answer {
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Accept", "text/html")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "zhifa_dev_session", Value: cookie})
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return answer{rec.Code, rec.Result().Header, string(b)}
}

func TestRoutes(t *testing.T) {
	e, id := newServer(t, console.Config{DevLogin: true})
	pages := []string{"/console", "/console/tenants", "/console/settings", "/console/elements", "/console/import"}
	cases := []struct {
		name, method, path, cookie string
		status                     int
		location                   string // expected Location header, for redirects
		contains                   []string
	}{
		{"root without session", "GET", "/", "", http.StatusSeeOther, "/login", nil},
		{"root with session", "GET", "/", "good", http.StatusSeeOther, "/console", nil},
		{"login with dev login", "GET", "/login", "", http.StatusOK, "", []string{"开发登录，仅限演示", "dev login, demo only", `id="dev-accounts"`}},
		{"login keeps a console target", "GET", "/login?next=/console/import", "", http.StatusOK, "", []string{`data-next="/console/import"`}},
		{"login drops a foreign target", "GET", "/login?next=//evil.example/x", "", http.StatusOK, "", []string{`data-next="/console"`}},
		{"signed in user on login", "GET", "/login", "good", http.StatusOK, "", []string{"当前已登录为"}},
		{"signed out notice", "GET", "/login?signed_out=1", "", http.StatusOK, "", []string{"已退出登录"}},
		{"page without session", "GET", "/console/tenants", "", http.StatusSeeOther, "/login?next=%2Fconsole%2Ftenants", nil},
		{"page with identity service down", "GET", "/console", "down", http.StatusServiceUnavailable, "", nil},
		{"trailing slash", "GET", "/console/", "", http.StatusMovedPermanently, "/console", nil},
		{"template", "GET", "/console/import/templates/matters.csv", "", http.StatusOK, "", []string{"code,name,kind,sector,articles,violated,penalty_basis,bodies\r\n"}},
		{"unknown template", "GET", "/console/import/templates/cases.csv", "", http.StatusNotFound, "", nil},
		{"stylesheet", "GET", "/static/app.css", "", http.StatusOK, "", []string{"--blue"}},
		{"stylesheet head", "HEAD", "/static/app.css", "", http.StatusOK, "", nil},
		{"unknown static", "GET", "/console/static/nope.js", "", http.StatusNotFound, "", nil},
		{"a shared file is not the console's", "GET", "/console/static/app.css", "", http.StatusNotFound, "", nil},
		{"root for a party", "GET", "/", "citizen", http.StatusSeeOther, "/portal/inbox", nil},
		{"login keeps the portal target", "GET", "/login?next=/portal/inbox", "", http.StatusOK, "", []string{`data-next="/portal/inbox"`, `data-citizen-home="/portal/inbox"`}},
		{"login drops another portal target", "GET", "/login?next=/portal/cases/x", "", http.StatusOK, "", []string{`data-next="/console"`}},
		{"the inbox is not the console's", "GET", "/portal/inbox", "citizen", http.StatusNotFound, "", nil},
	}
	for _, p := range pages {
		cases = append(cases, struct {
			name, method, path, cookie string
			status                     int
			location                   string
			contains                   []string
		}{"page " + p, "GET", p, "good", http.StatusOK, "", []string{"执法监督一体化平台", "省平台运维 林建华", `aria-current="page"`, `id="tenant-select"`}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := get(e, c.method, c.path, c.cookie)
			if c.cookie == "citizen" && strings.Contains(a.body, `class="mainnav"`) {
				t.Errorf("a party is shown the staff navigation")
			}
			if a.status != c.status {
				t.Fatalf("status %d, want %d: %s", a.status, c.status, a.body)
			}
			if c.location != "" && a.header.Get("Location") != c.location {
				t.Errorf("Location %q, want %q", a.header.Get("Location"), c.location)
			}
			for _, s := range c.contains {
				if !strings.Contains(a.body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
		})
	}

	a := get(e, "GET", "/logout", "good")
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/login?signed_out=1" {
		t.Fatalf("logout: %d %s", a.status, a.header.Get("Location"))
	}
	if len(id.loggedOut) != 1 || id.loggedOut[0] != "good" {
		t.Errorf("logout ended sessions %v, want [good]", id.loggedOut)
	}
	if sc := a.header.Get("Set-Cookie"); !strings.Contains(sc, "zhifa_dev_session=;") || !strings.Contains(sc, "Max-Age=0") {
		t.Errorf("logout does not clear the cookie: %q", sc)
	}
}

func TestLoginWithoutDevLogin(t *testing.T) {
	e, _ := newServer(t, console.Config{SignIn: "/auth/login", SignOut: "/auth/logout", PublicURL: "https://zhifa.example/"})
	a := get(e, "GET", "/login?next=/console/cases", "")
	if want := "/auth/login?return_to=" + url.QueryEscape("https://zhifa.example/console/cases"); a.status != http.StatusSeeOther || a.header.Get("Location") != want {
		t.Errorf("login: %d %q, want a redirect to %q", a.status, a.header.Get("Location"), want)
	}
	a = get(e, "GET", "/login?next=https://evil.example/", "")
	if want := "/auth/login?return_to=" + url.QueryEscape("https://zhifa.example/console"); a.header.Get("Location") != want {
		t.Errorf("login keeps a foreign next: %q", a.header.Get("Location"))
	}
	a = get(e, "GET", "/login?signed_out=1", "")
	if strings.Contains(a.body, "dev-accounts") || strings.Contains(a.body, "开发登录") {
		t.Error("the dev-login panel shows while the dev login is off")
	}
	for _, s := range []string{"已退出登录", `href="/auth/login?return_to=https%3A%2F%2Fzhifa.example%2Fconsole"`} {
		if !strings.Contains(a.body, s) {
			t.Errorf("signed-out page lacks %q:\n%s", s, a.body)
		}
	}
	if a := get(e, "GET", "/logout", "good"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/auth/logout" {
		t.Errorf("logout: %d %q, want the identity service's logout", a.status, a.header.Get("Location"))
	}
}

// TestStrictCSP checks what the server's Content-Security-Policy (script-src 'self';
// style-src 'self') requires of every page: no inline script, handler or style, and every
// script and stylesheet from this site.
func TestStrictCSP(t *testing.T) {
	e, _ := newServer(t, console.Config{DevLogin: true})
	scriptTag := regexp.MustCompile(`(?i)<script[^>]*>([^<]*)</script>`)
	inline := []*regexp.Regexp{
		regexp.MustCompile(`(?i)\sstyle\s*=`),
		regexp.MustCompile(`(?i)<style`),
		regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`),
	}
	for _, p := range []string{"/login", "/console", "/console/tenants", "/console/settings", "/console/elements", "/console/import"} {
		a := get(e, "GET", p, "good")
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d", p, a.status)
		}
		for _, m := range scriptTag.FindAllStringSubmatch(a.body, -1) {
			if !ownScript.MatchString(m[0]) || strings.TrimSpace(m[1]) != "" {
				t.Errorf("%s: inline or foreign script %q", p, m[0])
			}
		}
		for _, re := range inline {
			if m := re.FindString(a.body); m != "" {
				t.Errorf("%s: %q breaks the CSP", p, m)
			}
		}
		for _, m := range staticLink.FindAllStringSubmatch(a.body, -1) {
			if s := get(e, "GET", m[1], ""); s.status != http.StatusOK {
				t.Errorf("%s links %s, which answers %d", p, m[1], s.status)
			} else if cc := s.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("%s: versioned %s has Cache-Control %q", p, m[1], cc)
			}
		}
	}
	for _, f := range []string{webassets.SharedPrefix + "app.css", webassets.SharedPrefix + "dom.js", console.StaticPrefix + "core.js", console.StaticPrefix + "login.js",
		console.StaticPrefix + "dashboard.js", console.StaticPrefix + "tenants.js", console.StaticPrefix + "settings.js", console.StaticPrefix + "elements.js",
		console.StaticPrefix + "import.js"} {
		a := get(e, "GET", f, "")
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d", f, a.status)
		}
		for _, bad := range []string{"http://", "https://", "@import", "innerHTML", ".style.", "eval(", "new Function"} {
			if strings.Contains(a.body, bad) {
				t.Errorf("%s contains %q (external resources and inline styles break the intranet and the CSP)", f, bad)
			}
		}
	}
}

func TestTemplatesMatchTheImportColumns(t *testing.T) {
	if len(console.ImportKinds) != len(elements.ImportKinds) {
		t.Fatalf("the page offers %d kinds, the API %d", len(console.ImportKinds), len(elements.ImportKinds))
	}
	e, _ := newServer(t, console.Config{DevLogin: true})
	for _, k := range elements.ImportKinds {
		cols := elements.ImportColumns[k]
		want := strings.Join(append(append([]string{}, cols.Required...), cols.Optional...), ",") + "\r\n"
		a := get(e, "GET", "/console/import/templates/"+string(k)+".csv", "")
		if a.body != want {
			t.Errorf("%s template %q, want %q", k, a.body, want)
		}
		if cd := a.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
			t.Errorf("%s template is not a download: %q", k, cd)
		}
	}
}

// TestStaticRevalidation: the bare address of a console stylesheet is revalidated, and its
// ETag answers 304.
func TestStaticRevalidation(t *testing.T) {
	e, _ := newServer(t, console.Config{})
	a := get(e, "GET", console.StaticPrefix+"cases.css", "")
	etag := a.header.Get("ETag")
	if etag == "" || a.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("unversioned asset: ETag %q, Cache-Control %q", etag, a.header.Get("Cache-Control"))
	}
	req := httptest.NewRequest("GET", console.StaticPrefix+"cases.css", nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", rec.Code)
	}
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type %q", ct)
	}
}
