package cases_test

import (
	"encoding/json"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/exchange/exchangetask"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

// TestInspection inspects with two officers, orders a correction, and opens a penalty lead from
// the findings.
func TestInspection(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		open := func() string {
			res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2026-03-02"}, Kind: cases.KindInspection, BodyID: w.body.ID,
				Title: "双随机检查", Party: organisation(), OfficerIDs: []string{w.o1.ID, w.o2.ID},
				Inspection: &cases.NewInspection{Basis: "random", Checklist: []string{"营业执照", "进货台账"}}})
			noErr(t, err)
			return res.Case.ID
		}
		id := open()
		wantRule(t, w.try(w.officer, id, cases.ActInspect, m{"on": "2026-03-03", "officer_ids": []string{w.o1.ID}, "record": "x"}), "penalty.officers", "42")
		w.act(t, w.officer, id, cases.ActInspect, m{"on": "2026-03-03", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "台账缺失",
			"location": m{"lat": 26.17, "lng": 118.18, "accuracy_m": 20}})
		wantCode(t, w.try(w.officer, id, cases.ActConclude, m{"on": "2026-03-03", "outcome": "correction_ordered", "findings": "x"}), errs.Invalid)
		res := w.act(t, w.officer, id, cases.ActConclude, m{"on": "2026-03-03", "outcome": "correction_ordered", "findings": "责令补建台账", "correct_by": "2026-03-17"})
		if res.Case.State != cases.StateCorrecting {
			t.Fatalf("state %s", res.Case.State)
		}
		res = w.act(t, w.officer, id, cases.ActVerifyCorrection, m{"on": "2026-03-18", "corrected": false, "findings": "仍未建立台账"})
		if res.Case.State != cases.StateClosed || len(res.Case.Facts.Children) != 1 {
			t.Fatalf("not corrected: %+v", res.Case)
		}
		lead := w.find(t, res.Case.Facts.Children[0])
		if lead.Kind != cases.KindGeneral || lead.State != cases.StateLead || lead.Facts.Lead.Source != "inspection" || *lead.ParentID != id ||
			len(lead.Facts.Team) != 2 || !cases.ValidCode(lead.Code) {
			t.Fatalf("lead = %+v", lead.Case)
		}
		w.act(t, w.officer, id, cases.ActArchive, m{"on": "2026-03-19"})

		id = open()
		w.act(t, w.officer, id, cases.ActInspect, m{"on": "2026-03-03", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "无照经营"})
		res = w.act(t, w.officer, id, cases.ActConclude, m{"on": "2026-03-03", "outcome": "lead_opened", "findings": "无照经营", "act_ended_on": "2026-03-03"})
		if res.Case.State != cases.StateClosed || len(res.Case.Facts.Children) != 1 {
			t.Fatalf("lead opened: %+v", res.Case)
		}
		if c := w.find(t, res.Case.Facts.Children[0]); c.Facts.ActEndedOn != "2026-03-03" {
			t.Errorf("lead act_ended_on = %s", c.Facts.ActEndedOn)
		}
	})
}

// TestTransferSuspendTerminateRecuse covers the endings and the team changes.
func TestTransferSuspendTerminateRecuse(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.filed(t, person(), nil)
		res := w.act(t, w.head, c.ID, cases.ActTransfer, m{"on": "2025-09-05", "target": "criminal", "to": "尤溪县公安局", "reason": "涉嫌生产销售伪劣产品罪"})
		if res.Case.State != cases.StateTransferred || res.Case.Facts.Transfer.Target != "criminal" {
			t.Fatalf("transferred: %+v", res.Case)
		}
		if rows := w.outbox(t, w.head, exchangetask.Transfer.Type); len(rows) != 1 || payload[exchangetask.TransferCase](t, rows[0]).To != "尤溪县公安局" {
			t.Errorf("transfer outbox = %v", rows)
		}
		found := false
		for _, r := range w.outbox(t, w.head, supervisiontask.Warn.Type) {
			found = found || payload[supervisiontask.Warning](t, r).Point == "criminal_transfer"
		}
		if !found {
			t.Error("no 行刑衔接 warning")
		}
		wantCode(t, w.try(w.officer, c.ID, cases.ActInvestigate, m{"on": "2025-09-06", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"}), errs.Conflict)
		w.act(t, w.officer, c.ID, cases.ActArchive, m{"on": "2025-09-06"})

		c = w.filed(t, person(), nil)
		w.act(t, w.head, c.ID, cases.ActSuspend, m{"on": "2025-09-05", "ground": "awaiting_other", "reason": "等待鉴定"})
		res = w.act(t, w.head, c.ID, cases.ActTerminate, m{"on": "2025-09-20", "ground": "party_died", "reason": "当事人死亡"})
		if res.Case.State != cases.StateTerminated || res.Case.Facts.Suspension[0].To != "2025-09-20" {
			t.Fatalf("terminated: %+v", res.Case.Facts)
		}

		c = w.filed(t, person(), nil)
		// The party applies to recuse officer 1: granted, officer 4 replaces them.
		wantRule(t, w.try(w.head, c.ID, cases.ActRecuse, m{"on": "2025-09-04", "officer_id": w.o1.ID, "applied_by": "party", "reason": "近亲属", "granted": true}),
			"penalty.recusal", "43")
		wantCode(t, w.try(w.officer, c.ID, cases.ActRecuse, m{"on": "2025-09-04", "officer_id": w.o1.ID, "applied_by": "party", "reason": "近亲属", "granted": true,
			"replacement": []string{w.o4.ID}}), errs.Forbidden)
		res = w.act(t, w.head, c.ID, cases.ActRecuse, m{"on": "2025-09-04", "officer_id": w.o1.ID, "applied_by": "party", "reason": "近亲属", "granted": true,
			"replacement": []string{w.o4.ID}})
		if team := res.Case.Facts.Team; len(team) != 2 || team[0] != w.o2.ID || team[1] != w.o4.ID {
			t.Fatalf("team = %v", team)
		}
		// officer=me follows the team: officer 1 no longer sees it.
		mine, _, err := w.svc.List(ctx, w.officer, cases.Filter{Mine: true})
		noErr(t, err)
		for _, s := range mine {
			if s.ID == c.ID {
				t.Errorf("the recused officer still lists the case as theirs")
			}
		}
	})
}

// TestBackfill enters steps handled on paper: the period counts from the day the obstacle ended
// (Fujian 5 working days by default; a Guangdong tenant sets 3), and a late backfill is flagged.
func TestBackfill(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		open := func(enteredOn string) *cases.ActResult {
			w.clock.Set(enteredOn)
			res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-09-29", Paper: &cases.Paper{ObstacleEndedOn: "2025-09-30", Reason: "山区无网络"}},
				Kind: cases.KindSummary, BodyID: w.body.ID, Title: "纸质当场处罚", Party: person(), OfficerIDs: []string{w.o1.ID, w.o2.ID}})
			noErr(t, err)
			return res
		}
		// 5 working days after 2025-09-30: Oct 9, 10, 11 (make-up), 13, 14.
		if res := open("2025-10-14"); res.Case.LateBackfill || res.Case.Facts.Backfills[0].Due != "2025-10-14" {
			t.Errorf("on time: %+v", res.Case.Facts.Backfills)
		}
		res := open("2025-10-15")
		if !res.Case.LateBackfill || !res.Event.Late || !res.Case.Facts.Backfills[0].Late {
			t.Errorf("late backfill not flagged: %+v", res.Case.Facts.Backfills)
		}
		warned := false
		for _, r := range w.outbox(t, w.officer, supervisiontask.Warn.Type) {
			wn := payload[supervisiontask.Warning](t, r)
			warned = warned || (wn.Point == "late_backfill" && wn.Rule.ID == rules.CasesBackfill && wn.CaseID == res.Case.ID)
		}
		if !warned {
			t.Error("no late-backfill warning")
		}
		// Under Fujian's 5 working days, entering on 2025-10-13 is on time.
		if res := open("2025-10-13"); res.Case.LateBackfill {
			t.Errorf("on time under 5 working days: %+v", res.Case.Facts.Backfills)
		}
		// A Guangdong tenant's 3 working days end on the make-up Saturday 2025-10-11: late.
		_, err := tenants.NewService(db, rules.Settings()).Set(ctx, w.operator, rules.KeyBackfillWorkingDays, tenants.SetSetting{Value: json.RawMessage("3")})
		noErr(t, err)
		res = open("2025-10-13")
		if !res.Case.LateBackfill || res.Case.Facts.Backfills[0].Due != "2025-10-11" {
			t.Errorf("Guangdong backfill = %+v", res.Case.Facts.Backfills)
		}
		// A step of an existing case backfilled: decided on paper on the spot.
		w.clock.Set("2025-10-13")
		id := w.summary(t, person())
		res = w.act(t, w.officer, id, cases.ActDecideOnSite, m{"on": "2025-10-11", "number": "纸001", "penalty": fine(50), "facts": "x",
			"notice_given": true, "paper": m{"obstacle_ended_on": "2025-10-11", "reason": "系统故障"}})
		// 3 working days after Saturday 2025-10-11: Oct 13, 14, 15.
		if res.Event.Late || res.Case.Facts.Backfills[0].Due != "2025-10-15" || res.Case.Facts.Backfills[0].Seq != 2 {
			t.Errorf("step backfill = %+v", res.Case.Facts.Backfills)
		}
		wantCode(t, w.try(w.officer, id, cases.ActPay, m{"on": "2025-10-11", "amount_fen": 5000, "paper": m{"obstacle_ended_on": "2025-10-10", "reason": "x"}}), errs.Invalid)
		w.clock.Set("2026-06-30")
	})
}

// TestScanOverdue warns once per case and due day through the outbox, under a system scope.
func TestScanOverdue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.notified(t, person(), 500, "2025-09-17", nil)
		w.waive(t, c.ID, cases.ActWaiveStatement, "2025-09-17")
		w.act(t, w.head, c.ID, cases.ActDecide, decision("2025-09-18", 500))
		// Decided 2025-09-18: 7 working days are Sep 19, 22-26 and the make-up Sunday 2025-09-28.
		w.clock.Set("2025-09-30")
		wantCode(t, w.svc.HandleScanOverdue(ctx, w.officer), errs.Internal)
		noErr(t, w.svc.HandleScanOverdue(ctx, tenants.System("test: deadline warnings")))
		rows := w.outbox(t, w.officer, supervisiontask.Warn.Type)
		if len(rows) != 1 {
			t.Fatalf("%d warnings, want 1", len(rows))
		}
		if wn := payload[supervisiontask.Warning](t, rows[0]); wn.Point != "overdue" || wn.Rule.ID != rules.PenaltyDelivery || wn.Rule.Article != "61" || wn.Due != "2025-09-28" {
			t.Errorf("warning = %+v", wn)
		}
		noErr(t, w.svc.HandleScanOverdue(ctx, tenants.System("test: deadline warnings")))
		if n := len(w.outbox(t, w.officer, supervisiontask.Warn.Type)); n != 1 {
			t.Errorf("a second scan warned again: %d", n)
		}
		// Idempotency records are kept 30 days.
		k := key()
		_, err := w.svc.Act(ctx, w.officer, c.ID, cases.ActServe, k, m{"on": "2025-09-30", "method": "direct"})
		noErr(t, err)
		w.clock.Set("2025-10-29")
		noErr(t, w.svc.HandlePruneRequests(ctx, tenants.System("test: prune")))
		if res, err := w.svc.Act(ctx, w.officer, c.ID, cases.ActServe, k, m{"on": "2025-09-30", "method": "direct"}); err != nil || !res.Replayed {
			t.Fatalf("replay within 30 days: %v", err)
		}
		w.clock.Set("2025-11-01")
		noErr(t, w.svc.HandlePruneRequests(ctx, tenants.System("test: prune")))
		wantCode(t, w.try(w.officer, c.ID, cases.ActServe, m{"on": "2025-09-30", "method": "direct"}), errs.Conflict)
		if _, err := w.svc.Act(ctx, w.officer, c.ID, cases.ActServe, k, m{"on": "2025-09-30", "method": "direct"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("a pruned key: %v, want the state's Conflict", err)
		}
		w.clock.Set("2026-06-30")
	})
}
