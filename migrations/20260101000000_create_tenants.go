package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

func init() {
	tenantTable("settings", Catalogue)
	tenantTable("settings_audit", Owned)
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE tenants (
				id TEXT PRIMARY KEY,
				parent_id TEXT REFERENCES tenants(id),
				path TEXT NOT NULL UNIQUE,
				tier TEXT NOT NULL,
				name TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				created_by TEXT NOT NULL
			)`,
			`CREATE INDEX tenants_parent ON tenants (parent_id)`,
			`CREATE TABLE settings (
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				body_id TEXT NOT NULL DEFAULT '',
				key TEXT NOT NULL,
				value TEXT NOT NULL,
				final BOOLEAN NOT NULL DEFAULT FALSE,
				updated_by TEXT NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				PRIMARY KEY (tenant_id, body_id, key)
			)`,
			`CREATE TABLE settings_audit (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				body_id TEXT NOT NULL DEFAULT '',
				key TEXT NOT NULL,
				old_value TEXT,
				new_value TEXT,
				old_final BOOLEAN,
				new_final BOOLEAN NOT NULL,
				actor TEXT NOT NULL,
				at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE INDEX settings_audit_tenant ON settings_audit (tenant_id, at)`,
		); err != nil {
			return err
		}
		if err := pgOnly(ctx, db,
			`CREATE FUNCTION zhifa_own(tid TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
				SELECT current_setting('app.system', true) = 'on' OR tid = current_setting('app.tenant_id', true)
			$$`,
			`CREATE FUNCTION zhifa_visible(tid TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
				SELECT current_setting('app.system', true) = 'on' OR tid = current_setting('app.tenant_id', true)
					OR (COALESCE(current_setting('app.subtree', true), '') <> '' AND tid IN (
						SELECT t.id FROM tenants t WHERE t.path = current_setting('app.subtree', true)
							OR t.path LIKE current_setting('app.subtree', true) || '/%'))
			$$`,
			`CREATE FUNCTION zhifa_visible_inherited(tid TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
				SELECT zhifa_visible(tid) OR tid = ANY (string_to_array(NULLIF(current_setting('app.ancestors', true), ''), ','))
			$$`,
		); err != nil {
			return err
		}
		if err := rls(ctx, db, "settings", Catalogue); err != nil {
			return err
		}
		return rls(ctx, db, "settings_audit", Owned)
	}, func(ctx context.Context, db *bun.DB) error {
		if err := dropTables(ctx, db, "settings_audit", "settings", "tenants"); err != nil {
			return err
		}
		return pgOnly(ctx, db, `DROP FUNCTION IF EXISTS zhifa_visible_inherited(TEXT)`,
			`DROP FUNCTION IF EXISTS zhifa_visible(TEXT)`, `DROP FUNCTION IF EXISTS zhifa_own(TEXT)`)
	})
}
