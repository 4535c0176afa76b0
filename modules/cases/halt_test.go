package cases_test

import (
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/errs"
)

// TestSuspendTerminateCitations: 行政强制法 Art. 39 (中止执行) and Art. 40 (终结执行) are cited on
// the enforcement of a decision only; a penalty case, an inspection and a coercive measure are
// suspended or ended on a recorded ground with no citation (行政处罚法 has no general article).
func TestSuspendTerminateCitations(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.clock.Set("2025-10-20")
		penalty := w.filed(t, person(), nil)
		enforcement := w.enforcement(t, "2025-10-10", "")
		inspection, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-10-13"}, Kind: cases.KindInspection, BodyID: w.body.ID,
			Title: "日常检查", Party: organisation(), OfficerIDs: []string{w.o1.ID, w.o2.ID}, Inspection: &cases.NewInspection{Basis: "random"}})
		noErr(t, err)
		for _, c := range []struct {
			kind    string
			id      string
			action  cases.Action
			article string // "": no citation
		}{
			{"penalty", penalty.ID, cases.ActSuspend, ""},
			{"penalty", penalty.ID, cases.ActTerminate, ""},
			{"enforcement", enforcement, cases.ActSuspend, "39"},
			{"enforcement", enforcement, cases.ActTerminate, "40"},
			{"inspection", inspection.Case.ID, cases.ActTerminate, ""},
		} {
			na := next(t, w.find(t, c.id), c.action)
			switch {
			case c.article == "" && na.Rule != nil:
				t.Errorf("%s %s cites %s Art. %s: a false citation", c.kind, c.action, na.Rule.Law, na.Rule.Article)
			case c.article != "" && (na.Rule == nil || na.Rule.Law != "行政强制法" || na.Rule.Article != c.article):
				t.Errorf("%s %s cites %+v, want 行政强制法 Art. %s", c.kind, c.action, na.Rule, c.article)
			}
		}

		// A penalty case's suspension needs its ground, one of the penalty case's.
		for _, body := range []m{{"on": "2025-10-14", "reason": "当事人外出"}, {"on": "2025-10-14", "ground": "third_party_claim", "reason": "x"}} {
			e := errs.As(w.try(w.head, penalty.ID, cases.ActSuspend, body))
			if e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "ground" || e.Message.EN == "" {
				t.Errorf("suspension with %v: %v %+v, want Invalid naming ground", body, e, e.Fields)
			}
		}
		res := w.act(t, w.head, penalty.ID, cases.ActSuspend, m{"on": "2025-10-14", "ground": "party_missing", "reason": "当事人下落不明，经公告仍未找到"})
		if s := res.Case.Facts.Suspension; len(s) != 1 || s[0].Ground != "party_missing" || s[0].Reason == "" {
			t.Errorf("suspension recorded as %+v", s)
		}
		res = w.act(t, w.head, enforcement, cases.ActTerminate, m{"on": "2025-10-14", "ground": "decision_revoked", "reason": "复议撤销原决定"})
		if e := res.Case.Facts.Ending; e == nil || e.Ground != "decision_revoked" || res.Case.State != cases.StateTerminated {
			t.Errorf("termination recorded as %+v (%s)", e, res.Case.State)
		}
		// An inspection knows only "other": the ground may be left out.
		res = w.act(t, w.head, inspection.Case.ID, cases.ActTerminate, m{"on": "2025-10-14", "reason": "检查对象已注销"})
		if e := res.Case.Facts.Ending; e == nil || e.Ground != "other" {
			t.Errorf("inspection ended as %+v", e)
		}
	})
}

// TestOpenedIsNotFiled: a case's first event says how it was opened; only the file step files a
// penalty case (行政处罚法 Art. 54).
func TestOpenedIsNotFiled(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		d := w.find(t, w.lead(t, person()).ID)
		if d.Opened.ZH != "登记案源" || d.Opened.EN != "lead registered" || d.History[0].Action != cases.ActCreate || d.Facts.FiledOn != "" {
			t.Errorf("a lead opens as %+v (first event %s, filed %q)", d.Opened, d.History[0].Action, d.Facts.FiledOn)
		}
		if d := w.find(t, w.enforcement(t, "2025-10-10", "")); d.Opened.ZH != "开立强制执行案件" {
			t.Errorf("an enforcement case opens as %+v", d.Opened)
		}
		if d := w.find(t, w.measure(t, cases.MeasureSeize, "2025-10-13")); d.Opened.ZH != "申请实施强制措施" {
			t.Errorf("a measure opens as %+v", d.Opened)
		}
	})
}
