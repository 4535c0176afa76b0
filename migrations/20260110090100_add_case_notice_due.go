package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The day a pending public notice (公告送达, 民事诉讼法 Art. 95) serves a case's document, so that
// the periodic cases:serve_notices finds the cases whose notice period has passed without reading
// every case's facts.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`ALTER TABLE cases ADD COLUMN notice_due_on TEXT`,
			`CREATE INDEX cases_notice_due ON cases (notice_due_on) WHERE notice_due_on IS NOT NULL`)
	}, func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db, `DROP INDEX cases_notice_due`, `ALTER TABLE cases DROP COLUMN notice_due_on`)
	})
}
