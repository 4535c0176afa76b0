package migrations_test

import (
	"context"
	"os"
	"testing"

	"path/filepath"
	"zhifa/app/testenv"
	"zhifa/config"

	"zhifa/migrations"
	"zhifa/tenants"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// TestUpDownUp applies every migration, rolls all of them back and applies them again, on both
// databases: down migrations must really undo what up did.
func TestUpDownUp(t *testing.T) {
	pgInfo := testenv.Postgres(t).NewDatabase(t)
	for name, c := range map[string]struct{ driver, dsn, role string }{
		"sqlite":   {"sqlite", config.SQLiteDSN(filepath.Join(t.TempDir(), "m.db")), ""},
		"postgres": {"postgres", pgInfo.OwnerDSN, pgInfo.AppRole},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, err := tenants.Open(c.driver, c.dsn, 2, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := migrations.Up(ctx, db, c.role); err != nil {
				t.Fatalf("up: %v", err)
			}
			st, err := migrations.Status(ctx, db)
			if err != nil || len(st) == 0 || len(st.Unapplied()) != 0 {
				t.Fatalf("status after up: %d unapplied, %v", len(st.Unapplied()), err)
			}
			g, err := migrations.Down(ctx, db)
			if err != nil || g.IsZero() {
				t.Fatalf("down: %v %v", g, err)
			}
			if st, _ := migrations.Status(ctx, db); len(st.Unapplied()) != len(st) {
				t.Errorf("after rolling back the only group, %d of %d migrations still applied", len(st)-len(st.Unapplied()), len(st))
			}
			if _, err := db.ExecContext(ctx, "SELECT 1 FROM tenants"); err == nil {
				t.Error("tenants table survived the rollback")
			}
			if _, err := migrations.Up(ctx, db, c.role); err != nil {
				t.Fatalf("up again: %v", err)
			}
			if g, err := migrations.Up(ctx, db, c.role); err != nil || !g.IsZero() {
				t.Errorf("a second up applied %v, %v", g, err)
			}
		})
	}
}

func TestTenantTablesAreKnownToTheGuard(t *testing.T) {
	tables := migrations.TenantTables()
	for _, want := range []string{"settings", "settings_audit", "grants", "outbox", "bodies", "officers", "laws", "matters"} {
		found := false
		for _, tb := range tables {
			found = found || tb == want
		}
		if !found {
			t.Errorf("%s is not registered as a tenant table", want)
		}
	}
}
