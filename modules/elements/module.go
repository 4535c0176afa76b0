package elements

import (
	"github.com/uptrace/bun"

	"zhifa/tenants"
)

// New returns the element databases' service over db (a database opened through tenants.Open, so
// that the query guard knows the element tables). It reads its own settings (Settings) through a
// tenancy service of its own that knows them.
func New(db *bun.DB) *Service { return &Service{db: db, settings: tenants.NewService(db, Settings())} }
