package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

func init() {
	tenantTable("grants", Owned)
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE accounts (
				identity_id TEXT PRIMARY KEY,
				email TEXT NOT NULL UNIQUE,
				name TEXT NOT NULL,
				kind TEXT NOT NULL,
				home_tenant TEXT REFERENCES tenants(id),
				created_at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE TABLE grants (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				identity_id TEXT NOT NULL REFERENCES accounts(identity_id),
				role TEXT NOT NULL,
				body_id TEXT NOT NULL DEFAULT '',
				created_at TIMESTAMPTZ NOT NULL,
				created_by TEXT NOT NULL,
				UNIQUE (identity_id, tenant_id, role, body_id)
			)`,
			`CREATE INDEX grants_tenant ON grants (tenant_id)`,
			`CREATE TABLE dev_sessions (
				token_hash TEXT PRIMARY KEY,
				identity_id TEXT NOT NULL REFERENCES accounts(identity_id),
				created_at TIMESTAMPTZ NOT NULL,
				expires_at TIMESTAMPTZ NOT NULL
			)`,
		); err != nil {
			return err
		}
		return rls(ctx, db, "grants", Owned)
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "dev_sessions", "grants", "accounts")
	})
}
