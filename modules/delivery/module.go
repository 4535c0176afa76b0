package delivery

import (
	"io"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/rules"
)

// Config wires the delivery module.
type Config struct {
	DB        *bun.DB        // opened through tenants.Open, so that the guard knows the delivery tables
	Rules     *rules.Engine  // the 7-working-day limit (penalty.delivery) when a request names no due day
	Cases     CaseRecorder   // case code, body and party; arrivals recorded on the case's chain
	Documents DocumentSource // the PDFs; nil: deliveries that need a document fail until it is wired
	// Mailer submits e-mail; nil: the e-mail channel is off (refused when chosen).
	Mailer Mailer
	// From is the sender address, whose domain the Message-IDs use (default: the mailer's, if it
	// has one, else localhost).
	From string
	// SMS sends notifications; nil: the SMS channel is off (refused when chosen).
	SMS Notifier
	// PortalURL is the citizen portal's inbox address, quoted in the e-mail and SMS texts.
	PortalURL string
	// UploadDir is where scanned receipts (送达回证) are stored, content-addressed per tenant; the
	// app passes <data.dir>/uploads. Empty: paper receipts are refused.
	UploadDir string
	// MaxUploadBytes bounds one scanned receipt (default 16 MiB).
	MaxUploadBytes int64
	// MaxAttempts is how many times one channel is tried before it is marked failed (default 8;
	// keep it at most the relay's MaxRetry + 1 = 11, or Asynq gives up first).
	MaxAttempts int
	// Lease is how long an attempt holds a route (default 2 minutes, above the SMTP timeout): after
	// a crash, the next attempt may take the route only once its lease has run out.
	Lease time.Duration
	// Now is the clock (default time.Now); tests pin it.
	Now func() time.Time
	// Log receives what tasks cannot return (default: discarded).
	Log *slog.Logger
}

// The defaults of Config.
const (
	DefaultMaxUploadBytes = 16 << 20
	DefaultMaxAttempts    = 8
	DefaultLease          = 2 * time.Minute
)

// Service is the delivery module: consent, deliveries and their channels, the citizen inbox, and
// the task handlers.
type Service struct {
	db          *bun.DB
	rules       *rules.Engine
	cases       CaseRecorder
	docs        DocumentSource
	mailer      Mailer
	from        string
	sms         Notifier
	portalURL   string
	uploadDir   string
	maxUpload   int64
	maxAttempts int
	lease       time.Duration
	now         func() time.Time
	log         *slog.Logger
	loads       *group[*loadItem]
	arrivals    *group[*arrival]
}

// New returns the delivery module.
func New(cfg Config) *Service {
	s := &Service{db: cfg.DB, rules: cfg.Rules, cases: cfg.Cases, docs: cfg.Documents, mailer: cfg.Mailer, from: cfg.From,
		sms: cfg.SMS, portalURL: cfg.PortalURL, uploadDir: cfg.UploadDir, maxUpload: cfg.MaxUploadBytes,
		maxAttempts: cfg.MaxAttempts, lease: cfg.Lease, now: cfg.Now, log: cfg.Log}
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUploadBytes
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = DefaultMaxAttempts
	}
	if s.lease <= 0 {
		s.lease = DefaultLease
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.loads = newGroup(cfg.DB, s.loadBatch)
	s.arrivals = newGroup(cfg.DB, s.arriveBatch)
	if s.from == "" {
		if f, ok := s.mailer.(interface{ From() string }); ok {
			s.from = f.From()
		}
	}
	return s
}
