package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/webassets"
)

// Identity is what the console needs from the identity service: who a request's credentials
// belong to, and how to end a dev-login session.
type Identity interface {
	// Authenticate returns the request's principal, Unauthenticated without a valid session.
	Authenticate(ctx context.Context, r *http.Request) (*authz.Principal, error)
	// DevLogout ends the dev-login session of token.
	DevLogout(ctx context.Context, token string) error
}

// Config is what the console is built from.
type Config struct {
	Identity Identity
	// CitizenHome is the page a party signed in at / is sent to (the portal's inbox), and the
	// one portal page /login may return to. Required.
	CitizenHome string
	// DevLogin shows the dev-login panel on /login (the embedded default only).
	DevLogin bool
	// SignIn is the sign-in page when the dev login is off (the identity module's self-service
	// login, taking ?return_to=): /login sends the browser there.
	SignIn string
	// SignOut ends the identity service's session (the self-service logout), where /logout
	// goes after clearing the dev-login cookie; "" with the dev login only.
	SignOut string
	// PublicURL is the platform's public URL: return_to addresses are absolute under it.
	PublicURL string
}

// Console serves the staff pages and their static files.
type Console struct {
	cfg    Config
	pages  *pages
	assets *webassets.Server
}

// New returns the console. It panics if the embedded templates do not parse or CitizenHome is
// missing: programming errors caught by the package's tests.
func New(cfg Config) *Console {
	if cfg.CitizenHome == "" {
		panic("console: Config.CitizenHome is empty")
	}
	a := newAssets()
	return &Console{cfg: cfg, assets: a, pages: mustParsePages(a)}
}

// devCookie is the cookie the identity service's dev login sets.
const devCookie = "zhifa_dev_session"

// Routes mounts the pages and the console's static files on e (the shared ones, at /static/,
// are mounted by the application).
func (c *Console) Routes(e *echo.Echo) {
	c.assets.Mount(e)
	e.GET("/", c.root)
	e.GET("/login", c.login)
	e.GET("/logout", c.logout)
	e.POST("/logout", c.logout)
	e.GET("/console/", func(ec echo.Context) error { return ec.Redirect(http.StatusMovedPermanently, "/console") })
	e.GET("/console/import/templates/:file", c.csvTemplate)
	for _, p := range consolePages {
		e.GET(p.Path, c.render(p), c.requireSession)
	}
}

// root sends a signed-in user to the console (a party to CitizenHome) and everyone else to
// the login page.
func (c *Console) root(ec echo.Context) error {
	p, err := c.cfg.Identity.Authenticate(ec.Request().Context(), ec.Request())
	if err != nil {
		if errs.Is(err, errs.Unauthenticated) {
			return ec.Redirect(http.StatusSeeOther, "/login")
		}
		return err
	}
	if citizen(p) {
		return ec.Redirect(http.StatusSeeOther, c.cfg.CitizenHome)
	}
	return ec.Redirect(http.StatusSeeOther, "/console")
}

const principalKey = "console.principal"

// requireSession lets a request with a valid session through and redirects one without to
// /login, remembering where it wanted to go; a session that needs a further step (the second
// factor) goes to the page of that step.
func (c *Console) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(ec echo.Context) error {
		p, err := c.cfg.Identity.Authenticate(ec.Request().Context(), ec.Request())
		if err != nil {
			if next := errs.NextPage(err, strings.TrimRight(c.cfg.PublicURL, "/")+ec.Request().URL.RequestURI()); next != "" {
				return ec.Redirect(http.StatusSeeOther, next) // e.g. the second factor
			}
			if errs.Is(err, errs.Unauthenticated) {
				return ec.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(ec.Request().URL.RequestURI()))
			}
			return err
		}
		ec.Set(principalKey, p)
		return next(ec)
	}
}

// login renders the sign-in page. A signed-in user sees it too (to switch demo accounts).
func (c *Console) login(ec echo.Context) error {
	p, _ := c.cfg.Identity.Authenticate(ec.Request().Context(), ec.Request()) // any failure: shown signed out
	d := pageData{Page: loginPage, User: p, DevLogin: c.cfg.DevLogin, Next: c.safeNext(ec.QueryParam("next")),
		SignedOut: ec.QueryParam("signed_out") != "", CitizenHome: c.cfg.CitizenHome}
	if !c.cfg.DevLogin && c.cfg.SignIn != "" {
		d.SignIn = c.cfg.SignIn + "?return_to=" + url.QueryEscape(strings.TrimRight(c.cfg.PublicURL, "/")+d.Next)
		if !d.SignedOut {
			return ec.Redirect(http.StatusSeeOther, d.SignIn)
		}
	}
	return c.pages.render(ec, d)
}

// logout ends a dev-login session and clears its cookie, then the identity service's session
// (Config.SignOut) where there is one.
func (c *Console) logout(ec echo.Context) error {
	if ck, err := ec.Cookie(devCookie); err == nil && ck.Value != "" {
		if err := c.cfg.Identity.DevLogout(ec.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	ec.SetCookie(&http.Cookie{Name: devCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if c.cfg.SignOut != "" {
		return ec.Redirect(http.StatusSeeOther, c.cfg.SignOut)
	}
	return ec.Redirect(http.StatusSeeOther, "/login?signed_out=1")
}

// safeNext keeps a post-login target only when it is a console page of this site or
// CitizenHome.
func (c *Console) safeNext(next string) string {
	if next == "/console" || strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "/console?") || (next != "" && next == c.cfg.CitizenHome) {
		if !strings.ContainsAny(next, "\\\r\n") && !strings.HasPrefix(next, "//") {
			return next
		}
	}
	return "/console"
}
