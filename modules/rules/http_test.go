package rules_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/app/testkit"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// testServer mounts the rules routes with apitest's stand-in middlewares; every success is
// checked against the OpenAPI document.
func testServer(t *testing.T, db *bun.DB, engine *rules.Engine) *testkit.Server {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(db))
	engine.Routes(api)
	srv := testkit.NewServer(t, e, api)
	srv.CheckResponses = true
	return srv
}

// as is a caller with role at tn, named after the tenant (the calendar records who loaded it).
func as(tn *tenants.Tenant, role authz.Role) testkit.Caller {
	return testkit.Caller{Tenant: tn.ID, Actor: "tester-" + tn.ID, Roles: []authz.Role{role}}
}

// TestHTTP is the rules API as scenarios: the catalogue, deadlines across holidays and make-up
// workdays, tenant settings, field errors, and loading a year's calendar.
func TestHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.set(t, w.gdOp, rules.KeyBackfillWorkingDays, 3)
		w.engine.SetClock(func() time.Time { return day(t, "2026-12-07").Add(9 * time.Hour) })
		w.engine.SetOperators(func(context.Context) ([]rules.Operator, error) {
			return []rules.Operator{{Name: "省级运维", Email: "op@example.cn"}}, nil
		})
		srv := testServer(t, db, w.engine)
		op, off := authz.TenantOperator, authz.Officer
		notice := func(f func(n *rules.NoticeInput)) string {
			n := synthetic2027Notice()
			f(&n)
			raw, _ := json.Marshal(n)
			return string(raw)
		}
		valid2027 := notice(func(*rules.NoticeInput) {})

		srv.Run(t, []testkit.Scenario{
			{Name: "catalogue", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules", Status: 200,
				Contains: []string{`"id":"penalty.delivery","law":"行政处罚法","article":61,"amount":7`, `"unit":"working_day"`, `"from":"decision_made"`},
				Check:    wantCatalogue},
			{Name: "delivery due (the issue's check)", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/penalty.delivery/due?from=2025-09-30", Status: 200,
				Contains: []string{`"due":"2025-10-16"`, `"date":"2025-10-01","reason":"国庆节、中秋节 (statutory holiday)"`, `"date":"2025-10-12","reason":"周末 (weekend)"`, `"makeup_workdays":[{"date":"2025-10-11"`}},
			{Name: "hours with an unescaped +", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/coercion.emergency_approval/due?from=2025-09-30T14:00:00+08:00", Status: 200,
				Contains: []string{`"due":"2025-10-01T14:00:00+08:00"`, `"from":"2025-09-30T14:00:00+08:00"`, `"unit":"hour"`}},
			{Name: "hours escaped, in UTC", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/coercion.emergency_approval/due?from=" + url.QueryEscape("2025-09-30T06:00:00Z"), Status: 200,
				Contains: []string{`"due":"2025-10-01T14:00:00+08:00"`}},
			{Name: "party shift shown with the raw date", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/penalty.payment/due?from=2025-09-16", Status: 200,
				Contains: []string{`"due":"2025-10-09"`, `"raw_due":"2025-10-01"`, `"shifted":true`, `"source":"statute"`}},
			{Name: "agency limit not shifted", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/penalty.decide/due?from=2025-07-03", Status: 200,
				Contains: []string{`"due":"2025-10-01"`, `"raw_due":"2025-10-01"`, `"shifted":false`}},
			{Name: "Guangdong's backfill from its setting", Caller: as(w.gd, off), Method: "GET", Path: "/api/v1/rules/cases.backfill/due?from=2025-09-26", Status: 200,
				Contains: []string{`"due":"2025-09-30"`, `"amount":3`, `"default":5`, `"source":"tenant:` + w.gd.ID + `"`}},
			{Name: "its city inherits it", Caller: as(w.gdCity, off), Method: "GET", Path: "/api/v1/rules/cases.backfill/due?from=2025-09-26", Status: 200,
				Contains: []string{`"due":"2025-09-30"`, `"amount":3`}},
			{Name: "Fujian's statutory backfill", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/cases.backfill/due?from=2025-09-26", Status: 200,
				Contains: []string{`"due":"2025-10-10"`, `"amount":5`}},
			{Name: "Guangdong's catalogue shows 3", Caller: as(w.gd, off), Method: "GET", Path: "/api/v1/rules", Status: 200,
				Contains: []string{`"id":"cases.backfill","law":"福建省一体化大融合行政执法平台管理暂行办法","article":17,"amount":3,"default":5,"amount_source":"tenant:` + w.gd.ID}},
			{Name: "unknown year", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/penalty.payment/due?from=2026-12-20", Status: 422, Code: errs.FailedPrecondition,
				Contains: []string{"2027 年节假日安排尚未加载", "the 2027 holiday calendar is not loaded"}},
			{Name: "bad from", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/penalty.delivery/due?from=2025-02-30", Status: 400, Code: errs.Invalid, Fields: []string{"from"}},
			{Name: "missing from", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/penalty.delivery/due", Status: 400, Code: errs.Invalid, Fields: []string{"from"}},
			{Name: "hour rule needs a time", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/coercion.emergency_approval/due?from=2025-09-30", Status: 400, Code: errs.Invalid, Fields: []string{"from"}},
			{Name: "bad body id", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules?body_id=x", Status: 400, Code: errs.Invalid, Fields: []string{"body_id"}},
			{Name: "unknown rule", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/penalty.nope/due?from=2025-09-30", Status: 404, Code: errs.NotFound,
				NotContains: []string{`"due"`}},
			{Name: "one rule", Caller: as(w.gd, off), Method: "GET", Path: "/api/v1/rules/cases.backfill", Status: 200,
				Contains: []string{`"id":"cases.backfill"`, `"amount":3,"default":5`}},
			{Name: "one unknown rule", Caller: as(w.gd, off), Method: "GET", Path: "/api/v1/rules/nope", Status: 404, Code: errs.NotFound},
			{Name: "a non-root operator is refused before the year is read", Caller: as(w.gdCity, op), Method: "PUT", Path: "/api/v1/calendar/1", Body: "{}", Status: 403, Code: errs.Forbidden},
			{Name: "citizens do not read rules", Caller: as(w.fj, authz.Citizen), Method: "GET", Path: "/api/v1/rules", Status: 403, Code: errs.Forbidden,
				NotContains: []string{"penalty.delivery"}},

			{Name: "embedded year", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/calendar/2026", Status: 200,
				Contains: []string{`"known":true`, `"source":"embedded"`, `"date":"2026-02-28"`}},
			{Name: "unknown year", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/calendar/2027", Status: 200,
				Contains: []string{`"known":false`, `"source":"none"`}},
			{Name: "bad year", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/calendar/27", Status: 400, Code: errs.Invalid, Fields: []string{"year"}},
			{Name: "years", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/calendar", Status: 200, Contains: []string{`"year":2015`, `"year":2027,"known":false`}},
			{Name: "status: an officer is told who can load", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/calendar/status", Status: 200,
				Contains: []string{`"today":"2026-12-07"`, `"missing":[{"year":2027,"since":"2026-11-01"}]`, `"operators":[{"name":"省级运维","email":"op@example.cn"}]`, `"can_load":false`}},
			{Name: "status: the root operator can load", Caller: as(w.gd, op), Method: "GET", Path: "/api/v1/calendar/status", Status: 200, Contains: []string{`"can_load":true`}},
			{Name: "status: a city operator cannot", Caller: as(w.gdCity, op), Method: "GET", Path: "/api/v1/calendar/status", Status: 200, Contains: []string{`"can_load":false`}},
			{Name: "status: citizens are not staff", Caller: as(w.fj, authz.Citizen), Method: "GET", Path: "/api/v1/calendar/status", Status: 403, Code: errs.Forbidden,
				NotContains: []string{"op@example.cn"}},

			{Name: "a city operator may not load", Caller: as(w.gdCity, op), Method: "PUT", Path: "/api/v1/calendar/2027", Body: valid2027, Status: 403, Code: errs.Forbidden,
				NotContains: []string{`"known"`}},
			{Name: "a root officer may not load", Caller: as(w.gd, off), Method: "PUT", Path: "/api/v1/calendar/2027", Body: valid2027, Status: 403, Code: errs.Forbidden,
				NotContains: []string{`"known"`}},
			{Name: "not JSON", Caller: as(w.gd, op), Method: "PUT", Path: "/api/v1/calendar/2027", Body: "year=2027", Status: 400, Code: errs.Invalid},
			{Name: "unknown field", Caller: as(w.gd, op), Method: "PUT", Path: "/api/v1/calendar/2027", Body: strings.Replace(valid2027, `"notice":`, `"notise":`, 1), Status: 400, Code: errs.Invalid, Fields: []string{"notise"}},
			{Name: "wrong type", Caller: as(w.gd, op), Method: "PUT", Path: "/api/v1/calendar/2027", Body: strings.Replace(valid2027, `"notice_date":"2026-11-10"`, `"notice_date":20261110`, 1), Status: 400, Code: errs.Invalid, Fields: []string{"notice_date"}},
			{Name: "the data set's JSON is not the notice's", Caller: as(w.gd, op), Method: "PUT", Path: "/api/v1/calendar/2027",
				Body: `{"$schema":"https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json","year":2027,"papers":[],"days":[]}`, Status: 400, Code: errs.Invalid},
			{Name: "ranges outside the address's year", Caller: as(w.gd, op), Method: "PUT", Path: "/api/v1/calendar/2028", Body: valid2027, Status: 400, Code: errs.Invalid, Fields: []string{"holidays[0].first"}},
			{Name: "make-up on a Wednesday", Caller: as(w.gd, op), Method: "PUT", Path: "/api/v1/calendar/2027", Body: notice(func(n *rules.NoticeInput) { n.MakeUp[0].Date = "2027-01-06" }),
				Status: 400, Code: errs.Invalid, Fields: []string{"makeup_workdays[0].date"}, Contains: []string{"2027-01-06 是周三", "2027-01-06 is a Wednesday"}},
			{Name: "no notice number", Caller: as(w.gd, op), Method: "PUT", Path: "/api/v1/calendar/2027", Body: notice(func(n *rules.NoticeInput) { n.Notice = "" }), Status: 400, Code: errs.Invalid, Fields: []string{"notice"}},
			{Name: "the root operator loads 2027", Caller: as(w.gd, op), Method: "PUT", Path: "/api/v1/calendar/2027", Body: valid2027, Status: 200,
				Contains: []string{`"known":true`, `"source":"loaded"`, `"loaded_by":"tester-` + w.gd.ID + `"`, `"revision":1`, `"history":[{"revision":1`,
					`"notice":"国办发明电〔2026〕9号","notice_date":"2026-11-10"`, `{"date":"2027-02-12","reason":"春节 (statutory holiday)","kind":"holiday","name":"春节"}`}},
			{Name: "a 2027 deadline computes", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/rules/penalty.payment/due?from=2026-12-17", Status: 200,
				Contains: []string{`"due":"2027-01-04"`, `"raw_due":"2027-01-01"`, `"reason":"元旦 (statutory holiday)"`}},
			{Name: "2027 shows as loaded", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/calendar/2027", Status: 200,
				Contains: []string{`"source":"loaded"`, `"acting_tenant":"` + w.gd.ID + `"`}},
			{Name: "status once 2027 is loaded", Caller: as(w.fj, off), Method: "GET", Path: "/api/v1/calendar/status", Status: 200,
				Contains: []string{`"missing":[]`, `"operators":[]`}, NotContains: []string{"op@example.cn"}},
		})
	})
}

// wantCatalogue checks that the catalogue lists every rule with the contract's fields.
func wantCatalogue(t testing.TB, r *testkit.Response) {
	t.Helper()
	v, _ := r.Get("rules")
	list, _ := v.([]any)
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
}
