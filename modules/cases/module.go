package cases

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/documents"
	"zhifa/modules/elements"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// Config wires the case engine.
type Config struct {
	DB       *bun.DB           // opened through tenants.Open, so that the guard knows the case tables
	Rules    *rules.Engine     // every deadline and gate is computed by it
	Elements *elements.Service // bodies, officers and certificates, benchmarks
	// UploadDir is where evidence files are stored (content-addressed, per tenant); the app passes
	// <data.dir>/uploads. Empty: uploads are refused.
	UploadDir string
	// MaxUploadBytes bounds one evidence file (default 16 MiB); the upload route declares it, with
	// room for the form's fields, as its body limit in place of the server's http.body_limit.
	MaxUploadBytes int64
	// Documents issues the document a step produces (the prior notice, the decision, the orders
	// and decisions of coercive measures, the demand notice) inside the step's transaction, under
	// the acting officer's scope: its number goes into the decision, its ID into the
	// delivery:deliver_document task, its number and digest into the chain. nil: no document is
	// issued, and a decision carries the number the officer gives.
	Documents *documents.Service
	// Settings resolves the settings of a tenant and its bodies inside a transaction (the tenants
	// service): the reconsideration authority, the court and the payment account the documents
	// state. nil: the platform defaults.
	Settings SettingReader
	// Now is the clock (default time.Now); tests pin it.
	Now func() time.Time
}

// SettingReader resolves one setting of the scope's tenant, or of one of its bodies, into v inside
// tx (tenants.Service implements it).
type SettingReader interface {
	SettingValue(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID, key string, v any) error
}

// ConsentSource returns the consent to electronic delivery in force that the party of a case
// signed, or nil (the delivery module implements it, delivery.Service.ConsentInForce). The
// engine trusts it over the party's flag.
type ConsentSource interface {
	ConsentInForce(ctx context.Context, tx bun.IDB, sc tenants.Scope, caseID string) (*Consent, error)
}

// Consent is a consent to electronic delivery in force, as the documents of the case state it:
// the day signed and the addresses it names.
type Consent struct {
	SignedOn civil.Date
	Inbox    bool   // the party's inbox in the portal (a portal account)
	Email    string // empty: none
	Mobile   string // for SMS reminders; empty: none
}

// DefaultMaxUploadBytes is the default size limit of one evidence file.
const DefaultMaxUploadBytes = 16 << 20

// New returns the case engine.
func New(cfg Config) *Service {
	s := &Service{db: cfg.DB, rules: cfg.Rules, elements: cfg.Elements, uploadDir: cfg.UploadDir,
		maxUpload: cfg.MaxUploadBytes, docs: cfg.Documents, settings: cfg.Settings, now: cfg.Now, steps: newRegistry(definitions())}
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUploadBytes
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// SetConsents connects the delivery module's consent records, for a composition root that builds
// the delivery module after the case engine: electronic service then needs a consent in force.
func (s *Service) SetConsents(c ConsentSource) { s.consents = c }
