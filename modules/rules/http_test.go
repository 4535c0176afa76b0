package rules_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// testServer mounts the rules routes with stand-in middlewares: the tenant and roles come from the
// X-Test-Tenant and X-Test-Roles headers.
func testServer(t *testing.T, db *bun.DB, engine *rules.Engine) (*echo.Echo, routers.Router) {
	t.Helper()
	e := echo.New()
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	store := tenants.NewStore(db)
	api := httpx.NewAPI(e, "/api/v1", "test", "0", httpx.Auth{
		Session: func(next echo.HandlerFunc) echo.HandlerFunc { return next },
		Tenant: func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				tn, err := store.Lookup(c.Request().Context(), c.Request().Header.Get("X-Test-Tenant"))
				if err != nil {
					return err
				}
				var roles []authz.Role
				for _, r := range strings.Split(c.Request().Header.Get("X-Test-Roles"), ",") {
					roles = append(roles, authz.Role(r))
				}
				tenants.SetScope(c, tenants.NewScope(tn, "tester-"+tn.ID, roles, nil))
				return next(c)
			}
		},
		Roles: func(c echo.Context) []authz.Role { return tenants.ScopeOf(c).Roles() },
	})
	engine.Routes(api)
	raw, err := json.Marshal(api.Document())
	noErr(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	noErr(t, err)
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	noErr(t, err)
	return e, router
}

type answer struct {
	status int
	body   map[string]any
	raw    string
}

// scenario is one request and what it must answer.
type scenario struct {
	name         string
	tenant       *tenants.Tenant
	role         authz.Role
	method, path string
	body         string
	status       int
	code         errs.Code
	field        string   // a field the error must name
	contains     []string // substrings of the raw answer
}

func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.set(t, w.gdOp, rules.KeyBackfillWorkingDays, 3)
		w.engine.SetClock(func() time.Time { return day(t, "2026-12-07").Add(9 * time.Hour) })
		w.engine.SetOperators(func(context.Context) ([]rules.Operator, error) {
			return []rules.Operator{{Name: "省级运维", Email: "op@example.cn"}}, nil
		})
		e, router := testServer(t, db, w.engine)
		do := func(tn *tenants.Tenant, role authz.Role, method, path, body string) answer {
			t.Helper()
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("X-Test-Tenant", tn.ID)
			req.Header.Set("X-Test-Roles", string(role))
			if body != "" {
				req.Header.Set(echo.HeaderContentType, "application/json")
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			a := answer{status: rec.Code, raw: rec.Body.String()}
			if rec.Body.Len() > 0 {
				if err := json.Unmarshal(rec.Body.Bytes(), &a.body); err != nil {
					t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
				}
			}
			if rec.Code < 300 {
				checkAgainstDocument(t, router, method, path, rec)
			}
			return a
		}
		op, off := authz.TenantOperator, authz.Officer
		notice := func(f func(n *rules.NoticeInput)) string {
			n := synthetic2027Notice()
			f(&n)
			raw, _ := json.Marshal(n)
			return string(raw)
		}
		valid2027 := notice(func(*rules.NoticeInput) {})

		for _, s := range []scenario{
			{name: "catalogue", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules", status: 200,
				contains: []string{`"id":"penalty.delivery","law":"行政处罚法","article":61,"amount":7`, `"unit":"working_day"`, `"from":"decision_made"`}},
			{name: "delivery due (the issue's check)", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/penalty.delivery/due?from=2025-09-30", status: 200,
				contains: []string{`"due":"2025-10-16"`, `"date":"2025-10-01","reason":"国庆节、中秋节 (statutory holiday)"`, `"date":"2025-10-12","reason":"周末 (weekend)"`, `"makeup_workdays":[{"date":"2025-10-11"`}},
			{name: "hours with an unescaped +", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/coercion.emergency_approval/due?from=2025-09-30T14:00:00+08:00", status: 200,
				contains: []string{`"due":"2025-10-01T14:00:00+08:00"`, `"from":"2025-09-30T14:00:00+08:00"`, `"unit":"hour"`}},
			{name: "hours escaped, in UTC", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/coercion.emergency_approval/due?from=" + url.QueryEscape("2025-09-30T06:00:00Z"), status: 200,
				contains: []string{`"due":"2025-10-01T14:00:00+08:00"`}},
			{name: "party shift shown with the raw date", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/penalty.payment/due?from=2025-09-16", status: 200,
				contains: []string{`"due":"2025-10-09"`, `"raw_due":"2025-10-01"`, `"shifted":true`, `"source":"statute"`}},
			{name: "agency limit not shifted", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/penalty.decide/due?from=2025-07-03", status: 200,
				contains: []string{`"due":"2025-10-01"`, `"raw_due":"2025-10-01"`, `"shifted":false`}},
			{name: "Guangdong's backfill from its setting", tenant: w.gd, role: off, method: "GET", path: "/api/v1/rules/cases.backfill/due?from=2025-09-26", status: 200,
				contains: []string{`"due":"2025-09-30"`, `"amount":3`, `"default":5`, `"source":"tenant:` + w.gd.ID + `"`}},
			{name: "its city inherits it", tenant: w.gdCity, role: off, method: "GET", path: "/api/v1/rules/cases.backfill/due?from=2025-09-26", status: 200,
				contains: []string{`"due":"2025-09-30"`, `"amount":3`}},
			{name: "Fujian's statutory backfill", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/cases.backfill/due?from=2025-09-26", status: 200,
				contains: []string{`"due":"2025-10-10"`, `"amount":5`}},
			{name: "Guangdong's catalogue shows 3", tenant: w.gd, role: off, method: "GET", path: "/api/v1/rules", status: 200,
				contains: []string{`"id":"cases.backfill","law":"福建省一体化大融合行政执法平台管理暂行办法","article":17,"amount":3,"default":5,"amount_source":"tenant:` + w.gd.ID}},
			{name: "unknown year", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/penalty.payment/due?from=2026-12-20", status: 422, code: errs.FailedPrecondition,
				contains: []string{"2027 年节假日安排尚未加载", "the 2027 holiday calendar is not loaded"}},
			{name: "bad from", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/penalty.delivery/due?from=2025-02-30", status: 400, code: errs.Invalid, field: "from"},
			{name: "missing from", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/penalty.delivery/due", status: 400, code: errs.Invalid, field: "from"},
			{name: "hour rule needs a time", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/coercion.emergency_approval/due?from=2025-09-30", status: 400, code: errs.Invalid, field: "from"},
			{name: "bad body id", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules?body_id=x", status: 400, code: errs.Invalid, field: "body_id"},
			{name: "unknown rule", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/penalty.nope/due?from=2025-09-30", status: 404, code: errs.NotFound},
			{name: "one rule", tenant: w.gd, role: off, method: "GET", path: "/api/v1/rules/cases.backfill", status: 200,
				contains: []string{`"id":"cases.backfill"`, `"amount":3,"default":5`}},
			{name: "one unknown rule", tenant: w.gd, role: off, method: "GET", path: "/api/v1/rules/nope", status: 404, code: errs.NotFound},
			{name: "a non-root operator is refused before the year is read", tenant: w.gdCity, role: op, method: "PUT", path: "/api/v1/calendar/1", body: "{}", status: 403, code: errs.Forbidden},
			{name: "citizens do not read rules", tenant: w.fj, role: authz.Citizen, method: "GET", path: "/api/v1/rules", status: 403, code: errs.Forbidden},

			{name: "embedded year", tenant: w.fj, role: off, method: "GET", path: "/api/v1/calendar/2026", status: 200,
				contains: []string{`"known":true`, `"source":"embedded"`, `"date":"2026-02-28"`}},
			{name: "unknown year", tenant: w.fj, role: off, method: "GET", path: "/api/v1/calendar/2027", status: 200,
				contains: []string{`"known":false`, `"source":"none"`}},
			{name: "bad year", tenant: w.fj, role: off, method: "GET", path: "/api/v1/calendar/27", status: 400, code: errs.Invalid, field: "year"},
			{name: "years", tenant: w.fj, role: off, method: "GET", path: "/api/v1/calendar", status: 200, contains: []string{`"year":2015`, `"year":2027,"known":false`}},
			{name: "status: an officer is told who can load", tenant: w.fj, role: off, method: "GET", path: "/api/v1/calendar/status", status: 200,
				contains: []string{`"today":"2026-12-07"`, `"missing":[{"year":2027,"since":"2026-11-01"}]`, `"operators":[{"name":"省级运维","email":"op@example.cn"}]`, `"can_load":false`}},
			{name: "status: the root operator can load", tenant: w.gd, role: op, method: "GET", path: "/api/v1/calendar/status", status: 200, contains: []string{`"can_load":true`}},
			{name: "status: a city operator cannot", tenant: w.gdCity, role: op, method: "GET", path: "/api/v1/calendar/status", status: 200, contains: []string{`"can_load":false`}},
			{name: "status: citizens are not staff", tenant: w.fj, role: authz.Citizen, method: "GET", path: "/api/v1/calendar/status", status: 403, code: errs.Forbidden},

			{name: "a city operator may not load", tenant: w.gdCity, role: op, method: "PUT", path: "/api/v1/calendar/2027", body: valid2027, status: 403, code: errs.Forbidden},
			{name: "a root officer may not load", tenant: w.gd, role: off, method: "PUT", path: "/api/v1/calendar/2027", body: valid2027, status: 403, code: errs.Forbidden},
			{name: "not JSON", tenant: w.gd, role: op, method: "PUT", path: "/api/v1/calendar/2027", body: "year=2027", status: 400, code: errs.Invalid},
			{name: "unknown field", tenant: w.gd, role: op, method: "PUT", path: "/api/v1/calendar/2027", body: strings.Replace(valid2027, `"notice":`, `"notise":`, 1), status: 400, code: errs.Invalid, field: "notise"},
			{name: "wrong type", tenant: w.gd, role: op, method: "PUT", path: "/api/v1/calendar/2027", body: strings.Replace(valid2027, `"notice_date":"2026-11-10"`, `"notice_date":20261110`, 1), status: 400, code: errs.Invalid, field: "notice_date"},
			{name: "the data set's JSON is not the notice's", tenant: w.gd, role: op, method: "PUT", path: "/api/v1/calendar/2027",
				body: `{"$schema":"https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json","year":2027,"papers":[],"days":[]}`, status: 400, code: errs.Invalid},
			{name: "ranges outside the address's year", tenant: w.gd, role: op, method: "PUT", path: "/api/v1/calendar/2028", body: valid2027, status: 400, code: errs.Invalid, field: "holidays[0].first"},
			{name: "make-up on a Wednesday", tenant: w.gd, role: op, method: "PUT", path: "/api/v1/calendar/2027", body: notice(func(n *rules.NoticeInput) { n.MakeUp[0].Date = "2027-01-06" }),
				status: 400, code: errs.Invalid, field: "makeup_workdays[0].date", contains: []string{"2027-01-06 是周三", "2027-01-06 is a Wednesday"}},
			{name: "no notice number", tenant: w.gd, role: op, method: "PUT", path: "/api/v1/calendar/2027", body: notice(func(n *rules.NoticeInput) { n.Notice = "" }), status: 400, code: errs.Invalid, field: "notice"},
			{name: "the root operator loads 2027", tenant: w.gd, role: op, method: "PUT", path: "/api/v1/calendar/2027", body: valid2027, status: 200,
				contains: []string{`"known":true`, `"source":"loaded"`, `"loaded_by":"tester-` + w.gd.ID + `"`, `"revision":1`, `"history":[{"revision":1`,
					`"notice":"国办发明电〔2026〕9号","notice_date":"2026-11-10"`, `{"date":"2027-02-12","reason":"春节 (statutory holiday)","kind":"holiday","name":"春节"}`}},
			{name: "a 2027 deadline computes", tenant: w.fj, role: off, method: "GET", path: "/api/v1/rules/penalty.payment/due?from=2026-12-17", status: 200,
				contains: []string{`"due":"2027-01-04"`, `"raw_due":"2027-01-01"`, `"reason":"元旦 (statutory holiday)"`}},
			{name: "2027 shows as loaded", tenant: w.fj, role: off, method: "GET", path: "/api/v1/calendar/2027", status: 200,
				contains: []string{`"source":"loaded"`, `"acting_tenant":"` + w.gd.ID + `"`}},
			{name: "status once 2027 is loaded", tenant: w.fj, role: off, method: "GET", path: "/api/v1/calendar/status", status: 200,
				contains: []string{`"missing":[]`, `"operators":[]`}},
		} {
			a := do(s.tenant, s.role, s.method, s.path, s.body)
			if a.status != s.status {
				t.Errorf("%s: %d, want %d: %s", s.name, a.status, s.status, a.raw)
				continue
			}
			if s.code != "" && a.body["code"] != string(s.code) {
				t.Errorf("%s: code %v, want %s", s.name, a.body["code"], s.code)
			}
			if s.field != "" && !namesField(a.body, s.field) {
				t.Errorf("%s: the error does not name %q: %s", s.name, s.field, a.raw)
			}
			for _, c := range s.contains {
				if !strings.Contains(a.raw, c) {
					t.Errorf("%s: answer lacks %s: %s", s.name, c, a.raw)
				}
			}
		}

		// The catalogue lists every rule with the contract's fields.
		a := do(w.fj, off, "GET", "/api/v1/rules", "")
		list, _ := a.body["rules"].([]any)
		if len(list) != len(rules.Catalogue()) {
			t.Fatalf("catalogue lists %d rules, want %d", len(list), len(rules.Catalogue()))
		}
		for _, x := range list {
			r := x.(map[string]any)
			title, _ := r["title"].(map[string]any)
			if r["id"] == "" || r["law"] == "" || r["from"] == "" || title["zh"] == "" || title["en"] == "" {
				t.Errorf("rule lacks fields: %v", r)
			}
			if _, ok := r["article"].(float64); !ok {
				t.Errorf("article is not a number: %v", r)
			}
			if u := rules.Unit(r["unit"].(string)); !u.Valid() {
				t.Errorf("unit %q", u)
			}
		}
	})
}

func namesField(body map[string]any, field string) bool {
	fs, _ := body["fields"].([]any)
	for _, f := range fs {
		if m, ok := f.(map[string]any); ok && m["field"] == field {
			return true
		}
	}
	return false
}

// checkAgainstDocument validates a success response against the operation the document gives.
func checkAgainstDocument(t *testing.T, router routers.Router, method, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	u, _ := url.Parse(strings.TrimPrefix(path, "/api/v1"))
	req, _ := http.NewRequest(method, u.String(), nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s is not in the document: %v", method, path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		t.Errorf("%s %s: the response does not match the document: %v", method, path, err)
	}
}
