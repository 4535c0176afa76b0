package payments

import (
	"bytes"
	"context"
	"crypto/hmac"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/kernel/webassets"
	"zhifa/tenants"
)

// The simulated payment (the embedded default in development, Config.Simulate, for a tenant with
// no Stripe account): Checkout sends the payer to SimulatePath<payment ID>, a page of this module
// marked 模拟支付 SIMULATION in Chinese and English, with a confirm and a cancel button (no inline
// script or style: its script and stylesheet, web/static, are served from StaticPath by webassets,
// at content-hashed addresses). Confirming builds a checkout.session.completed event, cancelling
// a checkout.session.expired one, signs it with the tenant's webhook secret (the simulation
// secret unless the tenant set one) and hands it to HandleWebhook, the very code that verifies
// and processes Stripe's events; the payment and its receipt are marked simulated.

// The simulated payment page's addresses.
const (
	SimulatePath = "/portal/pay/simulate/"
	StaticPath   = "/portal/pay/static/"
)

//go:embed web/*
var webFS embed.FS

// static serves the page's stylesheet and script.
var static = func() *webassets.Server {
	sub, err := fs.Sub(webFS, "web/static")
	if err != nil {
		panic(err)
	}
	return webassets.MustNew(StaticPath, sub)
}()

var simulatePage = template.Must(template.New("simulate.html").Funcs(template.FuncMap{"asset": static.URL}).ParseFS(webFS, "web/simulate.html"))

// simulatePageData is what the page shows.
type simulatePageData struct {
	P         *Payment
	Token     string
	Total     string
	Fine      string
	Surcharge string
	Done      bool
	Error     *errs.Msg
}

// PublicRoutes mounts the simulated payment page and the module's static files on e (no
// session). With simulation off the page answers 404.
func (s *Service) PublicRoutes(e *echo.Echo) {
	static.Mount(e)
	e.GET(SimulatePath+":id", func(c echo.Context) error {
		p, err := s.simulated(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return s.simulatePage(c, http.StatusOK, p, nil)
	})
	e.POST(SimulatePath+":id", func(c echo.Context) error {
		ctx := c.Request().Context()
		p, err := s.simulated(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		if !hmac.Equal([]byte(c.FormValue("token")), []byte(s.formToken(p.ID))) {
			m := errs.Msg{ZH: "页面已失效，请刷新后重试", EN: "the page has expired: reload it and try again"}
			return s.simulatePage(c, http.StatusBadRequest, p, &m)
		}
		confirm := c.FormValue("action") == "confirm"
		if _, err := s.SimulateEvent(ctx, p, confirm); err != nil {
			m := errs.As(err).Message
			return s.simulatePage(c, errs.CodeOf(err).HTTPStatus(), p, &m)
		}
		if confirm {
			return c.Redirect(http.StatusSeeOther, p.SuccessURL)
		}
		return c.Redirect(http.StatusSeeOther, p.CancelURL)
	})
}

// simulated finds a simulated payment by ID for the page, across tenants (the page has no
// session: the payment's ID, unguessable, is the address). NotFound when simulation is off or
// the payment is not a simulated one.
func (s *Service) simulated(ctx context.Context, id string) (*Payment, error) {
	if !s.simulate || !dbx.ValidID(id) {
		return nil, errNotFound
	}
	p := new(Payment)
	err := tenants.RunInTx(ctx, s.db, tenants.System("payments: the simulated payment page finds its payment"), func(ctx context.Context, tx bun.Tx) error {
		return tx.NewSelect().Model(p).Where("p.id = ? AND p.simulated", id).Scan(ctx)
	})
	if err != nil {
		return nil, dbx.NotFound(err)
	}
	return p, nil
}

// formToken binds the page's form to its payment, so that another site cannot post it blindly.
func (s *Service) formToken(id string) string {
	return hex.EncodeToString(s.derive("zhifa/payments/simulate-form/v1", id))[:32]
}

func (s *Service) simulatePage(c echo.Context, status int, p *Payment, e *errs.Msg) error {
	d := simulatePageData{P: p, Token: s.formToken(p.ID), Total: money.Fen(p.TotalFen).Figure(),
		Fine: money.Fen(p.PrincipalFen).Figure(), Surcharge: money.Fen(p.SurchargeFen).Figure(), Done: p.Status != StatusPending && p.Status != StatusFailed, Error: e}
	var buf bytes.Buffer
	if err := simulatePage.Execute(&buf, d); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// SimulateEvent builds the event a payer's choice on the simulated page stands for
// (checkout.session.completed, paid, when confirm; checkout.session.expired otherwise), signs it
// with the payment's tenant's webhook secret and processes it through HandleWebhook. Only for a
// simulated payment (FailedPrecondition otherwise).
func (s *Service) SimulateEvent(ctx context.Context, p *Payment, confirm bool) (*WebhookReply, error) {
	if !p.Simulated {
		return nil, errs.E(errs.FailedPrecondition, "不是模拟支付", "not a simulated payment")
	}
	t, err := s.tenants.Lookup(ctx, p.TenantID)
	if err != nil {
		return nil, err
	}
	var secret string
	vsc := tenants.NewScope(t, webhookVerifyActor, nil, nil)
	if err := tenants.RunInTx(ctx, s.db, vsc, func(ctx context.Context, tx bun.Tx) error {
		secret, err = s.webhookSecret(ctx, tx, vsc)
		return err
	}); err != nil {
		return nil, err
	}
	typ, status, paid := EventSessionCompleted, "complete", "paid"
	if !confirm {
		typ, status, paid = EventSessionExpired, "expired", "unpaid"
	}
	payload, err := json.Marshal(map[string]any{
		"id": "evt_sim_" + dbx.NewID(), "object": "event", "api_version": stripe.APIVersion, "created": s.now().Unix(),
		"livemode": false, "type": typ,
		"data": map[string]any{"object": map[string]any{
			"id": p.SessionID, "object": "checkout.session", "status": status, "payment_status": paid,
			"amount_total": p.TotalFen, "currency": p.Currency, "client_reference_id": p.ID,
			"payment_intent": simulatedIntentID(p),
			"metadata":       map[string]string{"tenant_id": p.TenantID, "case_id": p.CaseID, "payment_id": p.ID, "simulated": "true"},
		}},
	})
	if err != nil {
		return nil, err
	}
	// Signed at the wall clock's time, not the service's: Stripe's check of a signature's age reads
	// the wall clock.
	return s.HandleWebhook(ctx, p.TenantID, payload, SignPayload(payload, secret, time.Now()))
}

// SignPayload returns the Stripe-Signature header of payload signed with secret at t (the
// signature Stripe sends: HMAC-SHA256 of "<unix t>.<payload>").
func SignPayload(payload []byte, secret string, t time.Time) string {
	sig := webhook.ComputeSignature(t, payload, secret)
	return fmt.Sprintf("t=%d,v1=%s", t.Unix(), hex.EncodeToString(sig))
}

// simulatedIntentID is the payment reference a simulated payment gets: pi_sim_ and a number
// drawn from the payment's ID (its time and random bits), printed on the receipt as a payment
// reference is, with no fragment of the platform's identifiers.
func simulatedIntentID(p *Payment) string {
	n, _ := strconv.ParseUint(strings.ReplaceAll(p.ID, "-", "")[:16], 16, 64)
	return paymentIntentIDPrefixSim + strconv.FormatUint(n, 10)
}
