package payments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"zhifa/app/apitest"
	"zhifa/app/dbtest"
	"zhifa/modules/kernel/httpx"
	"zhifa/modules/payments"
	"zhifa/tenants"
)

// server mounts the module's API (stand-in authentication) and public pages.
func (w *world) server(t testing.TB) (*echo.Echo, *httpx.API) {
	t.Helper()
	e, api := apitest.NewAPI(apitest.Auth(w.db))
	w.svc.Routes(api)
	w.svc.PublicRoutes(e)
	return e, api
}

type call struct {
	method, path string
	tenant       *tenants.Tenant
	roles        string
	bodies       string
	body         []byte
	header       map[string]string
}

func do(e *echo.Echo, c call) *httptest.ResponseRecorder {
	req := httptest.NewRequest(c.method, c.path, bytes.NewReader(c.body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	if c.tenant != nil {
		req.Header.Set(apitest.HeaderTenant, c.tenant.ID)
		req.Header.Set(apitest.HeaderRoles, c.roles)
		req.Header.Set(apitest.HeaderBodies, c.bodies)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestHTTP is the API as scenarios: the webhook's answers, a case's payments, refunds and
// warnings, with another tenant's objects answering 404, and the routes in the OpenAPI document.
func TestHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newWorld(t, db, worldOpts{account: true})
		e, api := w.server(t)
		c, id := w.paid(t)
		co := w.checkoutOther(t)
		ev := sessionEvent("evt_h1", payments.EventSessionCompleted, w.sessionOf(t, co.PaymentID), w.county.ID, "", co.PaymentID, true, 100000)
		refund, _ := json.Marshal(payments.RefundInput{AmountFen: 1000, Reason: payments.ReasonReduced})
		hook := "/api/v1/payments/webhook/" + w.prov.ID
		for _, s := range []struct {
			name   string
			c      call
			status int
			want   string
		}{
			{"webhook, wrong secret", call{method: "POST", path: hook, body: ev, header: map[string]string{"Stripe-Signature": signed(ev, "whsec_wrong", time.Now())}}, 400, "签名无效"},
			{"webhook, stale", call{method: "POST", path: hook, body: ev, header: map[string]string{"Stripe-Signature": signed(ev, whsec, time.Now().Add(-time.Hour))}}, 400, "timestamp is too old"},
			{"webhook, too large", call{method: "POST", path: hook, body: bytes.Repeat([]byte(" "), payments.MaxWebhookBytes+1)}, 413, "too_large"},
			{"webhook, valid", call{method: "POST", path: hook, body: ev, header: map[string]string{"Stripe-Signature": signed(ev, whsec, time.Now())}}, 200, `"outcome":"paid"`},
			{"webhook, replayed", call{method: "POST", path: hook, body: ev, header: map[string]string{"Stripe-Signature": signed(ev, whsec, time.Now())}}, 200, `"outcome":"duplicate"`},
			{"case payments", call{method: "GET", path: "/api/v1/cases/" + c.CaseID + "/payments", tenant: w.county, roles: "officer"}, 200, id},
			{"case payments, another tenant", call{method: "GET", path: "/api/v1/cases/" + c.CaseID + "/payments", tenant: w.other, roles: "officer"}, 404, "not_found"},
			{"case payments, a citizen", call{method: "GET", path: "/api/v1/cases/" + c.CaseID + "/payments", tenant: w.county, roles: "citizen"}, 403, "forbidden"},
			{"refund", call{method: "POST", path: "/api/v1/payments/" + id + "/refunds", tenant: w.county, roles: "body_head", body: refund, header: map[string]string{"Idempotency-Key": "h-1"}}, 201, `"status":"succeeded"`},
			{"refund without a key", call{method: "POST", path: "/api/v1/payments/" + id + "/refunds", tenant: w.county, roles: "body_head", body: refund}, 400, "Idempotency-Key"},
			{"refund, another tenant's payment", call{method: "POST", path: "/api/v1/payments/" + id + "/refunds", tenant: w.other, roles: "body_head", body: refund, header: map[string]string{"Idempotency-Key": "h-2"}}, 404, "not_found"},
			{"refund, an officer", call{method: "POST", path: "/api/v1/payments/" + id + "/refunds", tenant: w.county, roles: "officer", body: refund, header: map[string]string{"Idempotency-Key": "h-3"}}, 403, "forbidden"},
			{"warnings: the event paid ¥1,000.00 of ¥1,030.00 due", call{method: "GET", path: "/api/v1/payments/warnings", tenant: w.county, roles: "supervisor"}, 200, `"kind":"amount","local":"103000 cny","remote":"100000 cny"`},
			{"warnings, bad limit", call{method: "GET", path: "/api/v1/payments/warnings?limit=0", tenant: w.county, roles: "supervisor"}, 400, "limit"},
		} {
			rec := do(e, s.c)
			if rec.Code != s.status || !strings.Contains(rec.Body.String(), s.want) {
				t.Errorf("%s: %d %s, want %d with %q", s.name, rec.Code, rec.Body, s.status, s.want)
			}
		}
		paths := api.Document().Paths
		for _, p := range []string{"/payments/webhook/{tenant}", "/cases/{id}/payments", "/payments/{id}/refunds", "/payments/warnings"} {
			if paths.Find(p) == nil {
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
		e, _ := w.server(t)
		c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
		co := w.checkout(t, c.CaseID)
		if !co.Simulated || co.URL != publicURL+payments.SimulatePath+co.PaymentID {
			t.Fatalf("checkout = %+v", co)
		}
		page := do(e, call{method: "GET", path: payments.SimulatePath + co.PaymentID})
		html := page.Body.String()
		if page.Code != 200 || !strings.Contains(html, "模拟支付 SIMULATION") || !strings.Contains(html, "5,150.00") {
			t.Fatalf("page: %d %s", page.Code, html)
		}
		if regexp.MustCompile(`<script>|<script [^>]*>[^<]|style=|<style`).MatchString(html) {
			t.Errorf("inline script or style on the page: %s", html)
		}
		for _, f := range []string{"simulate.css", "simulate.js"} {
			if r := do(e, call{method: "GET", path: payments.StaticPath + f}); r.Code != 200 || r.Body.Len() == 0 {
				t.Errorf("%s: %d", f, r.Code)
			}
		}
		token := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindStringSubmatch(html)
		if token == nil {
			t.Fatal("no form token")
		}
		post := func(action, tok string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("POST", payments.SimulatePath+co.PaymentID, strings.NewReader(url.Values{"action": {action}, "token": {tok}}.Encode()))
			req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			return rec
		}
		if r := post("confirm", "forged"); r.Code != 400 || w.payment(t, c.CaseID, co.PaymentID).Status != payments.StatusPending {
			t.Errorf("forged token: %d", r.Code)
		}
		r := post("confirm", token[1])
		if r.Code != http.StatusSeeOther || r.Header().Get("Location") != successURL {
			t.Fatalf("confirm: %d %s", r.Code, r.Header().Get("Location"))
		}
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
		if body := do(e, call{method: "GET", path: payments.SimulatePath + co.PaymentID}).Body.String(); strings.Contains(body, "<form") {
			t.Error("the page of a paid payment still offers to pay")
		}
	})
}

// TestSimulationOff: without simulation the page does not exist.
func TestSimulationOff(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t), worldOpts{account: true})
	e, _ := w.server(t)
	c := w.newCase(t, 500000, "2025-09-19", "2025-10-09")
	co := w.checkout(t, c.CaseID)
	if r := do(e, call{method: "GET", path: payments.SimulatePath + co.PaymentID}); r.Code != 404 {
		t.Errorf("simulated page with simulation off: %d", r.Code)
	}
}

func mustPayment(t testing.TB, w *world, id string) *payments.Payment {
	t.Helper()
	p := new(payments.Payment)
	noErr(t, tenants.RunInTx(ctx, w.db, w.countyOp, func(ctx2 context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(p).Where("p.id = ?", id).Scan(ctx2)
	}))
	return p
}
