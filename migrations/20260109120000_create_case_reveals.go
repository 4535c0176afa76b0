package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The log of a case party's identity number shown in full (the case page shows it masked): who
// revealed which case's number, and when. Rows are only added.
func init() {
	tenantTable("case_reveals", Owned)
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE case_reveals (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL REFERENCES cases(id),
				field TEXT NOT NULL,
				actor TEXT NOT NULL,
				at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE INDEX case_reveals_case ON case_reveals (tenant_id, case_id, at)`,
		); err != nil {
			return err
		}
		return rls(ctx, db, "case_reveals", Owned)
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "case_reveals")
	})
}
