package portal

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/console"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
)

// The portal's pages, in Chinese with English beside it, for a phone first. Server-rendered
// shells (html/template) whose scripts call the portal API; scripts and styles come from this
// site only (web/, embedded), so the strict Content-Security-Policy holds: no inline script or
// style. The shared look is the console's stylesheet (/static/app.css); portal.css adds the
// portal's own.
//
//	/portal/                 查询案件 (lookup: code and proof) and 我的案件 (my cases); ?code= fills the code
//	/portal/c/{code}         the same, with the code filled: the address a case code's QR code can carry
//	/portal/cases/{id}       the case: status, deadlines, documents, consent, payment, evaluation, reconsideration
//	/portal/cases/{id}/payment  the return page of a payment: its status
//	/portal/login            sign in: the dev login (开发登录 DEV) in the embedded default, else Kratos
//	/portal/web/{file}       the scripts and stylesheet

//go:embed templates/*.html
var templateFS embed.FS

//go:embed web
var webFS embed.FS

// WebPrefix is where the portal's scripts and stylesheet are served.
const WebPrefix = "/portal/web/"

// CSP is the Content-Security-Policy of the portal's pages: nothing inline, nothing from
// another host, no framing, forms only to this site, and no referrer (a case code in a URL
// must not travel to another site).
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

type page struct {
	name, titleZH, titleEN string
}

var (
	lookupPage  = page{"lookup", "案件查询", "Look up a case"}
	casePage    = page{"case", "我的案件", "My case"}
	paymentPage = page{"payment", "缴款结果", "Payment"}
	loginPage   = page{"login", "登录", "Sign in"}
)

// pageData is what a page template sees.
type pageData struct {
	Page      string
	TitleZH   string
	TitleEN   string
	User      *authz.Principal
	DevLogin  bool
	Next      string
	Code      string // lookup: the code to fill in
	CaseID    string // case, payment
	Result    string // payment: success or cancel
	InboxPath string
	// Notice, on the lookup page, says why the browser landed there (a case page of a case the
	// account has not proved to be the party of).
	Notice *errs.Msg
	status int // the HTTP status; 0: 200
}

// webFile is an embedded static file with its content hash.
type webFile struct {
	body        []byte
	hash        string
	contentType string
}

type pages struct {
	byName map[string]*template.Template
	files  map[string]webFile
}

func mustParsePages() *pages {
	p := &pages{byName: map[string]*template.Template{}, files: map[string]webFile{}}
	err := fs.WalkDir(webFS, "web", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := webFS.ReadFile(name)
		if err != nil {
			return err
		}
		ct := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}[path.Ext(name)]
		if ct == "" {
			return fmt.Errorf("portal: unexpected file %s in web/", name)
		}
		sum := sha256.Sum256(b)
		p.files[strings.TrimPrefix(name, "web/")] = webFile{body: b, hash: hex.EncodeToString(sum[:6]), contentType: ct}
		return nil
	})
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(console.DOMScript) // shared with the console's pages
	p.files["dom.js"] = webFile{body: console.DOMScript, hash: hex.EncodeToString(sum[:6]), contentType: "text/javascript; charset=utf-8"}
	funcs := template.FuncMap{"asset": p.url}
	for _, pg := range []page{lookupPage, casePage, paymentPage, loginPage} {
		p.byName[pg.name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+pg.name+".html"))
	}
	return p
}

// url returns the versioned address of a static file; it panics on a name not embedded, which
// the package's tests catch.
func (p *pages) url(name string) string {
	f, ok := p.files[name]
	if !ok {
		panic("portal: no static file " + name)
	}
	return WebPrefix + name + "?v=" + f.hash
}

func (p *pages) serve(c echo.Context) error {
	f, ok := p.files[c.Param("file")]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	etag := `"` + f.hash + `"`
	h.Set("ETag", etag)
	if c.QueryParam("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, f.contentType, f.body)
}

func (p *pages) render(c echo.Context, pg page, d pageData) error {
	d.Page, d.TitleZH, d.TitleEN, d.InboxPath = pg.name, pg.titleZH, pg.titleEN, InboxPath
	var buf bytes.Buffer
	if err := p.byName[pg.name].Execute(&buf, d); err != nil {
		return fmt.Errorf("portal: render %s: %w", pg.name, err)
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	status := http.StatusOK
	if d.status != 0 {
		status = d.status
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// Pages mounts the portal's pages and static files on e.
func (s *Service) Pages(e *echo.Echo) {
	e.Match([]string{http.MethodGet, http.MethodHead}, WebPrefix+":file", s.pages.serve)
	e.GET("/portal", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/portal/") })
	e.GET("/portal/login", s.login)
	e.GET("/portal/", s.signedIn(func(c echo.Context, p *authz.Principal) error {
		code, _, _ := NormalizeCode(c.QueryParam("code"))
		return s.pages.render(c, lookupPage, pageData{User: p, DevLogin: s.devLogin, Code: code})
	}))
	e.GET("/portal/c/:code", s.signedIn(func(c echo.Context, p *authz.Principal) error {
		code, _, _ := NormalizeCode(c.Param("code"))
		return s.pages.render(c, lookupPage, pageData{User: p, DevLogin: s.devLogin, Code: code})
	}))
	e.GET("/portal/cases/:id", s.signedIn(func(c echo.Context, p *authz.Principal) error {
		if _, _, err := s.claimed(c.Request().Context(), p, c.Param("id")); err != nil {
			return s.unclaimed(c, p, err)
		}
		return s.pages.render(c, casePage, pageData{User: p, DevLogin: s.devLogin, CaseID: c.Param("id")})
	}))
	e.GET("/portal/cases/:id/payment", s.signedIn(func(c echo.Context, p *authz.Principal) error {
		if _, _, err := s.claimed(c.Request().Context(), p, c.Param("id")); err != nil {
			return s.unclaimed(c, p, err)
		}
		result := "cancel"
		if c.QueryParam("result") == "success" {
			result = "success"
		}
		return s.pages.render(c, paymentPage, pageData{User: p, DevLogin: s.devLogin, CaseID: c.Param("id"), Result: result})
	}))
}

// unclaimed answers a case page the account may not see (no claim, no such case: the same)
// with the lookup page and a 404, saying nothing of the case; other errors go to the error handler.
func (s *Service) unclaimed(c echo.Context, p *authz.Principal, err error) error {
	if !errs.Is(err, errs.NotFound) {
		return err
	}
	return s.pages.render(c, lookupPage, pageData{User: p, DevLogin: s.devLogin, status: http.StatusNotFound,
		Notice: &errs.Msg{ZH: "未找到该案件，或您尚未核验为本案当事人：请输入案件编码和身份证件号码后6位查询。",
			EN: "No such case, or you have not proved to be its party: look it up with the case code and the last 6 characters of the ID number."}})
}

// signedIn runs h for a request with a session; without one it sends the browser to sign in,
// remembering the page.
func (s *Service) signedIn(h func(c echo.Context, p *authz.Principal) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.identity.Authenticate(c.Request().Context(), c.Request())
		if err != nil {
			if errs.Is(err, errs.Unauthenticated) {
				return c.Redirect(http.StatusSeeOther, "/portal/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			return err
		}
		return h(c, p)
	}
}

// login is the sign-in page. With the dev login on (embedded default) it shows the dev login,
// marked 开发登录 DEV; otherwise it sends the browser to Kratos's browser login flow, which
// returns to the page asked for.
func (s *Service) login(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if !s.devLogin && s.kratosURL != "" {
		return c.Redirect(http.StatusSeeOther, s.kratosURL+"/self-service/login/browser?return_to="+url.QueryEscape(s.publicURL+next))
	}
	p, _ := s.identity.Authenticate(c.Request().Context(), c.Request()) // any failure: shown signed out
	return s.pages.render(c, loginPage, pageData{User: p, DevLogin: s.devLogin, Next: next})
}

// safeNext keeps a return address only when it is a portal page of this site.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/portal/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/portal/"
}
