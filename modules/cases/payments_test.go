package cases_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments/paymenttask"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// served walks a ¥5,000 fine for a person to served: notified 2025-09-30 (hearing waived),
// decided 2025-10-20, served by hand 2025-10-21; the payment deadline (Art. 67) is 2025-11-05.
func (w *world) served(t testing.TB) *cases.Case {
	t.Helper()
	c := w.notified(t, person(), 5000, "2025-09-30", nil)
	w.waive(t, c.ID, cases.ActWaiveHearing, "2025-09-30")
	w.act(t, w.head, c.ID, cases.ActDecide, decision("2025-10-20", 5000))
	res := w.act(t, w.officer, c.ID, cases.ActServe, m{"on": "2025-10-21", "method": "direct", "note": "内部备注：当事人态度恶劣"})
	if res.Case.Facts.Delivery.PayDue != "2025-11-05" {
		t.Fatalf("payment due %s", res.Case.Facts.Delivery.PayDue)
	}
	return res.Case
}

// platform is the scope of the platform settling a verified payment at tenant A.
func (w *world) platform() tenants.Scope {
	return dbtest.Scope(w.a, "platform:payments", authz.Platform)
}

// inTx runs fn in a transaction under sc, as the payments module and the portal call the engine.
func (w *world) inTx(sc tenants.Scope, fn func(ctx context.Context, tx bun.Tx) error) error {
	return tenants.RunInTx(ctx, w.db, sc, fn)
}

func (w *world) pay(sc tenants.Scope, id string, rec cases.PaymentRecord) error {
	return w.inTx(sc, func(ctx context.Context, tx bun.Tx) error { return w.svc.RecordPayment(ctx, tx, sc, id, rec) })
}

func (w *world) terms(t testing.TB, sc tenants.Scope, id string) *cases.PaymentTerms {
	t.Helper()
	var out *cases.PaymentTerms
	noErr(t, w.inTx(sc, func(ctx context.Context, tx bun.Tx) (err error) {
		out, err = w.svc.Terms(ctx, tx, sc, id)
		return err
	}))
	return out
}

// paidAt is a moment of a day in China.
func paidAt(day string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:30", china)
	if err != nil {
		panic(err)
	}
	return t
}

func payment(principal, surcharge int64, instalment int, day string) cases.PaymentRecord {
	return cases.PaymentRecord{PaymentID: uuid.NewString(), Provider: "stripe", Reference: "pi_" + uuid.NewString()[:8], PaidAt: paidAt(day),
		PrincipalFen: principal, SurchargeFen: surcharge, Instalment: instalment, Simulated: true}
}

func (w *world) chainValid(t testing.TB, id string) {
	t.Helper()
	rep, err := w.svc.VerifyChain(ctx, w.supervisor, id)
	noErr(t, err)
	if !rep.Valid {
		t.Fatalf("chain broken: %+v", rep.Broken)
	}
}

// refunds returns the payments:refund tasks written for a case.
func (w *world) refunds(t testing.TB, id string) []paymenttask.RefundCase {
	t.Helper()
	var out []paymenttask.RefundCase
	for _, r := range w.outbox(t, w.officer, paymenttask.Refund.Type) {
		if p := payload[paymenttask.RefundCase](t, r); p.CaseID == id {
			out = append(out, p)
		}
	}
	return out
}

// TestPlatformEntries: the payments module enters a payment, its fiscal receipt and a refund on
// the record, each once, under the platform's scope only; the chain verifies after them.
func TestPlatformEntries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.clock.Set("2025-11-10")
		c := w.served(t)
		tm := w.terms(t, w.platform(), c.ID)
		if tm.FineFen != 500000 || tm.ServedOn != "2025-10-21" || tm.PayDue != "2025-11-05" || tm.BodyName != "A县市场监督管理局" ||
			tm.PaidFen != 0 || tm.Plan != nil || tm.DecisionNumber == "" || tm.Party.Name != "王小明" || tm.State != "served" {
			t.Fatalf("terms %+v", tm)
		}
		// The party and staff may read the terms; another tenant finds no case.
		w.terms(t, dbtest.Scope(w.a, "citizen", authz.Citizen), c.ID)
		w.terms(t, w.supervisor, c.ID)
		bPlatform := dbtest.Scope(w.b, "platform:payments", authz.Platform)
		err := w.inTx(bPlatform, func(ctx context.Context, tx bun.Tx) error {
			_, err := w.svc.Terms(ctx, tx, bPlatform, c.ID)
			return err
		})
		wantCode(t, err, errs.NotFound)

		rec := payment(500000, 0, 0, "2025-11-04")
		// Only the platform settles: officers, the party and read-only scopes are refused.
		wantCode(t, w.pay(w.officer, c.ID, rec), errs.Forbidden)
		wantCode(t, w.pay(dbtest.Scope(w.a, "citizen", authz.Citizen), c.ID, rec), errs.Forbidden)
		ro := tenants.SubtreeScope(w.a, "platform:payments", []authz.Role{authz.Platform})
		wantCode(t, w.pay(ro, c.ID, rec), errs.Forbidden)
		wantCode(t, w.pay(bPlatform, c.ID, rec), errs.NotFound)
		// The amount must be the fine; the surcharge no more than the principal (强制法 Art. 45, 处罚法 Art. 72).
		wantCode(t, w.pay(w.platform(), c.ID, payment(400000, 0, 0, "2025-11-04")), errs.FailedPrecondition)
		wantRule(t, w.pay(w.platform(), c.ID, payment(500000, 500001, 0, "2025-11-04")), rules.GateCoercionSurcharge, "45")
		wantCode(t, w.pay(w.platform(), c.ID, payment(500000, 0, 2, "2025-11-04")), errs.FailedPrecondition) // no plan

		before := w.events(t, c.ID)
		noErr(t, w.pay(w.platform(), c.ID, rec))
		noErr(t, w.pay(w.platform(), c.ID, rec)) // a retried webhook adds nothing
		d := w.find(t, c.ID)
		if d.State != cases.StatePaid || len(d.History) != before+1 || len(d.Facts.Payments) != 1 {
			t.Fatalf("after the payment: %s, %d events (was %d), %+v", d.State, len(d.History), before, d.Facts.Payments)
		}
		if p := d.Facts.Payment; p == nil || !p.Online || p.AmountFen != 500000 || p.PaidOn != "2025-11-04" {
			t.Fatalf("payment %+v", p)
		}
		if ev := d.History[len(d.History)-1]; ev.Action != cases.ActPaymentReceived || ev.FromState != cases.StateServed || ev.ToState != cases.StatePaid ||
			ev.Actor != "platform:payments" || ev.OnDate != "2025-11-04" {
			t.Fatalf("payment event %+v", ev)
		}
		// A payment on a paid case is refused.
		wantCode(t, w.pay(w.platform(), c.ID, payment(500000, 0, 0, "2025-11-05")), errs.FailedPrecondition)

		receipt := cases.ReceiptRecord{PaymentID: rec.PaymentID, DocumentID: uuid.NewString(), Number: "闽财票(2025)000123"}
		enterReceipt := func(r cases.ReceiptRecord) error {
			return w.inTx(w.platform(), func(ctx context.Context, tx bun.Tx) error { return w.svc.RecordReceipt(ctx, tx, w.platform(), c.ID, r) })
		}
		wantCode(t, enterReceipt(cases.ReceiptRecord{PaymentID: "nope", DocumentID: receipt.DocumentID, Number: "x"}), errs.FailedPrecondition)
		noErr(t, enterReceipt(receipt))
		noErr(t, enterReceipt(receipt))
		d = w.find(t, c.ID)
		if r := ref(t, d, cases.KindFiscalReceipt); r.ID != receipt.DocumentID || r.Number != receipt.Number || d.Facts.Payments[0].ReceiptNumber != receipt.Number {
			t.Fatalf("receipt %+v %+v", r, d.Facts.Payments[0])
		}
		if d.Facts.Payment.Receipt != receipt.Number || len(d.History) != before+2 {
			t.Fatalf("payment %+v, %d events", d.Facts.Payment, len(d.History))
		}

		refund := cases.RefundRecord{PaymentID: rec.PaymentID, RefundID: uuid.NewString(), AmountFen: 200000, Reason: "reduced", Reference: "re_1", At: paidAt("2025-11-08")}
		enterRefund := func(r cases.RefundRecord) error {
			return w.inTx(w.platform(), func(ctx context.Context, tx bun.Tx) error { return w.svc.RecordRefund(ctx, tx, w.platform(), c.ID, r) })
		}
		tooMuch := refund
		tooMuch.RefundID, tooMuch.AmountFen = uuid.NewString(), 500001
		wantCode(t, enterRefund(tooMuch), errs.FailedPrecondition)
		noErr(t, enterRefund(refund))
		noErr(t, enterRefund(refund))
		if tm := w.terms(t, w.platform(), c.ID); tm.PaidFen != 500000 || tm.RefundedFen != 200000 || tm.State != "paid" {
			t.Fatalf("terms after the refund %+v", tm)
		}
		if n := w.events(t, c.ID); n != before+3 {
			t.Fatalf("%d events, want %d", n, before+3)
		}
		w.chainValid(t, c.ID)
		// The platform's entries are not steps of the API.
		_, err = w.svc.Act(ctx, w.head, c.ID, cases.ActPaymentReceived, key(), m{})
		wantCode(t, err, errs.NotFound)
	})
}

// TestInstalments: the body approves instalments on the party's application (Art. 66 ¶2), each
// refusal citing the article; the instalments are paid online one by one, the last one pays the
// case; enforcement waits for the unpaid part.
func TestInstalments(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.clock.Set("2025-10-24")
		c := w.served(t)
		plan := func(parts ...m) m {
			return m{"on": "2025-10-24", "kind": "instalments", "applied_on": "2025-10-22", "reason": "经营困难，无力一次缴清", "instalments": parts}
		}
		part := func(due string, yuan int64) m { return m{"due_on": due, "amount_fen": yuan * 100} }
		wantCode(t, w.try(w.officer, c.ID, cases.ActArrangePayment, plan(part("2025-11-05", 2000), part("2025-12-05", 3000))), errs.Forbidden)
		for name, body := range map[string]m{
			"the parts do not add up to the fine": plan(part("2025-11-05", 2000), part("2025-12-05", 2000)),
			"a part before the deadline":          plan(part("2025-11-04", 2000), part("2025-12-05", 3000)),
			"applied before service": {"on": "2025-10-24", "kind": "instalments", "applied_on": "2025-10-20", "reason": "困难",
				"instalments": []m{part("2025-11-05", 2000), part("2025-12-05", 3000)}},
			"a deferral not past the deadline": {"on": "2025-10-24", "kind": "deferral", "applied_on": "2025-10-22", "reason": "困难", "deferred_to": "2025-11-05"},
		} {
			err := w.try(w.head, c.ID, cases.ActArrangePayment, body)
			if e := errs.As(err); e.Rule == nil || e.Rule.ID != "penalty.payment_arrangement" || e.Rule.Article != "66" {
				t.Errorf("%s: %v (rule %+v), want a refusal by Art. 66", name, err, e.Rule)
			}
		}
		wantCode(t, w.try(w.head, c.ID, cases.ActArrangePayment, plan(part("2025-12-05", 2000), part("2025-11-05", 3000))), errs.Invalid)
		// A deferral approved first is replaced by instalments, none of it paid yet.
		w.act(t, w.head, c.ID, cases.ActArrangePayment, m{"on": "2025-10-24", "kind": "deferral", "applied_on": "2025-10-22", "reason": "困难", "deferred_to": "2025-12-31"})
		w.act(t, w.head, c.ID, cases.ActArrangePayment, plan(part("2025-11-05", 2000), part("2025-12-05", 2000), part("2026-01-05", 1000)))
		tm := w.terms(t, w.platform(), c.ID)
		if tm.Plan == nil || tm.Plan.Kind != cases.PlanInstalments || len(tm.Plan.Instalments) != 3 || tm.Plan.Instalments[2].AmountFen != 100000 ||
			tm.Plan.Instalments[2].Seq != 3 || tm.PayDue != "2025-11-05" {
			t.Fatalf("terms with the plan %+v", tm.Plan)
		}
		if dl := deadline(t, w.find(t, c.ID), rules.PenaltyPayment); dl.Due != "2025-11-05" || dl.Adjusted == nil {
			t.Errorf("payment deadline with the plan %+v", dl)
		}

		w.clock.Set("2025-11-20")
		noErr(t, w.pay(w.platform(), c.ID, payment(200000, 0, 1, "2025-11-04")))
		d := w.find(t, c.ID)
		if d.State != cases.StateServed || d.Facts.Plan.Instalments[0].PaidOn != "2025-11-04" || d.Facts.Payment != nil {
			t.Fatalf("after instalment 1: %s %+v", d.State, d.Facts.Plan)
		}
		// The next part is due 2025-12-05: the payment deadline shows it, enforcement waits for it.
		if dl := deadline(t, d, rules.PenaltyPayment); dl.Due != "2025-12-05" {
			t.Errorf("payment deadline after instalment 1 %+v", dl)
		}
		wantRule(t, w.try(w.head, c.ID, cases.ActReferEnforcement, m{"on": "2025-11-20", "reason": "逾期"}), rules.PenaltyPayment, "67")
		// Once a part is paid the plan stands.
		again := plan(part("2025-12-05", 1500), part("2026-01-05", 1500))
		again["on"] = "2025-11-20"
		wantCode(t, w.try(w.head, c.ID, cases.ActArrangePayment, again), errs.Conflict)
		wantCode(t, w.pay(w.platform(), c.ID, payment(200000, 0, 1, "2025-11-05")), errs.FailedPrecondition) // paid already
		wantCode(t, w.pay(w.platform(), c.ID, payment(100000, 0, 2, "2025-11-05")), errs.FailedPrecondition) // not the part's amount
		if tm := w.terms(t, w.platform(), c.ID); tm.PaidFen != 200000 {
			t.Errorf("paid so far %d", tm.PaidFen)
		}
		w.clock.Set("2026-01-10")
		noErr(t, w.pay(w.platform(), c.ID, payment(200000, 0, 2, "2025-12-05")))
		noErr(t, w.pay(w.platform(), c.ID, payment(100000, 0, 3, "2026-01-05")))
		d = w.find(t, c.ID)
		if d.State != cases.StatePaid || d.Facts.Payment == nil || d.Facts.Payment.AmountFen != 500000 || d.Facts.Payment.PaidOn != "2026-01-05" {
			t.Fatalf("after the last instalment: %s %+v", d.State, d.Facts.Payment)
		}
		w.act(t, w.officer, c.ID, cases.ActClose, m{"on": "2026-01-06", "reason": "分期缴清"})
		w.chainValid(t, c.ID)
	})
}

// TestRemediesPauseTheSurcharge: a reconsideration filed opens a pause in the terms, its decision
// closes it; one pending of each kind at a time.
func TestRemediesPauseTheSurcharge(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.clock.Set("2025-12-10")
		c := w.served(t)
		wantCode(t, w.try(w.officer, c.ID, cases.ActRecordRemedy, m{"on": "2025-11-01", "kind": "reconsideration", "event": "decided", "outcome": "upheld"}), errs.FailedPrecondition)
		w.act(t, w.officer, c.ID, cases.ActRecordRemedy, m{"on": "2025-11-01", "kind": "reconsideration", "event": "filed", "body": "A县人民政府", "ref": "复议〔2025〕8号"})
		wantCode(t, w.try(w.officer, c.ID, cases.ActRecordRemedy, m{"on": "2025-11-02", "kind": "reconsideration", "event": "filed", "body": "A县人民政府"}), errs.Conflict)
		tm := w.terms(t, w.platform(), c.ID)
		if len(tm.Paused) != 1 || tm.Paused[0] != (cases.Pause{Kind: "reconsideration", From: "2025-11-01"}) {
			t.Fatalf("paused %+v", tm.Paused)
		}
		w.act(t, w.officer, c.ID, cases.ActRecordRemedy, m{"on": "2025-12-01", "kind": "reconsideration", "event": "decided", "outcome": "upheld"})
		tm = w.terms(t, w.platform(), c.ID)
		if len(tm.Paused) != 1 || tm.Paused[0].To != "2025-12-01" || tm.FineFen != 500000 {
			t.Fatalf("paused after the decision %+v", tm.Paused)
		}
		// A plain case has no pause.
		if tm := w.terms(t, w.platform(), w.served(t).ID); len(tm.Paused) != 0 || tm.Plan != nil {
			t.Fatalf("plain terms %+v", tm)
		}
	})
}

// TestReviseDecision: a reduced fine after an online payment writes the refund of the difference
// with the step; a revocation with nothing paid online closes the case and writes none; a
// reduction below what instalments paid pays the case.
func TestReviseDecision(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db)
		w.clock.Set("2025-12-10")

		paid := w.served(t)
		noErr(t, w.pay(w.platform(), paid.ID, payment(500000, 0, 0, "2025-11-04")))
		wantCode(t, w.try(w.officer, paid.ID, cases.ActReviseDecision, m{"on": "2025-12-01", "outcome": "reduced", "fine_fen": 300000, "basis": "reconsideration", "reason": "x"}), errs.Forbidden)
		wantCode(t, w.try(w.head, paid.ID, cases.ActReviseDecision, m{"on": "2025-12-01", "outcome": "reduced", "fine_fen": 500000, "basis": "reconsideration", "reason": "x"}), errs.Invalid)
		res := w.act(t, w.head, paid.ID, cases.ActReviseDecision, m{"on": "2025-12-01", "outcome": "reduced", "fine_fen": 300000, "basis": "reconsideration",
			"ref": "复议〔2025〕8号", "reason": "复议决定变更罚款数额"})
		if res.Case.State != cases.StatePaid || res.Case.Facts.Revision.FineFen != 300000 || res.Case.Facts.Revision.RefundFen != 200000 {
			t.Fatalf("reduced: %s %+v", res.Case.State, res.Case.Facts.Revision)
		}
		if rs := w.refunds(t, paid.ID); len(rs) != 1 || rs[0].AmountFen != 200000 || rs[0].Reason != "reduced" {
			t.Fatalf("refund tasks %+v", rs)
		}
		if tm := w.terms(t, w.platform(), paid.ID); tm.FineFen != 300000 || tm.Revoked {
			t.Errorf("terms after the reduction %+v", tm)
		}

		unpaid := w.served(t)
		res = w.act(t, w.head, unpaid.ID, cases.ActReviseDecision, m{"on": "2025-12-01", "outcome": "revoked", "basis": "self_correction", "reason": "事实认定错误"})
		if res.Case.State != cases.StateClosed || res.Case.Facts.ClosedOn != "2025-12-01" {
			t.Fatalf("revoked: %s", res.Case.State)
		}
		if rs := w.refunds(t, unpaid.ID); len(rs) != 0 {
			t.Fatalf("a refund with nothing paid: %+v", rs)
		}
		if tm := w.terms(t, w.platform(), unpaid.ID); tm.FineFen != 0 || !tm.Revoked {
			t.Errorf("terms after the revocation %+v", tm)
		}
		wantCode(t, w.pay(w.platform(), unpaid.ID, payment(500000, 0, 0, "2025-12-02")), errs.FailedPrecondition)

		// Instalments paid ¥2,000 of ¥5,000; the fine reduced to ¥1,500: paid, ¥500 refunded.
		w.clock.Set("2025-10-24")
		split := w.served(t)
		w.act(t, w.head, split.ID, cases.ActArrangePayment, m{"on": "2025-10-24", "kind": "instalments", "applied_on": "2025-10-24", "reason": "困难",
			"instalments": []m{{"due_on": "2025-11-05", "amount_fen": 200000}, {"due_on": "2025-12-05", "amount_fen": 300000}}})
		w.clock.Set("2025-12-10")
		noErr(t, w.pay(w.platform(), split.ID, payment(200000, 0, 1, "2025-11-05")))
		res = w.act(t, w.head, split.ID, cases.ActReviseDecision, m{"on": "2025-12-01", "outcome": "reduced", "fine_fen": 150000, "basis": "litigation", "reason": "判决变更"})
		if res.Case.State != cases.StatePaid || res.Case.Facts.Plan.Instalments[1].AmountFen != 0 {
			t.Fatalf("reduced below the paid part: %s %+v", res.Case.State, res.Case.Facts.Plan)
		}
		if rs := w.refunds(t, split.ID); len(rs) != 1 || rs[0].AmountFen != 50000 {
			t.Fatalf("refund tasks %+v", rs)
		}
		for _, id := range []string{paid.ID, unpaid.ID, split.ID} {
			w.chainValid(t, id)
		}
	})
}
