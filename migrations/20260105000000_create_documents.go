package migrations

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
)

// Enforcement documents: template versions (the platform set lives in the code; tenants and
// bodies publish their own versions here, read by the tenants below like a catalogue), the
// issued documents with their data snapshot, pinned template version, PDF and SM2 signature, the
// per-body signing keys (private key encrypted at rest), and the number counters (文号) per body,
// year and series. Binary columns are BYTEA on PostgreSQL and BLOB on SQLite.
func init() {
	tenantTable("document_templates", Catalogue)
	for _, t := range []string{"documents", "document_keys", "document_counters"} {
		tenantTable(t, Owned)
	}
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		blob := "BLOB"
		if dbx.IsPostgres(db) {
			blob = "BYTEA"
		}
		if err := exec(ctx, db,
			`CREATE TABLE document_templates (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				body_id TEXT NOT NULL DEFAULT '',
				type TEXT NOT NULL,
				version INTEGER NOT NULL DEFAULT 0,
				status TEXT NOT NULL,
				title TEXT NOT NULL,
				source TEXT NOT NULL,
				source_sha256 TEXT NOT NULL,
				seal_png `+blob+`,
				based_on TEXT NOT NULL,
				note TEXT NOT NULL DEFAULT '',
				created_by TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				published_by TEXT NOT NULL DEFAULT '',
				published_at TIMESTAMPTZ
			)`,
			`CREATE INDEX document_templates_owner ON document_templates (tenant_id, body_id, type, status, version)`,
			`CREATE UNIQUE INDEX document_templates_version ON document_templates (tenant_id, body_id, type, version) WHERE status <> 'draft'`,
			`CREATE TABLE documents (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				body_id TEXT NOT NULL REFERENCES bodies(id),
				case_id TEXT NOT NULL REFERENCES cases(id),
				case_code TEXT NOT NULL,
				type TEXT NOT NULL,
				title TEXT NOT NULL,
				number TEXT NOT NULL DEFAULT '',
				series TEXT NOT NULL DEFAULT '',
				year INTEGER NOT NULL,
				seq INTEGER NOT NULL DEFAULT 0,
				template_ref TEXT NOT NULL,
				template_version INTEGER NOT NULL,
				template_sha256 TEXT NOT NULL,
				data TEXT NOT NULL,
				pdf `+blob+` NOT NULL,
				pdf_size INTEGER NOT NULL,
				pdf_sm3 TEXT NOT NULL,
				signature TEXT NOT NULL,
				public_key TEXT NOT NULL,
				key_fingerprint TEXT NOT NULL,
				issued_by TEXT NOT NULL,
				issued_at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE INDEX documents_case ON documents (tenant_id, case_id, issued_at)`,
			`CREATE INDEX documents_sm3 ON documents (pdf_sm3)`,
			`CREATE UNIQUE INDEX documents_number ON documents (body_id, year, series, seq) WHERE seq > 0`,
			`CREATE TABLE document_keys (
				body_id TEXT PRIMARY KEY REFERENCES bodies(id),
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				algorithm TEXT NOT NULL,
				public_key TEXT NOT NULL,
				fingerprint TEXT NOT NULL UNIQUE,
				private_key_enc TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE TABLE document_counters (
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				body_id TEXT NOT NULL REFERENCES bodies(id),
				year INTEGER NOT NULL,
				series TEXT NOT NULL,
				last INTEGER NOT NULL,
				PRIMARY KEY (body_id, year, series)
			)`,
		); err != nil {
			return err
		}
		if err := rls(ctx, db, "document_templates", Catalogue); err != nil {
			return err
		}
		for _, t := range []string{"documents", "document_keys", "document_counters"} {
			if err := rls(ctx, db, t, Owned); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "document_counters", "document_keys", "documents", "document_templates")
	})
}
