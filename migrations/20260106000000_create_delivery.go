package migrations

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/dbx"
)

// Electronic delivery: the parties' consents (电子送达确认书), deliveries (one per document) and
// their routes (one per document and channel: the unique key that keeps a document from being
// sent twice through a channel), and the citizen portal inbox, which keeps the bytes delivered.
// Days are TEXT 'YYYY-MM-DD'. Case and document IDs are not foreign keys: those tables belong to
// other modules.
func init() {
	for _, t := range deliveryTables {
		tenantTable(t, Owned)
	}
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		blob := "BYTEA"
		if !dbx.IsPostgres(db) {
			blob = "BLOB"
		}
		if err := exec(ctx, db,
			`CREATE TABLE delivery_consents (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL,
				party_kind TEXT NOT NULL,
				party_name TEXT NOT NULL,
				party_key TEXT NOT NULL,
				channels TEXT NOT NULL,
				email TEXT NOT NULL DEFAULT '',
				mobile TEXT NOT NULL DEFAULT '',
				citizen_id TEXT NOT NULL DEFAULT '',
				document_id TEXT NOT NULL DEFAULT '',
				signed_on TEXT NOT NULL,
				recorded_by TEXT NOT NULL,
				recorded_at TIMESTAMPTZ NOT NULL,
				revoked_at TIMESTAMPTZ,
				revoked_by TEXT NOT NULL DEFAULT '',
				revoke_reason TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE UNIQUE INDEX delivery_consents_active ON delivery_consents (tenant_id, case_id) WHERE revoked_at IS NULL`,
			`CREATE INDEX delivery_consents_case ON delivery_consents (tenant_id, case_id, recorded_at)`,
			`CREATE TABLE deliveries (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL,
				case_code TEXT NOT NULL,
				body_id TEXT NOT NULL,
				document_id TEXT NOT NULL,
				document_kind TEXT NOT NULL,
				party_kind TEXT NOT NULL,
				party_name TEXT NOT NULL,
				party_key TEXT NOT NULL,
				source TEXT NOT NULL,
				status TEXT NOT NULL,
				due_on TEXT NOT NULL,
				served_on TEXT,
				served_at TIMESTAMPTZ,
				served_route_id TEXT,
				warned_late_on TEXT,
				created_by TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, document_id)
			)`,
			`CREATE UNIQUE INDEX deliveries_source ON deliveries (tenant_id, source) WHERE source <> ''`,
			`CREATE INDEX deliveries_case ON deliveries (tenant_id, case_id, created_at)`,
			`CREATE INDEX deliveries_open ON deliveries (due_on) WHERE served_at IS NULL AND warned_late_on IS NULL`,
			`CREATE TABLE delivery_routes (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				delivery_id TEXT NOT NULL REFERENCES deliveries(id),
				document_id TEXT NOT NULL,
				channel TEXT NOT NULL,
				method TEXT NOT NULL DEFAULT '',
				address TEXT NOT NULL DEFAULT '',
				consent_id TEXT NOT NULL DEFAULT '',
				status TEXT NOT NULL,
				attempts INTEGER NOT NULL DEFAULT 0,
				lease_until TIMESTAMPTZ,
				message_id TEXT NOT NULL DEFAULT '',
				reply TEXT NOT NULL DEFAULT '',
				last_error TEXT NOT NULL DEFAULT '',
				delivered_at TIMESTAMPTZ,
				served_on TEXT,
				failed_at TIMESTAMPTZ,
				published_on TEXT,
				deemed_on TEXT,
				notice TEXT NOT NULL DEFAULT '',
				receiver TEXT NOT NULL DEFAULT '',
				receipt_sha256 TEXT NOT NULL DEFAULT '',
				receipt_size BIGINT NOT NULL DEFAULT 0,
				receipt_type TEXT NOT NULL DEFAULT '',
				receipt_name TEXT NOT NULL DEFAULT '',
				recorded_at TIMESTAMPTZ,
				record_error TEXT NOT NULL DEFAULT '',
				created_by TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, document_id, channel)
			)`,
			`CREATE INDEX delivery_routes_delivery ON delivery_routes (delivery_id, created_at)`,
			`CREATE INDEX delivery_routes_published ON delivery_routes (deemed_on) WHERE status = 'published'`,
			strings.ReplaceAll(`CREATE TABLE delivery_inbox (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				route_id TEXT NOT NULL UNIQUE REFERENCES delivery_routes(id),
				delivery_id TEXT NOT NULL REFERENCES deliveries(id),
				citizen_id TEXT NOT NULL,
				party_key TEXT NOT NULL,
				case_id TEXT NOT NULL,
				case_code TEXT NOT NULL,
				body_id TEXT NOT NULL,
				document_id TEXT NOT NULL,
				document_kind TEXT NOT NULL,
				title TEXT NOT NULL,
				number TEXT NOT NULL DEFAULT '',
				file_name TEXT NOT NULL,
				content BLOBTYPE NOT NULL,
				sha256 TEXT NOT NULL,
				size_bytes BIGINT NOT NULL,
				stored_at TIMESTAMPTZ NOT NULL,
				read_at TIMESTAMPTZ
			)`, "BLOBTYPE", blob),
			`CREATE INDEX delivery_inbox_citizen ON delivery_inbox (citizen_id, stored_at)`,
			`CREATE INDEX delivery_inbox_party ON delivery_inbox (tenant_id, party_key, stored_at)`,
		); err != nil {
			return err
		}
		for _, t := range deliveryTables {
			if err := rls(ctx, db, t, Owned); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "delivery_inbox", "delivery_routes", "deliveries", "delivery_consents")
	})
}

var deliveryTables = []string{"delivery_consents", "deliveries", "delivery_routes", "delivery_inbox"}
