package payments_test

import (
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/cases"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
	"zhifa/modules/payments/paymenttask"
)

// paid makes a case with a payment paid through the webhook (¥5,150.00: the fine and one day's
// surcharge).
func (w *world) paid(t testing.TB) (*cases.PaymentTerms, string) {
	t.Helper()
	c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
	co := w.checkout(t, c.CaseID)
	ev := sessionEvent("evt_"+co.PaymentID, payments.EventSessionCompleted, w.sessionOf(t, co.PaymentID), w.county.ID, c.CaseID, co.PaymentID, true, 515000)
	_, err := w.svc.HandleWebhook(ctx, w.prov.ID, ev, signed(ev, whsec, time.Now()))
	noErr(t, err)
	return c, co.PaymentID
}

// TestRefunds refunds through stripe-mock: by hand (a body head, with an Idempotency-Key) and by
// the case engine's task (the total to refund on the case), never more than was paid, each once.
func TestRefunds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db, worldOpts{account: true})
		c, id := w.paid(t)
		in := payments.RefundInput{AmountFen: 100000, Reason: payments.ReasonReduced, IdempotencyKey: "r-1"}
		r, err := w.svc.RefundPayment(ctx, w.head, id, in)
		noErr(t, err)
		if r.Status != payments.RefundSucceeded || r.Reference == "" || r.AmountFen != 100000 {
			t.Fatalf("refund = %+v", r)
		}
		again, err := w.svc.RefundPayment(ctx, w.head, id, in)
		noErr(t, err)
		if again.ID != r.ID || w.cases.refundTotal() != 100000 {
			t.Errorf("a repeated key refunded again: %s %s, %d on the chain", again.ID, r.ID, w.cases.refundTotal())
		}
		for name, try := range map[string]struct {
			in   payments.RefundInput
			code errs.Code
		}{
			"more than is left":  {payments.RefundInput{AmountFen: 415001, Reason: payments.ReasonReduced, IdempotencyKey: "r-2"}, errs.FailedPrecondition},
			"no key":             {payments.RefundInput{AmountFen: 1, Reason: payments.ReasonReduced}, errs.Invalid},
			"bad reason":         {payments.RefundInput{AmountFen: 1, Reason: "because", IdempotencyKey: "r-3"}, errs.Invalid},
			"key of another one": {payments.RefundInput{AmountFen: 5, Reason: payments.ReasonReduced, IdempotencyKey: "r-1"}, errs.Conflict},
		} {
			_, err := w.svc.RefundPayment(ctx, w.head, id, try.in)
			if !errs.Is(err, try.code) {
				t.Errorf("%s: %v, want %s", name, err, try.code)
			}
		}
		ok := payments.RefundInput{AmountFen: 1, Reason: payments.ReasonReduced, IdempotencyKey: "r-4"}
		_, err = w.svc.RefundPayment(ctx, w.officer, id, ok)
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.RefundPayment(ctx, dbtest.BodyScope(w.county, "head-2", []string{"another-body"}, authz.BodyHead), id, ok)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.RefundPayment(ctx, dbtest.Scope(w.other, "head-3", authz.BodyHead), id, ok)
		wantCode(t, err, errs.NotFound)

		// The decision is revoked: the case engine asks for everything back. Twice: once.
		for range 2 {
			noErr(t, runTask(t, w, w.county, paymenttask.Refund, paymenttask.RefundCase{CaseID: c.CaseID, AmountFen: 515000, Reason: payments.ReasonRevoked}))
		}
		p := w.payment(t, c.CaseID, id)
		if p.Status != payments.StatusRefunded || p.RefundedFen != 515000 || len(p.Refunds) != 2 || w.cases.refundTotal() != 515000 {
			t.Fatalf("after the task: %s refunded %d in %d refunds, %d on the chain", p.Status, p.RefundedFen, len(p.Refunds), w.cases.refundTotal())
		}
		_, err = w.svc.RefundPayment(ctx, w.head, id, ok)
		wantCode(t, err, errs.FailedPrecondition)
		if err := runTask(t, w, w.county, paymenttask.Refund, paymenttask.RefundCase{CaseID: c.CaseID, AmountFen: -1, Reason: "x"}); err == nil {
			t.Error("a bad refund task was accepted")
		}
	})
}

// TestReconcile compares recent payments with Stripe's records. stripe-mock answers every
// retrieval with the same open, unpaid session of no amount, so a payment paid here disagrees in
// status and amount: warnings, counted again on the next run, listed for staff.
func TestReconcile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db, worldOpts{account: true})
		_, id := w.paid(t)
		pending := w.checkoutOther(t) // open at stripe-mock too: agrees
		for range 2 {
			noErr(t, w.runPeriodic(t, payments.Reconcile))
		}
		ws, err := w.svc.Warnings(ctx, w.officer, 100)
		noErr(t, err)
		kinds := map[string]payments.Warning{}
		for _, x := range ws {
			if x.PaymentID == pending.PaymentID {
				t.Errorf("a pending payment open at the provider was warned of: %+v", x)
			}
			kinds[x.Kind] = x
		}
		st, am := kinds["status"], kinds["amount"]
		if st.PaymentID != id || st.Seen != 2 || st.Local != "paid" || st.Remote != "open/unpaid" || am.Local != "515000 cny" || st.Message.ZH == "" {
			t.Errorf("warnings = %+v", ws)
		}
		if other, _ := w.svc.Warnings(ctx, dbtest.Scope(w.other, "o", authz.Officer), 100); len(other) != 0 {
			t.Errorf("another tenant sees %d warnings", len(other))
		}
		_, err = w.svc.Warnings(ctx, w.party, 100)
		wantCode(t, err, errs.Forbidden)
	})
}

// TestCompare is the reconciliation's comparison on its own: what agrees, and each disagreement.
func TestCompare(t *testing.T) {
	now := time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)
	amt := func(n int64) *int64 { return &n }
	pay := func(s payments.Status) payments.Payment {
		return payments.Payment{Status: s, TotalFen: 515000, Currency: "cny", ExpiresAt: now.Add(-2 * time.Hour)}
	}
	paidRemote := payments.Remote{Found: true, Status: "complete", PaymentStatus: "paid", AmountTotal: amt(515000), Currency: "cny"}
	tests := []struct {
		name  string
		p     payments.Payment
		r     payments.Remote
		kinds []string
	}{
		{"paid and paid", pay(payments.StatusPaid), paidRemote, nil},
		{"refunded is still a paid session", pay(payments.StatusRefunded), paidRemote, nil},
		{"pending and open", pay(payments.StatusPending), payments.Remote{Found: true, Status: "open", PaymentStatus: "unpaid"}, nil},
		{"failed and open", pay(payments.StatusFailed), payments.Remote{Found: true, Status: "open", PaymentStatus: "unpaid"}, nil},
		{"expired and expired", pay(payments.StatusExpired), payments.Remote{Found: true, Status: "expired", PaymentStatus: "unpaid"}, nil},
		{"paid here, unpaid there (stripe-mock's sample)", pay(payments.StatusPaid), payments.Remote{Found: true, Status: "open", PaymentStatus: "unpaid"}, []string{"status", "amount"}},
		{"paid, another amount", pay(payments.StatusPaid), payments.Remote{Found: true, Status: "complete", PaymentStatus: "paid", AmountTotal: amt(500000), Currency: "cny"}, []string{"amount"}},
		{"paid, another currency", pay(payments.StatusPaid), payments.Remote{Found: true, Status: "complete", PaymentStatus: "paid", AmountTotal: amt(515000), Currency: "usd"}, []string{"amount"}},
		{"pending here, paid there: the webhook was missed", pay(payments.StatusPending), paidRemote, []string{"status"}},
		{"expired here, paid there", pay(payments.StatusExpired), paidRemote, []string{"status"}},
		{"expired here long ago, still open there", pay(payments.StatusExpired), payments.Remote{Found: true, Status: "open", PaymentStatus: "unpaid"}, []string{"status"}},
		{"unknown at the provider", pay(payments.StatusPaid), payments.Remote{}, []string{"missing"}},
	}
	for _, c := range tests {
		var got []string
		for _, m := range payments.Compare(c.p, c.r, now) {
			got = append(got, m.Kind)
		}
		if len(got) != len(c.kinds) || (len(got) > 0 && got[0] != c.kinds[0]) {
			t.Errorf("%s: %v, want %v", c.name, got, c.kinds)
		}
	}
	recent := pay(payments.StatusExpired)
	recent.ExpiresAt = now.Add(-10 * time.Minute)
	if ms := payments.Compare(recent, payments.Remote{Found: true, Status: "open", PaymentStatus: "unpaid"}, now); len(ms) != 0 {
		t.Errorf("a checkout expired here minutes ago and not yet closed there: %v", ms)
	}
}
