package tenants_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// TestRowLevelSecurity goes beneath the guard: it connects as the application role with no guard
// at all and shows that PostgreSQL alone still hides other tenants' rows and refuses writes into them.
func TestRowLevelSecurity(t *testing.T) {
	ctx := context.Background()
	db, info := dbtest.PostgresInfo(t)
	svc := tenants.NewService(db, rules.Settings())
	prov := dbtest.NewTenant(t, db, nil)
	a := dbtest.NewTenant(t, db, prov)
	b := dbtest.NewTenant(t, db, prov)
	for _, tn := range []*tenants.Tenant{a, b} {
		if err := set(svc, dbtest.Scope(tn, "op", authz.TenantOperator), "3", false, ""); err != nil {
			t.Fatal(err)
		}
	}

	raw, err := tenants.Open("postgres", info.AppDSN, 4, nil) // no guard
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	count := func(ctx context.Context, q bun.IDB) int {
		var n int
		if err := q.NewRaw("SELECT count(*) FROM settings_audit").Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(ctx, raw); n != 0 {
		t.Errorf("without a tenant setting the app role sees %d audit rows, want 0", n)
	}
	err = tenants.RunInTx(ctx, raw, dbtest.Scope(a, "op", authz.TenantOperator), func(ctx context.Context, tx bun.Tx) error {
		if n := count(ctx, tx); n != 1 {
			t.Errorf("tenant A sees %d audit rows, want its own 1", n)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings_audit (id, tenant_id, body_id, key, new_final, actor, at)
			VALUES ('x', ?, '', 'k', false, 'evil', now())`, b.ID)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Errorf("insert into tenant B's rows under A's scope: %v, want a row-level security violation", err)
	}
	if n := count(ctx, raw); n != 0 {
		t.Errorf("after the transaction the pooled connection sees %d rows, want 0 (SET LOCAL must not leak)", n)
	}
	err = tenants.RunInTx(ctx, raw, tenants.SubtreeScope(prov, "sup", []authz.Role{authz.Supervisor}), func(ctx context.Context, tx bun.Tx) error {
		if n := count(ctx, tx); n != 2 {
			t.Errorf("the central tenant's subtree view sees %d rows, want 2", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var owner string
	if err := raw.NewRaw("SELECT tableowner FROM pg_tables WHERE tablename = 'settings'").Scan(ctx, &owner); err != nil {
		t.Fatal(err)
	}
	if owner == info.AppRole {
		t.Errorf("the application role owns the tables; row-level security would not bind it")
	}
}
