package portal

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/kernel/webassets"
	"zhifa/modules/rules"
)

// The portal's pages, in Chinese with English beside it, for a phone first. Server-rendered
// shells (html/template) whose scripts call the portal API; scripts and styles come from this
// site only (web/, embedded), so the strict Content-Security-Policy holds: no inline script or
// style. The shared look is the platform's stylesheet (/static/app.css, webassets.Shared, with
// the DOM helpers dom.js); portal.css adds the portal's own.
//
//	/portal/                 查询案件 (lookup: code and proof) and 我的案件 (my cases); ?code= fills the code
//	/portal/c/{code}         the same, with the code filled: the address a case code's QR code can carry
//	/portal/inbox            电子送达收件箱 (the inbox): the documents served on the signed-in party, the
//	                         PDF as served (its SHA-256 checked) and the public verification page;
//	                         the delivery e-mails and SMS give its address
//	/portal/cases/{id}       the case: status, deadlines, documents, consent, payment, evaluation, reconsideration
//	/portal/cases/{id}/payment  the return page of a payment: its status
//	/portal/login            sign in: the dev login (开发登录 DEV) in the embedded default, else Kratos
//	/portal/web/{file}       the scripts and stylesheet (webassets: content-hashed addresses)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed web
var webFS embed.FS

// WebPrefix is where the portal's scripts and stylesheet are served.
const WebPrefix = "/portal/web/"

// InboxPath is the party's inbox page, whose address the delivery e-mails and SMS give (the
// delivery module's Config.PortalURL) and the other portal pages link.
const InboxPath = "/portal/inbox"

// CSP is the Content-Security-Policy of the portal's pages, the platform's (httpx.PageCSP):
// nothing inline, nothing from another host, no framing, forms only to this site. They are sent
// with no referrer too (a case code in a URL must not travel to another site).
const CSP = httpx.PageCSP

type page struct {
	name, titleZH, titleEN string
}

var (
	lookupPage  = page{"lookup", "案件查询", "Look up a case"}
	inboxPage   = page{"inbox", "电子送达收件箱", "My served documents"}
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
	// Cites are the legal bases the pages state, written by the rules catalogue.
	Cites  pageCites
	status int // the HTTP status; 0: 200
}

// pageCites are the provisions the pages' explanations rest on, as a page shows them.
type pageCites struct {
	EDelivery string // a document served electronically is served when it arrives (case, inbox)
}

var cites = pageCites{EDelivery: rules.EDelivery.Screen()}

type pages struct {
	byName map[string]*template.Template
	web    *webassets.Server
}

func mustParsePages() *pages {
	sub, err := fs.Sub(webFS, "web")
	if err != nil {
		panic(err)
	}
	p := &pages{byName: map[string]*template.Template{}, web: webassets.MustNew(WebPrefix, sub)}
	funcs := template.FuncMap{"asset": webassets.URLs(p.web, webassets.Shared())}
	for _, pg := range []page{lookupPage, inboxPage, casePage, paymentPage, loginPage} {
		p.byName[pg.name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+pg.name+".html"))
	}
	return p
}

func (p *pages) render(c echo.Context, pg page, d pageData) error {
	d.Page, d.TitleZH, d.TitleEN, d.InboxPath, d.Cites = pg.name, pg.titleZH, pg.titleEN, InboxPath, cites
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

// Pages mounts the portal's pages and static files on e (the shared ones, at /static/, are
// mounted by the application).
func (s *Service) Pages(e *echo.Echo) {
	s.pages.web.Mount(e)
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
	e.GET(InboxPath, s.signedIn(func(c echo.Context, p *authz.Principal) error {
		return s.pages.render(c, inboxPage, pageData{User: p, DevLogin: s.devLogin})
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
			if next := errs.NextPage(err, s.publicURL+c.Request().URL.RequestURI()); next != "" {
				return c.Redirect(http.StatusSeeOther, next) // e.g. the second factor
			}
			if errs.Is(err, errs.Unauthenticated) {
				return c.Redirect(http.StatusSeeOther, "/portal/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			return err
		}
		return h(c, p)
	}
}

// login is the sign-in page. With the dev login on (embedded default) it shows the dev login,
// marked 开发登录 DEV; otherwise it sends the browser to the sign-in page (Config.SignIn), which
// returns to the page asked for.
func (s *Service) login(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if !s.devLogin && s.signIn != "" {
		return c.Redirect(http.StatusSeeOther, s.signIn+"?return_to="+url.QueryEscape(s.publicURL+next))
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
