package payments_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/delivery/deliverytask"
	"zhifa/modules/documents"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
)

// signed returns payload's Stripe-Signature header, made by stripe-go's test helper.
func signed(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

// TestWebhook verifies and processes Stripe's events: refused ones write nothing; a paid session
// marks its payment paid once, enters it on the chain and writes the receipt task; replays and
// events arriving out of order change nothing.
func TestWebhook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db, worldOpts{account: true})
		c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
		co := w.checkout(t, c.CaseID)
		session := w.sessionOf(t, co.PaymentID)
		completed := sessionEvent("evt_1", payments.EventSessionCompleted, session, w.county.ID, c.CaseID, co.PaymentID, true, 515000)
		now := time.Now()

		// Refused: wrong secret, tampered body, stale timestamp, no signature. 400, nothing written.
		tampered := bytes.Replace(completed, []byte("515000"), []byte("000001"), 1)
		for name, try := range map[string]struct {
			body []byte
			sig  string
		}{
			"wrong secret":    {completed, signed(completed, "whsec_notTheAccountsSecret", now)},
			"tampered body":   {tampered, signed(completed, whsec, now)},
			"stale timestamp": {completed, signed(completed, whsec, now.Add(-10*time.Minute))},
			"no signature":    {completed, ""},
		} {
			_, err := w.svc.HandleWebhook(ctx, w.prov.ID, try.body, try.sig)
			if e := errs.As(err); e.Code != errs.Invalid || e.Message.ZH == "" || e.Message.EN == "" {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := w.svc.HandleWebhook(ctx, "999999", completed, signed(completed, whsec, now)); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown account: %v", err)
		}
		if p := w.payment(t, c.CaseID, co.PaymentID); p.Status != payments.StatusPending {
			t.Fatalf("a refused event changed the payment: %s", p.Status)
		}
		if n := len(w.outbox(t, w.county, payments.IssueReceipt.Type)); n != 0 || w.cases.calls != 0 {
			t.Fatalf("a refused event wrote %d tasks and %d chain entries", n, w.cases.calls)
		}

		// The account is the province's: its address receives the county's events.
		r, err := w.svc.HandleWebhook(ctx, w.prov.ID, completed, signed(completed, whsec, now))
		noErr(t, err)
		if r.Outcome != "paid" {
			t.Fatalf("outcome %q", r.Outcome)
		}
		p := w.payment(t, c.CaseID, co.PaymentID)
		if p.Status != payments.StatusPaid || p.PaidAt == nil || p.Reference != "pi_3TestIntent" {
			t.Fatalf("payment after the event: %+v", p)
		}
		rec, ok := w.cases.payment(co.PaymentID)
		if !ok || rec.PrincipalFen != 500000 || rec.SurchargeFen != 15000 || rec.Reference != "pi_3TestIntent" || rec.Simulated {
			t.Errorf("chain entry: %+v %v", rec, ok)
		}
		if n := len(w.outbox(t, w.county, payments.IssueReceipt.Type)); n != 1 {
			t.Errorf("%d receipt tasks, want 1", n)
		}

		// Replayed, and late events of the same payment: nothing more.
		r, err = w.svc.HandleWebhook(ctx, w.prov.ID, completed, signed(completed, whsec, now))
		noErr(t, err)
		if r.Outcome != "duplicate" {
			t.Errorf("replay: %q", r.Outcome)
		}
		expired := sessionEvent("evt_2", payments.EventSessionExpired, session, w.county.ID, c.CaseID, co.PaymentID, false, 515000)
		failed, _ := json.Marshal(map[string]any{"id": "evt_3", "object": "event", "type": payments.EventIntentFailed,
			"data": map[string]any{"object": map[string]any{"id": "pi_3TestIntent", "object": "payment_intent",
				"last_payment_error": map[string]any{"message": "card declined"},
				"metadata":           map[string]string{"tenant_id": w.county.ID, "case_id": c.CaseID, "payment_id": co.PaymentID}}}})
		for _, ev := range [][]byte{expired, failed} {
			r, err := w.svc.HandleWebhook(ctx, w.prov.ID, ev, signed(ev, whsec, now))
			noErr(t, err)
			if r.Outcome != "unchanged" {
				t.Errorf("late %s: %q", r.Type, r.Outcome)
			}
		}
		if p := w.payment(t, c.CaseID, co.PaymentID); p.Status != payments.StatusPaid || w.cases.calls != 1 {
			t.Errorf("after replays: %s, %d chain calls", p.Status, w.cases.calls)
		}
		if n := len(w.outbox(t, w.county, payments.IssueReceipt.Type)); n != 1 {
			t.Errorf("%d receipt tasks after replays, want 1", n)
		}

		// Failure then expiry of another checkout: both taken, in that order.
		c2 := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
		co2 := w.checkout(t, c2.CaseID)
		s2 := w.sessionOf(t, co2.PaymentID)
		fail2 := bytes.ReplaceAll(bytes.ReplaceAll(failed, []byte(co.PaymentID), []byte(co2.PaymentID)), []byte("evt_3"), []byte("evt_4"))
		r, err = w.svc.HandleWebhook(ctx, w.prov.ID, fail2, signed(fail2, whsec, now))
		noErr(t, err)
		if p := w.payment(t, c2.CaseID, co2.PaymentID); r.Outcome != "failed" || p.Status != payments.StatusFailed {
			t.Errorf("payment failed: %q, %s", r.Outcome, p.Status)
		}
		exp2 := sessionEvent("evt_5", payments.EventSessionExpired, s2, w.county.ID, c2.CaseID, co2.PaymentID, false, 515000)
		r, err = w.svc.HandleWebhook(ctx, w.prov.ID, exp2, signed(exp2, whsec, now))
		noErr(t, err)
		if p := w.payment(t, c2.CaseID, co2.PaymentID); r.Outcome != "expired" || p.Status != payments.StatusExpired {
			t.Errorf("expired: %q, %s", r.Outcome, p.Status)
		}

		// An event naming a tenant outside the account, and one of an unknown type.
		foreign := sessionEvent("evt_6", payments.EventSessionCompleted, session, w.other.ID, c.CaseID, co.PaymentID, true, 515000)
		if _, err := w.svc.HandleWebhook(ctx, w.prov.ID, foreign, signed(foreign, whsec, now)); !errs.Is(err, errs.Invalid) {
			t.Errorf("foreign tenant: %v", err)
		}
		other, _ := json.Marshal(map[string]any{"id": "evt_7", "object": "event", "type": "customer.created",
			"data": map[string]any{"object": map[string]any{"id": "cus_1", "object": "customer"}}})
		r, err = w.svc.HandleWebhook(ctx, w.prov.ID, other, signed(other, whsec, now))
		noErr(t, err)
		if r.Outcome != "ignored" {
			t.Errorf("other type: %q", r.Outcome)
		}
	})
}

// TestReceipt issues the fiscal e-receipt of a paid payment once: a signed PDF with the number of
// the body's series for the year, the items and the amount in figures and in capitals, the check
// code; entered on the chain and handed to delivery.
func TestReceipt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db, worldOpts{account: true})
		c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
		co := w.checkout(t, c.CaseID)
		ev := sessionEvent("evt_r1", payments.EventSessionCompleted, w.sessionOf(t, co.PaymentID), w.county.ID, c.CaseID, co.PaymentID, true, 515000)
		_, err := w.svc.HandleWebhook(ctx, w.prov.ID, ev, signed(ev, whsec, time.Now()))
		noErr(t, err)

		// Not paid: refused for good.
		if err := runTask(t, w, w.county, payments.IssueReceipt, payments.ReceiptTask{PaymentID: w.checkoutOther(t).PaymentID}); err == nil {
			t.Error("a receipt for an unpaid payment")
		}
		for range 2 { // the second run finds the receipt and does nothing
			noErr(t, runTask(t, w, w.county, payments.IssueReceipt, payments.ReceiptTask{PaymentID: co.PaymentID}))
		}
		p := w.payment(t, c.CaseID, co.PaymentID)
		if p.ReceiptID == "" || !strings.HasSuffix(p.ReceiptNumber, "票〔2025〕1号") {
			t.Fatalf("receipt: %q %q", p.ReceiptID, p.ReceiptNumber)
		}
		if rec, ok := w.cases.receipt(co.PaymentID); !ok || rec.DocumentID != p.ReceiptID || rec.Number != p.ReceiptNumber {
			t.Errorf("chain entry: %+v", rec)
		}
		deliveries := w.outbox(t, w.county, deliverytask.Deliver.Type)
		if len(deliveries) != 1 || !strings.Contains(deliveries[0], p.ReceiptID) || !strings.Contains(deliveries[0], `"document":"fiscal_receipt"`) ||
			!strings.Contains(deliveries[0], `"id_number":"350102198503120014"`) {
			t.Fatalf("delivery tasks: %v", deliveries)
		}
		reader := dbtest.Scope(w.county, "officer", authz.Officer)
		docs, err := w.docs.List(ctx, reader, c.CaseID)
		noErr(t, err)
		if len(docs) != 1 || docs[0].Type != documents.TypeFiscalReceipt {
			t.Fatalf("%d documents", len(docs))
		}
		pdf, _, err := w.docs.PDF(ctx, reader, p.ReceiptID)
		noErr(t, err)
		text := pdfText(t, pdf)
		for _, want := range []string{"财政电子票据", "王小明", "尤溪县市场监督管理局", "罚款", "加处罚款", "5,000.00", "150.00", "伍仟壹佰伍拾元整",
			"5,150.00", "尤市监罚〔2025〕3号", p.ReceiptNumber, "校验码"} {
			if !strings.Contains(text, want) {
				t.Errorf("the receipt lacks %q", want)
			}
		}
		if strings.Contains(text, "模拟") || strings.Contains(text, "19850312") {
			t.Errorf("a real receipt says simulated, or shows the birth date: %s", text)
		}
		v, err := w.docs.VerifyByID(ctx, p.ReceiptID)
		noErr(t, err)
		if !v.Valid || v.Status != documents.VerdictAuthentic {
			t.Errorf("the receipt does not verify: %+v", v)
		}
	})
}

// checkoutOther starts a checkout on a fresh case, left unpaid.
func (w *world) checkoutOther(t testing.TB) *payments.Checkout {
	return w.checkout(t, w.newCase(t, 100000, "2025-09-19", "2025-10-09").CaseID)
}
