// Package migrations holds the platform's schema migrations, embedded in the binary and run by
// `zhifa migrate`. One set serves PostgreSQL and SQLite: DDL is written once in portable SQL
// (the few type names that differ are translated by exec), and PostgreSQL additionally gets
// row-level-security policies on every tenant table. The list is append-only: never edit a
// migration that has shipped; add a new one.
package migrations

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"zhifa/modules/kernel/dbx"
)

// Migrations is the registry every migration file adds itself to.
var Migrations = migrate.NewMigrations()

// TableKind says how row-level security limits a tenant table.
type TableKind int

const (
	// Owned rows are visible to their own tenant (and, read-only, to a central tenant's subtree scope).
	Owned TableKind = iota
	// Catalogue rows are also visible to the tenants below their owner (laws, matters, settings).
	Catalogue
)

var tenantTables = map[string]TableKind{}

// tenantTable records name as a tenant table, so the query guard knows it. Call it from a
// migration file's init, beside the migration that creates the table.
func tenantTable(name string, kind TableKind) {
	tenantTables[name] = kind
}

// TenantTables lists every table that carries tenant_id, for the query guard.
func TenantTables() []string {
	names := make([]string, 0, len(tenantTables))
	for n := range tenantTables {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

var sqliteTypes = strings.NewReplacer("TIMESTAMPTZ", "TIMESTAMP", "JSONB", "TEXT", "BIGSERIAL", "INTEGER")

// exec runs portable DDL statements, translating PostgreSQL type names for SQLite.
func exec(ctx context.Context, db *bun.DB, stmts ...string) error {
	for _, s := range stmts {
		if !dbx.IsPostgres(db) {
			s = sqliteTypes.Replace(s)
		}
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%w\n%s", err, s)
		}
	}
	return nil
}

// pgOnly runs statements on PostgreSQL only.
func pgOnly(ctx context.Context, db *bun.DB, stmts ...string) error {
	if !dbx.IsPostgres(db) {
		return nil
	}
	return exec(ctx, db, stmts...)
}

// rls turns on forced row-level security for a tenant table with the policies for its kind.
func rls(ctx context.Context, db *bun.DB, table string, kind TableKind) error {
	read := "zhifa_visible(tenant_id)"
	if kind == Catalogue {
		read = "zhifa_visible_inherited(tenant_id)"
	}
	return pgOnly(ctx, db,
		fmt.Sprintf(`ALTER TABLE %s ENABLE ROW LEVEL SECURITY`, table),
		fmt.Sprintf(`ALTER TABLE %s FORCE ROW LEVEL SECURITY`, table),
		fmt.Sprintf(`CREATE POLICY %s_read ON %s FOR SELECT USING (%s)`, table, table, read),
		fmt.Sprintf(`CREATE POLICY %s_write ON %s FOR ALL USING (zhifa_own(tenant_id)) WITH CHECK (zhifa_own(tenant_id))`, table, table),
	)
}

// dropTables drops tables in order, for down migrations.
func dropTables(ctx context.Context, db *bun.DB, tables ...string) error {
	for _, t := range tables {
		if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return err
		}
	}
	return nil
}

var roleRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Up applies every pending migration and, on PostgreSQL, grants the application role (which must
// not own the tables, so that row-level security applies to it) the rights it needs.
func Up(ctx context.Context, db *bun.DB, appRole string) (*migrate.MigrationGroup, error) {
	m := migrate.NewMigrator(db, Migrations)
	if err := m.Init(ctx); err != nil {
		return nil, err
	}
	if err := m.Lock(ctx); err != nil {
		return nil, err
	}
	defer m.Unlock(ctx) //nolint:errcheck // the lock row is removed on success; a failure leaves nothing to undo
	g, err := m.Migrate(ctx)
	if err != nil {
		return g, err
	}
	if dbx.IsPostgres(db) && appRole != "" {
		if !roleRE.MatchString(appRole) {
			return g, fmt.Errorf("migrate: bad app role name %q", appRole)
		}
		if err := exec(ctx, db,
			`GRANT USAGE ON SCHEMA public TO `+appRole,
			`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO `+appRole,
			`REVOKE ALL ON bun_migrations, bun_migration_locks FROM `+appRole,
			`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO `+appRole,
		); err != nil {
			return g, err
		}
	}
	return g, nil
}

// Down rolls back the last applied group of migrations.
func Down(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	m := migrate.NewMigrator(db, Migrations)
	if err := m.Init(ctx); err != nil {
		return nil, err
	}
	return m.Rollback(ctx)
}

// Status lists every migration with whether it has been applied.
func Status(ctx context.Context, db *bun.DB) (migrate.MigrationSlice, error) {
	m := migrate.NewMigrator(db, Migrations)
	if err := m.Init(ctx); err != nil {
		return nil, err
	}
	return m.MigrationsWithStatus(ctx)
}
