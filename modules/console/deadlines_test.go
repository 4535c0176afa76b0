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
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"zhifa/app/browsertest"
	"zhifa/app/dbtest"
	"zhifa/modules/console"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/kernel/webassets"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

func TestDeadlinesPage(t *testing.T) {
	e, _ := newServer(t, console.Config{DevLogin: true})
	a := get(e, "GET", "/console/deadlines", "good")
	if a.status != http.StatusOK {
		t.Fatalf("status %d", a.status)
	}
	for _, s := range []string{`id="due-form"`, `id="d-rule"`, `id="cal-loader"`, "期限计算", `aria-current="page"`, "/console/static/deadlines.js?v=", "/console/static/deadlines.css?v="} {
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
		a := get(e, "GET", console.StaticPrefix+f, "")
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
	if err := store.Insert(context.Background(), &tenants.Tenant{ID: "35", Tier: tenants.TierProvince, Name: "福建省", CreatedAt: dbx.Stamp(time.Now()), CreatedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	id := &fakeIdentity{}
	e := echo.New()
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"}))
	webassets.Shared().Mount(e)
	console.New(console.Config{Identity: id, DevLogin: true, CitizenHome: citizenHome}).Routes(e)
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
	lookup := func(c echo.Context) (*authz.Principal, *tenants.Tenant, error) {
		p := httpx.PrincipalOf(c)
		tid := c.Request().Header.Get("X-Zhifa-Tenant")
		if tid == "" {
			tid = p.HomeTenant
		}
		tn, err := store.Lookup(c.Request().Context(), tid)
		return p, tn, err
	}
	tenant := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p, tn, err := lookup(c)
			if err != nil {
				return err
			}
			tenants.SetScope(c, tenants.GrantScope(tn, p.IdentityID, p.ReachAt(tn.ID, tn.Ancestors())))
			return next(c)
		}
	}
	api := httpx.NewAPI(e, "/api/v1", "test", "0", httpx.Auth{Session: session, Tenant: tenant,
		Roles: func(c echo.Context) []authz.Role { return tenants.ScopeOf(c).Roles() }})
	e.GET("/api/v1/me", func(c echo.Context) error {
		p, tn, err := lookup(c)
		if err != nil {
			return c.JSON(http.StatusOK, p.MeAt("", nil))
		}
		return c.JSON(http.StatusOK, p.MeAt(tn.ID, tn.Ancestors()))
	}, session)
	e.GET("/api/v1/tenants", func(c echo.Context) error {
		sc := tenants.ScopeOf(c)
		tn, err := store.Lookup(c.Request().Context(), sc.TenantID())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, tenants.TreeReply{Current: tn.ID, Tenants: []tenants.Tenant{*tn}})
	}, session, tenant)
	e.GET("/api/v1/dev/accounts", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]any{"accounts": []any{}}) })
	engine := rules.NewEngine(db, tenants.NewService(db, rules.Settings()))
	engine.SetClock(func() time.Time { return time.Date(2026, time.December, 7, 9, 0, 0, 0, rules.Location) })
	engine.SetOperators(func(context.Context) ([]rules.Operator, error) {
		return []rules.Operator{{Name: "省平台运维 林建华", Email: "province.operator@demo.zhifa"}}, nil
	})
	engine.Routes(api)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// TestDeadlinesInBrowser drives the calculator in headless Chromium on 2026-12-07: a deep link
// computes the check, an hour rule takes a date-time, an unknown year is refused naming
// it; the banner tells the root operator that the 2027 notice is missing and links the form; the
// form refuses a make-up day on a Wednesday under its field, then loads 2027, the same deadline
// computes and the banner is gone; an officer's banner names the operator who can load it; the
// page fits a phone's width.
func TestDeadlinesInBrowser(t *testing.T) {
	srv := deadlineServer(t)
	b := browsertest.New(t, srv.URL)
	b.Navigate("/login")
	browsertest.Eval[string](b, `document.cookie = "zhifa_dev_session=good; path=/"`)

	b.Open("/console/deadlines#rule=penalty.delivery&from=2025-09-30", "deadlines")
	if got := b.Text("#calendar-banner"); !strings.Contains(got, "2027 年国务院节假日安排尚未加载") || !strings.Contains(got, "自 2026-11-01 起需要") ||
		!strings.Contains(got, "录入 2027 年节假日安排") || strings.Contains(got, "可加载的平台运维") {
		t.Errorf("the root operator's banner: %q", got)
	}
	if href := browsertest.Eval[string](b, `document.querySelector('#calendar-banner a[data-link="load"]').getAttribute('href')`); href != "/console/deadlines#load=2027" {
		t.Errorf("the banner links %q", href)
	}
	b.WaitFor("the due date", `!!document.getElementById('due-date')`)
	if got := browsertest.Eval[string](b, `document.getElementById('due-date').dataset.due`); got != "2025-10-16" {
		t.Errorf("due %s, want 2025-10-16", got)
	}
	// The article is the one the API's rule cites, as the catalogue writes it.
	if got := browsertest.Eval[string](b, `document.getElementById('due-article').textContent`); got != "《行政处罚法》第61条" ||
		got != rules.MustLookup(rules.PenaltyDelivery).Cite().Screen() {
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

	// The root operator enters 2027 from the banner's link: a make-up day on a Wednesday is
	// refused under its field; corrected, the notice loads and the deadline computes.
	b.Open("/console/deadlines#load=2027", "deadlines")
	b.WaitFor("the form", `!document.getElementById('cal-loader').hidden && document.getElementById('l-year').value === "2027"`)
	b.SetValue("#l-notice", "国办发明电〔2026〕9号")
	b.SetValue("#l-notice-date", "2026-11-10")
	b.SetValue("#l-holidays-0-name", "元旦")
	b.SetValue("#l-holidays-0-first", "2027-01-01")
	b.SetValue("#l-holidays-0-last", "2027-01-03")
	b.Click("#l-add-holiday")
	b.SetValue("#l-holidays-1-name", "春节")
	b.SetValue("#l-holidays-1-first", "2027-02-06")
	b.SetValue("#l-holidays-1-last", "2027-02-12")
	b.SetValue("#l-makeup_workdays-0-date", "2027-01-06")
	b.SetValue("#l-makeup_workdays-0-name", "春节")
	b.Click("#l-add-makeup")
	b.SetValue("#l-makeup_workdays-1-date", "2027-02-20")
	b.SetValue("#l-makeup_workdays-1-name", "春节")
	if got := b.Text("#l-summary"); !strings.Contains(got, "共 10 个休息日，2 个调休上班日") || !strings.Contains(got, "2027-01-06周三") {
		t.Errorf("summary %q", got)
	}
	b.Click(`#load-form button[type="submit"]`)
	b.WaitFor("the field error", `!document.getElementById('l-makeup_workdays-0-date-err').hidden`)
	if got := b.Text("#l-makeup_workdays-0-date-err"); !strings.Contains(got, "2027-01-06 是周三") || !strings.Contains(got, "a Wednesday") {
		t.Errorf("the make-up day's error %q", got)
	}
	if inv := browsertest.Eval[string](b, `document.getElementById('l-makeup_workdays-0-date').getAttribute('aria-invalid')`); inv != "true" {
		t.Errorf("the refused make-up day is not marked invalid: %q", inv)
	}
	b.Shot("calendar-form-error-desktop")
	b.SetValue("#l-makeup_workdays-0-date", "2027-01-31")
	b.Click(`#load-form button[type="submit"]`)
	b.WaitFor("loaded", `!document.querySelector('#load-form .form-ok').hidden`)
	b.WaitFor("2027 shown as loaded", `!!document.querySelector('#cal-years button[data-year="2027"].is-known')`)
	// the year's table is drawn after its button is marked: wait for it, then count
	b.WaitFor("2027's dates listed", `document.querySelectorAll('#cal-year tbody tr').length > 0`)
	if n := browsertest.Eval[int](b, `document.querySelectorAll('#cal-year tbody tr').length`); n != 12 {
		t.Errorf("2027 lists %d dates, want 12", n)
	}
	b.WaitFor("the banner gone", `document.getElementById('calendar-banner').hidden`)
	b.Open("/console/deadlines?reload=1#rule=penalty.payment&from=2026-12-17", "deadlines")
	b.WaitFor("the 2027 due", `(document.getElementById('due-date') || {dataset: {}}).dataset.due === "2027-01-04"`)
	if !browsertest.Eval[bool](b, `document.getElementById('calendar-banner').hidden`) {
		t.Errorf("the banner stays once 2027 is loaded: %q", b.Text("#calendar-banner"))
	}
	b.Shot("deadlines-loaded-2027")

	// An officer's banner names the operator who can load the notice (shown before the load, on a
	// fresh server).
	srv2 := deadlineServer(t)
	b2 := browsertest.New(t, srv2.URL)
	b2.Navigate("/login")
	browsertest.Eval[string](b2, `document.cookie = "zhifa_dev_session=officer; path=/"`)
	b2.Open("/console/deadlines", "deadlines")
	if got := b2.Text("#calendar-banner"); !strings.Contains(got, "可加载的平台运维：") || !strings.Contains(got, "省平台运维 林建华（province.operator@demo.zhifa）") ||
		!strings.Contains(got, "查看等待 2027 年安排的案件") || strings.Contains(got, "录入") {
		t.Errorf("the officer's banner: %q", got)
	}
	if href := browsertest.Eval[string](b2, `document.querySelector('#calendar-banner a[data-link="waiting"]').getAttribute('href')`); href != "/console/cases?calendar_wait=2027&mine=1" {
		t.Errorf("the officer's banner links %q", href)
	}
	if !browsertest.Eval[bool](b2, `document.getElementById('cal-loader').hidden`) {
		t.Error("an officer sees the notice form")
	}
	b2.Shot("calendar-banner-officer-desktop")
	b2.EmulatePhone()
	b2.Open("/console/deadlines", "deadlines")
	b2.WaitFor("the banner", `!document.getElementById('calendar-banner').hidden`)
	b2.CheckPhoneWidth("the officer's banner", "calendar-banner-officer-phone")
	b2.CheckClean()

	// A phone's width: nothing overflows sideways, with the form showing a range's errors.
	b.EmulatePhone()
	b.Open("/console/deadlines?phone=1#rule=penalty.payment&from=2025-09-16", "deadlines")
	b.WaitFor("the due date", `(document.getElementById('due-date') || {dataset: {}}).dataset.due === "2025-10-09"`)
	// The end moved off National Day on the provision the API's answer cites (shift_basis).
	if got := b.Text("#due-result .notice"); !strings.Contains(got, "原届满日 2025-10-01（周三） 为休息日，依《民法典》第203条顺延。") ||
		!strings.Contains(got, "依"+rules.EndDayShift.Screen()+"顺延") {
		t.Errorf("the shift reads %q", got)
	}
	b.SetValue("#l-year", "2028")
	b.SetValue("#l-holidays-0-name", "元旦")
	b.SetValue("#l-holidays-0-first", "2028-12-31")
	b.SetValue("#l-holidays-0-last", "2029-01-02")
	b.Click(`#load-form button[type="submit"]`)
	b.WaitFor("the range's error", `!document.getElementById('l-holidays-0-last-err').hidden`)
	if got := b.Text("#l-holidays-0-last-err"); !strings.Contains(got, "须在 2028 年内") {
		t.Errorf("a range into 2029: %q", got)
	}
	if got := b.Text(`#load-form .field[data-field="notice"] .field-error`); !strings.Contains(got, "必填") {
		t.Errorf("no notice number: %q", got)
	}
	browsertest.Eval[bool](b, `(() => { document.getElementById('cal-loader').scrollIntoView(); return true; })()`)
	b.CheckPhoneWidth("the deadlines page with the notice form", "calendar-form-phone")

	// No script error or CSP violation; every request goes to the server under test, not merely
	// to this machine.
	b.CheckClean()
	for _, raw := range b.Requests() {
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "data" && u.Host != strings.TrimPrefix(srv.URL, "http://")) {
			t.Errorf("a request left the server: %s", raw)
		}
	}
}
