package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The citizen portal: claims (an account proved to be a case's party: it sees the case without
// proving again), public evaluations (公众评议, one per case) and reconsideration applications
// (一键复议, one per case, with the state of their sending to the reconsideration body). Case and
// document IDs are not foreign keys: those tables belong to other modules.
func init() {
	for _, t := range portalTables {
		tenantTable(t, Owned)
	}
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE portal_claims (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL,
				case_code TEXT NOT NULL,
				account_id TEXT NOT NULL,
				claimed_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, case_id, account_id)
			)`,
			`CREATE INDEX portal_claims_account ON portal_claims (account_id, case_id)`,
			`CREATE TABLE portal_evaluations (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL,
				account_id TEXT NOT NULL,
				rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
				comment TEXT NOT NULL DEFAULT '',
				evaluated_on TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, case_id)
			)`,
			`CREATE TABLE portal_reconsiderations (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL,
				case_code TEXT NOT NULL,
				body_id TEXT NOT NULL,
				account_id TEXT NOT NULL,
				applicant TEXT NOT NULL,
				applicant_id TEXT NOT NULL DEFAULT '',
				applicant_address TEXT NOT NULL DEFAULT '',
				applicant_phone TEXT NOT NULL DEFAULT '',
				respondent TEXT NOT NULL,
				decision_title TEXT NOT NULL,
				decision_number TEXT NOT NULL,
				decision_date TEXT NOT NULL DEFAULT '',
				request TEXT NOT NULL,
				facts_reasons TEXT NOT NULL,
				authority TEXT NOT NULL,
				applied_on TEXT NOT NULL,
				document_id TEXT NOT NULL,
				status TEXT NOT NULL,
				mailbox TEXT NOT NULL DEFAULT '',
				attempts INTEGER NOT NULL DEFAULT 0,
				message_id TEXT NOT NULL DEFAULT '',
				reply TEXT NOT NULL DEFAULT '',
				last_error TEXT NOT NULL DEFAULT '',
				sent_at TIMESTAMPTZ,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				UNIQUE (tenant_id, case_id)
			)`,
			`CREATE INDEX portal_reconsiderations_waiting ON portal_reconsiderations (created_at) WHERE status = 'waiting'`,
		); err != nil {
			return err
		}
		for _, t := range portalTables {
			if err := rls(ctx, db, t, Owned); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "portal_reconsiderations", "portal_evaluations", "portal_claims")
	})
}

var portalTables = []string{"portal_claims", "portal_evaluations", "portal_reconsiderations"}
