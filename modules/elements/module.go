package elements

import (
	"time"

	"github.com/uptrace/bun"

	"zhifa/tenants"
)

// Config wires the element databases' service.
type Config struct {
	// DB is a database opened through tenants.Open, so that the query guard knows the element
	// tables.
	DB *bun.DB
	// Now is the clock (default time.Now): the day certificates' states and notices are reckoned
	// on, and every row's timestamps. Tests pin it.
	Now func() time.Time
}

// New returns the element databases' service. It reads its own settings (Settings) through a
// tenancy service of its own that knows them.
func New(c Config) *Service {
	s := &Service{db: c.DB, settings: tenants.NewService(c.DB, Settings()), now: c.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}
