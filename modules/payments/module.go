package payments

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/documents"
	"zhifa/tenants"
)

// Documents is what the payments module needs from the documents module (documents.Service):
// issuing the fiscal e-receipt, numbered, sealed and signed, in the caller's transaction.
type Documents interface {
	Issue(ctx context.Context, tx bun.IDB, sc tenants.Scope, req documents.IssueRequest) (*documents.Document, error)
}

// Config wires the payments module.
type Config struct {
	DB        *bun.DB          // opened through tenants.Open, so that the guard knows the payment tables
	Cases     Cases            // the case engine: terms, and the payment, receipt and refund entries on the chain
	Documents Documents        // the fiscal e-receipt
	Settings  *tenants.Service // the tenants' payment accounts (secret settings: UseSecretKey must have been called)
	Tenants   *tenants.Store   // resolves the tenant a webhook or a task names
	SecretKey []byte           // the platform's secret key (config secrets.key, decoded): the simulated page's form token, receipt check codes
	PublicURL string           // config http.public_url: return addresses must be on it; the simulated page's address
	// StripeAPIURL is the Stripe API's address; empty: Stripe's own. Tests give stripe-mock's.
	StripeAPIURL string
	// Simulate lets a tenant without a Stripe account pay through the simulated payment page (the
	// embedded default in development). Without it such a tenant's checkout is refused.
	Simulate bool
	// SimulationKey (32 bytes, required with Simulate) signs the simulated payments' webhooks: a
	// per-install random key, never the platform's secret key, whose embedded default is public.
	SimulationKey []byte
	Log           *slog.Logger     // default: discarded
	Now           func() time.Time // default: time.Now
}

// Service is the payments module: quotes, checkouts, the webhook, receipts, refunds and
// reconciliation.
type Service struct {
	db        *bun.DB
	cases     Cases
	docs      Documents
	settings  *tenants.Service
	tenants   *tenants.Store
	secret    []byte
	publicURL *url.URL
	stripe    *gateway
	simulate  bool
	simKey    []byte
	log       *slog.Logger
	now       func() time.Time
}

// New returns the payments module. It panics on a public URL that is not an absolute http(s)
// address or a secret key that is not 32 bytes: the configuration's validation guarantees both.
func New(cfg Config) *Service {
	u, err := url.Parse(strings.TrimRight(cfg.PublicURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		panic(fmt.Sprintf("payments: the public URL %q is not an absolute http(s) address", cfg.PublicURL))
	}
	if cfg.Simulate && len(cfg.SimulationKey) != 32 {
		panic(fmt.Sprintf("payments: the simulation key must be 32 bytes, got %d", len(cfg.SimulationKey)))
	}
	if len(cfg.SecretKey) != 32 {
		panic(fmt.Sprintf("payments: the secret key must be 32 bytes, got %d", len(cfg.SecretKey)))
	}
	s := &Service{db: cfg.DB, cases: cfg.Cases, docs: cfg.Documents, settings: cfg.Settings, tenants: cfg.Tenants,
		secret: cfg.SecretKey, publicURL: u, stripe: newGateway(cfg.StripeAPIURL), simulate: cfg.Simulate, simKey: cfg.SimulationKey, log: cfg.Log, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// derive returns an HMAC-SHA256 of msg under a key derived from the secret key for purpose.
func (s *Service) derive(purpose, msg string) []byte { return derive(s.secret, purpose, msg) }

// derive returns an HMAC-SHA256 of msg under a key derived from key for purpose.
func derive(key []byte, purpose, msg string) []byte {
	k := hmac.New(sha256.New, key)
	k.Write([]byte(purpose))
	m := hmac.New(sha256.New, k.Sum(nil))
	m.Write([]byte(msg))
	return m.Sum(nil)
}
