package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// A case whose deadline waits on a year's holiday notice that is not loaded records that year
// (the earliest, when several), so that officers can list such cases and a load of the notice
// finds the cases to compute again.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`ALTER TABLE cases ADD COLUMN calendar_wait INTEGER`,
			`CREATE INDEX cases_calendar_wait ON cases (calendar_wait, tenant_id) WHERE calendar_wait IS NOT NULL`,
		)
	}, func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`DROP INDEX IF EXISTS cases_calendar_wait`,
			`ALTER TABLE cases DROP COLUMN calendar_wait`,
		)
	})
}
