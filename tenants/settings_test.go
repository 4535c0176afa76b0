package tenants_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

const key = "cases.backfill_working_days" // Fujian 5, Guangdong 3 working days

func effective(t *testing.T, svc *tenants.Service, sc tenants.Scope, body string) tenants.Setting {
	t.Helper()
	all, err := svc.Settings(context.Background(), sc, body)
	if err != nil {
		t.Fatalf("settings: %v", err)
	}
	for _, s := range all {
		if s.Key == key {
			return s
		}
	}
	t.Fatalf("%s not defined", key)
	return tenants.Setting{}
}

func set(svc *tenants.Service, sc tenants.Scope, v string, final bool, body string) error {
	_, err := svc.Set(context.Background(), sc, key, tenants.SetSetting{Value: json.RawMessage(v), Final: final, BodyID: body})
	return err
}

func TestSettingsInheritOverrideLockAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		svc := tenants.NewService(db, rules.Settings())
		prov := dbtest.NewTenant(t, db, nil)
		city := dbtest.NewTenant(t, db, prov)
		county := dbtest.NewTenant(t, db, city)
		provOp := dbtest.Scope(prov, "prov-op", authz.TenantOperator)
		countyOp := dbtest.Scope(county, "county-op", authz.TenantOperator)

		if s := effective(t, svc, countyOp, ""); string(s.Value) != "5" || s.Source != "platform" {
			t.Fatalf("default = %s from %s, want 5 from platform", s.Value, s.Source)
		}
		if err := set(svc, provOp, "3", false, ""); err != nil {
			t.Fatal(err)
		}
		if s := effective(t, svc, countyOp, ""); string(s.Value) != "3" || s.Source != prov.ID {
			t.Errorf("inherited = %s from %s, want 3 from %s", s.Value, s.Source, prov.ID)
		}
		if err := set(svc, countyOp, "7", false, ""); err != nil {
			t.Fatal(err)
		}
		if s := effective(t, svc, countyOp, ""); string(s.Value) != "7" || s.Source != county.ID {
			t.Errorf("override = %s from %s", s.Value, s.Source)
		}
		if s := effective(t, svc, dbtest.Scope(city, "x", authz.Officer), ""); string(s.Value) != "3" {
			t.Errorf("the county's override leaked up to the city: %s", s.Value)
		}
		// The province locks the key: the county's own value stops applying and cannot be set again.
		if err := set(svc, provOp, "4", true, ""); err != nil {
			t.Fatal(err)
		}
		if s := effective(t, svc, countyOp, ""); string(s.Value) != "4" || s.LockedBy != prov.ID {
			t.Errorf("after lock = %s locked by %q, want 4 locked by %s", s.Value, s.LockedBy, prov.ID)
		}
		if err := set(svc, countyOp, "6", false, ""); !errs.Is(err, errs.FailedPrecondition) {
			t.Errorf("override of a locked key: %v", err)
		}

		for _, c := range []struct {
			name, value string
			sc          tenants.Scope
			want        errs.Code
		}{
			{"not an integer", `"abc"`, countyOp, errs.Invalid},
			{"below minimum", "0", provOp, errs.Invalid},
			{"above maximum", "16", provOp, errs.Invalid},
			{"officer may not set", "5", dbtest.Scope(county, "o", authz.Officer), errs.Forbidden},
		} {
			if err := set(svc, c.sc, c.value, false, ""); !errs.Is(err, c.want) {
				t.Errorf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		if _, err := svc.Set(context.Background(), provOp, "no.such.key", tenants.SetSetting{Value: json.RawMessage("1")}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown key: %v", err)
		}

		audit, err := svc.Audit(context.Background(), provOp, 10)
		if err != nil || len(audit) != 2 {
			t.Fatalf("province audit: %d rows, %v; want 2", len(audit), err)
		}
		last := audit[0]
		if last.Actor != "prov-op" || *last.OldValue != "3" || *last.NewValue != "4" || !last.NewFinal || *last.OldFinal {
			t.Errorf("audit row = %+v", last)
		}
		if countyAudit, _ := svc.Audit(context.Background(), countyOp, 10); len(countyAudit) != 1 {
			t.Errorf("county audit has %d rows, want 1 (its own change only)", len(countyAudit))
		}
	})
}

func TestBodySettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		svc := tenants.NewService(db, rules.Settings())
		prov := dbtest.NewTenant(t, db, nil)
		county := dbtest.NewTenant(t, db, prov)
		admin := dbtest.BodyScope(county, "admin", []string{"body-a"}, authz.BodyAdmin)

		if err := set(svc, admin, "2", false, "body-a"); err != nil {
			t.Fatalf("body admin sets own body: %v", err)
		}
		if s := effective(t, svc, admin, "body-a"); string(s.Value) != "2" || s.Source != "body:body-a" {
			t.Errorf("body value = %s from %s", s.Value, s.Source)
		}
		if s := effective(t, svc, admin, "body-b"); string(s.Value) != "5" {
			t.Errorf("another body sees %s", s.Value)
		}
		if err := set(svc, admin, "2", false, "body-b"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("body admin sets another body: %v", err)
		}
		if err := set(svc, admin, "2", false, ""); !errs.Is(err, errs.Forbidden) {
			t.Errorf("body admin sets the tenant: %v", err)
		}
		if err := set(svc, dbtest.Scope(county, "op", authz.TenantOperator), "3", true, ""); err != nil {
			t.Fatal(err)
		}
		if err := set(svc, admin, "4", false, "body-a"); !errs.Is(err, errs.FailedPrecondition) {
			t.Errorf("body override of a key its tenant locked: %v", err)
		}
		if err := svc.Reset(context.Background(), admin, key, "body-a"); err != nil {
			t.Errorf("reset: %v", err)
		}
		if err := svc.Reset(context.Background(), admin, key, "body-a"); !errs.Is(err, errs.NotFound) {
			t.Errorf("second reset: %v", err)
		}
	})
}

// settingsReads counts the statements that read the settings table.
type settingsReads struct{ n atomic.Int32 }

func (h *settingsReads) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if strings.HasPrefix(e.Query, "SELECT") && strings.Contains(e.Query, `FROM "settings"`) {
		h.n.Add(1)
	}
	return ctx
}
func (h *settingsReads) AfterQuery(context.Context, *bun.QueryEvent) {}

// TestSettingsReadOncePerTransaction: a transaction that reads settings several times queries
// them once (per tenant and body), and a value set since shows in the next transaction.
func TestSettingsReadOncePerTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		svc := tenants.NewService(db, rules.Settings())
		prov := dbtest.NewTenant(t, db, nil)
		county := dbtest.NewTenant(t, db, prov)
		op := dbtest.Scope(county, "county-op", authz.TenantOperator)
		reads := &settingsReads{}
		db.AddQueryHook(reads)
		read := func() (a, b int) {
			t.Helper()
			err := tenants.RunInTx(context.Background(), db, op, func(ctx context.Context, tx bun.Tx) error {
				if err := svc.SettingValue(ctx, tx, op, "", key, &a); err != nil {
					return err
				}
				return svc.SettingValue(ctx, tx, op, "", key, &b)
			})
			if err != nil {
				t.Fatal(err)
			}
			return a, b
		}
		if a, b := read(); a != 5 || b != 5 || reads.n.Load() != 1 {
			t.Fatalf("first transaction: %d %d after %d settings reads, want 5 5 after 1", a, b, reads.n.Load())
		}
		if err := set(svc, op, "4", false, ""); err != nil {
			t.Fatal(err)
		}
		reads.n.Store(0)
		if a, b := read(); a != 4 || b != 4 || reads.n.Load() != 1 {
			t.Errorf("after a change: %d %d after %d settings reads, want 4 4 after 1", a, b, reads.n.Load())
		}
	})
}

// TestSettingRegistryRefusesBadDefinitions: a service is built with its settings, and a key
// defined twice (in one module's list, across two, or over the kernel's own), a default outside
// its own bounds and a secret with a default are refused when it is built.
func TestSettingRegistryRefusesBadDefinitions(t *testing.T) {
	t.Parallel()
	one := tenants.SettingDef{Key: "test.one", Kind: tenants.KindInt, Default: 1, Min: tenants.Int64(1), Max: tenants.Int64(9)}
	for _, c := range []struct {
		name  string
		lists [][]tenants.SettingDef
		want  string
	}{
		{"twice in a list", [][]tenants.SettingDef{{one, one}}, "defined twice: test.one"},
		{"twice across lists", [][]tenants.SettingDef{{one}, {one}}, "defined twice: test.one"},
		{"the kernel's own", [][]tenants.SettingDef{{{Key: tenants.KeyProvinceRules, Kind: tenants.KindString, Default: ""}}}, "defined twice: " + tenants.KeyProvinceRules},
		{"default out of bounds", [][]tenants.SettingDef{{{Key: "test.bad", Kind: tenants.KindInt, Default: 0, Min: tenants.Int64(1), Max: tenants.Int64(9)}}}, "default of test.bad"},
		{"secret with a default", [][]tenants.SettingDef{{{Key: "test.secret", Kind: tenants.KindSecret, Default: "x"}}}, "default must be empty: test.secret"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("%s: %v, want a panic naming %q", c.name, r, c.want)
				}
			}()
			tenants.NewService(nil, c.lists...)
		}()
	}
	var keys []string
	for _, d := range tenants.NewService(nil, []tenants.SettingDef{one}).SettingDefs() {
		keys = append(keys, d.Key)
	}
	if want := []string{tenants.KeyProvinceRules, "test.one"}; !slices.Equal(keys, want) {
		t.Errorf("a service built with test.one knows %v, want %v", keys, want)
	}
}
