package tenants_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

func TestTreeCreateAndVisibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		svc := tenants.NewService(db)
		prov := dbtest.NewTenant(t, db, nil)
		op := dbtest.Scope(prov, "op", authz.TenantOperator)

		city, err := svc.Create(ctx, op, tenants.NewTenant{ID: prov.ID + "01", ParentID: prov.ID, Tier: tenants.TierCity, Name: "甲市"})
		if err != nil {
			t.Fatalf("create city: %v", err)
		}
		if city.Path != prov.ID+"/"+city.ID {
			t.Errorf("path = %q", city.Path)
		}
		county, err := svc.Create(ctx, op, tenants.NewTenant{ID: city.ID + "21", ParentID: city.ID, Tier: tenants.TierCounty, Name: "乙县"})
		if err != nil {
			t.Fatalf("create county: %v", err)
		}
		sibling, err := svc.Create(ctx, op, tenants.NewTenant{ID: city.ID + "22", ParentID: city.ID, Tier: tenants.TierCounty, Name: "丙县"})
		if err != nil {
			t.Fatalf("create sibling: %v", err)
		}

		cases := []struct {
			name string
			sc   tenants.Scope
			req  tenants.NewTenant
			want errs.Code
		}{
			{"tier must be below the parent's", op, tenants.NewTenant{ID: county.ID + "01", ParentID: county.ID, Tier: tenants.TierCity, Name: "x"}, errs.Invalid},
			{"code taken", op, tenants.NewTenant{ID: county.ID, ParentID: city.ID, Tier: tenants.TierCounty, Name: "x"}, errs.Conflict},
			{"bad code", op, tenants.NewTenant{ID: "35ab", ParentID: city.ID, Tier: tenants.TierCounty, Name: "x"}, errs.Invalid},
			{"empty name", op, tenants.NewTenant{ID: city.ID + "23", ParentID: city.ID, Tier: tenants.TierCounty, Name: " "}, errs.Invalid},
			{"no parent", op, tenants.NewTenant{ID: "99", Tier: tenants.TierProvince, Name: "x"}, errs.Invalid},
			{"parent outside the caller's subtree", dbtest.Scope(county, "c", authz.TenantOperator),
				tenants.NewTenant{ID: sibling.ID + "100", ParentID: sibling.ID, Tier: tenants.TierTownship, Name: "x"}, errs.NotFound},
			{"officer may not create", dbtest.Scope(county, "o", authz.Officer),
				tenants.NewTenant{ID: county.ID + "100", ParentID: county.ID, Tier: tenants.TierTownship, Name: "x"}, errs.Forbidden},
			{"subtree view is read-only", tenants.SubtreeScope(prov, "s", []authz.Role{authz.TenantOperator}),
				tenants.NewTenant{ID: county.ID + "101", ParentID: county.ID, Tier: tenants.TierTownship, Name: "x"}, errs.Forbidden},
		}
		for _, c := range cases {
			if _, err := svc.Create(ctx, c.sc, c.req); errs.CodeOf(err) != c.want {
				t.Errorf("%s: got %v, want %s", c.name, err, c.want)
			}
		}

		countyOp := dbtest.Scope(county, "c", authz.TenantOperator)
		tree, err := svc.Tree(ctx, countyOp)
		if err != nil || len(tree) != 1 || tree[0].ID != county.ID {
			t.Errorf("county tree = %v, %v; want only the county", tree, err)
		}
		tree, _ = svc.Tree(ctx, op)
		if len(tree) != 4 || tree[0].ID != prov.ID {
			t.Errorf("province tree has %d tenants, want 4 with the root first", len(tree))
		}
		if _, err := svc.Get(ctx, countyOp, sibling.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("county sees its sibling: %v", err)
		}
		if _, err := svc.Get(ctx, countyOp, prov.ID); err != nil {
			t.Errorf("county cannot see its ancestor: %v", err)
		}
	})
}

func TestQueriesFailClosedWithoutScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		var n int
		err := db.NewSelect().Table("settings").ColumnExpr("count(*)").Scan(ctx, &n)
		if !errs.Is(err, errs.Internal) || err.Error() == "" || !isNoScope(err) {
			t.Fatalf("select without scope: %v, want ErrNoScope", err)
		}
		if _, err := db.NewSelect().Table("settings_audit").Count(ctx); !isNoScope(err) {
			t.Errorf("count without scope: %v", err)
		}
		if _, err := db.ExecContext(ctx, "DELETE FROM settings"); !isNoScope(err) {
			t.Errorf("raw delete without scope: %v", err)
		}
		if err := tenants.RunInTx(ctx, db, tenants.Scope{}, func(context.Context, bun.Tx) error { return nil }); !isNoScope(err) {
			t.Errorf("zero scope accepted: %v", err)
		}
		prov := dbtest.NewTenant(t, db, nil)
		ro := tenants.SubtreeScope(prov, "s", []authz.Role{authz.Supervisor})
		err = tenants.RunInTx(ctx, db, ro, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE tenant_id = ?", prov.ID)
			return err
		})
		if !errs.Is(err, errs.Forbidden) {
			t.Errorf("write under a read-only scope: %v", err)
		}
	})
}

func isNoScope(err error) bool {
	e, ok := err.(*errs.Error)
	return ok && e == tenants.ErrNoScope
}
