package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The disclosure platform (公示): one record per decision (unique per case and decision number, so
// that a task run twice publishes once), holding only what may be public; the originals the
// review needs beside it in a table of their own, which no public query reads; and every
// transition of a record (its public history). Case and body IDs are not foreign keys: those
// tables belong to other modules.
func init() {
	for _, t := range disclosureTables {
		tenantTable(t, Owned)
	}
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE disclosure_records (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL,
				case_code TEXT NOT NULL,
				body_id TEXT NOT NULL,
				body_name TEXT NOT NULL,
				body_uscc TEXT NOT NULL,
				decision_number TEXT NOT NULL,
				state TEXT NOT NULL,
				withheld_reason TEXT NOT NULL DEFAULT '',
				party_kind TEXT NOT NULL,
				party_name TEXT NOT NULL,
				party_uscc TEXT NOT NULL DEFAULT '',
				legal_rep TEXT NOT NULL DEFAULT '',
				facts TEXT NOT NULL,
				basis TEXT NOT NULL,
				categories TEXT NOT NULL,
				content TEXT NOT NULL,
				fine_fen BIGINT NOT NULL DEFAULT 0,
				confiscation_fen BIGINT NOT NULL DEFAULT 0,
				licence_suspended BOOLEAN NOT NULL DEFAULT FALSE,
				licence_revoked BOOLEAN NOT NULL DEFAULT FALSE,
				decided_on TEXT NOT NULL,
				publish_by TEXT NOT NULL,
				published_on TEXT NOT NULL DEFAULT '',
				min_end_on TEXT NOT NULL DEFAULT '',
				ends_on TEXT NOT NULL DEFAULT '',
				credit_ends_on TEXT NOT NULL DEFAULT '',
				withdraw_due TEXT NOT NULL DEFAULT '',
				explanation TEXT NOT NULL DEFAULT '',
				late_warned_at TIMESTAMPTZ,
				version INTEGER NOT NULL,
				source_task TEXT NOT NULL DEFAULT '',
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, case_id, decision_number)
			)`,
			`CREATE UNIQUE INDEX disclosure_records_task ON disclosure_records (tenant_id, source_task) WHERE source_task <> ''`,
			`CREATE INDEX disclosure_records_public ON disclosure_records (state, published_on)`,
			`CREATE INDEX disclosure_records_ends ON disclosure_records (state, ends_on)`,
			`CREATE INDEX disclosure_records_due ON disclosure_records (state, publish_by)`,
			`CREATE INDEX disclosure_records_number ON disclosure_records (decision_number)`,
			`CREATE TABLE disclosure_originals (
				record_id TEXT PRIMARY KEY REFERENCES disclosure_records(id),
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				party JSONB NOT NULL,
				facts TEXT NOT NULL,
				masked_names JSONB NOT NULL
			)`,
			`CREATE TABLE disclosure_events (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				record_id TEXT NOT NULL REFERENCES disclosure_records(id),
				from_state TEXT NOT NULL,
				to_state TEXT NOT NULL,
				at TIMESTAMPTZ NOT NULL,
				actor TEXT NOT NULL,
				reason TEXT NOT NULL
			)`,
			`CREATE INDEX disclosure_events_record ON disclosure_events (tenant_id, record_id, at)`,
		); err != nil {
			return err
		}
		for _, t := range disclosureTables {
			if err := rls(ctx, db, t, Owned); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "disclosure_events", "disclosure_originals", "disclosure_records")
	})
}

var disclosureTables = []string{"disclosure_records", "disclosure_originals", "disclosure_events"}
