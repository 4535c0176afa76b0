package portal

import (
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"zhifa/modules/delivery"
	"zhifa/modules/kernel/ratelimit"
	"zhifa/tenants"
)

// Config wires the portal.
type Config struct {
	DB       *bun.DB        // opened through tenants.Open, so that the guard knows the portal tables
	Tenants  *tenants.Store // the tenant a case code names (its division code)
	Settings SettingReader  // portal.reconsideration_email, per tenant and body
	Cases    Cases
	Payments Payments // nil: paying online is unavailable (the page says so)
	Consents Consents
	// Identity authenticates page requests (the API's session middleware does the API's).
	Identity Identity
	// Redis keeps the rate-limit windows (go-redis v9; the embedded default's miniredis will do).
	// nil: lookups are refused as unavailable, never left unlimited.
	Redis redis.UniversalClient
	// Mailer sends reconsideration applications to the reconsideration body's mailbox; nil: they
	// wait, listed as not sent.
	Mailer delivery.Mailer
	// From is the sender address, whose domain the Message-IDs use (default: the mailer's).
	From      string
	Documents Documents
	// DevLogin shows the dev login (开发登录) on /portal/login: the embedded default only.
	DevLogin bool
	// SignIn is the sign-in page citizens go to when the dev login is off (the identity
	// module's self-service login, which takes ?return_to=): /portal/login redirects there.
	SignIn string
	// PublicURL is the platform's address (http.public_url), for Kratos's return_to and the
	// payment pages' return addresses.
	PublicURL string
	// Limits bound lookups (default DefaultLimits).
	Limits Limits
	Log    *slog.Logger     // default: discarded
	Now    func() time.Time // default time.Now; tests pin it
}

// Service is the citizen portal: lookup and proof, claims, the case as its party sees it,
// consent, evaluation, reconsideration, payment, and the pages.
type Service struct {
	db        *bun.DB
	tenants   *tenants.Store
	settings  SettingReader
	cases     Cases
	payments  Payments
	consents  Consents
	identity  Identity
	limits    *limiter
	mailer    delivery.Mailer
	from      string
	docs      Documents
	devLogin  bool
	signIn    string
	publicURL string
	log       *slog.Logger
	now       func() time.Time
	pages     *pages
}

// New returns the portal. It panics if the embedded pages do not parse: a programming error the
// package's tests catch.
func New(cfg Config) *Service {
	s := &Service{db: cfg.DB, tenants: cfg.Tenants, settings: cfg.Settings, cases: cfg.Cases, payments: cfg.Payments,
		consents: cfg.Consents, identity: cfg.Identity, mailer: cfg.Mailer, from: cfg.From, docs: cfg.Documents,
		devLogin: cfg.DevLogin, signIn: cfg.SignIn, publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		log: cfg.Log, now: cfg.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.from == "" {
		if f, ok := s.mailer.(interface{ From() string }); ok {
			s.from = f.From()
		}
	}
	lim := cfg.Limits
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	s.limits = &limiter{Limiter: ratelimit.New(cfg.Redis, "portal:rl", s.now), limits: lim}
	s.pages = mustParsePages()
	return s
}
