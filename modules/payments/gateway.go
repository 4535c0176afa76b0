package payments

import (
	"errors"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"zhifa/modules/kernel/errs"
)

// gateway is the Stripe API, with each call made with the paying authority's own secret key and
// an idempotency key derived from our row, so that a retried call never doubles an effect.
type gateway struct {
	backends *stripe.Backends
}

// newGateway returns the gateway to the Stripe API at apiURL (empty: Stripe's own).
func newGateway(apiURL string) *gateway {
	hc := &http.Client{Timeout: 30 * time.Second}
	cfg := &stripe.BackendConfig{HTTPClient: hc, MaxNetworkRetries: stripe.Int64(2),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}}
	if apiURL != "" {
		cfg.URL = stripe.String(apiURL)
	}
	b := stripe.GetBackendWithConfig(stripe.APIBackend, cfg)
	return &gateway{backends: &stripe.Backends{API: b, Connect: b, Uploads: b}}
}

func (g *gateway) client(key string) *client.API { return client.New(key, g.backends) }

// createSession starts a Checkout Session.
func (g *gateway) createSession(key string, params *stripe.CheckoutSessionParams) (*stripe.CheckoutSession, error) {
	cs, err := g.client(key).CheckoutSessions.New(params)
	return cs, stripeError(err)
}

// session retrieves a Checkout Session.
func (g *gateway) session(key, id string) (*stripe.CheckoutSession, error) {
	cs, err := g.client(key).CheckoutSessions.Get(id, nil)
	return cs, stripeError(err)
}

// expireSession closes a Checkout Session, so that it can no longer be paid.
func (g *gateway) expireSession(key, id string) error {
	_, err := g.client(key).CheckoutSessions.Expire(id, &stripe.CheckoutSessionExpireParams{})
	return stripeError(err)
}

// refund refunds part or all of a PaymentIntent.
func (g *gateway) refund(key string, params *stripe.RefundParams) (*stripe.Refund, error) {
	r, err := g.client(key).Refunds.New(params)
	return r, stripeError(err)
}

// errNotAtProvider marks an object the provider does not know (404).
var errNotAtProvider = errs.E(errs.NotFound, "支付服务商没有该记录", "the payment provider has no such record")

// stripeError turns Stripe's errors into platform errors: a refused key is FailedPrecondition
// (the account's settings are wrong), an unknown object NotFound, a refused request Invalid, and
// anything else (network, Stripe's 5xx, rate limits) Unavailable, to be tried again.
func stripeError(err error) error {
	if err == nil {
		return nil
	}
	var se *stripe.Error
	if errors.As(err, &se) {
		switch {
		case se.HTTPStatusCode == http.StatusUnauthorized || se.HTTPStatusCode == http.StatusForbidden:
			return errs.E(errs.FailedPrecondition, "支付服务商拒绝了本机关的账户密钥，请检查网上缴款设置",
				"the payment provider refused the authority's account key: check the payment settings").WithCause(err)
		case se.HTTPStatusCode == http.StatusNotFound:
			return errNotAtProvider.WithCause(err)
		case se.HTTPStatusCode == http.StatusBadRequest || se.HTTPStatusCode == http.StatusPaymentRequired:
			return errs.E(errs.FailedPrecondition, "支付服务商拒绝了该请求："+se.Msg, "the payment provider refused the request: "+se.Msg).WithCause(err)
		}
	}
	return errs.E(errs.Unavailable, "支付服务暂不可用，请稍后再试", "the payment provider is unavailable; try again later").WithCause(err)
}
