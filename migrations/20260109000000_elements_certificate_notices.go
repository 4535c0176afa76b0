package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The daily certificate notices (执法证到期提醒) of the element databases: per body and day, the
// officers whose certificates expire within the warning window or have expired while still
// recorded as valid. One notice per body and day.
func init() {
	tenantTable("certificate_notices", Owned)
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE certificate_notices (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				body_id TEXT NOT NULL REFERENCES bodies(id),
				notice_on TEXT NOT NULL,
				warn_days INTEGER NOT NULL,
				expiring INTEGER NOT NULL,
				expired INTEGER NOT NULL,
				officers JSONB NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, body_id, notice_on)
			)`,
		); err != nil {
			return err
		}
		return rls(ctx, db, "certificate_notices", Owned)
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "certificate_notices")
	})
}
