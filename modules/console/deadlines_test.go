package console_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"zhifa/app/browsertest"
	"zhifa/app/dbtest"
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

const synthetic2027JSON = `{"year":2027,"papers":["test notice 2027"],"days":[
{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-02","isOffDay":true},
{"name":"元旦","date":"2027-01-03","isOffDay":true},{"name":"春节","date":"2027-02-06","isOffDay":true}]}`

// TestDeadlinesInBrowser drives the calculator in headless Chromium: a deep link computes the
// issue's check, an hour rule takes a date-time, an unknown year is refused naming it, the root
// operator loads 2027 and the same deadline then computes; the page fits a phone's width.
func TestDeadlinesInBrowser(t *testing.T) {
	srv := deadlineServer(t)
	b := browsertest.New(t, srv.URL)
	b.Navigate("/login")
	browsertest.Eval[string](b, `document.cookie = "zhifa_dev_session=good; path=/"`)

	b.Open("/console/deadlines#rule=penalty.delivery&from=2025-09-30", "deadlines")
	b.WaitFor("the due date", `!!document.getElementById('due-date')`)
	if got := browsertest.Eval[string](b, `document.getElementById('due-date').dataset.due`); got != "2025-10-16" {
		t.Errorf("due %s, want 2025-10-16", got)
	}
	if got := browsertest.Eval[string](b, `document.getElementById('due-article').textContent`); !strings.Contains(got, "行政处罚法") || !strings.Contains(got, "第61条") {
		t.Errorf("article %q", got)
	}
	b.Shot("deadlines-desktop")
	if got := browsertest.Eval[string](b, `document.getElementById('main').innerText`); strings.Contains(got, "null") || strings.Contains(got, "undefined") {
		t.Errorf("the page shows a missing value:\n%s", got)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#skipped tbody tr').length`); n != 9 {
		t.Errorf("%d skipped rows, want 9", n)
	}
	if got := browsertest.Eval[string](b, `document.querySelector('#skipped tbody tr').textContent`); !strings.Contains(got, "2025-10-01") || !strings.Contains(got, "国庆节") {
		t.Errorf("first skipped row %q", got)
	}
	if got := browsertest.Eval[string](b, `document.getElementById('makeup').textContent`); !strings.Contains(got, "2025-10-11") {
		t.Errorf("make-up days %q", got)
	}

	// An hour rule takes a date-time and is never shifted.
	b.SetValue("#d-rule", rules.CoercionEmergencyApproval)
	if typ := browsertest.Eval[string](b, `document.getElementById('d-from').type`); typ != "datetime-local" {
		t.Fatalf("the hour rule's input is %s", typ)
	}
	b.SetValue("#d-from", "2025-09-30T22:30")
	b.Click(`#due-form button[type="submit"]`)
	b.WaitFor("the hour due", `(document.getElementById('due-date') || {dataset: {}}).dataset.due === "2025-10-01T22:30:00+08:00"`)

	// An unknown year is refused, naming it.
	b.SetValue("#d-rule", rules.PenaltyPayment)
	b.SetValue("#d-from", "2026-12-17")
	b.Click(`#due-form button[type="submit"]`)
	b.WaitFor("the refusal", `!document.querySelector('#due-form .form-error').hidden`)
	if got := browsertest.Eval[string](b, `document.querySelector('#due-form .form-error').textContent`); !strings.Contains(got, "2027") {
		t.Errorf("refusal %q does not name 2027", got)
	}

	// The root operator loads 2027; the deadline then computes, shifted past the loaded New Year.
	b.WaitFor("the loader", `!document.getElementById('cal-loader').hidden`)
	b.SetValue("#l-year", "2027")
	b.SetValue("#l-json", synthetic2027JSON)
	b.Click(`#load-form button[type="submit"]`)
	b.WaitFor("loaded", `!document.querySelector('#load-form .form-ok').hidden`)
	b.WaitFor("2027 shown as loaded", `!!document.querySelector('#cal-years button[data-year="2027"].is-known')`)
	b.Click(`#due-form button[type="submit"]`)
	b.WaitFor("the 2027 due", `(document.getElementById('due-date') || {dataset: {}}).dataset.due === "2027-01-04"`)
	b.Shot("deadlines-loaded-2027")

	// A phone's width: nothing overflows sideways.
	b.Do("phone", chromedp.EmulateViewport(390, 844))
	b.Open("/console/deadlines#rule=penalty.payment&from=2025-09-16", "deadlines")
	b.WaitFor("the due date", `(document.getElementById('due-date') || {dataset: {}}).dataset.due === "2025-10-09"`)
	b.Shot("deadlines-phone")
	if w := browsertest.Eval[bool](b, `document.documentElement.scrollWidth <= window.innerWidth`); !w {
		t.Errorf("the page is wider than the phone: %v > %v", browsertest.Eval[float64](b, `document.documentElement.scrollWidth`), browsertest.Eval[float64](b, `window.innerWidth`))
	}

	// No script error or CSP violation; every request goes to the server under test, not merely
	// to this machine.
	b.CheckClean()
	for _, raw := range b.Requests() {
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "data" && u.Host != strings.TrimPrefix(srv.URL, "http://")) {
			t.Errorf("a request left the server: %s", raw)
		}
	}
}
