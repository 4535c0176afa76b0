package selfservice

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/kernel/ratelimit"
	"zhifa/modules/kernel/webassets"
)

// TunnelPrefix is where browsers reach Kratos' public API on the platform's origin.
const TunnelPrefix = "/.ory/kratos/public"

// LoginPath is the sign-in page; ?return_to= names where to go after it.
const LoginPath = "/auth/login"

// LogoutPath ends the browser's Kratos session.
const LogoutPath = "/auth/logout"

// SettingsPath is the account settings page (password, the TOTP authenticator).
const SettingsPath = "/auth/settings"

// platformHeaders are the headers the platform sets on every answer, which the tunnel does not
// take from Kratos.
var platformHeaders = []string{"Cache-Control", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
	"Referrer-Policy", "Permissions-Policy", "Strict-Transport-Security", "X-Xss-Protection"}

// maxTunnelBody bounds what a browser may post through the tunnel: Kratos' forms are small.
const maxTunnelBody = 64 << 10

// Config wires the pages.
type Config struct {
	// KratosPublicURL is Kratos' public API as the platform's server reaches it.
	KratosPublicURL string
	// PublicURL is the platform's public URL (return_to targets are absolute URLs under it).
	PublicURL string
	// HTTPClient calls Kratos (default: http.DefaultClient).
	HTTPClient *http.Client
	Log        *slog.Logger
	// Limiter counts the forms a client address sends to Kratos' sign-in, registration, recovery
	// and verification flows, at most AttemptsPerIP per ten minutes; nil: not counted. Without a
	// store to count in (Redis down), forms go through and the failure is logged: Kratos' password
	// hashing still slows guessing, and nobody is locked out by an outage.
	Limiter       *ratelimit.Limiter
	AttemptsPerIP int64
}

// attemptWindow is the window of Config.AttemptsPerIP.
const attemptWindow = 10 * time.Minute

// limitedFlows are the flows whose forms are counted: those an anonymous caller can send.
var limitedFlows = []string{"/self-service/login", "/self-service/registration", "/self-service/recovery", "/self-service/verification"}

// Pages serves the self-service pages and the tunnel to Kratos.
type Pages struct {
	cfg    Config
	kratos *kratos
	tmpl   *template.Template
	tunnel *httputil.ReverseProxy
}

//go:embed templates/*.html
var templateFS embed.FS

// New returns the pages. It panics when the embedded template does not parse or the Kratos URL
// is not a URL: programming or configuration errors that config validation and the package's
// tests catch first.
func New(cfg Config) *Pages {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	target, err := url.Parse(strings.TrimRight(cfg.KratosPublicURL, "/"))
	if err != nil || target.Host == "" {
		panic("selfservice: bad Kratos public URL " + cfg.KratosPublicURL)
	}
	funcs := template.FuncMap{"asset": webassets.URLs(webassets.Shared())}
	p := &Pages{
		cfg:    cfg,
		kratos: &kratos{base: target.String(), hc: cfg.HTTPClient},
		tmpl:   template.Must(template.New("flow.html").Funcs(funcs).ParseFS(templateFS, "templates/flow.html")),
	}
	p.tunnel = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.URL.Path = target.Path + strings.TrimPrefix(r.In.URL.Path, TunnelPrefix)
			r.Out.URL.RawPath = ""
			r.SetXForwarded()
		},
		// The platform's own security and caching headers stand for the tunnel's answers too
		// (set on the response before the proxy copies Kratos' headers): Kratos' copies go.
		ModifyResponse: func(r *http.Response) error {
			for _, k := range platformHeaders {
				r.Header.Del(k)
			}
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
				http.Error(w, "请求体过大 / request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			cfg.Log.Warn("kratos tunnel", "err", err)
			http.Error(w, "身份服务暂不可用 / the identity service is unavailable", http.StatusServiceUnavailable)
		},
	}
	return p
}

// Routes mounts the pages and the tunnel.
func (p *Pages) Routes(e *echo.Echo) {
	e.Any(TunnelPrefix+"/*", func(c echo.Context) error {
		r := c.Request()
		if r.Method == http.MethodPost && p.limited(c) {
			return nil
		}
		if r.ContentLength > maxTunnelBody {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge) // the platform answers it as errs.TooLarge
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, maxTunnelBody)
		p.tunnel.ServeHTTP(c.Response(), r)
		return nil
	})
	for _, k := range kinds {
		e.GET("/auth/"+string(k), p.flowPage(k))
	}
	e.GET("/auth/error", p.errorPage)
	e.GET(LogoutPath, p.logout)
}

// limited counts a form posted to a limited flow and, past the limit, answers it (429, with the
// wait) and reports true.
func (p *Pages) limited(c echo.Context) bool {
	path := strings.TrimPrefix(c.Request().URL.Path, TunnelPrefix)
	if p.cfg.Limiter == nil || !slices.ContainsFunc(limitedFlows, func(f string) bool { return path == f || strings.HasPrefix(path, f+"/") }) {
		return false
	}
	w, err := p.cfg.Limiter.Hit(c.Request().Context(), "signin", httpx.ClientIP(c), ratelimit.Limit{Max: p.cfg.AttemptsPerIP, Per: attemptWindow})
	if err != nil {
		p.cfg.Log.Warn("sign-in rate limit not counted", "err", err)
		return false
	}
	if w.OK() {
		return false
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(w.Left.Seconds())+1))
	_ = p.renderError(c, http.StatusTooManyRequests, fmt.Sprintf("尝试次数过多，请 %d 分钟后再试。", w.Minutes()),
		fmt.Sprintf("too many attempts from your address: try again in %d minutes", w.Minutes()))
	return true
}

// ReturnTo is the absolute URL of the platform page path, for a return_to parameter.
func (p *Pages) ReturnTo(path string) string {
	return strings.TrimRight(p.cfg.PublicURL, "/") + path
}

// startParams are the query parameters a page passes on when it starts a new flow.
var startParams = []string{"return_to", "aal", "refresh"}

// flowPage renders the flow of kind named by ?flow=, or starts one (through the tunnel, so that
// Kratos sets its cookies on the platform's origin) when there is none or it is unknown or
// expired. A flow Kratos refuses this browser (no CSRF cookie: cookies off, or a link opened in
// another browser) is an error page with a fresh start, not a new flow, which would be refused
// the same way, round and round.
func (p *Pages) flowPage(kind Kind) echo.HandlerFunc {
	return func(c echo.Context) error {
		q := c.QueryParams()
		if id := q.Get("flow"); id != "" {
			f, how, err := p.kratos.flow(c.Request().Context(), kind, id, c.Request().Header.Get("Cookie"))
			switch {
			case err != nil:
				return p.renderError(c, http.StatusServiceUnavailable, errs.As(err).Message.ZH, errs.As(err).Message.EN)
			case how == flowOK:
				return p.render(c, http.StatusOK, newView(kind, f))
			case how == flowForeign:
				v := errorView("此页面已在本浏览器失效。请确认浏览器允许本网站的 Cookie，然后重新开始。",
					"this page is not valid in this browser: allow this site's cookies, then start again")
				v.Links = []link{{Href: "/auth/" + string(kind), Text: bilingual{ZH: "重新开始", EN: "Start again"}}}
				return p.render(c, http.StatusBadRequest, v)
			}
		}
		start := url.Values{}
		for _, k := range startParams {
			if v := q.Get(k); v != "" {
				start.Set(k, v)
			}
		}
		if kind == Login && start.Get("aal") != "" && start.Get("refresh") == "" {
			start.Set("refresh", "false")
		}
		return c.Redirect(http.StatusSeeOther, TunnelPrefix+"/self-service/"+string(kind)+"/browser?"+start.Encode())
	}
}

// errorTexts are the Chinese of Kratos' errors a browser may meet, by error id (Kratos v1.3
// text/message_error.go) or, for errors without one, by message.
var errorTexts = map[string]string{
	"security_csrf_violation":               "页面已失效（安全校验未通过），请返回重新操作。",
	"security_identity_mismatch":            "请求与当前登录账号不一致，请重新登录。",
	"session_already_available":             "您已登录。",
	"session_inactive":                      "登录已失效，请重新登录。",
	"session_refresh_required":              "请重新输入密码确认身份后再修改设置。",
	"session_aal2_required":                 "请先完成双因素认证。",
	"session_aal1_required":                 "请先登录，再完成双因素认证。",
	"session_aal_already_fulfilled":         "已完成双因素认证。",
	"session_verified_address_required":     "请先验证您的邮箱。",
	"self_service_flow_expired":             "页面已过期，请重新开始。",
	"self_service_flow_disabled":            "本平台未开放此功能。",
	"self_service_flow_replaced":            "该页面已被新的页面取代，请重新开始。",
	"self_service_flow_return_to_forbidden": "登录后要前往的地址不被允许。",
	"browser_location_change_required":      "请在浏览器中继续。",
	"identity is disabled":                  "账号已停用，请联系单位管理员。",
}

// errorPage renders the error a flow ended in (Kratos' error UI, ?id=).
func (p *Pages) errorPage(c echo.Context) error {
	e, err := p.kratos.flowError(c.Request().Context(), c.QueryParam("id"))
	if err != nil {
		return p.renderError(c, http.StatusServiceUnavailable, errs.As(err).Message.ZH, errs.As(err).Message.EN)
	}
	if e == nil {
		return p.renderError(c, http.StatusNotFound, "找不到该错误记录，它可能已过期。", "no such error: it may have expired")
	}
	zh := errorTexts[e.Error.ID]
	if zh == "" && e.Error.ID == "" {
		zh = errorTexts[e.Error.Message]
	}
	if zh == "" {
		zh = "身份服务无法完成此操作。"
	}
	en := e.Error.Message
	if e.Error.Reason != "" {
		en += " " + e.Error.Reason
	}
	return p.renderError(c, http.StatusOK, zh, en)
}

// logout ends the browser's Kratos session through Kratos' logout URL (which then returns to
// the sign-in page); without a session it goes to the sign-in page.
func (p *Pages) logout(c echo.Context) error {
	u, err := p.kratos.logoutURL(c.Request().Context(), c.Request().Header.Get("Cookie"))
	if err != nil {
		return p.renderError(c, http.StatusServiceUnavailable, errs.As(err).Message.ZH, errs.As(err).Message.EN)
	}
	if u == "" {
		return c.Redirect(http.StatusSeeOther, LoginPath)
	}
	return c.Redirect(http.StatusSeeOther, u)
}

func (p *Pages) renderError(c echo.Context, status int, zh, en string) error {
	return p.render(c, status, errorView(zh, en))
}

// errorView is the page of an error that ends a flow.
func errorView(zh, en string) view {
	return view{Kind: "error", Title: bilingual{ZH: "无法继续", EN: "Cannot continue"},
		Messages: []bilingual{{ZH: zh, EN: en, Kind: "error"}}, Links: []link{{Href: LoginPath, Text: bilingual{ZH: "返回登录", EN: "Back to sign-in"}}}}
}

// render writes the page, rendered whole first so that a template error is a clean 500.
func (p *Pages) render(c echo.Context, status int, v view) error {
	var buf bytes.Buffer
	if err := p.tmpl.Execute(&buf, v); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}
