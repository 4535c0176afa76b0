package payments_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

// FuzzWebhook posts any body to the province's webhook, signed with the account's secret now or
// with any Stripe-Signature header. A body the header does not sign is refused before it is read, with
// the refusal in both languages, and writes nothing; a signed one is processed or refused with a
// 4xx error, never a panic or a 5xx.
func FuzzWebhook(f *testing.F) {
	w := newWorld(f, dbtest.SQLite(f), worldOpts{account: true})
	c := w.newCase(f, 500000, "2025-09-19", "2025-10-09")
	co := w.checkout(f, c.CaseID)
	session := w.sessionOf(f, co.PaymentID)
	completed := sessionEvent("evt_1", payments.EventSessionCompleted, session, w.county.ID, c.CaseID, co.PaymentID, true, 515000)
	expired := sessionEvent("evt_2", payments.EventSessionExpired, session, w.county.ID, c.CaseID, co.PaymentID, false, 515000)
	now := time.Now()
	for _, s := range []struct {
		body   []byte
		header string
		sign   bool
	}{
		{completed, "", true},
		{expired, "", true},
		{completed, signed(completed, whsec, now), false},
		{completed, signed(completed, "whsec_notTheAccountsSecret", now), false},
		{completed, signed(completed, whsec, now.Add(-10*time.Minute)), false},
		{[]byte(strings.Replace(string(completed), w.county.ID, w.other.ID, 1)), "", true},
		{[]byte(`{"id":"evt_3","object":"event","type":"payment_intent.payment_failed","data":{"object":{"id":"pi_3TestIntent","object":"payment_intent","last_payment_error":{"message":"declined"}}}}`), "", true},
		{[]byte(`{"id":"evt_4","type":"checkout.session.completed","data":{"object":{"payment_intent":{"id":7},"metadata":{"tenant_id":"x"}}}}`), "", true},
		{[]byte(`{}`), "t=1,v1=00", false},
		{nil, "", false},
	} {
		f.Add(s.body, s.header, s.sign)
	}
	events := func(t *testing.T) int64 {
		var n int64
		noErr(t, tenants.RunInTx(ctx, w.db, tenants.System("test: count webhook events"), func(ctx context.Context, tx bun.Tx) error {
			var err error
			n, err = tx.NewSelect().Table("payment_events").Count(ctx)
			return err
		}))
		return n
	}
	refusals := map[string]bool{
		"the webhook's signature does not verify (wrong secret or altered body): nothing was done": true,
		"the webhook's signature timestamp is too old: nothing was done":                           true,
	}
	f.Fuzz(func(t *testing.T, body []byte, header string, sign bool) {
		if sign {
			header = payments.SignPayload(body, whsec, time.Now())
		}
		sign = webhook.ValidatePayload(body, header, whsec) == nil
		before := events(t)
		reply, err := w.svc.HandleWebhook(ctx, w.prov.ID, body, header)
		e := errs.As(err)
		switch {
		case err == nil && (!reply.Received || reply.EventID == "" || reply.Outcome == ""):
			t.Fatalf("reply %+v", reply)
		case err != nil && (e.Code.HTTPStatus() >= 500 || e.Message.ZH == "" || e.Message.EN == ""):
			t.Fatalf("refused with %s (%d): %v", e.Code, e.Code.HTTPStatus(), err)
		case sign:
			return
		case err == nil || e.Code != errs.Invalid || !refusals[e.Message.EN]:
			t.Fatalf("a body its header does not sign: %+v, %v; want the signature refused", reply, err)
		}
		if n := events(t); n != before {
			t.Fatalf("a refused webhook wrote %d events", n-before)
		}
	})
}
