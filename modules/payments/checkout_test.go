package payments_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
)

// TestCheckoutWithStripe starts payments against stripe-mock: the amount due on the day (fine
// and Art. 72 surcharge), one pending payment per case and amount, same-origin return addresses,
// and who may do it.
func TestCheckoutWithStripe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db, worldOpts{account: true})
		c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")

		q, err := w.svc.Quote(ctx, w.party, c.CaseID)
		noErr(t, err)
		if q.TotalFen != 515000 || q.SurchargeFen != 15000 || q.LateDays != 1 {
			t.Fatalf("quote on 10 Oct = %+v", q)
		}
		co := w.checkout(t, c.CaseID)
		if co.Simulated || !strings.HasPrefix(co.URL, "https://") || strings.Contains(co.URL, publicURL) || co.Quote.TotalFen != 515000 {
			t.Fatalf("checkout = %+v", co)
		}
		if s := w.sessionOf(t, co.PaymentID); !strings.HasPrefix(s, "cs_") {
			t.Errorf("session %q", s)
		}
		again := w.checkout(t, c.CaseID)
		if again.PaymentID != co.PaymentID || again.URL != co.URL {
			t.Errorf("a second checkout of the same amount made another payment: %s, %s", again.PaymentID, co.PaymentID)
		}
		// The next day the amount differs: a new payment.
		w.clock.Set("2025-10-11")
		next := w.checkout(t, c.CaseID)
		if next.PaymentID == co.PaymentID || next.Quote.TotalFen != 530000 {
			t.Errorf("next day: %+v", next)
		}
		// ... which supersedes the first: one payment of the case is payable at a time.
		if old := w.payment(t, c.CaseID, co.PaymentID); old.Status != payments.StatusExpired {
			t.Errorf("the superseded payment is %s, want expired", old.Status)
		}
		// The same Idempotency-Key returns the same checkout, whatever day it is retried.
		in := payments.CheckoutInput{SuccessURL: successURL, CancelURL: cancelURL, IdempotencyKey: "k-1"}
		first, err := w.svc.Checkout(ctx, w.party, c.CaseID, in)
		noErr(t, err)
		w.clock.Set("2025-10-12")
		second, err := w.svc.Checkout(ctx, w.party, c.CaseID, in)
		noErr(t, err)
		if first.PaymentID != second.PaymentID {
			t.Errorf("idempotency key: %s then %s", first.PaymentID, second.PaymentID)
		}

		for _, bad := range []payments.CheckoutInput{
			{SuccessURL: "https://evil.example/paid", CancelURL: cancelURL},
			{SuccessURL: successURL, CancelURL: "http://zhifa.example.gov.cn/portal"},
			{SuccessURL: "/portal/paid", CancelURL: cancelURL},
			{SuccessURL: "https://user@zhifa.example.gov.cn/x", CancelURL: cancelURL},
		} {
			_, err := w.svc.Checkout(ctx, w.party, c.CaseID, bad)
			if e := errs.As(err); e.Code != errs.Invalid || len(e.Fields) != 1 {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		_, err = w.svc.Checkout(ctx, w.officer, c.CaseID, in)
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.Checkout(ctx, w.party, w.newCase(t, 100000, "2025-09-19", "2025-10-09").CaseID, in)
		wantCode(t, err, errs.Conflict) // the key was used for another case
		_, err = w.svc.Checkout(ctx, dbtest.Scope(w.other, "citizen-1", authz.Citizen), c.CaseID, in)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.Quote(ctx, dbtest.Scope(w.other, "citizen-1", authz.Citizen), c.CaseID)
		wantCode(t, err, errs.NotFound)

		// Nothing to pay, and not served.
		paid := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
		paid.PaidFen = 500000
		w.cases.put(*paid)
		_, err = w.svc.Checkout(ctx, w.party, paid.CaseID, payments.CheckoutInput{SuccessURL: successURL, CancelURL: cancelURL})
		wantCode(t, err, errs.FailedPrecondition)
		unserved := w.newCase(t, 500000, "", "")
		_, err = w.svc.Checkout(ctx, w.party, unserved.CaseID, payments.CheckoutInput{SuccessURL: successURL, CancelURL: cancelURL})
		wantCode(t, err, errs.FailedPrecondition)
	})
}

// TestCheckoutNeedsAnAccount refuses online payment where no account is set and simulation is off,
// and lets a county use its own account instead of the province's.
func TestCheckoutNeedsAnAccount(t *testing.T) {
	db := dbtest.SQLite(t)
	w := newWorld(t, db, worldOpts{})
	c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
	_, err := w.svc.Checkout(ctx, w.party, c.CaseID, payments.CheckoutInput{SuccessURL: successURL, CancelURL: cancelURL})
	wantCode(t, err, errs.FailedPrecondition)
	w.setSecret(t, w.countyOp, payments.SettingSecretKey, "sk_test_countyOwnAccountKey9999")
	co := w.checkout(t, c.CaseID)
	if co.Simulated || co.URL == "" {
		t.Errorf("with the county's account: %+v", co)
	}
}
