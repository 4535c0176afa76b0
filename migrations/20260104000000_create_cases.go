package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The case engine: cases with their state and facts, the officers assigned to each, the
// hash-chained event log (the whole-process record), evidence files, and the idempotency record
// of every transition request. Days are TEXT 'YYYY-MM-DD'; the event content is TEXT (not JSONB)
// because its exact bytes are hashed.
func init() {
	for _, t := range casesTables {
		tenantTable(t, Owned)
	}
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE cases (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				body_id TEXT NOT NULL REFERENCES bodies(id),
				code TEXT NOT NULL UNIQUE,
				kind TEXT NOT NULL,
				state TEXT NOT NULL,
				version INTEGER NOT NULL,
				title TEXT NOT NULL,
				party_kind TEXT NOT NULL,
				party_name TEXT NOT NULL,
				matter_id TEXT REFERENCES matters(id),
				parent_id TEXT REFERENCES cases(id),
				facts TEXT NOT NULL,
				next_due_on TEXT,
				warned_due_on TEXT,
				late_backfill BOOLEAN NOT NULL DEFAULT FALSE,
				last_seq INTEGER NOT NULL,
				chain_head TEXT NOT NULL,
				created_by TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE INDEX cases_body_state ON cases (tenant_id, body_id, state, updated_at)`,
			`CREATE INDEX cases_body_updated ON cases (tenant_id, body_id, updated_at)`,
			`CREATE INDEX cases_tenant_state ON cases (tenant_id, state, updated_at)`,
			`CREATE INDEX cases_tenant_updated ON cases (tenant_id, updated_at)`,
			`CREATE INDEX cases_due ON cases (tenant_id, next_due_on) WHERE next_due_on IS NOT NULL`,
			`CREATE INDEX cases_parent ON cases (parent_id) WHERE parent_id IS NOT NULL`,
			`CREATE TABLE case_officers (
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL REFERENCES cases(id),
				officer_id TEXT NOT NULL REFERENCES officers(id),
				PRIMARY KEY (case_id, officer_id)
			)`,
			`CREATE INDEX case_officers_officer ON case_officers (tenant_id, officer_id, case_id)`,
			`CREATE TABLE case_events (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL REFERENCES cases(id),
				seq INTEGER NOT NULL,
				action TEXT NOT NULL,
				from_state TEXT NOT NULL,
				to_state TEXT NOT NULL,
				actor TEXT NOT NULL,
				at TIMESTAMPTZ NOT NULL,
				on_date TEXT NOT NULL,
				late BOOLEAN NOT NULL DEFAULT FALSE,
				content TEXT NOT NULL,
				prev_hash TEXT NOT NULL,
				hash TEXT NOT NULL,
				UNIQUE (case_id, seq)
			)`,
			`CREATE TABLE case_evidence (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL REFERENCES cases(id),
				seq INTEGER NOT NULL,
				title TEXT NOT NULL,
				kind TEXT NOT NULL,
				file_name TEXT NOT NULL,
				content_type TEXT NOT NULL,
				size_bytes BIGINT NOT NULL,
				sha256 TEXT NOT NULL,
				collected_on TEXT NOT NULL,
				uploaded_by TEXT NOT NULL,
				uploaded_at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE INDEX case_evidence_case ON case_evidence (case_id, seq)`,
			`CREATE TABLE case_requests (
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				actor TEXT NOT NULL,
				idem_key TEXT NOT NULL,
				case_id TEXT NOT NULL,
				action TEXT NOT NULL,
				request_hash TEXT NOT NULL,
				response TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				PRIMARY KEY (tenant_id, actor, idem_key)
			)`,
			`CREATE INDEX case_requests_created ON case_requests (created_at)`,
		); err != nil {
			return err
		}
		for _, t := range casesTables {
			if err := rls(ctx, db, t, Owned); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "case_requests", "case_evidence", "case_events", "case_officers", "cases")
	})
}

var casesTables = []string{"cases", "case_officers", "case_events", "case_evidence", "case_requests"}
