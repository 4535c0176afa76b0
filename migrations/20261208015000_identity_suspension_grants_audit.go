package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// An account may be suspended (停用): suspended_at and the identity who did it; empty while it is
// active. grants_audit records every change of who holds what at a tenant (an account created, a
// role granted or revoked, an account suspended or reinstated), in the transaction of the change.
func init() {
	tenantTable("grants_audit", Owned)
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`ALTER TABLE accounts ADD COLUMN suspended_at TIMESTAMPTZ`,
			`ALTER TABLE accounts ADD COLUMN suspended_by TEXT NOT NULL DEFAULT ''`,
			`CREATE TABLE grants_audit (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				at TIMESTAMPTZ NOT NULL,
				actor TEXT NOT NULL,
				action TEXT NOT NULL,
				identity_id TEXT NOT NULL,
				role TEXT NOT NULL DEFAULT '',
				body_id TEXT NOT NULL DEFAULT '',
				detail TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE INDEX grants_audit_tenant ON grants_audit (tenant_id, at)`,
			`CREATE INDEX grants_audit_identity ON grants_audit (identity_id)`,
		); err != nil {
			return err
		}
		return rls(ctx, db, "grants_audit", Owned)
	}, func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`DROP TABLE grants_audit`,
			`ALTER TABLE accounts DROP COLUMN suspended_by`,
			`ALTER TABLE accounts DROP COLUMN suspended_at`,
		)
	})
}
