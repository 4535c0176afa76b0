package payments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/app/testkit"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

// server mounts the module's API (stand-in authentication) and public pages; every success of
// the API is checked against the OpenAPI document.
func (w *world) server(t testing.TB) *testkit.Server {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(w.db))
	w.svc.Routes(api)
	w.svc.PublicRoutes(e)
	srv := testkit.NewServer(t, e, api)
	srv.CheckResponses = true
	return srv
}

// TestHTTP is the API as scenarios: the webhook's answers, a case's payments, refunds and
// warnings, with another tenant's objects answering 404, and the routes in the OpenAPI document.
func TestHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db, worldOpts{account: true})
		srv := w.server(t)
		c, id := w.paid(t)
		co := w.checkoutOther(t)
		ev := sessionEvent("evt_h1", payments.EventSessionCompleted, w.sessionOf(t, co.PaymentID), w.county.ID, "", co.PaymentID, true, 100000)
		refund, _ := json.Marshal(payments.RefundInput{AmountFen: 1000, Reason: payments.ReasonReduced})
		hook := "/api/v1/payments/webhook/" + w.prov.ID
		sig := func(secret string, at time.Time) map[string]string {
			return map[string]string{"Stripe-Signature": signed(ev, secret, at)}
		}
		key := func(k string) map[string]string { return map[string]string{"Idempotency-Key": k} }
		officer, head := testkit.Role(w.county, authz.Officer), testkit.Role(w.county, authz.BodyHead)
		casePayments, refunds := "/api/v1/cases/"+c.CaseID+"/payments", "/api/v1/payments/"+id+"/refunds"
		srv.Run(t, []testkit.Scenario{
			{Name: "webhook, wrong secret", Method: "POST", Path: hook, Body: ev, Headers: sig("whsec_wrong", time.Now()), Status: 400, Contains: []string{"签名无效"},
				NotContains: []string{"outcome"}},
			{Name: "webhook, stale", Method: "POST", Path: hook, Body: ev, Headers: sig(whsec, time.Now().Add(-time.Hour)), Status: 400, Contains: []string{"timestamp is too old"},
				NotContains: []string{"outcome"}},
			{Name: "webhook, too large", Method: "POST", Path: hook, Body: bytes.Repeat([]byte(" "), payments.MaxWebhookBytes+1), Status: 413, Contains: []string{"too_large"}},
			{Name: "webhook, valid", Method: "POST", Path: hook, Body: ev, Headers: sig(whsec, time.Now()), Status: 200, JSON: map[string]any{"outcome": "paid"}},
			{Name: "webhook, replayed", Method: "POST", Path: hook, Body: ev, Headers: sig(whsec, time.Now()), Status: 200, JSON: map[string]any{"outcome": "duplicate"}},
			{Name: "case payments", Caller: officer, Method: "GET", Path: casePayments, Status: 200, Contains: []string{id}},
			{Name: "case payments, another tenant", Caller: testkit.Role(w.other, authz.Officer), Method: "GET", Path: casePayments, Status: 404, Code: errs.NotFound,
				NotContains: []string{id}},
			{Name: "case payments, a citizen", Caller: testkit.Role(w.county, authz.Citizen), Method: "GET", Path: casePayments, Status: 403, Code: errs.Forbidden,
				NotContains: []string{id}},
			{Name: "refund", Caller: head, Method: "POST", Path: refunds, Body: refund, Headers: key("h-1"), Status: 201, Contains: []string{`"status":"succeeded"`}},
			{Name: "refund without a key", Caller: head, Method: "POST", Path: refunds, Body: refund, Status: 400, Contains: []string{"Idempotency-Key"},
				NotContains: []string{"succeeded"}},
			{Name: "refund, another tenant's payment", Caller: testkit.Role(w.other, authz.BodyHead), Method: "POST", Path: refunds, Body: refund, Headers: key("h-2"),
				Status: 404, Code: errs.NotFound, NotContains: []string{"succeeded"}},
			{Name: "refund, an officer", Caller: officer, Method: "POST", Path: refunds, Body: refund, Headers: key("h-3"), Status: 403, Code: errs.Forbidden,
				NotContains: []string{"succeeded"}},
			{Name: "warnings: the event paid ¥1,000.00 of ¥1,030.00 due", Caller: testkit.Role(w.county, authz.Supervisor), Method: "GET", Path: "/api/v1/payments/warnings",
				Status: 200, Contains: []string{`"kind":"amount","local":"103000 cny","remote":"100000 cny"`}},
			{Name: "warnings, bad limit", Caller: testkit.Role(w.county, authz.Supervisor), Method: "GET", Path: "/api/v1/payments/warnings?limit=0", Status: 400,
				Code: errs.Invalid, Fields: []string{"limit"}},
		})
		for _, p := range []string{"/payments/webhook/{tenant}", "/cases/{id}/payments", "/payments/{id}/refunds", "/payments/warnings"} {
			if srv.Doc.Paths.Find(p) == nil {
				t.Errorf("OpenAPI lacks %s", p)
			}
		}
	})
}

// TestSimulatedPayment is the embedded default's payment: the checkout leads to this module's
// page, marked as a simulation, whose confirmation goes through the same signed-webhook path;
// the payment and its receipt say simulated.
func TestSimulatedPayment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db, worldOpts{simulate: true})
		srv := w.server(t)
		c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
		co := w.checkout(t, c.CaseID)
		if !co.Simulated || co.URL != publicURL+payments.SimulatePath+co.PaymentID {
			t.Fatalf("checkout = %+v", co)
		}
		page := payments.SimulatePath + co.PaymentID
		html := srv.Do(t, testkit.Scenario{Name: "the simulation's page", Method: "GET", Path: page, Status: 200,
			Contains: []string{"模拟支付 SIMULATION", "5,150.00", "<form"}, Check: func(t testing.TB, r *testkit.Response) {
				if regexp.MustCompile(`<script>|<script [^>]*>[^<]|style=|<style`).MatchString(r.Text()) {
					t.Errorf("inline script or style on the page: %s", r.Body)
				}
			}}).Text()
		token := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindStringSubmatch(html)
		if token == nil {
			t.Fatal("no form token")
		}
		form := func(action, tok string) string { return url.Values{"action": {action}, "token": {tok}}.Encode() }
		// the page links its files at content-hashed addresses, kept for a year; the bare
		// addresses are revalidated
		css := regexp.MustCompile(`<link rel="stylesheet" href="(` + payments.StaticPath + `simulate\.css\?v=[0-9a-f]{12})">`).FindStringSubmatch(html)
		js := regexp.MustCompile(`<script src="(` + payments.StaticPath + `simulate\.js\?v=[0-9a-f]{12})" defer>`).FindStringSubmatch(html)
		if css == nil || js == nil {
			t.Fatalf("the page links no hashed stylesheet (%v) or script (%v)", css, js)
		}
		const immutable = "public, max-age=31536000, immutable"
		srv.Run(t, []testkit.Scenario{
			{Name: "its stylesheet", Method: "GET", Path: css[1], Status: 200, Contains: []string{".banner{background:#b42318"},
				Header: map[string]string{"Content-Type": "text/css; charset=utf-8", "Cache-Control": immutable}},
			{Name: "its script", Method: "GET", Path: js[1], Status: 200, Contains: []string{`getElementById("pay")`},
				Header: map[string]string{"Content-Type": "text/javascript; charset=utf-8", "Cache-Control": immutable}},
			{Name: "its stylesheet at the bare address", Method: "GET", Path: payments.StaticPath + "simulate.css", Status: 200, Contains: []string{".banner"},
				Header: map[string]string{"Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache"}},
			{Name: "not its page's template", Method: "GET", Path: payments.StaticPath + "simulate.html", Status: 404},
			{Name: "a forged token", Method: "POST", Path: page, ContentType: echo.MIMEApplicationForm, Body: form("confirm", "forged"), Status: 400,
				Check: func(t testing.TB, _ *testkit.Response) {
					if p := w.payment(t, c.CaseID, co.PaymentID); p.Status != payments.StatusPending {
						t.Errorf("a forged confirmation left the payment %s", p.Status)
					}
				}},
			{Name: "confirm", Method: "POST", Path: page, ContentType: echo.MIMEApplicationForm, Body: form("confirm", token[1]), Status: http.StatusSeeOther,
				Header: map[string]string{"Location": successURL}},
		})
		p := w.payment(t, c.CaseID, co.PaymentID)
		if p.Status != payments.StatusPaid || !p.Simulated {
			t.Fatalf("after the simulation: %+v", p)
		}
		if rec, _ := w.cases.payment(co.PaymentID); !rec.Simulated {
			t.Errorf("the chain entry is not marked simulated: %+v", rec)
		}
		noErr(t, runTask(t, w, w.county, payments.IssueReceipt, payments.ReceiptTask{PaymentID: co.PaymentID}))
		p = w.payment(t, c.CaseID, co.PaymentID)
		pdf, _, err := w.docs.PDF(ctx, dbtest.Scope(w.county, "o", "officer"), p.ReceiptID)
		noErr(t, err)
		if text := pdfText(t, pdf); !strings.Contains(text, "模拟SIMULATION") || !strings.Contains(text, "模拟支付") {
			t.Errorf("the simulated receipt does not say so: %s", text)
		}
		// Cancelling another checkout expires it; the page of a finished payment offers no buttons.
		c2 := w.newCase(t, 100000, "2025-09-19", "2025-10-09")
		co2 := w.checkout(t, c2.CaseID)
		_, err = w.svc.SimulateEvent(ctx, mustPayment(t, w, co2.PaymentID), false)
		noErr(t, err)
		if p := w.payment(t, c2.CaseID, co2.PaymentID); p.Status != payments.StatusExpired {
			t.Errorf("cancelled: %s", p.Status)
		}
		srv.Run(t, []testkit.Scenario{{Name: "the page of a paid payment offers no form", Method: "GET", Path: page, Status: 200,
			Contains: []string{"模拟支付 SIMULATION"}, NotContains: []string{"<form"}}})
	})
}

// TestSimulationOff: without simulation the page does not exist.
func TestSimulationOff(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t), worldOpts{account: true})
	srv := w.server(t)
	c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
	co := w.checkout(t, c.CaseID)
	srv.Run(t, []testkit.Scenario{{Name: "no simulated page", Method: "GET", Path: payments.SimulatePath + co.PaymentID, Status: 404,
		NotContains: []string{"模拟支付"}}})
}

func mustPayment(t testing.TB, w *world, id string) *payments.Payment {
	t.Helper()
	p := new(payments.Payment)
	noErr(t, tenants.RunInTx(ctx, w.db, w.countyOp, func(ctx2 context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(p).Where("p.id = ?", id).Scan(ctx2)
	}))
	return p
}
