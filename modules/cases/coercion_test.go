package cases_test

import (
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
)

// measure opens a coercive measure on day.
func (w *world) measure(t testing.TB, typ cases.MeasureType, on string) string {
	t.Helper()
	nm := &cases.NewMeasure{Type: typ, Items: "假冒商品200件", Reason: "涉嫌销售假冒商品"}
	if typ == cases.MeasureFreeze {
		nm.Items, nm.AmountFen = "银行存款", 5_000_000
	}
	res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: elementsDate(on)}, Kind: cases.KindCoercion, BodyID: w.body.ID,
		Title: "扣押假冒商品", Party: organisation(), OfficerIDs: []string{w.o1.ID, w.o2.ID}, Measure: nm})
	noErr(t, err)
	return res.Case.ID
}

// TestCoercion takes seizures with and without prior approval (行政强制法 Art. 18, 19), extends a
// term once (Art. 25), excludes testing days, and refuses what the law does not allow.
func TestCoercion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)

		t.Run("term of 30 days, extended once by at most 30, testing not counted", func(t *testing.T) {
			id := w.measure(t, cases.MeasureSeize, "2025-09-09")
			wantCode(t, w.try(w.officer, id, cases.ActTake, m{"on": "2025-09-10", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"}), errs.Conflict)
			w.act(t, w.head, id, cases.ActApprove, m{"on": "2025-09-09", "reason": "证据可能灭失"})
			wantRule(t, w.try(w.officer, id, cases.ActTake, m{"on": "2025-09-10", "officer_ids": []string{w.o1.ID}, "record": "x"}), "coercion.officers", "18")
			wantRule(t, w.try(w.officer, id, cases.ActTake, m{"on": "2025-09-10", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x", "term_days": 31}),
				rules.CoercionSeizureTerm, "25")
			res := w.act(t, w.officer, id, cases.ActTake, m{"on": "2025-09-10", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "扣押现场笔录",
				"location": m{"lat": 26.2, "lng": 118.1, "accuracy_m": 5}})
			// 30 days from 2025-09-10: 2025-10-10 (an agency limit on a working day either way).
			if mm := res.Case.Facts.Measure; mm.Ends != "2025-10-10" || mm.ServedOn != "2025-09-10" {
				t.Fatalf("measure = %+v", mm)
			}
			w.clock.Set("2025-10-08")
			if dl := deadline(t, w.find(t, id), rules.CoercionSeizureTerm); dl.Due != "2025-10-10" || dl.Status != cases.DueWarning {
				t.Errorf("term deadline = %+v", dl)
			}
			w.act(t, w.officer, id, cases.ActExclude, m{"on": "2025-10-08", "kind": "testing", "from": "2025-09-20", "to": "2025-09-24", "reason": "送检"})
			if mm := w.find(t, id).Facts.Measure; mm.Ends != "2025-10-15" {
				t.Fatalf("ends after 5 testing days = %s", mm.Ends)
			}
			wantRule(t, w.try(w.head, id, cases.ActExtendTerm, m{"on": "2025-10-08", "days": 31, "reason": "情况复杂"}), rules.CoercionSeizureExtension, "25")
			w.act(t, w.head, id, cases.ActExtendTerm, m{"on": "2025-10-08", "days": 30, "reason": "情况复杂"})
			wantRule(t, w.try(w.head, id, cases.ActExtendTerm, m{"on": "2025-10-08", "days": 5, "reason": "再次"}), "coercion.extension_once", "25")
			w.clock.Set("2026-06-30")
			if mm := w.find(t, id).Facts.Measure; mm.Ends != "2025-11-14" {
				t.Fatalf("extended ends = %s", mm.Ends)
			}
			wantRule(t, w.try(w.head, id, cases.ActHandle, m{"on": "2025-11-15", "handling": "confiscate", "reason": "x"}), rules.CoercionSeizureTerm, "25")
			w.act(t, w.head, id, cases.ActHandle, m{"on": "2025-11-14", "handling": "confiscate", "reason": "依法没收"})
			w.act(t, w.officer, id, cases.ActClose, m{"on": "2025-11-15", "reason": "处理完毕"})

			id = w.measure(t, cases.MeasureSeal, "2025-09-01")
			w.act(t, w.head, id, cases.ActApprove, m{"on": "2025-09-01", "reason": "x"})
			w.act(t, w.officer, id, cases.ActTake, m{"on": "2025-09-01", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"})
			wantRule(t, w.try(w.head, id, cases.ActExtendTerm, m{"on": "2025-10-02", "days": 10, "reason": "x"}), "coercion.extension_once", "25")
			w.act(t, w.officer, id, cases.ActRelease, m{"on": "2025-10-02", "reason": "期限届满解除"})
		})

		t.Run("emergency measure approved within 24 clock hours, never shifted", func(t *testing.T) {
			id := w.measure(t, cases.MeasureSeize, "2025-10-01")
			w.clock.Set("2025-10-03T12:00:00+08:00")
			w.act(t, w.officer, id, cases.ActEmergencyTake, m{"at": "2025-10-01T20:00:00+08:00", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "当场扣押"})
			d := w.find(t, id)
			if dl := deadline(t, d, rules.CoercionEmergencyApproval); dl.Due != "2025-10-02T20:00:00+08:00" || dl.Status != cases.DueOverdue {
				t.Errorf("approval deadline = %+v", dl)
			}
			if na := next(t, d, cases.ActApproveEmergency); na.Blocked == nil || na.Blocked.Rule.Article != "19" {
				t.Errorf("approval is not blocked once 24 hours passed: %+v", na)
			}
			wantRule(t, w.try(w.head, id, cases.ActApproveEmergency, m{"at": "2025-10-02T20:01:00+08:00", "reason": "补批"}), rules.CoercionEmergencyApproval, "19")
			w.act(t, w.head, id, cases.ActApproveEmergency, m{"at": "2025-10-02T19:59:00+08:00", "reason": "补批"})

			id = w.measure(t, cases.MeasureSeize, "2025-10-01")
			w.act(t, w.officer, id, cases.ActEmergencyTake, m{"at": "2025-10-01T20:00:00+08:00", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "当场扣押"})
			wantRule(t, w.try(w.head, id, cases.ActApproveEmergency, m{"on": "2025-10-03", "reason": "补批"}), rules.CoercionEmergencyApproval, "19")
			res := w.act(t, w.officer, id, cases.ActRelease, m{"on": "2025-10-03", "reason": "未获批准，立即解除"})
			if res.Case.State != cases.StateReleased {
				t.Fatalf("state %s", res.Case.State)
			}
			w.clock.Set("2026-06-30")
		})

		t.Run("freeze decision delivered within 3 working days", func(t *testing.T) {
			id := w.measure(t, cases.MeasureFreeze, "2025-09-30")
			w.act(t, w.head, id, cases.ActApprove, m{"on": "2025-09-30", "reason": "x"})
			w.act(t, w.officer, id, cases.ActTake, m{"on": "2025-09-30", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "冻结"})
			// 3 working days after 2025-09-30: Oct 9, 10, 11 (make-up Saturday).
			res := w.act(t, w.officer, id, cases.ActServe, m{"on": "2025-10-13", "method": "direct"})
			if !res.Event.Late {
				t.Errorf("a freeze decision served on 2025-10-13 is not late")
			}
			wantCode(t, w.try(w.officer, id, cases.ActServe, m{"on": "2025-10-13", "method": "direct"}), errs.Conflict)
		})
	})
}

// enforcement opens the enforcement of a decision of ¥1,000 due on payDue.
func (w *world) enforcement(t testing.TB, payDue, remediesEnd string) string {
	t.Helper()
	res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: elementsDate(payDue)}, Kind: cases.KindEnforcement, BodyID: w.body.ID,
		Title: "强制执行", Party: person(), OfficerIDs: []string{w.o1.ID, w.o2.ID},
		Enforcement: &cases.NewEnforcement{DecisionRef: "尤市监罚〔2025〕9号", PrincipalFen: 100000, PayDue: elementsDate(payDue), RemediesEnd: elementsDate(remediesEnd)}})
	noErr(t, err)
	return res.Case.ID
}

// TestEnforcement serves the demand, caps the surcharge at the principal, forbids enforcement at
// night and on rest days without an emergency, and times the application to the court.
func TestEnforcement(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		id := w.enforcement(t, "2025-09-01", "2025-09-10")
		wantRule(t, w.try(w.officer, id, cases.ActDemand, m{"on": "2025-09-01", "perform_by": "2025-09-12", "method": "direct"}), "coercion.demand", "35")
		wantCode(t, w.try(w.officer, id, cases.ActDemand, m{"on": "2025-09-02", "perform_by": "2025-09-02", "method": "direct"}), errs.Invalid)
		w.act(t, w.officer, id, cases.ActDemand, m{"on": "2025-09-02", "perform_by": "2025-09-12", "method": "direct"})
		w.act(t, w.officer, id, cases.ActStatement, m{"on": "2025-09-03", "summary": "无力缴纳", "adopted": false})
		// 3% a day: 10 days after 2025-09-01 is ¥300; given more than that, or more than the principal: refused.
		res := w.act(t, w.officer, id, cases.ActAssessSurcharge, m{"on": "2025-09-11"})
		if e := res.Case.Facts.Enforcement; e.SurchargeFen != 30000 {
			t.Errorf("surcharge after 10 days = %d", e.SurchargeFen)
		}
		wantRule(t, w.try(w.officer, id, cases.ActAssessSurcharge, m{"on": "2025-09-11", "amount_fen": 30001}), rules.GateSurcharge, "72")
		// Executing before the period the demand gave: refused.
		wantRule(t, w.try(w.head, id, cases.ActExecute, m{"on": "2025-09-12", "means": "划拨", "officer_ids": []string{w.o1.ID, w.o2.ID}}), "coercion.perform_period", "37")
		res = w.act(t, w.officer, id, cases.ActAssessSurcharge, m{"on": "2025-10-31"})
		if e := res.Case.Facts.Enforcement; e.SurchargeFen != 100000 {
			t.Errorf("surcharge after 60 days = %d, want the principal", e.SurchargeFen)
		}
		wantRule(t, w.try(w.officer, id, cases.ActAssessSurcharge, m{"on": "2025-10-31", "amount_fen": 120000}), rules.GateCoercionSurcharge, "45")
		wantRule(t, w.try(w.officer, id, cases.ActPay, m{"on": "2025-10-31", "amount_fen": 100000, "surcharge_fen": 100001}), rules.GateCoercionSurcharge, "45")

		t.Run("Art. 43: no enforcement at night or on rest days", func(t *testing.T) {
			id := w.enforcement(t, "2025-09-01", "")
			w.act(t, w.officer, id, cases.ActDemand, m{"on": "2025-09-02", "perform_by": "2025-09-12", "method": "direct"})
			for _, at := range []string{"2025-10-01T10:00:00+08:00", "2025-10-12T10:00:00+08:00", "2025-10-13T22:30:00+08:00", "2025-10-14T05:59:00+08:00"} {
				wantRule(t, w.try(w.head, id, cases.ActExecute, m{"at": at, "means": "划拨", "officer_ids": []string{w.o1.ID, w.o2.ID}}), rules.GateNoNightOrHoliday, "43")
			}
			// A make-up Saturday is a working day.
			w.act(t, w.head, id, cases.ActExecute, m{"at": "2025-10-11T10:00:00+08:00", "means": "划拨存款", "officer_ids": []string{w.o1.ID, w.o2.ID}})
			id = w.enforcement(t, "2025-09-01", "")
			w.act(t, w.officer, id, cases.ActDemand, m{"on": "2025-09-02", "perform_by": "2025-09-12", "method": "direct"})
			w.act(t, w.head, id, cases.ActExecute, m{"at": "2025-10-01T23:00:00+08:00", "means": "紧急排除妨碍", "emergency": true, "officer_ids": []string{w.o1.ID, w.o2.ID}})
		})

		t.Run("Art. 54, 53: the court 10 working days after the demand, within 3 months of the remedies", func(t *testing.T) {
			id := w.enforcement(t, "2025-09-29", "2025-10-20")
			w.act(t, w.officer, id, cases.ActDemand, m{"on": "2025-09-30", "perform_by": "2025-10-10", "method": "direct"})
			// Oct 9, 10, 11 (make-up), 13, 14, 15, 16, 17, 20, 21: the court may be asked from 2025-10-22.
			w.clock.Set("2025-10-15")
			d := w.find(t, id)
			if dl := deadline(t, d, rules.CoercionDemandBeforeCourt); dl.Due != "2025-10-21" || dl.Status != cases.DueWaiting {
				t.Errorf("waiting period = %+v", dl)
			}
			if na := next(t, d, cases.ActApplyCourt); na.Blocked == nil || na.Blocked.Rule.Article != "54" {
				t.Errorf("the court application is not blocked: %+v", na)
			}
			w.clock.Set("2026-06-30")
			wantRule(t, w.try(w.head, id, cases.ActApplyCourt, m{"on": "2025-10-21", "court": "尤溪县人民法院"}), rules.CoercionDemandBeforeCourt, "54")
			wantRule(t, w.try(w.head, id, cases.ActApplyCourt, m{"on": "2026-01-21", "court": "尤溪县人民法院"}), rules.CoercionCourtApplication, "53")
			w.act(t, w.head, id, cases.ActApplyCourt, m{"on": "2025-10-22", "court": "尤溪县人民法院"})
			res := w.act(t, w.officer, id, cases.ActRecordRuling, m{"on": "2025-11-20", "ruling": "enforced", "summary": "准予强制执行"})
			if res.Case.State != cases.StateExecuted {
				t.Fatalf("state %s", res.Case.State)
			}
			w.act(t, w.officer, id, cases.ActClose, m{"on": "2025-11-21", "reason": "执行完毕"})
		})
	})
}
