package tenants_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/app/testkit"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// TestServiceStampsByItsClock: the tenancy service stamps what it writes by the clock it is
// given, never the wall clock: a tenant's creation (by an operator and at bootstrap), and each
// setting change it audits (a set and a reset) on a pinned day, 2026 Spring Festival's eve.
func TestServiceStampsByItsClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, time.February, 16, 18, 30, 0, 987654321, rules.Location)
		svc := tenants.NewService(db, rules.Settings())
		svc.UseClock(func() time.Time { return now })
		stamp := dbx.Stamp(now)
		prov := dbtest.NewTenant(t, db, nil)
		op := dbtest.Scope(prov, "op", authz.TenantOperator)

		city, err := svc.Create(ctx, op, tenants.NewTenant{ID: prov.ID + "07", ParentID: prov.ID, Tier: tenants.TierCity, Name: "丁市"})
		testkit.NoErr(t, err)
		if got, _ := svc.Get(ctx, op, city.ID); got == nil || !got.CreatedAt.Equal(stamp) || !city.CreatedAt.Equal(stamp) {
			t.Errorf("created city stamped %v (read back %+v), want %v", city.CreatedAt, got, stamp)
		}
		root, err := svc.EnsureRoot(ctx, "99", "戊省", tenants.TierProvince) // 99: a code NewTenant never draws
		testkit.NoErr(t, err)
		if !root.CreatedAt.Equal(stamp) {
			t.Errorf("root stamped %v, want %v", root.CreatedAt, stamp)
		}

		testkit.NoErr(t, set(svc, op, "4", false, ""))
		now = now.Add(6 * time.Hour) // past midnight: Spring Festival
		testkit.NoErr(t, svc.Reset(ctx, op, key, ""))
		log, err := svc.Audit(ctx, op, 10)
		testkit.NoErr(t, err)
		if len(log) != 2 || log[0].NewValue != nil || !log[0].At.Equal(dbx.Stamp(now)) || !log[1].At.Equal(stamp) {
			t.Fatalf("audit %+v, want the reset at %v after the set at %v", log, dbx.Stamp(now), stamp)
		}
	})
}
