package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The holiday calendar (国务院节假日安排) loaded by operators: platform tables owned by no tenant,
// so they carry no tenant_id, no row-level security, and are not known to the query guard. A loaded
// year overrides the schedule embedded in the binary; revision grows with each load of a year, so
// SUM(revision) is the version API processes compare to reload their cache. The audit keeps every
// load with the schedule it replaced.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`CREATE TABLE holiday_calendars (
				year INTEGER PRIMARY KEY,
				schedule TEXT NOT NULL,
				revision BIGINT NOT NULL,
				loaded_by TEXT NOT NULL,
				loaded_at TIMESTAMPTZ NOT NULL,
				acting_tenant TEXT NOT NULL
			)`,
			`CREATE TABLE holiday_calendars_audit (
				id TEXT PRIMARY KEY,
				year INTEGER NOT NULL,
				old_schedule TEXT,
				new_schedule TEXT NOT NULL,
				revision BIGINT NOT NULL,
				actor TEXT NOT NULL,
				acting_tenant TEXT NOT NULL,
				at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE INDEX holiday_calendars_audit_year ON holiday_calendars_audit (year, at)`,
		)
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "holiday_calendars_audit", "holiday_calendars")
	})
}
