package console_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"zhifa/app/dbtest"
	"zhifa/app/testenv"
	"zhifa/modules/authz"
	"zhifa/modules/console"
	"zhifa/modules/dbx"
	"zhifa/modules/httpx"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

func TestDeadlinesPage(t *testing.T) {
	e, _ := newServer(t, console.Config{DevLogin: true})
	a := get(e, "GET", "/console/deadlines", "good")
	if a.status != http.StatusOK {
		t.Fatalf("status %d", a.status)
	}
	for _, s := range []string{`id="due-form"`, `id="d-rule"`, `id="cal-loader"`, "期限计算", `aria-current="page"`, "/static/deadlines.js?v=", "/static/deadlines.css?v="} {
		if !strings.Contains(a.body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if a := get(e, "GET", "/console/deadlines", ""); a.status != http.StatusSeeOther {
		t.Errorf("without a session: %d", a.status)
	}
	// Every page links it in the navigation.
	if a := get(e, "GET", "/console", "good"); !strings.Contains(a.body, `href="/console/deadlines"`) {
		t.Error("the navigation lacks the deadline calculator")
	}
	for _, f := range []string{"deadlines.js", "deadlines.css"} {
		a := get(e, "GET", "/static/"+f, "")
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d", f, a.status)
		}
		for _, bad := range []string{"http://", "https://", "@import", "innerHTML", ".style.", "eval(", "new Function"} {
			if strings.Contains(a.body, bad) {
				t.Errorf("%s contains %q", f, bad)
			}
		}
	}
}

// deadlineServer serves the console and the real rules API (SQLite) with the fake identity of
// console_test.go: the operator of root tenant 35. It sets the platform's strict CSP.
func deadlineServer(t *testing.T) *httptest.Server {
	t.Helper()
	db := dbtest.SQLite(t)
	store := tenants.NewStore(db)
	if err := store.Insert(context.Background(), &tenants.Tenant{ID: "35", Tier: tenants.TierProvince, Name: "福建省", CreatedAt: dbx.Now(), CreatedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	id := &fakeIdentity{}
	e := echo.New()
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"}))
	console.New(console.Config{Identity: id, DevLogin: true}).Routes(e)
	session := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p, err := id.Authenticate(c.Request().Context(), c.Request())
			if err != nil {
				return err
			}
			httpx.SetPrincipal(c, p)
			return next(c)
		}
	}
	tenant := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := httpx.PrincipalOf(c)
			tid := c.Request().Header.Get("X-Zhifa-Tenant")
			if tid == "" {
				tid = p.HomeTenant
			}
			tn, err := store.Lookup(c.Request().Context(), tid)
			if err != nil {
				return err
			}
			tenants.SetScope(c, tenants.NewScope(tn, p.IdentityID, p.RolesAt(tn.ID, tn.Ancestors()), nil))
			return next(c)
		}
	}
	api := httpx.NewAPI(e, "/api/v1", "test", "0", httpx.Auth{Session: session, Tenant: tenant,
		Roles: func(c echo.Context) []authz.Role { return tenants.ScopeOf(c).Roles() }})
	e.GET("/api/v1/me", func(c echo.Context) error { return c.JSON(http.StatusOK, httpx.PrincipalOf(c)) }, session)
	e.GET("/api/v1/tenants", func(c echo.Context) error {
		sc := tenants.ScopeOf(c)
		tn, err := store.Lookup(c.Request().Context(), sc.TenantID())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, tenants.TreeReply{Current: tn.ID, Tenants: []tenants.Tenant{*tn}})
	}, session, tenant)
	e.GET("/api/v1/dev/accounts", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]any{"accounts": []any{}}) })
	rules.NewEngine(db, tenants.NewService(db)).Routes(api)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// tab is a headless Chromium tab that records the requests its pages make and any script error
// or CSP violation.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu       sync.Mutex
	requests []string
	problems []string
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(testenv.Chromium(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &tab{t: t, ctx: ctx, base: base}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, e.Request.URL)
		case *runtime.EventExceptionThrown:
			b.problems = append(b.problems, fmt.Sprintf("script error: %s %v", e.ExceptionDetails.Text, e.ExceptionDetails.Exception))
		case *log.EventEntryAdded:
			if e.Entry.Source == log.EntrySourceSecurity || e.Entry.Source == log.EntrySourceViolation ||
				(e.Entry.Source == log.EntrySourceJavascript && e.Entry.Level == log.EntryLevelError) ||
				strings.Contains(e.Entry.Text, "Content Security Policy") {
				b.problems = append(b.problems, e.Entry.Text)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v %v", what, err, b.problems)
	}
}

func evalIn[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *tab) waitFor(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('main') ? document.getElementById('main').innerText : ''`))
	b.t.Fatalf("waiting for %s: timed out %v\npage:\n%s", what, b.problems, text)
}

// shot saves a full-page screenshot as $ZHIFA_SCREENSHOTS/name.png when that is set.
func (b *tab) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("ZHIFA_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *tab) set(sel, value string) {
	b.t.Helper()
	evalIn[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, sel, value))
}

func (b *tab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
	b.waitFor("page ready", `document.body && document.body.dataset.page === "deadlines" && document.body.dataset.ready === "true"`)
}

const synthetic2027JSON = `{"year":2027,"papers":["test notice 2027"],"days":[
{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-02","isOffDay":true},
{"name":"元旦","date":"2027-01-03","isOffDay":true},{"name":"春节","date":"2027-02-06","isOffDay":true}]}`

// TestDeadlinesInBrowser drives the calculator in headless Chromium: a deep link computes the
// issue's check, an hour rule takes a date-time, an unknown year is refused naming it, the root
// operator loads 2027 and the same deadline then computes; the page fits a phone's width.
func TestDeadlinesInBrowser(t *testing.T) {
	srv := deadlineServer(t)
	b := newTab(t, srv.URL)
	b.do("open login", chromedp.Navigate(srv.URL+"/login"))
	evalIn[string](b, `document.cookie = "zhifa_dev_session=good; path=/"`)

	b.open("/console/deadlines#rule=penalty.delivery&from=2025-09-30")
	b.waitFor("the due date", `!!document.getElementById('due-date')`)
	if got := evalIn[string](b, `document.getElementById('due-date').dataset.due`); got != "2025-10-16" {
		t.Errorf("due %s, want 2025-10-16", got)
	}
	if got := evalIn[string](b, `document.getElementById('due-article').textContent`); !strings.Contains(got, "行政处罚法") || !strings.Contains(got, "第61条") {
		t.Errorf("article %q", got)
	}
	b.shot("deadlines-desktop")
	if got := evalIn[string](b, `document.getElementById('main').innerText`); strings.Contains(got, "null") || strings.Contains(got, "undefined") {
		t.Errorf("the page shows a missing value:\n%s", got)
	}
	if n := evalIn[int](b, `document.querySelectorAll('#skipped tbody tr').length`); n != 9 {
		t.Errorf("%d skipped rows, want 9", n)
	}
	if got := evalIn[string](b, `document.querySelector('#skipped tbody tr').textContent`); !strings.Contains(got, "2025-10-01") || !strings.Contains(got, "国庆节") {
		t.Errorf("first skipped row %q", got)
	}
	if got := evalIn[string](b, `document.getElementById('makeup').textContent`); !strings.Contains(got, "2025-10-11") {
		t.Errorf("make-up days %q", got)
	}

	// An hour rule takes a date-time and is never shifted.
	b.set("#d-rule", rules.CoercionEmergencyApproval)
	if typ := evalIn[string](b, `document.getElementById('d-from').type`); typ != "datetime-local" {
		t.Fatalf("the hour rule's input is %s", typ)
	}
	b.set("#d-from", "2025-09-30T22:30")
	b.do("compute", chromedp.Click(chromedp.CSS(`#due-form button[type="submit"]`)))
	b.waitFor("the hour due", `(document.getElementById('due-date') || {dataset: {}}).dataset.due === "2025-10-01T22:30:00+08:00"`)

	// An unknown year is refused, naming it.
	b.set("#d-rule", rules.PenaltyPayment)
	b.set("#d-from", "2026-12-17")
	b.do("compute", chromedp.Click(chromedp.CSS(`#due-form button[type="submit"]`)))
	b.waitFor("the refusal", `!document.querySelector('#due-form .form-error').hidden`)
	if got := evalIn[string](b, `document.querySelector('#due-form .form-error').textContent`); !strings.Contains(got, "2027") {
		t.Errorf("refusal %q does not name 2027", got)
	}

	// The root operator loads 2027; the deadline then computes, shifted past the loaded New Year.
	b.waitFor("the loader", `!document.getElementById('cal-loader').hidden`)
	b.set("#l-year", "2027")
	b.set("#l-json", synthetic2027JSON)
	b.do("load", chromedp.Click(chromedp.CSS(`#load-form button[type="submit"]`)))
	b.waitFor("loaded", `!document.querySelector('#load-form .form-ok').hidden`)
	b.waitFor("2027 shown as loaded", `!!document.querySelector('#cal-years button[data-year="2027"].is-known')`)
	b.do("compute again", chromedp.Click(chromedp.CSS(`#due-form button[type="submit"]`)))
	b.waitFor("the 2027 due", `(document.getElementById('due-date') || {dataset: {}}).dataset.due === "2027-01-04"`)
	b.shot("deadlines-loaded-2027")

	// A phone's width: nothing overflows sideways.
	b.do("phone", chromedp.EmulateViewport(390, 844))
	b.open("/console/deadlines#rule=penalty.payment&from=2025-09-16")
	b.waitFor("the due date", `(document.getElementById('due-date') || {dataset: {}}).dataset.due === "2025-10-09"`)
	b.shot("deadlines-phone")
	if w := evalIn[bool](b, `document.documentElement.scrollWidth <= window.innerWidth`); !w {
		t.Errorf("the page is wider than the phone: %v > %v", evalIn[float64](b, `document.documentElement.scrollWidth`), evalIn[float64](b, `window.innerWidth`))
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("page problem: %s", p)
	}
	for _, raw := range b.requests {
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "data" && u.Host != strings.TrimPrefix(srv.URL, "http://")) {
			t.Errorf("a request left the server: %s", raw)
		}
	}
}
