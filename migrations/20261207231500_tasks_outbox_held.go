package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// An outbox row whose task type no handler serves in the deployment is held, not relayed: the
// relay records when (held_at) once and alarms once, and a relay whose worker handles the type
// relays it later.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db, `ALTER TABLE outbox ADD COLUMN held_at TIMESTAMPTZ`)
	}, func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db, `ALTER TABLE outbox DROP COLUMN held_at`)
	})
}
