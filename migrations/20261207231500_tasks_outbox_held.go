package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// An outbox row whose task type no handler serves in the deployment is held, not relayed: the
// relay records when (held_at) once and alarms once, and a relay whose worker handles the type
// relays it later. The relay finds the rows never held through outbox_fresh, so that rows held
// for long (a module not deployed yet) do not slow down every run, and the held rows of the types
// it handles through outbox_held.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`ALTER TABLE outbox ADD COLUMN held_at TIMESTAMPTZ`,
			`DROP INDEX outbox_pending`,
			`CREATE INDEX outbox_fresh ON outbox (created_at) WHERE relayed_at IS NULL AND held_at IS NULL`,
			`CREATE INDEX outbox_held ON outbox (task_type, created_at) WHERE relayed_at IS NULL AND held_at IS NOT NULL`,
		)
	}, func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`DROP INDEX outbox_held`,
			`DROP INDEX outbox_fresh`,
			`CREATE INDEX outbox_pending ON outbox (created_at) WHERE relayed_at IS NULL`,
			`ALTER TABLE outbox DROP COLUMN held_at`,
		)
	})
}
