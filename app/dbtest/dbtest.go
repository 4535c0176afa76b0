// Package dbtest gives store and service tests real, freshly migrated databases: SQLite in a
// temporary file, and PostgreSQL (through testenv) connected as the non-owner application role so
// that row-level security applies. Each runs a test body against both.
package dbtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/testenv"
	"zhifa/config"
	"zhifa/migrations"
	"zhifa/modules/kernel/authz"
	"zhifa/tenants"
)

// Each runs f as two subtests, "sqlite" and "postgres", each with its own migrated database.
func Each(t *testing.T, f func(t *testing.T, db *bun.DB)) {
	t.Run("sqlite", func(t *testing.T) { f(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, Postgres(t)) })
}

// SQLite returns a migrated SQLite database in a temporary directory, closed at cleanup.
func SQLite(t testing.TB) *bun.DB {
	t.Helper()
	dsn := config.SQLiteDSN(filepath.Join(t.TempDir(), "zhifa.db"))
	return open(t, "sqlite", dsn, dsn, "")
}

// Postgres returns a migrated PostgreSQL database (a fresh one on the package's shared server),
// migrated as the owner and opened as the application role.
func Postgres(t testing.TB) *bun.DB {
	t.Helper()
	info := testenv.Postgres(t).NewDatabase(t)
	return open(t, "postgres", info.OwnerDSN, info.AppDSN, info.AppRole)
}

// PostgresInfo is Postgres that also returns the connection details (for tests that reach
// beneath the application, e.g. editing rows as the owner).
func PostgresInfo(t testing.TB) (*bun.DB, testenv.DBInfo) {
	t.Helper()
	info := testenv.Postgres(t).NewDatabase(t)
	return open(t, "postgres", info.OwnerDSN, info.AppDSN, info.AppRole), info
}

func open(t testing.TB, driver, ownerDSN, appDSN, appRole string) *bun.DB {
	t.Helper()
	ctx := context.Background()
	owner, err := tenants.Open(driver, ownerDSN, 2, nil)
	if err != nil {
		t.Fatalf("dbtest: open owner: %v", err)
	}
	if _, err := migrations.Up(ctx, owner, appRole); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	owner.Close()
	db, err := tenants.Open(driver, appDSN, 8, migrations.TenantTables())
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var seq atomic.Int64

// createdAt is when every tenant NewTenant makes was created: a fixture's creation is no part of
// what a test checks.
var createdAt = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// NewTenant creates a fresh tenant with a random code under parent (nil: a new province root).
func NewTenant(t testing.TB, db *bun.DB, parent *tenants.Tenant) *tenants.Tenant {
	t.Helper()
	tier, id := tenants.TierProvince, strconv.Itoa(10+rand.IntN(89))
	if parent != nil {
		next := map[tenants.Tier]tenants.Tier{tenants.TierProvince: tenants.TierCity, tenants.TierCity: tenants.TierCounty, tenants.TierCounty: tenants.TierTownship}
		tier = next[parent.Tier]
		id = parent.ID + fmt.Sprintf("%02d", seq.Add(1)%100)
	}
	for range 50 {
		tn := &tenants.Tenant{ID: id, Tier: tier, Name: "测试" + id, CreatedAt: createdAt, CreatedBy: "test"}
		if parent != nil {
			tn.ParentID = &parent.ID
		}
		err := tenants.NewStore(db).Insert(context.Background(), tn)
		if err == nil {
			return tn
		}
		if parent == nil {
			id = strconv.Itoa(10 + rand.IntN(89))
		} else {
			id = parent.ID + fmt.Sprintf("%02d", seq.Add(1)%100)
		}
	}
	t.Fatalf("dbtest: no free tenant code")
	return nil
}

// Scope returns a scope acting at tenant t with roles, as the HTTP middleware would build it.
func Scope(t *tenants.Tenant, actor string, roles ...authz.Role) tenants.Scope {
	return tenants.NewScope(t, actor, roles, nil)
}

// BodyScope returns a scope acting at tenant t with roles limited to bodies.
func BodyScope(t *tenants.Tenant, actor string, bodies []string, roles ...authz.Role) tenants.Scope {
	return tenants.NewScope(t, actor, roles, bodies)
}

// GrantScope returns the scope of actor holding grants, at tenant t, as the HTTP middleware builds
// it: each role reaching as far as its own grants (authz.Reach).
func GrantScope(t *tenants.Tenant, actor string, grants ...authz.Grant) tenants.Scope {
	p := &authz.Principal{IdentityID: actor, Grants: grants}
	return tenants.GrantScope(t, actor, p.ReachAt(t.ID, t.Ancestors()))
}
