package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// A body has the address and phone that its documents give parties to reach it. A matter's
// articles say what each is to a decision: the provision a violation breaks (role
// violated, 违法依据) or the one a penalty rests on (role penalty, 处罚依据), cited down to the
// paragraph (款) and item (项); role ” is an article of the matter's basis with no such use.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`ALTER TABLE bodies ADD COLUMN address TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE bodies ADD COLUMN phone TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE matter_articles ADD COLUMN role TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE matter_articles ADD COLUMN paragraph INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE matter_articles ADD COLUMN item INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE matter_articles ADD COLUMN seq INTEGER NOT NULL DEFAULT 0`,
		)
	}, func(ctx context.Context, db *bun.DB) error {
		return exec(ctx, db,
			`ALTER TABLE matter_articles DROP COLUMN seq`,
			`ALTER TABLE matter_articles DROP COLUMN item`,
			`ALTER TABLE matter_articles DROP COLUMN paragraph`,
			`ALTER TABLE matter_articles DROP COLUMN role`,
			`ALTER TABLE bodies DROP COLUMN phone`,
			`ALTER TABLE bodies DROP COLUMN address`,
		)
	})
}
