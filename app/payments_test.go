package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
	"github.com/uptrace/bun"

	"zhifa/app/testenv"
	"zhifa/app/testkit"
	"zhifa/config"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

// The payments tests run online payment across the modules on the whole platform, on SQLite and
// PostgreSQL, with stripe-mock as Stripe and a worker on a real Redis: the county's Stripe account
// set through the settings API (shown masked, inherited from the province by a county without
// one); the demo citizen proving to be the party in the portal, consenting to e-delivery and
// checking out; the signed webhook (refused when it does not verify, processed once, harmless out
// of order); the case paid on its verified chain; the fiscal e-receipt issued, verifiable and in
// the citizen's inbox; refunds when the decision is reduced or revoked and by the body head's
// hand; and the reconciliation warnings, for the county's staff only.

const (
	youxi          = "350426"
	countyKey      = "sk_test_youxiCountyAccountKey00004242"
	countyWhsec    = "whsec_youxiCountyWebhookSecret009876"
	provinceKey    = "sk_test_provinceAccountKey0000001111"
	provinceWhsec  = "whsec_provinceWebhookSecret00005555"
	demoPayTitle   = "未经登记从事食品摊贩经营"
	demoProof      = "152318" // the last six of the demo citizen's 350426198803152318
	demoFineFen    = 200000
	reducedFineFen = 150000
)

// list returns the objects of a JSON array member of a reply.
func list(r reply, key string) []map[string]any {
	raw, _ := r.Body[key].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// fen reads an amount of a JSON object.
func fen(m map[string]any, key string) int64 {
	v, _ := m[key].(float64)
	return int64(v)
}

// key is a fresh Idempotency-Key header.
func key() []string { return []string{"Idempotency-Key", uuid.NewString()} }

// takeStep takes a case action through the API and returns the case as it left it; the test fails
// unless the step is taken. A step that loses a race with the platform's own entries (a receipt or its arrival recorded by
// the worker at that moment) answers 409; like the console, it is taken again (with a new key),
// at most three times.
func takeStep(t *testing.T, p *platform, tok, caseID, action string, body map[string]any) map[string]any {
	t.Helper()
	var r reply
	for range 3 {
		if r = p.do(http.MethodPost, "/api/v1/cases/"+caseID+"/actions/"+action, tok, "", body, key()...); r.Status != http.StatusConflict {
			break
		}
	}
	c, _ := r.Body["case"].(map[string]any)
	if r.Status != http.StatusOK || c == nil {
		t.Fatalf("%s: %d %s", action, r.Status, r.Raw)
	}
	return c
}

// caseDetail reads a case as staff see it.
func caseDetail(t *testing.T, p *platform, tok, caseID string) reply {
	t.Helper()
	r := p.do(http.MethodGet, "/api/v1/cases/"+caseID, tok, "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("case %s: %d %s", caseID, r.Status, r.Raw)
	}
	return r
}

// events counts the events of action in a case's record.
func events(d reply, action string) int {
	n := 0
	for _, e := range list(d, "history") {
		if e["action"] == action {
			n++
		}
	}
	return n
}

// chainValid reports whether the case's hash chain verifies.
func chainValid(t *testing.T, p *platform, tok, caseID string) bool {
	t.Helper()
	r := p.do(http.MethodGet, "/api/v1/cases/"+caseID+"/chain", tok, "", nil)
	if r.Status != http.StatusOK || r.Body["valid"] != true {
		t.Logf("the chain of %s: %d %s", caseID, r.Status, r.Raw)
		return false
	}
	return true
}

// demoPayCase finds the demo citizen's case to pay in the portal, as an officer: its ID and code.
func demoPayCase(t *testing.T, p *platform, officerTok string) (string, string) {
	t.Helper()
	r := p.do(http.MethodGet, "/api/v1/cases?q="+url.QueryEscape("王小明"), officerTok, "", nil)
	for _, c := range list(r, "cases") {
		if c["title"] == demoPayTitle {
			return c["id"].(string), c["code"].(string)
		}
	}
	t.Fatalf("the demo case %s: %s", demoPayTitle, r.Raw)
	return "", ""
}

// sessionOf reads the Checkout Session a payment was given (stripe-mock's fixed sample), which
// the events of that payment name.
func sessionOf(t *testing.T, p *platform, paymentID string) string {
	t.Helper()
	var id string
	if err := tenants.RunInTx(context.Background(), p.App.DB, tenants.System("test: a payment's checkout session"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw("SELECT session_id FROM payments WHERE id = ?", paymentID).Scan(ctx, &id)
	}); err != nil || id == "" {
		t.Fatalf("the session of payment %s: %q %v", paymentID, id, err)
	}
	return id
}

// sessionEvent is a Stripe event of a payment's Checkout Session, as Stripe would post it.
func sessionEvent(id, typ, sessionID, caseID, paymentID string, amount int64) []byte {
	status, paid := "complete", "paid"
	if typ == payments.EventSessionExpired {
		status, paid = "expired", "unpaid"
	}
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": stripe.APIVersion, "type": typ, "created": time.Now().Unix(),
		"data": map[string]any{"object": map[string]any{"id": sessionID, "object": "checkout.session", "status": status,
			"payment_status": paid, "amount_total": amount, "currency": "cny", "payment_intent": "pi_3ZhifaTestIntent" + paymentID[:8],
			"metadata": map[string]string{"tenant_id": youxi, "case_id": caseID, "payment_id": paymentID}}}})
	return b
}

// sign is the Stripe-Signature header of payload signed with secret at a time.
func sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

// portalPayments lists a case's payments as the party sees them.
func portalPayments(t *testing.T, p *platform, tok, caseID string) map[string]map[string]any {
	t.Helper()
	r := p.do(http.MethodGet, "/api/v1/portal/cases/"+caseID+"/payments", tok, "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("the party's payments: %d %s", r.Status, r.Raw)
	}
	out := map[string]map[string]any{}
	for _, x := range list(r, "payments") {
		out[x["id"].(string)] = x
	}
	return out
}

// staffPayment is a payment with its refunds as staff see it.
func staffPayment(t *testing.T, p *platform, tok, caseID, paymentID string) map[string]any {
	t.Helper()
	r := p.do(http.MethodGet, "/api/v1/cases/"+caseID+"/payments", tok, "", nil)
	for _, x := range list(r, "payments") {
		if x["id"] == paymentID {
			return x
		}
	}
	t.Fatalf("payment %s is not among the case's: %d %s", paymentID, r.Status, r.Raw)
	return nil
}

// setting returns the value and source of a setting as GET /api/v1/settings lists it.
func setting(t *testing.T, p *platform, tok, tenant, key string) (any, string, []byte) {
	t.Helper()
	r := p.do(http.MethodGet, "/api/v1/settings", tok, tenant, nil)
	for _, s := range list(r, "settings") {
		if s["key"] == key {
			src, _ := s["source"].(string)
			return s["value"], src, r.Raw
		}
	}
	t.Fatalf("setting %s at %q: %d %s", key, tenant, r.Status, r.Raw)
	return nil, "", nil
}

// startStripePlatform starts the platform on driver with Stripe at stripe-mock (no simulation)
// and a worker on a real Redis.
func startStripePlatform(t *testing.T, driver string) *platform {
	t.Helper()
	mock := testenv.StripeMock(t)
	redisAddr := testenv.Redis(t)
	p := startPlatform(t, driver, func(c *config.Config) {
		c.Redis.Addr = redisAddr
		c.Payments.Simulate = false
		c.Payments.StripeAPIURL = mock.URL
	})
	startWorker(t, p.App)
	return p
}

func TestPaymentsStripeEndToEnd(t *testing.T) {
	for _, driver := range []string{"sqlite", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			p := startStripePlatform(t, driver)
			opTok, provTok := p.login(youxiOp), p.login(provOp)
			officerTok, headTok, citTok := p.login(officer1), p.login(bodyHead), p.login(citizenDemo)
			caseID, code := demoPayCase(t, p, officerTok)

			// Without an account and without simulation, online payment is not open.
			if r := p.do(http.MethodPost, "/api/v1/portal/lookup", citTok, "", map[string]any{"code": code, "proof": demoProof}); r.Status != http.StatusOK {
				t.Fatalf("lookup: %d %s", r.Status, r.Raw)
			}
			if r := p.do(http.MethodPost, "/api/v1/portal/cases/"+caseID+"/checkout", citTok, "", nil); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("checkout without an account: %d %s", r.Status, r.Raw)
			}

			stripeAccounts(t, p, opTok, provTok)
			superseded, paymentID := checkoutDemo(t, p, citTok, headTok, officerTok, caseID, code)
			stripeWebhook(t, p, citTok, officerTok, caseID, paymentID)
			paidTooLate(t, p, citTok, headTok, officerTok, caseID, superseded)
			refunds(t, p, headTok, officerTok, caseID, paymentID)
			reconciliation(t, p, provTok, headTok, officerTok, citTok, paymentID)
		})
	}
}

// stripeAccounts sets the county's own account and the province's, through the settings API: the
// secrets are answered, listed and audited masked; a county without its own inherits the
// province's.
func stripeAccounts(t *testing.T, p *platform, opTok, provTok string) {
	t.Helper()
	set := func(tok, tenant, key, value, mask string) {
		t.Helper()
		r := p.do(http.MethodPut, "/api/v1/settings/"+key, tok, tenant, map[string]any{"value": value})
		if r.Status != http.StatusOK || r.Body["value"] != mask || strings.Contains(string(r.Raw), value) {
			t.Fatalf("set %s at %q: %d %s", key, tenant, r.Status, r.Raw)
		}
	}
	set(opTok, "", payments.SettingSecretKey, countyKey, "sk_test_…4242")
	set(opTok, "", payments.SettingWebhookSecret, countyWhsec, "whsec_…9876")
	set(provTok, "35", payments.SettingSecretKey, provinceKey, "sk_test_…1111")
	set(provTok, "35", payments.SettingWebhookSecret, provinceWhsec, "whsec_…5555")
	clear := []string{countyKey, countyWhsec, provinceKey, provinceWhsec, "youxiCounty", "provinceAccount", "WebhookSecret0"}
	for _, c := range []struct {
		tok, tenant, key, mask, source string
	}{
		{opTok, "", payments.SettingSecretKey, "sk_test_…4242", youxi},
		{opTok, "", payments.SettingWebhookSecret, "whsec_…9876", youxi},
		{provTok, "35", payments.SettingSecretKey, "sk_test_…1111", "35"},
		// 沙县区 sets no account: it pays into the province's.
		{provTok, "350427", payments.SettingSecretKey, "sk_test_…1111", "35"},
		{provTok, "350427", payments.SettingWebhookSecret, "whsec_…5555", "35"},
	} {
		v, src, raw := setting(t, p, c.tok, c.tenant, c.key)
		if v != c.mask || src != c.source {
			t.Errorf("%s at %q = %v from %s, want %s from %s", c.key, c.tenant, v, src, c.mask, c.source)
		}
		for _, s := range clear {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("GET /settings at %q shows a secret in clear (%s)", c.tenant, s)
			}
		}
	}
	for _, a := range []struct{ tok, tenant string }{{opTok, ""}, {provTok, "35"}} {
		r := p.do(http.MethodGet, "/api/v1/settings-audit?limit=20", a.tok, a.tenant, nil)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Raw), "…") {
			t.Errorf("audit at %q: %d %s", a.tenant, r.Status, r.Raw)
		}
		for _, s := range clear {
			if strings.Contains(string(r.Raw), s) {
				t.Errorf("the audit at %q shows a secret in clear (%s)", a.tenant, s)
			}
		}
	}
}

// checkoutDemo has the demo citizen consent to delivery in the inbox and check out the demo case
// through stripe-mock: a retried checkout (same Idempotency-Key, or the same amount) is the same
// payment; a checkout of another amount (the head approves instalments, then a deferral) leaves
// one payment pending, never two. It returns the first payment (superseded) and the one to pay.
func checkoutDemo(t *testing.T, p *platform, citTok, headTok, officerTok, caseID, code string) (string, string) {
	t.Helper()
	if r := p.do(http.MethodPost, "/api/v1/portal/lookup", citTok, "", map[string]any{"code": code, "proof": "000000"}); r.Status != http.StatusNotFound {
		t.Errorf("lookup with a wrong proof: %d %s", r.Status, r.Raw)
	}
	lk := p.do(http.MethodPost, "/api/v1/portal/lookup", citTok, "", map[string]any{"code": strings.ToLower(code), "proof": demoProof})
	if c, _ := lk.Body["case"].(map[string]any); lk.Status != http.StatusOK || c["id"] != caseID {
		t.Fatalf("lookup: %d %s", lk.Status, lk.Raw)
	}
	if r := p.do(http.MethodPost, "/api/v1/portal/cases/"+caseID+"/consent", citTok, "", map[string]any{"channels": []string{"inbox"}}); r.Status != http.StatusCreated {
		t.Fatalf("consent: %d %s", r.Status, r.Raw)
	}
	q := p.do(http.MethodGet, "/api/v1/portal/cases/"+caseID+"/quote", citTok, "", nil)
	if q.Status != http.StatusOK || fen(q.Body, "total_fen") != demoFineFen || fen(q.Body, "surcharge_fen") != 0 {
		t.Fatalf("quote: %d %s", q.Status, q.Raw)
	}
	checkout := func(k string) reply {
		t.Helper()
		var h []string
		if k != "" {
			h = []string{"Idempotency-Key", k}
		}
		r := p.do(http.MethodPost, "/api/v1/portal/cases/"+caseID+"/checkout", citTok, "", nil, h...)
		if r.Status != http.StatusOK || r.Body["payment_id"] == "" || r.Body["simulated"] != false {
			t.Fatalf("checkout %q: %d %s", k, r.Status, r.Raw)
		}
		return r
	}
	first := checkout("k-first")
	p1, url1 := first.Body["payment_id"].(string), first.Body["url"].(string)
	if !strings.HasPrefix(url1, "https://") || strings.Contains(url1, p.URL) || fen(first.Body["quote"].(map[string]any), "total_fen") != demoFineFen {
		t.Errorf("the checkout is not Stripe's page of the fine: %s", first.Raw)
	}
	if !strings.HasPrefix(sessionOf(t, p, p1), "cs_") {
		t.Errorf("the payment has no Checkout Session of stripe-mock")
	}
	for _, k := range []string{"k-first", ""} {
		if r := checkout(k); r.Body["payment_id"] != p1 || r.Body["url"] != url1 {
			t.Errorf("checkout %q again made another payment: %s", k, r.Raw)
		}
	}

	// The head approves instalments on the party's application: the amount due now is the first
	// instalment, a new payment; the whole fine's is no longer payable.
	d := caseDetail(t, p, officerTok, caseID)
	payDue, _ := d.Body["facts"].(map[string]any)["delivery"].(map[string]any)["payment_due"].(string)
	due, err := time.Parse("2006-01-02", payDue)
	if err != nil {
		t.Fatalf("payment due %q: %v", payDue, err)
	}
	later := due.AddDate(0, 1, 0).Format("2006-01-02")
	takeStep(t, p, headTok, caseID, "arrange_payment", map[string]any{"kind": "instalments", "applied_on": chinaDay(0),
		"reason": "当事人经营困难，申请分期缴纳。", "instalments": []map[string]any{{"due_on": payDue, "amount_fen": 120000}, {"due_on": later, "amount_fen": 80000}}})
	second := checkout("k-second")
	p2 := second.Body["payment_id"].(string)
	if sq := second.Body["quote"].(map[string]any); p2 == p1 || fen(sq, "total_fen") != 120000 || sq["instalment"] != float64(1) {
		t.Errorf("the first instalment's checkout: %s", second.Raw)
	}
	// A new approval (a deferral of the whole fine) replaces the plan none of whose parts was paid.
	takeStep(t, p, headTok, caseID, "arrange_payment", map[string]any{"kind": "deferral", "applied_on": chinaDay(0),
		"reason": "当事人申请暂缓缴纳。", "deferred_to": later})
	third := checkout("k-third")
	p3 := third.Body["payment_id"].(string)
	if p3 == p1 || p3 == p2 || fen(third.Body["quote"].(map[string]any), "total_fen") != demoFineFen {
		t.Errorf("the deferred fine's checkout: %s", third.Raw)
	}
	pending := []string{}
	for id, x := range portalPayments(t, p, citTok, caseID) {
		if x["status"] == string(payments.StatusPending) {
			pending = append(pending, id)
		}
	}
	if len(pending) != 1 || pending[0] != p3 {
		t.Errorf("payments pending after checkouts of other amounts: %v, want only the last (%s)", pending, p3)
	}
	if r := p.do(http.MethodPost, "/api/v1/portal/cases/"+caseID+"/checkout", citTok, "", nil, "Idempotency-Key", "k-first"); r.Status != http.StatusConflict {
		t.Errorf("the superseded checkout's key: %d %s, want 409", r.Status, r.Raw)
	}
	return p1, p3
}

// paidTooLate: the party pays a superseded checkout's page as it closes, after the case was paid.
// The money was taken: the payment is paid, warned of as unapplied, with no second entry on the
// chain and no receipt; the head refunds it in full by hand, and the refund is not the case's.
func paidTooLate(t *testing.T, p *platform, citTok, headTok, officerTok, caseID, paymentID string) {
	t.Helper()
	ev := sessionEvent("evt_late"+paymentID[:8], payments.EventSessionCompleted, sessionOf(t, p, paymentID), caseID, paymentID, demoFineFen)
	r := p.do(http.MethodPost, "/api/v1/payments/webhook/"+youxi, "", "", ev, "Stripe-Signature", sign(ev, countyWhsec, time.Now()))
	if r.Status != http.StatusOK || r.Body["outcome"] != "unapplied" {
		t.Fatalf("a superseded checkout paid after the case: %d %s", r.Status, r.Raw)
	}
	if x := staffPayment(t, p, officerTok, caseID, paymentID); x["status"] != string(payments.StatusPaid) || x["receipt_document_id"] != nil {
		t.Errorf("the unapplied payment: %v", x)
	}
	var warned bool
	for _, w := range list(p.do(http.MethodGet, "/api/v1/payments/warnings", headTok, "", nil), "warnings") {
		warned = warned || w["payment_id"] == paymentID && w["kind"] == payments.KindUnapplied
	}
	if !warned {
		t.Error("the unapplied payment is not warned of")
	}
	if d := caseDetail(t, p, officerTok, caseID); events(d, "payment_received") != 1 || d.Body["state"] != "paid" {
		t.Errorf("the unapplied payment changed the case: %v, %d payment events", d.Body["state"], events(d, "payment_received"))
	}
	rf := p.do(http.MethodPost, "/api/v1/payments/"+paymentID+"/refunds", headTok, "", map[string]any{"amount_fen": demoFineFen, "reason": "revoked"}, key()...)
	if rf.Status != http.StatusCreated || rf.Body["status"] != "succeeded" {
		t.Errorf("the refund of the unapplied payment: %d %s", rf.Status, rf.Raw)
	}
	if x := staffPayment(t, p, officerTok, caseID, paymentID); x["status"] != string(payments.StatusRefunded) || fen(x, "refunded_fen") != demoFineFen {
		t.Errorf("the unapplied payment after its refund: %v", x)
	}
	if d := caseDetail(t, p, officerTok, caseID); events(d, "refunded") != 0 || !chainValid(t, p, officerTok, caseID) {
		t.Errorf("the unapplied payment's refund is on the case's record: %d", events(d, "refunded"))
	}
}

// stripeWebhook posts Stripe's events of the payment to the county's webhook address: refused ones
// (wrong secret, altered body, stale timestamp) answer 400 in both languages and write nothing;
// the valid one pays the case on its chain, once; a replay and a late expiry change nothing. The
// worker issues the fiscal e-receipt, which verifies and reaches the citizen's inbox.
func stripeWebhook(t *testing.T, p *platform, citTok, officerTok, caseID, paymentID string) {
	t.Helper()
	const hook = "/api/v1/payments/webhook/" + youxi
	session := sessionOf(t, p, paymentID)
	evID := "evt_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	completed := sessionEvent(evID, payments.EventSessionCompleted, session, caseID, paymentID, demoFineFen)
	now := time.Now()
	tampered := bytes.Replace(completed, []byte(`"amount_total":200000`), []byte(`"amount_total":1`), 1)
	if bytes.Equal(tampered, completed) {
		t.Fatal("the event has no amount to tamper with")
	}
	var refusals []testkit.Scenario
	for _, bad := range []struct {
		name string
		body []byte
		sig  string
	}{
		{"wrong secret", completed, sign(completed, "whsec_notTheCountysSecret0000", now)},
		{"the province's secret at the county's address", completed, sign(completed, provinceWhsec, now)},
		{"tampered body", tampered, sign(completed, countyWhsec, now)},
		{"stale timestamp", completed, sign(completed, countyWhsec, now.Add(-10*time.Minute))},
		{"no signature", completed, ""},
	} {
		refusals = append(refusals, testkit.Scenario{Name: bad.name, Method: http.MethodPost, Path: hook, Body: bad.body,
			Headers: map[string]string{"Stripe-Signature": bad.sig}, Status: http.StatusBadRequest, Code: errs.Invalid})
	}
	p.server(t).Run(t, refusals)
	if x := portalPayments(t, p, citTok, caseID)[paymentID]; x["status"] != string(payments.StatusPending) {
		t.Fatalf("a refused event changed the payment: %v", x)
	}
	if d := caseDetail(t, p, officerTok, caseID); d.Body["state"] != "served" || events(d, "payment_received") != 0 {
		t.Fatalf("a refused event changed the case: %v, %d payment events", d.Body["state"], events(d, "payment_received"))
	}

	post := func(body []byte) reply {
		t.Helper()
		r := p.do(http.MethodPost, hook, "", "", body, "Stripe-Signature", sign(body, countyWhsec, time.Now()))
		if r.Status != http.StatusOK {
			t.Fatalf("webhook: %d %s", r.Status, r.Raw)
		}
		return r
	}
	if r := post(completed); r.Body["outcome"] != "paid" || r.Body["event_id"] != evID {
		t.Fatalf("the completed session: %s", r.Raw)
	}
	if r := post(completed); r.Body["outcome"] != "duplicate" {
		t.Errorf("the replayed event: %s", r.Raw)
	}
	expired := sessionEvent(evID+"x", payments.EventSessionExpired, session, caseID, paymentID, demoFineFen)
	if r := post(expired); r.Body["outcome"] != "unchanged" {
		t.Errorf("the expiry after the completion: %s", r.Raw)
	}
	if x := portalPayments(t, p, citTok, caseID)[paymentID]; x["status"] != string(payments.StatusPaid) || x["paid_at"] == nil {
		t.Errorf("the payment after its events: %v", x)
	}
	d := caseDetail(t, p, officerTok, caseID)
	if d.Body["state"] != "paid" || events(d, "payment_received") != 1 {
		t.Errorf("the case after the payment: %v with %d payment events", d.Body["state"], events(d, "payment_received"))
	}
	if !chainValid(t, p, officerTok, caseID) {
		t.Error("the chain of the paid case does not verify")
	}

	// The worker issues the receipt: a document of the case on its chain, verifiable, delivered.
	var receipt string
	poll(t, "the fiscal e-receipt", 30*time.Second, func() bool {
		receipt, _ = staffPayment(t, p, officerTok, caseID, paymentID)["receipt_document_id"].(string)
		return receipt != ""
	})
	d = caseDetail(t, p, officerTok, caseID)
	var doc map[string]any
	for _, x := range list(d, "documents") {
		if x["id"] == receipt {
			doc = x
		}
	}
	if doc == nil || doc["type"] != "fiscal_receipt" || events(d, "receipt_issued") != 1 {
		t.Errorf("the receipt among the case's documents: %v, %d receipt events", doc, events(d, "receipt_issued"))
	}
	if v := p.do(http.MethodGet, "/api/v1/verify/"+receipt, "", "", nil); v.Body["valid"] != true || v.Body["type"] != "fiscal_receipt" {
		t.Errorf("the receipt's verification: %d %s", v.Status, v.Raw)
	}
	poll(t, "the receipt in the citizen's inbox", 30*time.Second, func() bool {
		for _, it := range list(p.do(http.MethodGet, "/api/v1/portal/inbox", citTok, "", nil), "items") {
			if it["document_id"] == receipt && it["document_kind"] == "fiscal_receipt" {
				return true
			}
		}
		return false
	})
	if x := portalPayments(t, p, citTok, caseID)[paymentID]; x["receipt_document_id"] != receipt {
		t.Errorf("the party's payment does not name its receipt: %v", x)
	}
	if !chainValid(t, p, officerTok, caseID) {
		t.Error("the chain with the receipt does not verify")
	}
}

// refunds: the head reduces the fine after the online payment, and the payments:refund task
// refunds the difference through stripe-mock; a refund by the head's hand, replayed, refunds once;
// an officer may not refund; nothing refunds more than was paid, even when the decision is then
// revoked.
func refunds(t *testing.T, p *platform, headTok, officerTok, caseID, paymentID string) {
	t.Helper()
	c := takeStep(t, p, headTok, caseID, "revise_decision", map[string]any{"outcome": "reduced", "fine_fen": reducedFineFen,
		"basis": "self_correction", "reason": "经复查，当事人系初次违法且及时改正，依法变更罚款数额。"})
	if c["state"] != "paid" {
		t.Errorf("after the reduction the case is %v, want paid", c["state"])
	}
	refunded := func(want int64) map[string]any {
		t.Helper()
		var x map[string]any
		poll(t, fmt.Sprintf("refunded %d fen", want), 30*time.Second, func() bool {
			x = staffPayment(t, p, officerTok, caseID, paymentID)
			return fen(x, "refunded_fen") == want
		})
		return x
	}
	x := refunded(demoFineFen - reducedFineFen)
	if rs, _ := x["refunds"].([]any); len(rs) != 1 || rs[0].(map[string]any)["status"] != "succeeded" ||
		!strings.HasPrefix(fmt.Sprint(rs[0].(map[string]any)["reference"]), "re_") {
		t.Errorf("the task's refund: %v", x["refunds"])
	}
	d := caseDetail(t, p, officerTok, caseID)
	if events(d, "refunded") != 1 || !chainValid(t, p, officerTok, caseID) {
		t.Errorf("the refund on the chain: %d events, chain valid %v", events(d, "refunded"), chainValid(t, p, officerTok, caseID))
	}

	path := "/api/v1/payments/" + paymentID + "/refunds"
	body := map[string]any{"amount_fen": 10000, "reason": "reduced"}
	if r := p.do(http.MethodPost, path, officerTok, "", body, "Idempotency-Key", "refund-by-hand"); r.Status != http.StatusForbidden {
		t.Errorf("an officer refunds: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodPost, path, headTok, "", body); r.Status != http.StatusBadRequest {
		t.Errorf("a refund without an Idempotency-Key: %d %s", r.Status, r.Raw)
	}
	first := p.do(http.MethodPost, path, headTok, "", body, "Idempotency-Key", "refund-by-hand")
	again := p.do(http.MethodPost, path, headTok, "", body, "Idempotency-Key", "refund-by-hand")
	if first.Status != http.StatusCreated || first.Body["status"] != "succeeded" || again.Body["id"] != first.Body["id"] {
		t.Errorf("the refund by hand and its replay: %d %s / %d %s", first.Status, first.Raw, again.Status, again.Raw)
	}
	refunded(demoFineFen - reducedFineFen + 10000)
	p.server(t).Run(t, []testkit.Scenario{{Name: "a refund of more than is left", Caller: testkit.Session("X-Session-Token", headTok),
		Method: http.MethodPost, Path: path, Body: map[string]any{"amount_fen": demoFineFen, "reason": "reduced"},
		Headers: map[string]string{"Idempotency-Key": key()[1]}, Status: http.StatusUnprocessableEntity, Code: errs.FailedPrecondition,
		Fields: []string{"amount_fen"}}})

	// Revoked: the task refunds what is left of the payment, and not a fen more.
	if c := takeStep(t, p, headTok, caseID, "revise_decision", map[string]any{"outcome": "revoked", "basis": "reconsideration",
		"ref": "尤政复决〔2026〕1号", "reason": "复议机关撤销原处罚决定。"}); c["state"] != "closed" {
		t.Errorf("after the revocation the case is %v, want closed", c["state"])
	}
	x = refunded(demoFineFen)
	if x["status"] != string(payments.StatusRefunded) {
		t.Errorf("the payment refunded in full is %v", x["status"])
	}
	var sum int64
	for _, r := range x["refunds"].([]any) {
		if r.(map[string]any)["status"] != "failed" {
			sum += fen(r.(map[string]any), "amount_fen")
		}
	}
	if sum != demoFineFen {
		t.Errorf("the refunds add up to %d fen, paid %d", sum, demoFineFen)
	}
	if d := caseDetail(t, p, officerTok, caseID); events(d, "refunded") != 3 || !chainValid(t, p, officerTok, caseID) {
		t.Errorf("after the revocation: %d refund events", events(d, "refunded"))
	}
}

// reconciliation runs payments:reconcile as the scheduler would: stripe-mock's fixed sample (an
// open, unpaid session) disagrees with the payment paid here, and the warning is listed to the
// county's staff, not to another county's.
func reconciliation(t *testing.T, p *platform, provTok, headTok, officerTok, citTok, paymentID string) {
	t.Helper()
	task, err := payments.Reconcile.NewTask()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := p.App.Mux.ProcessTask(context.Background(), task); err != nil {
			t.Fatalf("reconcile: %v", err)
		}
	}
	for _, tok := range []string{headTok, officerTok} {
		r := p.do(http.MethodGet, "/api/v1/payments/warnings", tok, "", nil)
		var status map[string]any
		for _, w := range list(r, "warnings") {
			if w["payment_id"] == paymentID && w["kind"] == "status" {
				status = w
			}
		}
		msg, _ := status["message"].(map[string]any)
		if status == nil || status["seen"] != float64(2) || status["remote"] != "open/unpaid" || msg["zh"] == "" || msg["en"] == "" {
			t.Errorf("the county's warnings: %d %s", r.Status, r.Raw)
		}
	}
	mk := p.do(http.MethodPost, "/api/v1/accounts", provTok, "350427", map[string]any{
		"email": "shaxian.operator@demo.zhifa", "name": "沙县运维", "kind": "operator", "roles": []string{"tenant_operator"}})
	if mk.Status != http.StatusCreated {
		t.Fatalf("another county's operator: %d %s", mk.Status, mk.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/payments/warnings", p.login("shaxian.operator@demo.zhifa"), "", nil); r.Status != http.StatusOK || len(list(r, "warnings")) != 0 {
		t.Errorf("another county's operator sees warnings: %d %s", r.Status, r.Raw)
	}
	if r := p.do(http.MethodGet, "/api/v1/payments/warnings", citTok, "", nil); r.Status != http.StatusNotFound {
		t.Errorf("the citizen reads the warnings: %d %s", r.Status, r.Raw)
	}
}
