package cases

import (
	"time"

	"github.com/uptrace/bun"

	"zhifa/modules/elements"
	"zhifa/modules/rules"
)

// Config wires the case engine.
type Config struct {
	DB       *bun.DB           // opened through tenants.Open, so that the guard knows the case tables
	Rules    *rules.Engine     // every deadline and gate is computed by it
	Elements *elements.Service // bodies, officers and certificates, benchmarks
	// UploadDir is where evidence files are stored (content-addressed, per tenant); the app passes
	// <data.dir>/uploads. Empty: uploads are refused.
	UploadDir string
	// MaxUploadBytes bounds one evidence file (default 16 MiB). The HTTP server's general body
	// limit does not apply to multipart uploads; this one does.
	MaxUploadBytes int64
	// Now is the clock (default time.Now); tests pin it.
	Now func() time.Time
}

// DefaultMaxUploadBytes is the default size limit of one evidence file.
const DefaultMaxUploadBytes = 16 << 20

// New returns the case engine.
func New(cfg Config) *Service {
	s := &Service{db: cfg.DB, rules: cfg.Rules, elements: cfg.Elements, uploadDir: cfg.UploadDir,
		maxUpload: cfg.MaxUploadBytes, now: cfg.Now}
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUploadBytes
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}
