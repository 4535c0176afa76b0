package cases_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/jobs"
	"zhifa/modules/cases"
	"zhifa/modules/cases/casetask"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// warning is a penalty without a fine: serving it counts no payment deadline.
func warning() m {
	return m{"types": []string{"warning"}, "basis": "《无证无照经营查处办法》第十三条"}
}

// TestDeadlinesWaitForTheNotice: in December 2026, before the 2027 notice is loaded, a decision
// served on 2026-12-20 has its reconsideration (行政复议法 Art. 20, 60 days) and litigation
// (行政诉讼法 Art. 46, 6 months) deadlines waiting for it, named with their rule, and the case is
// listed as waiting for 2027; a step that must count into 2027 itself is refused naming the year.
// The root operator loads the notice through the API; the rules:calendar_loaded task it writes
// counts them: 2027-02-18 and 2027-06-21 (Sunday 06-20 moved on, 民法典 Art. 203), and the case
// no longer waits.
func TestDeadlinesWaitForTheNotice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		var engine *rules.Engine
		w := newWorld(t, db, func(c *cases.Config) { engine = c.Rules }).from("2026-11-02")
		w.clock.Set("2026-12-28")
		root, err := tenants.NewStore(db).Lookup(ctx, *w.a.ParentID)
		noErr(t, err)
		e, api := apitest.NewAPI(apitest.Auth(db))
		w.svc.Routes(api)
		engine.Routes(api)
		do := func(tn *tenants.Tenant, role authz.Role, method, path, body string) (int, string) {
			t.Helper()
			req := httptest.NewRequest(method, "/api/v1"+path, strings.NewReader(body))
			req.Header.Set(apitest.HeaderTenant, tn.ID)
			req.Header.Set(apitest.HeaderActor, w.officerID)
			req.Header.Set(apitest.HeaderRoles, string(role))
			req.Header.Set(apitest.HeaderBodies, w.body.ID)
			if body != "" {
				req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			return rec.Code, rec.Body.String()
		}
		waiting := func() []string {
			t.Helper()
			code, raw := do(w.a, authz.Officer, "GET", "/cases?calendar_wait=2027", "")
			if code != http.StatusOK {
				t.Fatalf("list: %d %s", code, raw)
			}
			var out cases.ListReply
			noErr(t, json.Unmarshal([]byte(raw), &out))
			codes := []string{}
			for _, c := range out.Cases {
				if c.CalendarWait == nil || *c.CalendarWait != 2027 {
					t.Errorf("listed %s waits for %v", c.Code, c.CalendarWait)
				}
				codes = append(codes, c.Code)
			}
			return codes
		}

		served := w.reported(t, person(), nil)
		w.act(t, w.officer, served.ID, cases.ActPropose, m{"on": w.day(15), "penalty": warning(), "outside_reason": "本事项尚无裁量基准"})
		w.act(t, w.officer, served.ID, cases.ActNotify, m{"on": w.day(16), "method": "direct"})
		// Decided on 2026-12-03, the last day whose 20 working days of publication (market
		// regulation) end in 2026; served late, after the 7 working days of Art. 61.
		w.act(t, w.head, served.ID, cases.ActDecide, m{"on": "2026-12-03", "number": "尤市监罚〔2026〕9号", "penalty": warning(), "facts": "无照经营"})
		w.act(t, w.officer, served.ID, cases.ActServe, m{"on": "2026-12-20", "method": "direct"})
		// A step that counts a period into 2027 itself is refused, naming the year (fails closed).
		c := w.reported(t, person(), nil)
		w.act(t, w.officer, c.ID, cases.ActPropose, m{"on": w.day(15), "penalty": fine(5000), "outside_reason": "本事项尚无裁量基准"})
		if err := w.try(w.officer, c.ID, cases.ActNotify, m{"on": "2026-12-28", "method": "direct"}); !strings.Contains(errs.As(err).Message.ZH, "2027 年节假日安排尚未加载") {
			t.Errorf("a prior notice served on 2026-12-28 before the 2027 notice: %v", err)
		}

		d := w.find(t, served.ID)
		for _, id := range []string{rules.RemedyReconsideration, rules.RemedyLitigation} {
			dl := deadline(t, d, id)
			if dl.Status != cases.DueUnknown || dl.CalendarYear != 2027 || dl.Due != "" || dl.From != "2026-12-20" || dl.Law == "" || dl.Article == 0 ||
				dl.Adjusted == nil || dl.Adjusted.ZH != "待 2027 年节假日安排加载" || dl.Adjusted.EN != "waiting for the 2027 holiday notice" {
				t.Errorf("%s before the notice: %+v", id, dl)
			}
		}
		if got := waiting(); len(got) != 1 || got[0] != served.Code {
			t.Errorf("waiting for 2027: %v, want %s", got, served.Code)
		}
		if c := w.find(t, served.ID); c.NextDueOn != nil || c.CalendarWait == nil || *c.CalendarWait != 2027 {
			t.Errorf("served case before the notice: next due %v, waits for %v", c.NextDueOn, c.CalendarWait)
		}
		if code, raw := do(w.a, authz.Officer, "GET", "/cases?calendar_wait=27", ""); code != http.StatusBadRequest || !strings.Contains(raw, `"calendar_wait"`) {
			t.Errorf("a bad year: %d %s", code, raw)
		}
		version := w.find(t, served.ID).Version

		// The root operator loads 2027 through the API: the load writes the task, whose handler counts.
		notice := `{"notice":"国办发明电〔2026〕9号","notice_date":"2026-11-10","papers":[],
			"holidays":[{"name":"元旦","first":"2027-01-01","last":"2027-01-03"},{"name":"春节","first":"2027-02-06","last":"2027-02-12"}],
			"makeup_workdays":[{"name":"春节","date":"2027-01-31"},{"name":"春节","date":"2027-02-20"}]}`
		if code, raw := do(root, authz.TenantOperator, "PUT", "/calendar/2027", notice); code != http.StatusOK {
			t.Fatalf("load 2027: %d %s", code, raw)
		}
		rootOp := dbtest.Scope(root, "root-op", authz.TenantOperator)
		rows := w.outbox(t, rootOp, casetask.CalendarLoaded.Type)
		if len(rows) != 1 {
			t.Fatalf("%d rules:calendar_loaded tasks", len(rows))
		}
		mux := jobs.NewMux(tenants.NewStore(db))
		w.svc.Tasks(mux)
		noErr(t, mux.ProcessTask(ctx, asynq.NewTask(rows[0].TaskType, []byte(rows[0].Payload))))

		d = w.find(t, served.ID)
		for id, due := range map[string]string{rules.RemedyReconsideration: "2027-02-18", rules.RemedyLitigation: "2027-06-21"} {
			if dl := deadline(t, d, id); dl.Status != cases.DueInfo || dl.Due != due || dl.CalendarYear != 0 || dl.Adjusted != nil {
				t.Errorf("%s after the notice: %+v, want due %s", id, dl, due)
			}
		}
		if d.Version != version || d.CalendarWait != nil {
			t.Errorf("served case after the recompute: version %d (was %d), waits for %v", d.Version, version, d.CalendarWait)
		}
		if got := waiting(); len(got) != 0 {
			t.Errorf("still waiting for 2027: %v", got)
		}
		// The periodic pass finds nothing more to do.
		task, err := cases.RecomputeWaiting.NewTask()
		noErr(t, err)
		noErr(t, mux.ProcessTask(ctx, task))
	})
}
