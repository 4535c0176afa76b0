package tenants_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// TestSettingsCiteTheDeploymentsProvince reads the basis of the provincial settings under each
// choice of the root's deployment.province_rules: only that province is cited, never another; the
// choice is the root's alone, one of three, defaulting to the root's division code.
func TestSettingsCiteTheDeploymentsProvince(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		svc := tenants.NewService(db, rules.Settings())
		root := dbtest.NewTenant(t, db, nil)
		county := dbtest.NewTenant(t, db, dbtest.NewTenant(t, db, root))
		rootOp := dbtest.Scope(root, "root-op", authz.TenantOperator)
		countyOp := dbtest.Scope(county, "county-op", authz.TenantOperator)
		setting := func(key string) tenants.Setting {
			t.Helper()
			all, err := svc.Settings(ctx, countyOp, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range all {
				if s.Key == key {
					return s
				}
			}
			t.Fatalf("%s not defined", key)
			return tenants.Setting{}
		}
		basis := func(key string) string { return setting(key).Basis }
		province := func() string {
			var p string
			if err := json.Unmarshal(setting(tenants.KeyProvinceRules).Value, &p); err != nil {
				t.Fatal(err)
			}
			return p
		}

		want := map[string]string{"35": tenants.ProvinceFujian, "44": tenants.ProvinceGuangdong}[root.ID[:2]]
		if want == "" {
			want = tenants.ProvinceNational
		}
		if got := province(); got != want {
			t.Errorf("root %s follows %q by default, want %q", root.ID, got, want)
		}

		fujian, guangdong := []string{"闽政令242号", "福建"}, []string{"粤府〔2023〕73号", "广东"}
		for _, c := range []struct {
			province           string
			cites, never       []string
			backfillContains   string
			lawLoadingContains string
		}{
			{tenants.ProvinceFujian, fujian, guangdong, "第17条：自情形消除之日起5个工作日内", "未规定入库期限"},
			{tenants.ProvinceGuangdong, guangdong, fujian, "第22条：3个工作日内", "第52条：颁布之日起10个工作日内"},
			{tenants.ProvinceNational, nil, append(append([]string{}, fujian...), guangdong...), "无全国统一的补录期限", "无全国统一的入库期限"},
		} {
			if _, err := svc.Set(ctx, rootOp, tenants.KeyProvinceRules, tenants.SetSetting{Value: json.RawMessage(`"` + c.province + `"`)}); err != nil {
				t.Fatalf("%s: %v", c.province, err)
			}
			if got := province(); got != c.province {
				t.Fatalf("the county follows %q, want %q", got, c.province)
			}
			if b := basis("cases.backfill_working_days"); !strings.Contains(b, c.backfillContains) {
				t.Errorf("%s: backfill basis %q lacks %q", c.province, b, c.backfillContains)
			}
			if b := basis("elements.law_loading_working_days"); !strings.Contains(b, c.lawLoadingContains) {
				t.Errorf("%s: law loading basis %q lacks %q", c.province, b, c.lawLoadingContains)
			}
			for _, key := range []string{"cases.backfill_working_days", "disclosure.min_days", "disclosure.max_days", "elements.law_loading_working_days"} {
				b := basis(key)
				if b == "" {
					t.Errorf("%s: %s cites nothing", c.province, key)
				}
				if len(c.cites) > 0 && !strings.Contains(b, c.cites[0]) {
					t.Errorf("%s: %s basis %q does not cite %s", c.province, key, b, c.cites[0])
				}
				for _, s := range c.never {
					if strings.Contains(b, s) {
						t.Errorf("%s: %s basis %q cites another province (%s)", c.province, key, b, s)
					}
				}
			}
		}

		// Only the root chooses, and only among the three.
		if err := set2(svc, countyOp, `"fujian"`); errs.CodeOf(err) != errs.FailedPrecondition {
			t.Errorf("a county sets the province rules: %v", err)
		}
		if err := set2(svc, rootOp, `"zhejiang"`); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an unknown province is accepted: %v", err)
		}
	})
}

func set2(svc *tenants.Service, sc tenants.Scope, v string) error {
	_, err := svc.Set(context.Background(), sc, tenants.KeyProvinceRules, tenants.SetSetting{Value: json.RawMessage(v)})
	return err
}
