package cases_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/disclosure/disclosuretask"
	"zhifa/modules/elements"
	"zhifa/modules/exchange/exchangetask"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/modules/supervision/supervisiontask"
	"zhifa/tenants"
)

// TestGeneralProcedureLeadToArchive walks a penalty by the general procedure from its lead to the
// archive across the 2025 National Day holiday: every deadline the case shows comes from the rules
// engine, each gate refuses with its article until it is satisfied, and the record verifies.
func TestGeneralProcedureLeadToArchive(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.lead(t, person())
		if !cases.ValidCode(c.Code) || !strings.HasPrefix(c.Code, "ZF"+w.a.ID+"-2025-") {
			t.Fatalf("case code %q", c.Code)
		}
		if c.State != cases.StateLead || c.Version != 1 || c.LastSeq != 1 {
			t.Fatalf("new case: %+v", c)
		}
		w.act(t, w.officer, c.ID, cases.ActVerify, m{"on": "2025-09-02", "findings": "举报属实"})
		res := w.act(t, w.head, c.ID, cases.ActFile, m{"on": "2025-09-03"})
		if res.Case.State != cases.StateFiled || res.Case.Facts.FiledOn != "2025-09-03" {
			t.Fatalf("filed: %+v", res.Case)
		}
		w.clock.Set("2025-09-04")
		d := w.find(t, c.ID)
		// 90 calendar days from 2025-09-03 (the agency's own limit: not shifted).
		if dl := deadline(t, d, rules.PenaltyDecide); dl.Due != "2025-12-02" || dl.Article != 60 || dl.Status != cases.DueRunning {
			t.Errorf("decide deadline = %+v", dl)
		}
		w.clock.Set("2025-10-10")
		w.act(t, w.officer, c.ID, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "现场检查",
			"location": m{"lat": 26.17, "lng": 118.18, "accuracy_m": 8}})
		w.act(t, w.officer, c.ID, cases.ActReport, m{"on": "2025-09-15", "facts": "无照经营属实"})
		w.act(t, w.officer, c.ID, cases.ActPropose, m{"on": "2025-09-16", "penalty": fine(5000), "outside_reason": "本事项尚无裁量基准"})
		// A fine of ¥5,000 for a person reaches the ¥2,000 threshold: the hearing right is offered.
		res = w.act(t, w.officer, c.ID, cases.ActNotify, m{"on": "2025-09-30", "method": "direct"})
		n := res.Case.Facts.Notice
		// 5 working days after 2025-09-30: Oct 1-8 off, Oct 9, 10, 11 (make-up Saturday), 13, 14.
		if !n.HearingRight || n.HearingDue != "2025-10-14" {
			t.Fatalf("notice = %+v", n)
		}
		d = w.find(t, c.ID)
		hr := deadline(t, d, rules.PenaltyHearingRequest)
		if hr.Due != "2025-10-14" || len(hr.Counted.Skipped) != 9 || len(hr.Counted.MakeUp) != 1 || hr.Counted.MakeUp[0].Date != "2025-10-11" {
			t.Errorf("hearing request deadline = %+v", hr)
		}
		if na := next(t, d, cases.ActDecide); na.Blocked == nil || na.Blocked.Rule.ID != rules.PenaltyHearingRequest || na.Blocked.Rule.Article != "64" {
			t.Errorf("decide is not blocked by the hearing window: %+v", na)
		}
		w.clock.Set("2025-10-20")
		wantRule(t, w.try(w.head, c.ID, cases.ActDecide, decision("2025-10-14", 5000)), rules.PenaltyHearingRequest, "64")
		wantRule(t, w.try(w.officer, c.ID, cases.ActRequestHearing, m{"on": "2025-10-15"}), rules.PenaltyHearingRequest, "64")
		w.act(t, w.officer, c.ID, cases.ActRequestHearing, m{"on": "2025-10-14"})
		// The notice must reach the party 7 working days before the hearing: for 2025-10-24, by 2025-10-15.
		wantRule(t, w.try(w.officer, c.ID, cases.ActScheduleHearing, m{"on": "2025-10-16", "hearing_on": "2025-10-24", "presider_id": w.o3.ID, "place": "第一听证室"}),
			rules.PenaltyHearingNotice, "64")
		wantRule(t, w.try(w.officer, c.ID, cases.ActScheduleHearing, m{"on": "2025-10-15", "hearing_on": "2025-10-24", "presider_id": w.o1.ID, "place": "第一听证室"}),
			"penalty.hearing_presider", "64")
		w.act(t, w.officer, c.ID, cases.ActScheduleHearing, m{"on": "2025-10-15", "hearing_on": "2025-10-24", "presider_id": w.o3.ID, "place": "第一听证室"})
		w.clock.Set("2025-10-30")
		wantCode(t, w.try(w.officer, c.ID, cases.ActHoldHearing, m{"on": "2025-10-23", "summary": "x"}), errs.FailedPrecondition)
		w.act(t, w.officer, c.ID, cases.ActHoldHearing, m{"on": "2025-10-24", "summary": "当事人到场陈述"})
		// A hearing was held: legal review is required before the decision (Art. 58).
		wantRule(t, w.try(w.head, c.ID, cases.ActDecide, decision("2025-10-27", 5000)), "penalty.legal_review", "58")
		w.act(t, w.officer, c.ID, cases.ActSubmitReview, m{"on": "2025-10-27"})
		wantCode(t, w.try(w.officer, c.ID, cases.ActPassReview, m{"on": "2025-10-28", "reason": "x"}), errs.Forbidden)
		w.act(t, w.reviewer, c.ID, cases.ActPassReview, m{"on": "2025-10-28", "reason": "事实清楚，证据确凿，程序合法"})
		w.act(t, w.head, c.ID, cases.ActFlag, m{"on": "2025-10-28", "complex": true, "reason": "情节复杂"})
		wantRule(t, w.try(w.head, c.ID, cases.ActDecide, decision("2025-10-29", 5000)), "penalty.collective_discussion", "57")
		w.act(t, w.head, c.ID, cases.ActDiscuss, m{"on": "2025-10-29", "participants": []string{"何振东", "林某", "陈某"}, "conclusion": "同意罚款5000元"})
		wantRule(t, w.try(w.head, c.ID, cases.ActDecide, decision("2025-10-30", 6000)), "penalty.no_heavier", "45")
		// The manner of payment may not restate the period the decision states itself (Art. 67).
		late := decision("2025-10-30", 5000)
		late["payment_how"] = "自收到本决定书之日起十五日内到指定银行缴纳"
		if e := errs.As(w.try(w.head, c.ID, cases.ActDecide, late)); e == nil || e.Code != errs.Invalid ||
			e.Message.ZH != "履行方式只写缴纳的方式：缴纳期限由决定书按《行政处罚法》第67条载明" {
			t.Errorf("a period in the manner of payment: %v", e)
		}
		res = w.act(t, w.head, c.ID, cases.ActDecide, decision("2025-10-30", 5000))
		// 90 days from filing plus the 10 days from the request to the hearing.
		if res.Case.State != cases.StateDecided || res.Case.Facts.Decision.DecideDue != "2025-12-12" {
			t.Fatalf("decided: %s, %+v", res.Case.State, res.Case.Facts.Decision)
		}
		// The remedies the decision states, cited from the catalogue (行政复议法 Art. 20, 行政诉讼法 Art. 46).
		if dec := res.Case.Facts.Decision; dec.Reconsider != "可自知道本决定之日起60日内申请行政复议（《行政复议法》第20条）" ||
			dec.Litigation != "可自知道本决定之日起6个月内提起行政诉讼（《行政诉讼法》第46条）" {
			t.Errorf("the remedies read %q, %q", dec.Reconsider, dec.Litigation)
		}
		w.clock.Set("2025-11-10")
		d = w.find(t, c.ID)
		if dl := deadline(t, d, rules.PenaltyDelivery); dl.Due != "2025-11-10" {
			t.Errorf("delivery deadline = %+v", dl)
		}
		res = w.act(t, w.officer, c.ID, cases.ActServe, m{"on": "2025-11-03", "method": "direct", "receipt": "送达回证001"})
		if dl := res.Case.Facts.Delivery; dl.Late || dl.PayDue != "2025-11-18" {
			t.Errorf("delivery = %+v", dl)
		}
		w.clock.Set("2025-11-20")
		wantCode(t, w.try(w.officer, c.ID, cases.ActPay, m{"on": "2025-11-10", "amount_fen": 400000}), errs.Invalid)
		w.act(t, w.officer, c.ID, cases.ActPay, m{"on": "2025-11-10", "amount_fen": 500000, "receipt": "财政票据0001"})
		w.act(t, w.officer, c.ID, cases.ActClose, m{"on": "2025-11-11", "reason": "罚款已缴纳"})
		res = w.act(t, w.officer, c.ID, cases.ActArchive, m{"on": "2025-11-12"})
		if res.Case.State != cases.StateArchived {
			t.Fatalf("state %s", res.Case.State)
		}
		rep, err := w.svc.VerifyChain(ctx, w.supervisor, c.ID)
		noErr(t, err)
		if !rep.Valid || rep.Events != res.Case.LastSeq || rep.Events != 19 {
			t.Fatalf("chain: %+v", rep)
		}
		types := map[string]int{}
		for _, r := range w.outbox(t, w.officer, "") {
			types[r.TaskType]++
		}
		for typ, want := range map[string]int{deliverytask.Deliver.Type: 3, disclosuretask.Publish.Type: 1, exchangetask.Sync.Type: 1} {
			if types[typ] != want {
				t.Errorf("outbox %s: %d rows, want %d (all: %v)", typ, types[typ], want, types)
			}
		}
		pub := payload[disclosuretask.PublishDecision](t, w.outbox(t, w.officer, disclosuretask.Publish.Type)[0])
		// Published within 7 working days of 2025-10-30: Oct 31, Nov 3-7, Nov 10.
		if pub.PublishBy != "2025-11-10" || strings.Contains(pub.Party.IDNumber, "19850312") {
			t.Errorf("publication = %+v", pub)
		}
		// The birth date travels beside the masked number, with the act's day, for the minors'
		// rule of the disclosure (行政处罚结果信息网上公开暂行办法 Art. 5).
		if pub.Party.BornOn != "1985-03-12" || pub.ActOn != "2025-08-20" {
			t.Errorf("publication born %q, act on %q; want 1985-03-12, 2025-08-20", pub.Party.BornOn, pub.ActOn)
		}
	})
}

// TestGates are the refusals of the penalty law, each with its article, around weekends,
// holidays and make-up workdays of 2025 and 2026.
func TestGates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		t.Cleanup(func() { w.clock.Set("2026-06-30") })

		t.Run("Art. 42: two officers with certificates valid that day", func(t *testing.T) {
			c := w.lead(t, person())
			w.act(t, w.officer, c.ID, cases.ActVerify, m{"on": "2025-09-02", "findings": "属实"})
			for _, team := range [][]string{{w.o1.ID}, {w.o1.ID, w.expired.ID}, {w.o1.ID, w.otherBody.ID}} {
				wantRule(t, w.try(w.head, c.ID, cases.ActFile, m{"on": "2025-09-03", "officer_ids": team}), "penalty.officers", "42")
			}
			// The expired certificate was valid until 2025-03-31.
			c2 := w.lead(t, person())
			w.act(t, w.officer, c2.ID, cases.ActVerify, m{"on": "2025-09-02", "findings": "属实"})
			w.act(t, w.head, c2.ID, cases.ActFile, m{"on": "2025-09-03"})
			wantRule(t, w.try(w.officer, c2.ID, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.expired.ID}, "record": "x"}), "penalty.officers", "42")
			wantCode(t, w.try(w.officer, c2.ID, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, "0190b8a4-0000-7000-8000-000000000000"}, "record": "x"}), errs.Invalid)
			w.act(t, w.officer, c2.ID, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o3.ID}, "record": "x"})
		})

		t.Run("Art. 36: limitation of 2 years, 5 with harm to safety", func(t *testing.T) {
			res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-09-01"}, Kind: cases.KindGeneral, BodyID: w.body.ID,
				Title: "旧案", Party: person(), OfficerIDs: []string{w.o1.ID, w.o2.ID}, ActEndedOn: "2023-08-31",
				Lead: &cases.Lead{Source: "report", ReceivedOn: "2025-09-01", Summary: "两年前的行为"}})
			noErr(t, err)
			id := res.Case.ID
			w.act(t, w.officer, id, cases.ActVerify, m{"on": "2025-09-02", "findings": "属实"})
			if na := next(t, w.find(t, id), cases.ActFile); na.Blocked == nil || na.Blocked.Rule.ID != rules.PenaltyLimitation {
				t.Errorf("file is not blocked by the limitation: %+v", na)
			}
			wantRule(t, w.try(w.head, id, cases.ActFile, m{"on": "2025-09-03"}), rules.PenaltyLimitation, "36")
			w.act(t, w.head, id, cases.ActFile, m{"on": "2025-09-03", "limitation_5y": true})
		})

		t.Run("Art. 51: summary procedure thresholds", func(t *testing.T) {
			for _, c := range []struct {
				party   cases.Party
				penalty m
				ok      bool
			}{
				{person(), fine(200), true},
				{person(), fine(201), false},
				{organisation(), fine(3000), true},
				{organisation(), fine(3001), false},
				{person(), m{"types": []string{"warning"}, "basis": "x"}, true},
				{person(), m{"types": []string{"revocation"}, "basis": "x"}, false},
			} {
				id := w.summary(t, c.party)
				err := w.try(w.officer, id, cases.ActDecideOnSite, m{"on": "2025-10-11", "number": "当场001", "penalty": c.penalty, "facts": "x", "notice_given": true})
				if c.ok {
					noErr(t, err)
				} else {
					wantRule(t, err, rules.GateSummary, "51")
				}
			}
			id := w.summary(t, person())
			wantRule(t, w.try(w.officer, id, cases.ActDecideOnSite, m{"on": "2025-10-11", "number": "当场002", "penalty": fine(50), "facts": "x"}), "penalty.prior_notice", "62")
		})

		t.Run("Art. 63: hearing right at the tenant's thresholds", func(t *testing.T) {
			for _, c := range []struct {
				party cases.Party
				yuan  int64
				right bool
			}{
				{person(), 1999, false}, {person(), 2000, true}, {organisation(), 9999, false}, {organisation(), 10000, true},
			} {
				cs := w.notified(t, c.party, c.yuan, "2025-09-30", nil)
				if got := w.find(t, cs.ID).Facts.Notice.HearingRight; got != c.right {
					t.Errorf("%s ¥%d: hearing right %v, want %v", c.party.Kind, c.yuan, got, c.right)
				}
			}
			// Without the right, the decision may follow the notice at once once the party waived its
			// statement and defence in writing (Art. 44, 45).
			cs := w.notified(t, person(), 500, "2025-09-30", nil)
			wantRule(t, w.try(w.head, cs.ID, cases.ActDecide, decision("2025-09-30", 500)), rules.PenaltyStatement, "45")
			w.waive(t, cs.ID, cases.ActWaiveStatement, "2025-09-30")
			w.act(t, w.head, cs.ID, cases.ActDecide, decision("2025-09-30", 500))
		})

		t.Run("Art. 64: 5 working days across the 2026 Spring Festival", func(t *testing.T) {
			w := w.from("2026-01-20")
			cs := w.notified(t, person(), 3000, "2026-02-12", nil)
			// Feb 13, Feb 14 (make-up Saturday), Feb 15-23 off, Feb 24, 25, 26.
			if due := w.find(t, cs.ID).Facts.Notice.HearingDue; due != "2026-02-26" {
				t.Fatalf("hearing request due %s", due)
			}
			wantRule(t, w.try(w.officer, cs.ID, cases.ActRequestHearing, m{"on": "2026-02-27"}), rules.PenaltyHearingRequest, "64")
			wantRule(t, w.try(w.head, cs.ID, cases.ActDecide, decision("2026-02-26", 3000)), rules.PenaltyHearingRequest, "64")
			w.act(t, w.head, cs.ID, cases.ActDecide, decision("2026-02-27", 3000))
			// Waived in writing, the hearing and the statement: the decision may come at once.
			cs = w.notified(t, person(), 3000, "2026-02-12", nil)
			w.waive(t, cs.ID, cases.ActWaiveHearing, "2026-02-12")
			wantRule(t, w.try(w.head, cs.ID, cases.ActDecide, decision("2026-02-13", 3000)), rules.PenaltyStatement, "45")
			w.waive(t, cs.ID, cases.ActWaiveStatement, "2026-02-12")
			w.act(t, w.head, cs.ID, cases.ActDecide, decision("2026-02-13", 3000))
		})

		t.Run("Art. 60: 90 days from filing, extensions before the limit", func(t *testing.T) {
			cs := w.notified(t, person(), 500, "2025-09-30", nil)
			wantRule(t, w.try(w.head, cs.ID, cases.ActDecide, decision("2025-12-03", 500)), rules.PenaltyDecide, "60")
			wantRule(t, w.try(w.head, cs.ID, cases.ActExtend, m{"on": "2025-12-03", "days": 30, "reason": "案情复杂"}), "penalty.decide_extension", "60")
			w.act(t, w.head, cs.ID, cases.ActExtend, m{"on": "2025-12-01", "days": 30, "reason": "案情复杂"})
			w.act(t, w.head, cs.ID, cases.ActDecide, decision("2025-12-03", 500))
			// Testing (10 days) and a suspension (5 days) are not counted.
			cs = w.notified(t, person(), 500, "2025-09-30", nil)
			w.act(t, w.officer, cs.ID, cases.ActExclude, m{"on": "2025-10-10", "kind": "testing", "from": "2025-09-20", "to": "2025-09-29", "reason": "送检"})
			w.act(t, w.head, cs.ID, cases.ActSuspend, m{"on": "2025-10-10", "ground": "party_missing", "reason": "当事人下落不明"})
			w.clock.Set("2025-10-12")
			if dl := deadline(t, w.find(t, cs.ID), rules.PenaltyDecide); dl.Status != cases.DuePaused {
				t.Errorf("suspended: %+v", dl)
			}
			wantCode(t, w.try(w.head, cs.ID, cases.ActDecide, decision("2025-10-11", 500)), errs.Conflict)
			w.clock.Set("2026-06-30")
			w.act(t, w.head, cs.ID, cases.ActResume, m{"on": "2025-10-15", "reason": "已找到当事人"})
			d := w.find(t, cs.ID)
			if d.State != cases.StateNotified {
				t.Fatalf("resumed to %s", d.State)
			}
			if dl := deadline(t, d, rules.PenaltyDecide); dl.Due != "2025-12-17" || dl.ExcludedDays != 15 || dl.Adjusted == nil {
				t.Errorf("decide deadline after exclusions = %+v", dl)
			}
			w.act(t, w.head, cs.ID, cases.ActDecide, decision("2025-12-17", 500))
		})

		t.Run("Art. 61: delivery in 7 working days, e-delivery with consent", func(t *testing.T) {
			w := w.from("2026-01-20")
			cs := w.notified(t, person(), 500, "2026-02-10", nil)
			w.waive(t, cs.ID, cases.ActWaiveStatement, "2026-02-10")
			w.act(t, w.head, cs.ID, cases.ActDecide, decision("2026-02-12", 500))
			wantRule(t, w.try(w.officer, cs.ID, cases.ActServe, m{"on": "2026-02-13", "method": "electronic"}), "penalty.e_delivery", "61")
			// Feb 13, 14 (make-up), 24, 25, 26, 27, 28 (make-up): due 2026-02-28; served Mar 2 is late.
			res := w.act(t, w.officer, cs.ID, cases.ActServe, m{"on": "2026-03-02", "method": "post", "receipt_on": "2026-03-02"})
			if dl := res.Case.Facts.Delivery; !dl.Late || dl.Due != "2026-02-28" || !res.Event.Late {
				t.Errorf("late delivery = %+v", dl)
			}
			warns := w.outbox(t, w.officer, supervisiontask.Warn.Type)
			if len(warns) == 0 || payload[supervisiontask.Warning](t, warns[len(warns)-1]).Rule.Article != "61" {
				t.Errorf("no warning of the late delivery")
			}
		})

		t.Run("Art. 67: enforcement only after the payment deadline (shifted past the holiday)", func(t *testing.T) {
			cs := w.notified(t, person(), 500, "2025-09-17", nil)
			w.waive(t, cs.ID, cases.ActWaiveStatement, "2025-09-17")
			w.act(t, w.head, cs.ID, cases.ActDecide, decision("2025-09-18", 500))
			// Served 2025-09-23: 15 days end 2025-10-08, a holiday: the party's deadline moves to 2025-10-09.
			res := w.act(t, w.officer, cs.ID, cases.ActServe, m{"on": "2025-09-23", "method": "direct"})
			if res.Case.Facts.Delivery.PayDue != "2025-10-09" {
				t.Fatalf("payment due %s", res.Case.Facts.Delivery.PayDue)
			}
			wantCode(t, w.try(w.officer, cs.ID, cases.ActClose, m{"on": "2025-10-09", "reason": "x"}), errs.FailedPrecondition)
			wantRule(t, w.try(w.head, cs.ID, cases.ActReferEnforcement, m{"on": "2025-10-09", "reason": "逾期未缴"}), rules.PenaltyPayment, "67")
			res = w.act(t, w.head, cs.ID, cases.ActReferEnforcement, m{"on": "2025-10-10", "reason": "逾期未缴"})
			if res.Case.State != cases.StateEnforcing || len(res.Case.Facts.Children) != 1 {
				t.Fatalf("referred: %+v", res.Case)
			}
			child := w.find(t, res.Case.Facts.Children[0])
			e := child.Facts.Enforcement
			// Remedies: 6 months to sue from 2025-09-23 end 2026-03-23 (a Monday).
			if child.Kind != cases.KindEnforcement || child.State != cases.StatePending || *child.ParentID != cs.ID ||
				e.PrincipalFen != 50000 || e.PayDue != "2025-10-09" || e.RemediesEnd != "2026-03-23" {
				t.Errorf("enforcement case = %+v %+v", child.Case, e)
			}
			wantCode(t, w.try(w.officer, cs.ID, cases.ActClose, m{"on": "2025-10-10", "reason": "x"}), errs.FailedPrecondition)
		})

		t.Run("Art. 33, 30: not penalised with education; under 14", func(t *testing.T) {
			cs := w.proposed(t, person(), 500, nil)
			w.act(t, w.officer, cs.ID, cases.ActNotify, m{"on": "2025-09-17", "method": "direct"})
			wantRule(t, w.try(w.head, cs.ID, cases.ActNotPenalise, m{"on": "2025-09-18", "ground": "first_violation", "reason": "初次违法"}), "penalty.not_penalised", "33")
			res := w.act(t, w.head, cs.ID, cases.ActNotPenalise, m{"on": "2025-09-18", "ground": "first_violation", "reason": "初次违法，危害后果轻微并及时改正",
				"education": "当场进行法治宣传教育并签署承诺书"})
			if res.Case.State != cases.StateNotPenalised || res.Case.Facts.NotPenalised.Education == "" {
				t.Fatalf("not penalised: %+v", res.Case)
			}
			w.act(t, w.officer, cs.ID, cases.ActClose, m{"on": "2025-09-19", "reason": "不予处罚"})
			child := cases.Party{Kind: cases.PartyPerson, Name: "少年", IDNumber: residentIDBorn(901, "20120101")}
			cs = w.reported(t, child, nil)
			// Born 2012-01-01, the act ended 2025-08-20: 13 years old.
			w.act(t, w.head, cs.ID, cases.ActNotPenalise, m{"on": "2025-09-16", "ground": "under_14", "reason": "未满十四周岁", "education": "责令监护人加以管教"})
			adult := w.reported(t, person(), nil)
			wantRule(t, w.try(w.head, adult.ID, cases.ActNotPenalise, m{"on": "2025-09-16", "ground": "under_14", "reason": "未满十四周岁"}), "penalty.minor_age", "30")
		})
	})
}

// summary opens a summary-procedure case on 2025-10-11 (a make-up Saturday).
func (w *world) summary(t testing.TB, party cases.Party) string {
	t.Helper()
	res, err := w.svc.Create(ctx, w.officer, cases.NewCase{Common: cases.Common{On: "2025-10-11"}, Kind: cases.KindSummary, BodyID: w.body.ID,
		MatterID: w.matter.ID, Title: "占道经营", Party: party, OfficerIDs: []string{w.o1.ID, w.o2.ID}})
	noErr(t, err)
	return res.Case.ID
}

// TestSummaryProcedure decides on the spot, collects the fine on the spot within Art. 68, and
// hands the cash over within 2 working days (Art. 71).
func TestSummaryProcedure(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		id := w.summary(t, person())
		res := w.act(t, w.officer, id, cases.ActDecideOnSite, m{"on": "2025-10-11", "number": "当场001", "penalty": fine(150), "facts": "占道经营",
			"notice_given": true, "location": m{"lat": 26.1, "lng": 118.2}})
		if res.Case.State != cases.StateServed || res.Case.Facts.Delivery.Method != "on_the_spot" || res.Case.Facts.Delivery.PayDue != "2025-10-27" {
			t.Fatalf("on the spot: %+v", res.Case.Facts.Delivery)
		}
		if !strings.Contains(string(res.Event.Content), `"lat":26.1`) {
			t.Errorf("the location is not in the record: %s", res.Event.Content)
		}
		spot := w.try(w.officer, id, cases.ActPay, m{"on": "2025-10-11", "amount_fen": 15000, "on_the_spot": true})
		wantRule(t, spot, rules.GateOnTheSpotCollect, "68")
		if zh := errs.As(spot).Message.ZH; zh != "当场收缴限于100元以下罚款、事后难以执行或边远地区当事人提出（《行政处罚法》第68条、第69条）" {
			t.Errorf("the refusal reads %s", zh)
		}
		w.act(t, w.officer, id, cases.ActPay, m{"on": "2025-10-11", "amount_fen": 15000, "on_the_spot": true, "hard_to_collect": true, "receipt": "专用票据001"})
		w.clock.Set("2025-10-13")
		// Collected on Saturday 2025-10-11 (a make-up workday): 2 working days end Tuesday 2025-10-14.
		if dl := deadline(t, w.find(t, id), rules.PenaltyCashHandover); dl.Due != "2025-10-14" || dl.Status != cases.DueWarning {
			t.Errorf("cash hand-over deadline = %+v", dl)
		}
		w.clock.Set("2025-10-20")
		res = w.act(t, w.officer, id, cases.ActHandOverCash, m{"on": "2025-10-15"})
		if !res.Event.Late {
			t.Errorf("a hand-over after the deadline is not flagged late")
		}
		w.act(t, w.officer, id, cases.ActClose, m{"on": "2025-10-16", "reason": "已缴"})
		w.act(t, w.officer, id, cases.ActArchive, m{"on": "2025-10-16"})
	})
}

// TestBenchmarkPinned pins the benchmark version in force on the proposal's day; a fine outside
// its range needs a reason (Art. 34).
func TestBenchmarkPinned(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		c := w.filed(t, person(), nil)
		withMatter := c.ID
		bm := w.benchmark(t)
		w.act(t, w.officer, withMatter, cases.ActInvestigate, m{"on": "2025-09-05", "officer_ids": []string{w.o1.ID, w.o2.ID}, "record": "x"})
		w.act(t, w.officer, withMatter, cases.ActReport, m{"on": "2025-09-15", "facts": "x"})
		wantRule(t, w.try(w.officer, withMatter, cases.ActPropose, m{"on": "2025-09-16", "penalty": fine(500)}), "penalty.discretion", "34")
		wantRule(t, w.try(w.officer, withMatter, cases.ActPropose, m{"on": "2025-09-16", "penalty": fine(6000), "benchmark_id": bm, "circumstance": "一般"}),
			"penalty.discretion", "34")
		wantCode(t, w.try(w.officer, withMatter, cases.ActPropose, m{"on": "2025-09-16", "penalty": fine(500), "benchmark_id": bm, "circumstance": "特别严重"}), errs.Invalid)
		res := w.act(t, w.officer, withMatter, cases.ActPropose, m{"on": "2025-09-16", "penalty": fine(3000), "benchmark_id": bm, "circumstance": "一般"})
		p := res.Case.Facts.Proposal.Benchmark
		// Version 2 took effect on 2025-07-01.
		if p == nil || p.Version != 2 || p.MinFineFen != 100000 || p.MaxFineFen != 500000 {
			t.Fatalf("pinned = %+v", p)
		}
		if !strings.Contains(string(res.Event.Content), `"benchmark"`) {
			t.Errorf("the pinned benchmark is not in the record")
		}
	})
}

// benchmark publishes a benchmark of the world's matter with two versions and returns its ID.
func (w *world) benchmark(t testing.TB) string {
	t.Helper()
	b, err := w.el.CreateBenchmark(ctx, w.operator, benchmarkInput(w.matter.ID))
	noErr(t, err)
	for _, v := range []struct {
		from     civil.Date
		min, max int64
	}{{"2024-01-01", 50000, 300000}, {"2025-07-01", 100000, 500000}} {
		_, err := w.el.PublishVersion(ctx, w.operator, b.ID, versionInput(v.from, v.min, v.max))
		noErr(t, err)
	}
	return b.ID
}

func benchmarkInput(matterID string) elements.BenchmarkInput {
	return elements.BenchmarkInput{MatterID: matterID, Title: "无照经营裁量基准"}
}

func versionInput(from civil.Date, min, max int64) elements.VersionInput {
	return elements.VersionInput{EffectiveFrom: from, Items: []elements.BenchmarkItem{
		{Circumstance: "一般", Description: "首次", MinFine: min, MaxFine: max},
		{Circumstance: "严重", Description: "多次", MinFine: max, MaxFine: max * 2},
	}}
}

// TestSummaryDecisionPublishedBySetting: an on-the-spot decision is published only where the
// body's setting asks for it (cases.publish_summary_decisions; 广东 Art. 45 publishes every penalty
// result), due like a general decision's: 7 working days after Saturday 2025-10-11 (a make-up
// workday) run Oct 13-17 and Oct 20-21.
func TestSummaryDecisionPublishedBySetting(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		settings := tenants.NewService(db, rules.Settings(), cases.Settings())
		w := newWorld(t, db, func(c *cases.Config) { c.Settings = settings })
		decide := func(number string) {
			id := w.summary(t, person())
			w.act(t, w.officer, id, cases.ActDecideOnSite, m{"on": "2025-10-11", "number": number, "penalty": fine(150), "facts": "占道经营", "notice_given": true})
		}
		decide("当场001")
		if n := len(w.outbox(t, w.officer, disclosuretask.Publish.Type)); n != 0 {
			t.Fatalf("with the setting off, %d publications of an on-the-spot decision", n)
		}
		_, err := settings.Set(ctx, w.operator, cases.SettingPublishSummary, tenants.SetSetting{Value: []byte("true")})
		noErr(t, err)
		decide("当场002")
		pubs := w.outbox(t, w.officer, disclosuretask.Publish.Type)
		if len(pubs) != 1 {
			t.Fatalf("with the setting on, %d publications, want 1", len(pubs))
		}
		pub := payload[disclosuretask.PublishDecision](t, pubs[0])
		if pub.DecisionNumber != "当场002" || pub.DecidedOn != "2025-10-11" || pub.PublishBy != "2025-10-21" || pub.Penalty.FineFen != 15000 {
			t.Errorf("publication = %+v", pub)
		}
	})
}
