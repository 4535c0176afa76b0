package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

func init() {
	tenantTable("outbox", Owned)
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE outbox (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				task_type TEXT NOT NULL,
				queue TEXT NOT NULL,
				payload TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				relayed_at TIMESTAMPTZ,
				attempts INTEGER NOT NULL DEFAULT 0,
				last_error TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE INDEX outbox_pending ON outbox (created_at) WHERE relayed_at IS NULL`,
		); err != nil {
			return err
		}
		return rls(ctx, db, "outbox", Owned)
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "outbox")
	})
}
