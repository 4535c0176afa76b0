package tenants_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/tenants"
)

// TestSnapshotReadsOneCommit: a read of several statements in RunInSnapshot sees the database as
// of one commit, so a commit landing between its statements (a case's step between reading the
// case's head and its events) is not half seen; RunInTx, read committed, sees it at once; and a
// snapshot refuses writes. PostgreSQL only: an SQLite transaction takes the database's lock at
// its start (txlock=immediate), so no commit can land inside it.
func TestSnapshotReadsOneCommit(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	sc := tenants.System("test: counting tenants across a commit")
	count := func(ctx context.Context, tx bun.Tx) int64 {
		n, err := tx.NewSelect().Table("tenants").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		name  string
		run   func(context.Context, *bun.DB, tenants.Scope, func(context.Context, bun.Tx) error) error
		grows bool
	}{{"snapshot", tenants.RunInSnapshot, false}, {"read committed", tenants.RunInTx, true}} {
		err := c.run(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
			before := count(ctx, tx)
			dbtest.NewTenant(t, db, nil) // commits in its own transaction, meanwhile
			if after := count(ctx, tx); (after > before) != c.grows {
				t.Errorf("%s: %d tenants before the commit, %d after; want growth %v", c.name, before, after, c.grows)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	err := tenants.RunInSnapshot(ctx, db, sc, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Table("tenants").Set("name = name").Where("1 = 0").Exec(ctx)
		return err
	})
	if err == nil {
		t.Error("a write through a snapshot went through")
	}
}
