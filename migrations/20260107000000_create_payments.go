package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Fines paid online: payments (one per checkout: the amount quoted on the day, the provider's
// session and payment references, the fiscal e-receipt issued), their refunds, the provider's
// webhook events (each processed once: the event ID is the key), and the reconciliation
// warnings. A pending payment is unique per case, instalment and amount, so that a second
// checkout of the same amount reuses it; a refund is unique per source (the task or the
// Idempotency-Key), so that a retry refunds nothing twice. Case, body and document IDs are not
// foreign keys: those tables belong to other modules.
func init() {
	for _, t := range paymentsTables {
		tenantTable(t, Owned)
	}
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := exec(ctx, db,
			`CREATE TABLE payments (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				case_id TEXT NOT NULL,
				case_code TEXT NOT NULL,
				body_id TEXT NOT NULL,
				instalment INTEGER NOT NULL DEFAULT 0,
				principal_fen BIGINT NOT NULL,
				surcharge_fen BIGINT NOT NULL,
				total_fen BIGINT NOT NULL,
				currency TEXT NOT NULL,
				status TEXT NOT NULL,
				simulated BOOLEAN NOT NULL DEFAULT FALSE,
				session_id TEXT NOT NULL DEFAULT '',
				checkout_url TEXT NOT NULL DEFAULT '',
				success_url TEXT NOT NULL DEFAULT '',
				cancel_url TEXT NOT NULL DEFAULT '',
				reference TEXT NOT NULL DEFAULT '',
				idempotency_key TEXT NOT NULL DEFAULT '',
				quoted_on TEXT NOT NULL,
				due_on TEXT NOT NULL,
				late_days INTEGER NOT NULL DEFAULT 0,
				paused_days INTEGER NOT NULL DEFAULT 0,
				expires_at TIMESTAMPTZ NOT NULL,
				paid_at TIMESTAMPTZ,
				paid_fen BIGINT NOT NULL DEFAULT 0,
				refunded_fen BIGINT NOT NULL DEFAULT 0,
				receipt_document_id TEXT NOT NULL DEFAULT '',
				receipt_number TEXT NOT NULL DEFAULT '',
				last_error TEXT NOT NULL DEFAULT '',
				created_by TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL
			)`,
			`CREATE UNIQUE INDEX payments_pending ON payments (tenant_id, case_id, instalment, total_fen) WHERE status = 'pending'`,
			`CREATE UNIQUE INDEX payments_idempotency ON payments (tenant_id, idempotency_key) WHERE idempotency_key <> ''`,
			`CREATE INDEX payments_case ON payments (tenant_id, case_id, created_at)`,
			`CREATE INDEX payments_updated ON payments (updated_at)`,
			`CREATE TABLE payment_refunds (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				payment_id TEXT NOT NULL REFERENCES payments(id),
				case_id TEXT NOT NULL,
				amount_fen BIGINT NOT NULL,
				reason TEXT NOT NULL,
				status TEXT NOT NULL,
				reference TEXT NOT NULL DEFAULT '',
				source TEXT NOT NULL,
				last_error TEXT NOT NULL DEFAULT '',
				created_by TEXT NOT NULL,
				created_at TIMESTAMPTZ NOT NULL,
				done_at TIMESTAMPTZ,
				UNIQUE (tenant_id, source)
			)`,
			`CREATE INDEX payment_refunds_payment ON payment_refunds (tenant_id, payment_id, created_at)`,
			`CREATE TABLE payment_events (
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				event_id TEXT NOT NULL,
				type TEXT NOT NULL,
				payment_id TEXT NOT NULL DEFAULT '',
				outcome TEXT NOT NULL,
				received_at TIMESTAMPTZ NOT NULL,
				PRIMARY KEY (tenant_id, event_id)
			)`,
			`CREATE TABLE payment_warnings (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id),
				payment_id TEXT NOT NULL REFERENCES payments(id),
				case_id TEXT NOT NULL,
				kind TEXT NOT NULL,
				local TEXT NOT NULL,
				remote TEXT NOT NULL,
				message_zh TEXT NOT NULL,
				message_en TEXT NOT NULL,
				first_seen_at TIMESTAMPTZ NOT NULL,
				last_seen_at TIMESTAMPTZ NOT NULL,
				seen INTEGER NOT NULL DEFAULT 1,
				UNIQUE (tenant_id, payment_id, kind)
			)`,
			`CREATE INDEX payment_warnings_seen ON payment_warnings (tenant_id, last_seen_at)`,
		); err != nil {
			return err
		}
		for _, t := range paymentsTables {
			if err := rls(ctx, db, t, Owned); err != nil {
				return err
			}
		}
		return nil
	}, func(ctx context.Context, db *bun.DB) error {
		return dropTables(ctx, db, "payment_warnings", "payment_events", "payment_refunds", "payments")
	})
}

var paymentsTables = []string{"payments", "payment_refunds", "payment_events", "payment_warnings"}
